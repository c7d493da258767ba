/** The concordance table: the pairs of first and second findings, their facts and verdicts. */
import { html, nothing, type TemplateResult } from 'lit';
import {
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
  const t = view.t.report;
  const rows = blinded
    ? second.findings.map((finding) => renderBlindedRow(view, finding))
    : opinion.concordance.pairs.map((pair, index) => renderPair(view, pair, index, first, second));
  return html`<section part="table" aria-labelledby="findings-title">
    <h3 id="findings-title">${blinded ? t.yourFindings : t.findings}</h3>
    ${
      blinded
        ? nothing
        : html`<div class="columns" aria-hidden="true">
            <span class="first">${t.firstColumn(first?.reader.name ?? t.noFirstReading)}</span>
            <span class="second">${t.secondColumn(second.reader.name)}</span>
          </div>`
    }
    ${
      rows.length
        ? html`<ol class="pairs">
            ${rows}
          </ol>`
        : html`<p class="empty">${t.noFindings}</p>`
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
  const t = view.t.report;
  const facts: string[] = [];
  if (pair.method !== 'unmatched') facts.push(t.matchedBy(view.t.matchMethod[pair.method]));
  if (pair.distanceMm !== undefined) facts.push(t.apart(view.number(pair.distanceMm)));
  if (pair.overlap !== undefined) facts.push(t.dice(view.number(pair.overlap, 2)));
  if (pair.sizeDeltaMm !== undefined) {
    facts.push(
      `${t.sizeDelta(signed(pair.sizeDeltaMm, 1))}${pair.sizeDeltaPercent !== undefined ? ` (${signed(pair.sizeDeltaPercent, 0)} %)` : ''}`,
    );
  }
  return html`<li part="row" class=${`pair verdict-${pair.verdict}`} aria-label=${t.pair(String(index + 1))}>
    <div class="cell first">
      ${
        a
          ? html`${renderFindingButton(view, a, 'first')}
            ${
              !b && unmatchedSecond.length
                ? html`<label class="pair-with"
                    >${t.pairWith}
                    <select
                      part="pair-select"
                      @change=${(e: Event) => {
                        const id = (e.target as HTMLSelectElement).value;
                        if (id) view.edit((model) => model.pair(a.id, id));
                      }}
                    >
                      <option value="">—</option>
                      ${unmatchedSecond.map(
                        (f) => html`<option value=${f.id}>${f.description || view.t.category[f.category]}</option>`,
                      )}
                    </select></label
                  >`
                : nothing
            }`
          : html`<span class="none">${t.notReported}</span>`
      }
    </div>
    <div class="cell second">${b ? renderOwnFinding(view, b) : html`<span class="none">${t.notReported}</span>`}</div>
    <div class="meta">
      <span class="facts"
        >${facts.length ? facts.join(' · ') : t.noCounterpart}${
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
              ${t.unpair}
            </button>`
          : nothing
      }
      ${
        a && b
          ? html`<select
              part="verdict"
              aria-label=${t.verdict}
              @change=${(e: Event) =>
                view.edit((model) => model.setVerdict(key, (e.target as HTMLSelectElement).value as Verdict))}
            >
              ${MATCHED_VERDICTS.map(
                (v) => html`<option value=${v} ?selected=${v === pair.verdict}>${view.t.verdict[v]}</option>`,
              )}
            </select>`
          : html`<span part="verdict" class="verdict">${view.t.verdict[pair.verdict]}</span>`
      }
      ${pair.confirmed ? html`<span class="confirmed" title=${t.confirmed}>✓</span>` : nothing}
    </div>
  </li>`;
}
