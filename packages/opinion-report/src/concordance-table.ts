/** The concordance table: the pairs of first and second findings, their facts and verdicts. */
import { html, nothing, type TemplateResult } from 'lit';
import {
  CATEGORY_LABELS,
  VERDICT_LABELS,
  VERDICTS,
  type Finding,
  type FindingPair,
  type Reading,
  type SecondOpinion,
  type Verdict,
} from '@secondread/core';
import { renderFindingButton, renderOwnFinding } from './finding-view.js';
import type { ReportView } from './report-view.js';

/** The verdicts a matched pair can take (an unmatched finding's verdict follows from its side). */
const MATCHED_VERDICTS: readonly Verdict[] = VERDICTS.filter((v) => v === 'agree' || v === 'disagree');

/** The table (while blinded: the second reader's findings only). */
export function renderTable(view: ReportView, opinion: SecondOpinion): TemplateResult {
  const model = view.model;
  const blinded = model.blinded;
  const first = model.first;
  const second = model.second;
  const rows = blinded
    ? second.findings.map((finding) => renderBlindedRow(view, finding))
    : opinion.concordance.pairs.map((pair, index) => renderPair(view, pair, index, first, second));
  return html`<section part="table" aria-labelledby="findings-title">
    <h3 id="findings-title">${blinded ? 'Your findings' : 'Findings: first and second reading'}</h3>
    ${
      blinded
        ? nothing
        : html`<div class="columns" aria-hidden="true">
            <span class="first">First · ${first?.reader.name ?? 'no first reading'}</span>
            <span class="second">Second · ${second.reader.name}</span>
          </div>`
    }
    ${
      rows.length
        ? html`<ol class="pairs">
            ${rows}
          </ol>`
        : html`<p class="empty">
            No findings yet. Measure on the images with the tools; each measurement becomes a finding.
          </p>`
    }
  </section>`;
}

/** A finding of the second reading, while the first is hidden. */
function renderBlindedRow(view: ReportView, finding: Finding): TemplateResult {
  return html`<li part="row" class="pair blinded-row">
    <div class="cell second">${renderOwnFinding(view, finding)}</div>
  </li>`;
}

/** One pair: the first finding, the second, what matched them, and the verdict. */
function renderPair(
  view: ReportView,
  pair: FindingPair,
  index: number,
  first: Reading | undefined,
  second: Reading,
): TemplateResult {
  const a = pair.firstFindingId ? first?.findings.find((f) => f.id === pair.firstFindingId) : undefined;
  const b = pair.secondFindingId ? second.findings.find((f) => f.id === pair.secondFindingId) : undefined;
  const key = (pair.secondFindingId ?? pair.firstFindingId)!;
  const unmatchedSecond = second.findings.filter(
    (f) => !view.opinion.concordance.pairs.some((p) => p.secondFindingId === f.id && p.firstFindingId),
  );
  const signed = (value: number, digits: number): string => `${value > 0 ? '+' : ''}${view.number(value, digits)}`;
  const facts: string[] = [];
  if (pair.method !== 'unmatched') facts.push(`matched by ${pair.method}`);
  if (pair.distanceMm !== undefined) facts.push(`${view.number(pair.distanceMm)} mm apart`);
  if (pair.overlap !== undefined) facts.push(`Dice ${view.number(pair.overlap, 2)}`);
  if (pair.sizeDeltaMm !== undefined) {
    facts.push(
      `Δ size ${signed(pair.sizeDeltaMm, 1)} mm${pair.sizeDeltaPercent !== undefined ? ` (${signed(pair.sizeDeltaPercent, 0)} %)` : ''}`,
    );
  }
  return html`<li part="row" class=${`pair verdict-${pair.verdict}`} aria-label=${`Finding pair ${index + 1}`}>
    <div class="cell first">
      ${
        a
          ? html`${renderFindingButton(view, a, 'first')}
            ${
              !b && unmatchedSecond.length
                ? html`<label class="pair-with"
                    >Pair with
                    <select
                      part="pair-select"
                      @change=${(e: Event) => {
                        const id = (e.target as HTMLSelectElement).value;
                        if (id) view.edit((model) => model.pair(a.id, id));
                      }}
                    >
                      <option value="">—</option>
                      ${unmatchedSecond.map(
                        (f) => html`<option value=${f.id}>${f.description || CATEGORY_LABELS[f.category]}</option>`,
                      )}
                    </select></label
                  >`
                : nothing
            }`
          : html`<span class="none">not reported</span>`
      }
    </div>
    <div class="cell second">${b ? renderOwnFinding(view, b) : html`<span class="none">not reported</span>`}</div>
    <div class="meta">
      <span class="facts"
        >${facts.length ? facts.join(' · ') : 'no counterpart'}${
          pair.comment ? html`<br /><q class="comment">${pair.comment}</q>` : nothing
        }</span
      >
      ${
        a && b
          ? html`<button
              part="unpair-button"
              type="button"
              class="link"
              @click=${() => view.edit((model) => model.unpair(b.id))}
            >
              Unpair
            </button>`
          : nothing
      }
      ${
        a && b
          ? html`<select
              part="verdict"
              aria-label="Verdict"
              @change=${(e: Event) =>
                view.edit((model) => model.setVerdict(key, (e.target as HTMLSelectElement).value as Verdict))}
            >
              ${MATCHED_VERDICTS.map(
                (v) => html`<option value=${v} ?selected=${v === pair.verdict}>${VERDICT_LABELS[v]}</option>`,
              )}
            </select>`
          : html`<span part="verdict" class="verdict">${VERDICT_LABELS[pair.verdict]}</span>`
      }
      ${pair.confirmed ? html`<span class="confirmed" title="Confirmed by the second reader">✓</span>` : nothing}
    </div>
  </li>`;
}
