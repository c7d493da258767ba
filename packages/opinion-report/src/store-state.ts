import type { ReactiveControllerHost } from 'lit';
import type { DraftContent } from './draft-controller.js';
import type { StoredDraft } from './draft-store.js';
import { storeFailureMessage } from './pacs.js';
import type { ShownError, StoreState } from './report-header.js';

/** Why a store failed: a DICOMweb error code and its message. */
export interface StoreFailure {
  readonly code: string;
  readonly message: string;
}

/**
 * Where storing the submitted opinion on the PACS stands, kept with the draft so that a reload
 * tells the truth: confirmed (`stored`, with the SR's SOP Instance UID), refused or unreachable
 * (`failed`, with the reason), or sent without an answer (read back as `failed`: the page closed
 * before the server confirmed).
 */
export class StoreStateController {
  state: StoreState = 'idle';
  sopInstanceUid: string | null = null;
  failure: StoreFailure | null = null;
  private readonly host: ReactiveControllerHost;

  constructor(host: ReactiveControllerHost) {
    this.host = host;
  }

  /** Whether Submit should (try to) store: never tried, or failed. */
  get wanted(): boolean {
    return this.state === 'idle' || this.state === 'failed';
  }

  storing(): void {
    this.set('storing', this.sopInstanceUid, null);
  }

  stored(sopInstanceUid: string): void {
    this.set('stored', sopInstanceUid, null);
  }

  failed(failure: StoreFailure): void {
    this.set('failed', null, { code: failure.code, message: failure.message });
  }

  reset(): void {
    this.set('idle', null, null);
  }

  /** While the opinion is not stored after a failure: why, and what to do (the visible notice). */
  notice(): ShownError | null {
    const failure = this.state === 'failed' ? this.failure : null;
    if (!failure) return null;
    return {
      message: storeFailureMessage(failure),
      summary: (t) => (failure.code === 'store-unavailable' ? t.report.storeUnavailable : t.report.storeFailed),
    };
  }

  /** What goes into the draft. */
  draftFields(): Pick<DraftContent, 'storedSopInstanceUid' | 'storeState' | 'storeError'> {
    return {
      ...(this.sopInstanceUid ? { storedSopInstanceUid: this.sopInstanceUid } : {}),
      ...(this.state !== 'idle' ? { storeState: this.state } : {}),
      ...(this.failure ? { storeError: this.failure } : {}),
    };
  }

  /** Reads it back from a restored draft. */
  restore(draft: StoredDraft): void {
    if (draft.storedSopInstanceUid) return this.stored(draft.storedSopInstanceUid);
    if (draft.storeState === 'failed' && draft.storeError) return this.failed(draft.storeError);
    if (draft.storeState === 'failed' || draft.storeState === 'storing') {
      return this.failed({
        code: 'network',
        message: 'The image server had not confirmed storing it when the page closed.',
      });
    }
    this.reset();
  }

  private set(state: StoreState, sopInstanceUid: string | null, failure: StoreFailure | null): void {
    this.state = state;
    this.sopInstanceUid = sopInstanceUid;
    this.failure = failure;
    this.host.requestUpdate();
  }
}
