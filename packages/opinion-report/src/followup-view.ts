/**
 * The follow-up section of `<opinion-report>`: per reader, the growth table of the nodules
 * paired between the prior and the current study, the Lung-RADS v2022 suggestion (screening) or
 * the Fleischner 2017 recommendation (incidental), the second reader's category picker, and the
 * first vs second reader discrepancy with its management consequence, highlighted.
 */
import { html, nothing, type TemplateResult } from 'lit';
import {
  LUNG_RADS_CATEGORIES,
  LUNG_RADS_DESCRIPTORS,
  LUNG_RADS_MANAGEMENT,
  NODULE_TYPE_LABELS,
  NODULE_TYPES,
  type FollowUpRow,
  type NoduleType,
  type FollowUpSummary,
  type LungRadsCategory,
  type ReaderFollowUp,
} from '@secondread/core';

/** Words for the growth statuses. */
const STATUS_LABELS = {
  new: 'new',
  resolved: 'resolved',
  growing: 'growing',
  stable: 'stable',
  shrinking: 'shrinking',
} as const;

export interface FollowUpViewActions {
  /** A number in the report's locale. */
  number(value: number, digits?: number): string;
  /** The second reader chose a Lung-RADS category (undefined: back to the suggestion). */
  onCategory(category: LungRadsCategory | undefined): void;
  /** The second reader chose the type of one of their nodules. */
  onNoduleType(findingId: string, type: NoduleType): void;
}

function sizeCell(view: FollowUpViewActions, size: FollowUpRow['growth']['prior']): TemplateResult | string {
  if (!size) return '—';
  const axes =
    size.shortAxisMm === undefined
      ? `${view.number(size.longAxisMm)}`
      : `${view.number(size.longAxisMm)} × ${view.number(size.shortAxisMm)}`;
  return html`${axes} mm<br /><small
      >mean ${view.number(size.meanDiameterMm)}
      mm${size.volumeMm3 === undefined ? '' : `, ${view.number(size.volumeMm3, 0)} mm³`}</small
    >`;
}

function typeCell(view: FollowUpViewActions, row: FollowUpRow, editable: boolean): TemplateResult | string {
  const id = row.pair.currentFindingId;
  if (!row.nodule || id === undefined) return '';
  if (!editable) return NODULE_TYPE_LABELS[row.nodule.type];
  return html`<select
    aria-label="Nodule type"
    @change=${(e: Event) => view.onNoduleType(id, (e.target as HTMLSelectElement).value as NoduleType)}
  >
    ${NODULE_TYPES.map((t) => html`<option value=${t} ?selected=${row.nodule?.type === t}>${NODULE_TYPE_LABELS[t]}</option>`)}
  </select>`;
}

function growthRow(view: FollowUpViewActions, row: FollowUpRow, editable: boolean): TemplateResult {
  const g = row.growth;
  const change =
    g.meanDiameterChangeMm === undefined
      ? '—'
      : `${g.meanDiameterChangeMm > 0 ? '+' : ''}${view.number(g.meanDiameterChangeMm)} mm${
          g.meanDiameterChangePercent === undefined ? '' : ` (${view.number(g.meanDiameterChangePercent, 0)} %)`
        }`;
  const vdt =
    g.volumeDoublingTimeDays === undefined
      ? '—'
      : `${view.number(g.volumeDoublingTimeDays, 0)} d (${g.vdtBasis === 'volume' ? 'volume' : 'from diameters'})`;
  return html`<tr part="followup-row" class=${`status-${g.status}`}>
    <td>${row.description}</td>
    <td class="type">${typeCell(view, row, editable)}</td>
    <td>${sizeCell(view, g.prior)}</td>
    <td>${sizeCell(view, g.current)}</td>
    <td class="change">${change}</td>
    <td class="vdt">${vdt}</td>
    <td class="status">${STATUS_LABELS[g.status]}</td>
    <td class="lung-rads" title=${row.lungRads?.source ?? ''}>${row.lungRads?.rule ?? '—'}</td>
  </tr>`;
}

function readerBlock(
  view: FollowUpViewActions,
  reader: ReaderFollowUp,
  context: FollowUpSummary['context'],
): TemplateResult {
  const who = reader.role === 'first' ? 'First reader' : 'Second reader';
  const assessment = reader.assessment;
  const suggestion = reader.suggestion;
  return html`<div class="followup-reader" data-role=${reader.role}>
    <h4>${who}</h4>
    <table part="followup-table">
      <thead>
        <tr>
          <th scope="col">Nodule</th>
          <th scope="col">Type</th>
          <th scope="col">Prior</th>
          <th scope="col">Current</th>
          <th scope="col">Δ mean diameter</th>
          <th scope="col">VDT</th>
          <th scope="col">Change</th>
          <th scope="col">${context === 'screening' ? 'Lung-RADS rule' : ''}</th>
        </tr>
      </thead>
      <tbody>
        ${reader.rows.map((row) => growthRow(view, row, reader.role === 'second'))}
      </tbody>
    </table>
    ${
      context === 'screening'
        ? html`<p class="category" part="followup-category">
            Suggested: <strong class="suggested">${suggestion?.category ?? '—'}</strong>
            <small>${suggestion?.rule ?? ''}</small>
            ${
              reader.role === 'second'
                ? html`<label
                    >Lung-RADS category
                    <select
                      @change=${(e: Event) => {
                        const value = (e.target as HTMLSelectElement).value;
                        view.onCategory(value ? (value as LungRadsCategory) : undefined);
                      }}
                    >
                      <option value="" ?selected=${!assessment?.overridden}>as suggested</option>
                      ${LUNG_RADS_CATEGORIES.map(
                        (c) =>
                          html`<option value=${c} ?selected=${assessment?.overridden && assessment.category === c}>
                            ${c} — ${LUNG_RADS_DESCRIPTORS[c]}
                          </option>`,
                      )}
                    </select></label
                  >`
                : nothing
            }
            Final: <strong class="final">${assessment?.category ?? '—'}</strong>${
              assessment?.overridden ? html` <em>(override)</em>` : nothing
            }
            ${assessment ? html`<br /><small class="management">${LUNG_RADS_MANAGEMENT[assessment.category]}</small>` : nothing}
          </p>`
        : html`<p class="fleischner" part="followup-category">
            Fleischner 2017:
            ${
              reader.fleischner
                ? html`<strong>${reader.fleischner.recommendation}</strong> <small>(${reader.fleischner.rule})</small>`
                : '—'
            }
          </p>`
    }
  </div>`;
}

/** The follow-up section, or nothing without a follow-up setup. */
export function renderFollowUp(
  view: FollowUpViewActions,
  summary: FollowUpSummary | null,
): TemplateResult | typeof nothing {
  if (!summary) return nothing;
  const offset = summary.linkOffsetMm.map((v) => view.number(v)).join(', ');
  return html`<section part="followup" class="followup" aria-label="Follow-up comparison">
    <h3>Follow-up: ${summary.intervalDays} days since the prior study</h3>
    <p class="offset"><small>Link offset (prior → current): [${offset}] mm</small></p>
    ${
      summary.discrepancy
        ? html`<p part="followup-discrepancy" class="discrepancy" role="status">
            Category discrepancy between readers: ${summary.discrepancy}
          </p>`
        : nothing
    }
    ${summary.readers.map((reader) => readerBlock(view, reader, summary.context))}
  </section>`;
}
