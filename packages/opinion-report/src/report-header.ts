/** The report's header (reader, save and store status), the blinded notice and the footer. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Catalogue, SecondOpinionModel } from '@secondread/core';
import type { SaveState } from './draft-controller.js';

/**
 * Where the submitted opinion stands on the PACS: `changed` once the reader edited it after the
 * PACS confirmed it (the PACS holds an earlier version until the amendment is stored).
 */
export type StoreState = 'idle' | 'storing' | 'stored' | 'failed' | 'changed';

/** What the status line reports. */
export interface StatusFacts {
  /** When the opinion was submitted, if it was. */
  readonly submittedAt: string | undefined;
  readonly storeState: StoreState;
  /** False with `no-autosave`. */
  readonly autosave: boolean;
  readonly saveState: SaveState;
  /** Autosave is off (IndexedDB unavailable or full). */
  readonly autosaveOff: boolean;
  readonly savedAt: string | null;
  readonly time: (iso: string) => string;
  readonly t: Catalogue;
}

/**
 * A message the report shows: the English `message` (what the model or the server said, also in
 * the `ct-error` event) and, for other languages, the catalogue's sentence for it.
 */
export interface ShownError {
  readonly message: string;
  readonly summary: (t: Catalogue) => string;
}

/** "Draft saved 3 Dec 2026, 11:42", "Submitted … · NOT stored in PACS", … */
export function statusText(facts: StatusFacts): string {
  const t = facts.t.report;
  if (facts.submittedAt) {
    const when = t.submittedAt(facts.time(facts.submittedAt));
    if (facts.storeState === 'storing') return `${when} · ${t.storing}`;
    if (facts.storeState === 'stored') return `${when} · ${t.stored}`;
    if (facts.storeState === 'failed' || facts.storeState === 'changed') return `${when} · ${t.notStored}`;
    return when;
  }
  const draft = draftText(facts);
  return facts.storeState === 'changed' ? `${draft} · ${t.changedSinceStored}` : draft;
}

function draftText(facts: StatusFacts): string {
  const t = facts.t.report;
  if (!facts.autosave) return t.draft;
  switch (facts.saveState) {
    case 'saving':
      return t.saving;
    case 'saved':
      return facts.savedAt ? t.savedAt(facts.time(facts.savedAt)) : t.saved;
    case 'failed':
      return facts.autosaveOff ? t.notSavedOff : t.notSaved;
    case 'idle':
      return t.draft;
  }
}

export function renderHeader(model: SecondOpinionModel, status: string, t: Catalogue): TemplateResult {
  return html`<header part="header">
    <h2>${t.report.title}</h2>
    <span class="reader">${model.second.reader.name}</span>
    <span part="status" role="status">${status}</span>
  </header>`;
}

/** While blinded: the notice and the button that reveals the first reading. */
export function renderBlindedNotice(
  model: SecondOpinionModel,
  unblind: () => void,
  t: Catalogue,
): TemplateResult | typeof nothing {
  return model.blinded
    ? html`<div part="blinded" class="blinded">
        <p>${t.report.blindedNotice}</p>
        <button part="reveal-button" type="button" @click=${unblind} ?disabled=${!model.first}>
          ${t.report.reveal}
        </button>
      </div>`
    : nothing;
}

/** The `error` part: in English the message itself; in another language the catalogue's sentence, the English one under Technical details. */
export function renderError(error: ShownError | null, t: Catalogue): TemplateResult | typeof nothing {
  if (!error) return nothing;
  if (t.language === 'en') return html`<p part="error" role="alert">${error.message}</p>`;
  return html`<p part="error" role="alert">
    ${error.summary(t)}
    <details class="technical">
      <summary>${t.common.technicalDetails}</summary>
      <span lang="en">${error.message}</span>
    </details>
  </p>`;
}

/**
 * The printable-report and submit buttons; after a failed store, Submit says it tries again, and
 * after an edit of a stored opinion that it submits the amendment.
 */
export function renderFooter(
  submitted: boolean,
  storeState: StoreState,
  actions: { print(): void; submit(): void },
  t: Catalogue,
): TemplateResult {
  const label = !submitted
    ? storeState === 'changed'
      ? t.report.submitAmended
      : t.report.submit
    : storeState === 'failed' || storeState === 'changed'
      ? t.report.storeAgain
      : t.report.submitted;
  return html`<footer>
    <button part="print-button" type="button" class="secondary" @click=${() => actions.print()}>
      ${t.report.printable}
    </button>
    <button part="submit" type="button" class="primary" @click=${() => actions.submit()}>${label}</button>
  </footer>`;
}
