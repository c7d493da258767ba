/** The report's header (reader, save and store status), the blinded notice and the footer. */
import { html, nothing, type TemplateResult } from 'lit';
import type { SecondOpinionModel } from '@secondread/core';
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
}

/** "Draft saved 3 Dec 2026, 11:42", "Submitted … · NOT stored in PACS", … */
export function statusText(facts: StatusFacts): string {
  if (facts.submittedAt) {
    const when = `Submitted ${facts.time(facts.submittedAt)}`;
    if (facts.storeState === 'storing') return `${when} · storing in PACS…`;
    if (facts.storeState === 'stored') return `${when} · stored in PACS`;
    if (facts.storeState === 'failed' || facts.storeState === 'changed') return `${when} · NOT stored in PACS`;
    return when;
  }
  const draft = draftText(facts);
  return facts.storeState === 'changed' ? `${draft} · changed since stored in PACS, NOT stored` : draft;
}

function draftText(facts: StatusFacts): string {
  if (!facts.autosave) return 'Draft';
  switch (facts.saveState) {
    case 'saving':
      return 'Saving draft…';
    case 'saved':
      return facts.savedAt ? `Draft saved ${facts.time(facts.savedAt)}` : 'Draft saved';
    case 'failed':
      return facts.autosaveOff ? 'Draft NOT saved: autosave is off' : 'Draft NOT saved in this browser';
    case 'idle':
      return 'Draft';
  }
}

export function renderHeader(model: SecondOpinionModel, status: string): TemplateResult {
  return html`<header part="header">
    <h2>Second opinion</h2>
    <span class="reader">${model.second.reader.name}</span>
    <span part="status" role="status">${status}</span>
  </header>`;
}

/** While blinded: the notice and the button that reveals the first reading. */
export function renderBlindedNotice(model: SecondOpinionModel, unblind: () => void): TemplateResult | typeof nothing {
  return model.blinded
    ? html`<div part="blinded" class="blinded">
        <p>Blinded read: the first reading is hidden until you reveal it. Make your own reading first.</p>
        <button part="reveal-button" type="button" @click=${unblind} ?disabled=${!model.first}>
          Reveal first reading
        </button>
      </div>`
    : nothing;
}

export function renderError(message: string | null): TemplateResult | typeof nothing {
  return message ? html`<p part="error" role="alert">${message}</p>` : nothing;
}

/**
 * The printable-report and submit buttons; after a failed store, Submit says it tries again, and
 * after an edit of a stored opinion that it submits the amendment.
 */
export function renderFooter(
  submitted: boolean,
  storeState: StoreState,
  actions: { print(): void; submit(): void },
): TemplateResult {
  const label = !submitted
    ? storeState === 'changed'
      ? 'Submit amended opinion'
      : 'Submit second opinion'
    : storeState === 'failed' || storeState === 'changed'
      ? 'Store in PACS again'
      : 'Submitted';
  return html`<footer>
    <button part="print-button" type="button" class="secondary" @click=${() => actions.print()}>
      Printable report
    </button>
    <button part="submit" type="button" class="primary" @click=${() => actions.submit()}>${label}</button>
  </footer>`;
}
