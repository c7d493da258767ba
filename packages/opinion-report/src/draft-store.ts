import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SecondOpinion } from '@secondread/core';

/** What is kept for one draft. */
export interface StoredDraft {
  readonly key: string;
  readonly opinion: SecondOpinion;
  readonly savedAt: string;
  /**
   * True once `ct-report-submit` was dispatched for this submission (it is never sent twice for
   * one); false again after an edit (an amendment is submitted, and announced, anew).
   */
  readonly submitDispatched: boolean;
  /** The SR the DICOMweb server confirmed for the submitted opinion as it is (`ct-report-store`); absent once changed. */
  readonly storedSopInstanceUid?: string;
  /**
   * The last SR the PACS confirmed for this opinion, kept through later edits: an amendment
   * names it as its predecessor and goes into its series.
   */
  readonly storedSr?: {
    readonly studyUid: string;
    readonly seriesUid: string;
    readonly sopInstanceUid: string;
    readonly instanceNumber: number;
  };
  /**
   * Where storing the submitted opinion on the PACS stood: `storing` (sent, not confirmed: the page
   * may have closed meanwhile), `failed` (refused or unreachable), `stored` (confirmed), `changed`
   * (edited after the PACS confirmed it: the PACS holds an earlier version). Absent: not tried (or
   * a draft written before this was kept).
   */
  readonly storeState?: 'storing' | 'stored' | 'failed' | 'changed';
  /** Why storing failed (`storeState: 'failed'`), as the element showed it. */
  readonly storeError?: { readonly code: string; readonly message: string };
  /** Counts the writes under this key (set by {@link draftStore.putIfUnchanged}). */
  readonly revision?: number;
  /** Which element instance (page, tab) wrote it last. */
  readonly writer?: string;
}

/** What {@link draftStore.putIfUnchanged} did. */
export type PutResult =
  { readonly written: true; readonly revision: number } | { readonly written: false; readonly current: StoredDraft };

interface DraftSchema extends DBSchema {
  drafts: { key: string; value: StoredDraft };
}

const DB_NAME = 'secondread';
const DB_VERSION = 1;

let database: Promise<IDBPDatabase<DraftSchema>> | null = null;

function db(): Promise<IDBPDatabase<DraftSchema>> {
  database ??= openDB<DraftSchema>(DB_NAME, DB_VERSION, {
    upgrade(upgrade) {
      if (!upgrade.objectStoreNames.contains('drafts')) upgrade.createObjectStore('drafts', { keyPath: 'key' });
    },
  }).catch((error: unknown) => {
    database = null;
    throw error;
  });
  return database;
}

/**
 * Drafts of second opinions in the browser's IndexedDB (database `secondread`, store `drafts`),
 * so that a reload or a crash never loses a reader's work. Writes are serialised per key: the
 * last edit always wins.
 */
export const draftStore = {
  async get(key: string): Promise<StoredDraft | undefined> {
    return (await db()).get('drafts', key);
  },
  async put(draft: StoredDraft): Promise<void> {
    await (await db()).put('drafts', draft);
  },
  async delete(key: string): Promise<void> {
    await (await db()).delete('drafts', key);
  },
  /**
   * Writes the draft only if nobody else wrote under its key since revision `expected` (what the
   * writer last read or wrote): read and write in one transaction, so two tabs cannot both win.
   * Otherwise leaves the other writer's draft alone and answers with it.
   */
  async putIfUnchanged(draft: StoredDraft & { readonly writer: string }, expected: number): Promise<PutResult> {
    const tx = (await db()).transaction('drafts', 'readwrite');
    const current = await tx.store.get(draft.key);
    const revision = current?.revision ?? 0;
    if (current && current.writer !== draft.writer && revision !== expected) {
      await tx.done;
      return { written: false, current };
    }
    await tx.store.put({ ...draft, revision: revision + 1 });
    await tx.done;
    return { written: true, revision: revision + 1 };
  },
  /** Every key with drafts (for tests and housekeeping). */
  async keys(): Promise<string[]> {
    return (await db()).getAllKeys('drafts');
  },
};
