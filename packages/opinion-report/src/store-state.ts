import type { ReactiveControllerHost } from 'lit';
import type { DraftContent } from './draft-controller.js';
import type { StoredDraft } from './draft-store.js';
import { storeFailureMessage, type StoredSr } from './pacs.js';
import type { ShownError, StoreState } from './report-header.js';

/** Why a store failed: a DICOMweb error code and its message. */
export interface StoreFailure {
  readonly code: string;
  readonly message: string;
}

/**
 * Where storing the submitted opinion on the PACS stands, kept with the draft so that a reload
 * tells the truth: confirmed (`stored`, with the SR's SOP Instance UID), refused or unreachable
 * (`failed`, with the reason), sent without an answer (read back as `failed`: the page closed
 * before the server confirmed), or edited after the PACS confirmed it (`changed`: the PACS holds
 * an older version; the next store amends it).
 *
 * {@link lastStored} is the last SR the PACS confirmed for this opinion, whatever happened since:
 * the next store names it as its predecessor.
 */
export class StoreStateController {
  state: StoreState = 'idle';
  failure: StoreFailure | null = null;
  /** The last SR the PACS confirmed for this opinion (kept through later edits and failures). */
  lastStored: StoredSr | null = null;
  /** What the exporter said about the last SR stored (e.g. a reader name cut to fit DICOM). */
  warnings: readonly string[] = [];
  /** An edit came while a store was under way: what it sends is already out of date. */
  private editedWhileStoring = false;
  private readonly host: ReactiveControllerHost;

  constructor(host: ReactiveControllerHost) {
    this.host = host;
  }

  /** SOP Instance UID of the SR the PACS holds for the opinion as it is now; null otherwise. */
  get sopInstanceUid(): string | null {
    return this.state === 'stored' ? (this.lastStored?.sopInstanceUid ?? null) : null;
  }

  /** Whether Submit should (try to) store: never tried, failed, or changed since stored. */
  get wanted(): boolean {
    return this.state === 'idle' || this.state === 'failed' || this.state === 'changed';
  }

  storing(): void {
    this.editedWhileStoring = false;
    this.set('storing', null);
  }

  /** The PACS confirmed `sr`; an edit made meanwhile leaves the opinion `changed` at once. */
  stored(sr: StoredSr, warnings: readonly string[] = []): void {
    this.lastStored = sr;
    this.warnings = warnings;
    this.set(this.editedWhileStoring ? 'changed' : 'stored', null);
    this.editedWhileStoring = false;
  }

  failed(failure: StoreFailure): void {
    this.editedWhileStoring = false;
    this.set('failed', { code: failure.code, message: failure.message });
  }

  /**
   * The reader edited the opinion. After the PACS stored it, the PACS now holds an older version
   * (`changed`); during a store, the SR under way is already out of date.
   */
  edited(): void {
    if (this.state === 'stored') {
      this.warnings = [];
      this.set('changed', null);
    } else if (this.state === 'storing') this.editedWhileStoring = true;
  }

  reset(): void {
    this.lastStored = null;
    this.warnings = [];
    this.editedWhileStoring = false;
    this.set('idle', null);
  }

  /** What the reader must know about the store (the visible notice), or null. */
  notice(): ShownError | null {
    const failure = this.state === 'failed' ? this.failure : null;
    if (failure) {
      return {
        message: storeFailureMessage(failure),
        summary: (t) => (failure.code === 'store-unavailable' ? t.report.storeUnavailable : t.report.storeFailed),
      };
    }
    if (this.state === 'changed') {
      return {
        message:
          'Changed after it was stored in the PACS: the image server holds the earlier version, without these changes. Submit to store the amended report (a new SR that names the earlier one as its predecessor).',
        summary: (t) => t.report.storeChanged,
      };
    }
    if (this.state === 'stored' && this.warnings.length) {
      const message = `Stored in PACS. Note: ${this.warnings.join(' ')}`;
      return { message, summary: (t) => t.report.storedWithNote };
    }
    return null;
  }

  /** What goes into the draft. */
  draftFields(): Pick<DraftContent, 'storedSopInstanceUid' | 'storedSr' | 'storeState' | 'storeError'> {
    return {
      ...(this.sopInstanceUid ? { storedSopInstanceUid: this.sopInstanceUid } : {}),
      ...(this.lastStored ? { storedSr: this.lastStored } : {}),
      ...(this.state !== 'idle' ? { storeState: this.state } : {}),
      ...(this.failure ? { storeError: this.failure } : {}),
    };
  }

  /** Reads it back from a restored draft. */
  restore(draft: StoredDraft): void {
    this.reset();
    // Drafts written before `storedSr` was kept name the stored SR by its UID only.
    this.lastStored =
      draft.storedSr ??
      (draft.storedSopInstanceUid
        ? {
            studyUid: draft.opinion.studyUid,
            seriesUid: '',
            sopInstanceUid: draft.storedSopInstanceUid,
            instanceNumber: 1,
          }
        : null);
    if (draft.storeState === 'changed') return this.set('changed', null);
    if (draft.storeState === 'failed' && draft.storeError) return this.failed(draft.storeError);
    if (draft.storeState === 'failed' || draft.storeState === 'storing') {
      return this.failed({
        code: 'network',
        message: 'The image server had not confirmed storing it when the page closed.',
      });
    }
    if (this.lastStored) this.set('stored', null);
  }

  private set(state: StoreState, failure: StoreFailure | null): void {
    this.state = state;
    this.failure = failure;
    this.host.requestUpdate();
  }
}
