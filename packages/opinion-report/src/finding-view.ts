/** A finding: the button that shows it in the viewers and, for the second reader's own, its editors. */
import { html, nothing, type TemplateResult } from 'lit';
import {
  FINDING_CATEGORIES,
  FINDING_SEVERITIES,
  formatFindingSize,
  type Finding,
  type FindingCategory,
  type FindingSeverity,
  type ReadingRole,
} from '@secondread/core';
import { isDocumentReading } from './first-reading-document.js';
import type { ReportView } from './report-view.js';

/** A finding of either reading: category, description, size, volume, slice, severity. */
export function renderFindingButton(view: ReportView, finding: Finding, role: ReadingRole): TemplateResult {
  const size = formatFindingSize(finding, view.locale);
  const facts: string[] = [];
  if (size !== undefined) facts.push(size);
  const segment = finding.location.segment;
  if (segment?.volumeMm3 !== undefined) facts.push(`${view.number(segment.volumeMm3 / 1000, 2)} cm³ (SEG)`);
  const slice = view.sliceOf(finding);
  if (slice) facts.push(slice);
  if (finding.severity) facts.push(view.t.severity[finding.severity]);
  return html`<button
    part=${view.selectedFindingId === finding.id ? 'finding selected' : 'finding'}
    ?data-selected=${view.selectedFindingId === finding.id}
    type="button"
    class=${`finding ${role}${view.selectedFindingId === finding.id ? ' selected' : ''}`}
    aria-pressed=${view.selectedFindingId === finding.id ? 'true' : 'false'}
    @click=${() => view.showFinding(finding.id)}
  >
    <span class="category">${view.t.category[finding.category]}</span>
    ${finding.description ? html`<span class="description">${finding.description}</span>` : nothing}
    ${
      role === 'first' && finding.text && finding.text !== finding.description && isDocumentReading(view.model.first)
        ? html`<span class="text">${finding.text}</span>`
        : nothing
    }
    ${facts.length ? html`<span class="values">${facts.join(' · ')}</span>` : nothing}
  </button>`;
}

/** The second reader's own finding, with its category, severity, description and key images. */
export function renderOwnFinding(view: ReportView, finding: Finding): TemplateResult {
  const update = (patch: Partial<Omit<Finding, 'id'>>): void =>
    view.edit((model) => model.updateFinding(finding.id, patch));
  const t = view.t.report;
  return html`${renderFindingButton(view, finding, 'second')}
    <div class="edit">
      <select
        part="finding-field"
        aria-label=${t.categoryField}
        @change=${(e: Event) => update({ category: (e.target as HTMLSelectElement).value as FindingCategory })}
      >
        ${FINDING_CATEGORIES.map(
          (c) => html`<option value=${c} ?selected=${c === finding.category}>${view.t.category[c]}</option>`,
        )}
      </select>
      <select
        part="finding-field"
        aria-label=${t.severityField}
        @change=${(e: Event) => {
          const value = (e.target as HTMLSelectElement).value;
          update(value ? { severity: value as FindingSeverity } : { severity: undefined });
        }}
      >
        <option value="" ?selected=${!finding.severity}>${t.severityChoose}</option>
        ${FINDING_SEVERITIES.map(
          (s) => html`<option value=${s} ?selected=${s === finding.severity}>${view.t.severity[s]}</option>`,
        )}
      </select>
      <input
        part="finding-field"
        aria-label=${t.descriptionField}
        .value=${finding.description}
        @change=${(e: Event) => update({ description: (e.target as HTMLInputElement).value })}
      />
      <button part="key-image-button" type="button" class="key-image" @click=${() => void view.addKeyImage(finding.id)}>
        ${t.keyImage}${finding.keyImages?.length ? ` (${finding.keyImages.length})` : ''}
      </button>
      ${(finding.keyImages ?? []).map(
        (k) =>
          html`<img
            class="thumb"
            src=${k.dataUrl}
            alt=${t.keyImageAlt(k.caption ?? t.captured, view.time(k.capturedAt))}
          />`,
      )}
    </div>`;
}
