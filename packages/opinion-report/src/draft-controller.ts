import type { ReactiveControllerHost } from 'lit';
import { draftStore, type StoredDraft } from './draft-store.js';

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
   * there is none, or when it cannot be read or parsed (`failed` is told).
   */
  async restore<T>(parse: (draft: StoredDraft) => T): Promise<T | undefined> {
    try {
      const draft = await draftStore.get(this.options.key());
      if (!draft) return undefined;
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
    const record: StoredDraft = { key: this.options.key(), savedAt: new Date().toISOString(), ...content };
    this.set('saving', this.savedAt);
    this.queue = this.queue
      .then(() => draftStore.put(record))
      .then(
        () => this.set('saved', record.savedAt),
        (error: unknown) => {
          this.set('failed', this.savedAt);
          this.options.failed(`The draft could not be saved in this browser: ${(error as Error).message}`);
        },
      );
  }

  /** Deletes the draft under the current key once pending writes are done ({@link saved} waits for it too). */
  clear(): Promise<void> {
    const key = this.options.key();
    const cleared = this.queue.then(() => draftStore.delete(key)).then(() => this.reset());
    this.queue = cleared.catch((error: unknown) => {
      this.options.failed(`The draft could not be removed from this browser: ${(error as Error).message}`);
    });
    return cleared;
  }

  /** Back to `idle` (another study: its own draft). */
  reset(): void {
    this.set('idle', null);
  }

  private set(state: SaveState, savedAt: string | null): void {
    this.state = state;
    this.savedAt = savedAt;
    this.host.requestUpdate();
  }
}
