import type { ReactiveControllerHost } from 'lit';
import { draftStore, type StoredDraft } from './draft-store.js';
import type { ShownError } from './report-header.js';

/** Where the autosaved draft stands. */
export type SaveState = 'idle' | 'saving' | 'saved' | 'failed';

/** What the host writes; the controller adds the key and the time. */
export type DraftContent = Omit<StoredDraft, 'key' | 'savedAt'>;

/** How {@link DraftController} reaches its host. */
export interface DraftControllerOptions {
  /** The IndexedDB key of the draft now (study and reader, or the host's `autosave-key`). */
  key(): string;
  /** Called when the draft could not be read or written (a `storage` error for the host page). */
  failed(message: string): void;
}

/**
 * The autosaved draft of one second opinion in IndexedDB: restores it, writes every edit in order
 * (the last edit wins, {@link saved} resolves when all are written), tells the host's render
 * whether the draft is saved ({@link state}, {@link savedAt}), and forgets it ({@link clear}).
 */
export class DraftController {
  /** Where the draft stands (`idle` before anything was read or written). */
  state: SaveState = 'idle';
  /** When the draft last reached IndexedDB (ISO 8601). */
  savedAt: string | null = null;

  /** Why autosave is off, or null. */
  failure: string | null = null;
  /** Another page wrote this draft meanwhile: when, and where this page's draft goes now. */
  conflict: { readonly otherSavedAt: string; readonly copyKey: string } | null = null;

  /** This page's identity as a writer of drafts (two tabs never share it). */
  private readonly writer = crypto.randomUUID();
  /** The revision under the usual key this page last read or wrote. */
  private revision = 0;
  /** Set once another page wrote under the usual key: this page's own key from then on. */
  private copyKey: string | null = null;

  private readonly host: ReactiveControllerHost;
  private readonly options: DraftControllerOptions;
  private queue: Promise<void> = Promise.resolve();

  constructor(host: ReactiveControllerHost, options: DraftControllerOptions) {
    this.host = host;
    this.options = options;
  }

  /** Resolves when every write so far is in IndexedDB (or failed). */
  get saved(): Promise<void> {
    return this.queue;
  }

  /**
   * The draft kept under the current key, read by `parse` (e.g. into a model), or undefined when
   * there is none, or when it cannot be read or parsed (`failed` is told). When IndexedDB itself
   * cannot be opened (storage blocked, private mode, a broken profile), autosave is off from the
   * start: {@link notice} says so at once.
   */
  async restore<T>(parse: (draft: StoredDraft) => T): Promise<T | undefined> {
    let draft: StoredDraft | undefined;
    try {
      draft = await draftStore.get(this.options.key());
    } catch (error) {
      this.off(`this browser does not let the page keep data (${describe(error)}).`);
      return undefined;
    }
    this.revision = draft?.revision ?? 0;
    if (!draft) return undefined;
    try {
      const value = parse(draft);
      this.set('saved', draft.savedAt);
      return value;
    } catch (error) {
      this.options.failed(`The saved draft could not be read: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Writes the draft after every write before it. */
  save(content: DraftContent): void {
    const savedAt = new Date().toISOString();
    this.set('saving', this.savedAt);
    this.queue = this.queue
      .then(() => this.write({ key: this.copyKey ?? this.options.key(), savedAt, writer: this.writer, ...content }))
      .then(
        () => {
          this.failure = null;
          this.set('saved', savedAt);
        },
        (error: unknown) => {
          const full = error instanceof DOMException && error.name === 'QuotaExceededError';
          const reason = full
            ? `the browser's storage for this site is full (${describe(error)}).`
            : `the draft could not be written (${describe(error)}).`;
          // Told once per outage, not on every keystroke.
          if (this.failure === null) this.off(reason);
          else this.set('failed', this.savedAt);
        },
      );
  }

  /**
   * Writes under the usual key unless another page (tab, window) wrote there since this one last
   * read or wrote it: then both are kept, this page's under a key of its own from now on, and the
   * reader is told ({@link conflict}).
   */
  private async write(record: StoredDraft & { readonly writer: string }): Promise<void> {
    if (this.copyKey) {
      await draftStore.put(record);
      return;
    }
    const result = await draftStore.putIfUnchanged(record, this.revision);
    if (result.written) {
      this.revision = result.revision;
      return;
    }
    this.copyKey = `${record.key}:copy-${this.writer}`;
    this.conflict = { otherSavedAt: result.current.savedAt, copyKey: this.copyKey };
    await draftStore.put({ ...record, key: this.copyKey });
    this.options.failed(
      `This draft was also changed in another tab or window (saved there ${result.current.savedAt}). Both are kept: the other one under the usual key, this page's separately.`,
    );
  }

  /**
   * While autosave is off: why, and what it means for the reader; null while drafts are kept.
   */
  notice(time: (iso: string) => string = (iso) => iso): ShownError | null {
    if (this.failure) {
      return {
        message: `Autosave is off: ${this.failure} Your work is kept only in this page until it can be saved: keep the page open, or submit.`,
        summary: (t) => t.report.autosaveOff,
      };
    }
    if (this.conflict) {
      const when = time(this.conflict.otherSavedAt);
      return {
        message: `This study's draft was also changed in another tab or window (saved there ${when}). Nothing was overwritten: this page's draft is saved separately from now on, and a reload opens the other one.`,
        summary: (t) => t.report.draftConflict(when),
      };
    }
    return null;
  }

  /** Deletes the draft under the current key once pending writes are done ({@link saved} waits for it too). */
  clear(): Promise<void> {
    const key = this.copyKey ?? this.options.key();
    const cleared = this.queue.then(() => draftStore.delete(key)).then(() => this.reset());
    this.queue = cleared.catch((error: unknown) => {
      this.options.failed(`The draft could not be removed from this browser: ${(error as Error).message}`);
    });
    return cleared;
  }

  /** Back to `idle` (another study: its own draft). */
  reset(): void {
    this.failure = null;
    this.conflict = null;
    this.copyKey = null;
    this.revision = 0;
    this.set('idle', null);
  }

  private off(reason: string): void {
    this.failure = reason;
    this.set('failed', this.savedAt);
    this.options.failed(`Autosave is off: ${reason}`);
  }

  private set(state: SaveState, savedAt: string | null): void {
    this.state = state;
    this.savedAt = savedAt;
    this.host.requestUpdate();
  }
}

/** "QuotaExceededError: …" for a DOMException, the message otherwise. */
function describe(error: unknown): string {
  if (error instanceof DOMException) return `${error.name}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
