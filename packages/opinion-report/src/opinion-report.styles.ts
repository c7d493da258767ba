import { css } from 'lit';
import { controlStyles, panelStyles } from '@secondread/ct-viewer/internal.js';
import { firstDocumentStyles } from './first-reading-document.styles.js';

/** Styles of `<opinion-report>` in the `secondread` cascade layer; tokens are `--ct-*`. */
const ownStyles = css`
  @layer secondread {
    [part='base'] {
      display: flex;
      flex-direction: column;
      gap: 10px;
      padding: 10px 12px;
    }
    header {
      display: flex;
      align-items: baseline;
      gap: 10px;
      flex-wrap: wrap;
    }
    h2 {
      margin: 0;
      font-size: 15px;
    }
    .reader {
      color: var(--_accent);
    }
    [part='status'] {
      margin-inline-start: auto;
      color: var(--_muted);
      font-size: 12px;
    }
    .blinded {
      display: flex;
      align-items: center;
      gap: 10px;
      border: 1px dashed var(--_first);
      border-radius: var(--_radius);
      padding: 6px 10px;
    }
    .blinded p {
      margin: 0;
      flex: 1;
    }
    h3 {
      margin: 0 0 4px;
      font-size: 13px;
    }
    .columns {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 8px;
      font-size: 12px;
      padding: 0 6px;
    }
    .columns .first {
      color: var(--_first);
    }
    .columns .second {
      color: var(--_accent);
    }
    .pairs {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 6px;
    }
    .pair {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 6px 8px;
      padding: 6px;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
    }
    .pair.blinded-row {
      grid-template-columns: 1fr;
    }
    .pair.verdict-disagree,
    .pair.verdict-missed-by-first,
    .pair.verdict-not-confirmed-by-second {
      border-color: color-mix(in srgb, var(--_danger) 55%, transparent);
      background: color-mix(in srgb, var(--_danger) 8%, transparent);
    }
    .meta {
      grid-column: 1 / -1;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px;
      font-size: 12px;
      color: var(--_muted);
    }
    .meta .verdict {
      color: var(--_danger);
      font-weight: 600;
    }
    .meta .facts {
      flex: 1 1 160px;
    }
    .empty,
    .none {
      color: var(--_muted);
    }
    .finding {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      width: 100%;
      text-align: start;
      gap: 1px;
      border-inline-start: 3px solid var(--_accent);
    }
    .finding.first {
      border-inline-start-color: var(--_first);
    }
    .category {
      font-weight: 600;
    }
    .values {
      color: var(--_muted);
      font-size: 12px;
    }
    .edit {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
      margin-top: 4px;
    }
    .thumb {
      width: 48px;
      height: 48px;
      object-fit: cover;
      border-radius: 3px;
      border: 1px solid var(--_border);
    }
    .edit select {
      flex: 1 1 80px;
      min-width: 0;
    }
    .edit input {
      flex: 1 1 100%;
      min-width: 0;
    }
    button.link {
      border: none;
      background: none;
      color: var(--_accent);
      text-decoration: underline;
      padding: 0;
      padding-inline-start: 6px;
    }
    button.primary {
      font-weight: 600;
      padding: 6px 14px;
    }
    .texts {
      display: grid;
      gap: 8px;
    }
    label {
      display: grid;
      gap: 2px;
      color: var(--_muted);
    }
    label.pair-with {
      display: flex;
      align-items: center;
      gap: 4px;
      margin-top: 4px;
      font-size: 12px;
    }
    textarea {
      resize: vertical;
      color: var(--_fg);
    }
    fieldset {
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      display: grid;
      gap: 2px;
    }
    label.score {
      display: flex;
      gap: 6px;
      align-items: baseline;
      color: var(--_fg);
    }
    label.score-2 strong,
    label.score-3 strong {
      color: var(--_danger);
    }
    .confirmed {
      color: var(--_accent);
      margin-inline-start: 4px;
    }
    [part='error'] {
      color: var(--_danger);
      margin: 0;
    }
    footer {
      display: flex;
      justify-content: flex-end;
      gap: 8px;
    }
    .pending {
      padding: 12px;
      color: var(--_muted);
    }
    .first-report h3 {
      margin: 0 0 4px;
    }
    .first-report p {
      margin: 4px 0;
      white-space: pre-line;
    }
    .document-links a {
      color: inherit;
      text-decoration: underline;
    }
    .finding .text {
      display: block;
      white-space: pre-line;
      color: var(--_muted);
    }
    .followup-reader {
      /* Wide tables scroll inside the panel (its background, its contrast). */
      overflow-x: auto;
    }
    .followup table {
      width: 100%;
      border-collapse: collapse;
      font-size: 0.9em;
    }
    .followup th,
    .followup td {
      text-align: left;
      padding: 2px 6px;
      vertical-align: top;
    }
    .followup .status-growing .status,
    .followup .status-new .status {
      color: var(--_danger);
    }
    .followup .discrepancy {
      color: var(--_danger);
      border: 1px solid color-mix(in srgb, var(--_danger) 55%, transparent);
      background: color-mix(in srgb, var(--_danger) 8%, transparent);
      border-radius: var(--_radius);
      padding: 4px 8px;
      font-weight: 600;
    }
  }
`;

/** The shared panel and control look, then this element's own rules. */
export const opinionReportStyles = [panelStyles, controlStyles, ownStyles, firstDocumentStyles];
