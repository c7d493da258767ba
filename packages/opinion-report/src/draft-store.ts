import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SecondOpinion } from '@secondread/core';

/** What is kept for one draft. */
export interface StoredDraft {
  readonly key: string;
  readonly opinion: SecondOpinion;
  readonly savedAt: string;
  /** True once `ct-report-submit` was dispatched for this opinion (it is never sent twice). */
  readonly submitDispatched: boolean;
  /** The SR the DICOMweb server confirmed for the submitted opinion (`ct-report-store`). */
  readonly storedSopInstanceUid?: string;
  /**
   * Where storing the submitted opinion on the PACS stood: `storing` (sent, not confirmed: the page
   * may have closed meanwhile), `failed` (refused or unreachable), `stored` (confirmed). Absent:
   * not tried (or a draft written before this was kept).
   */
  readonly storeState?: 'storing' | 'stored' | 'failed';
  /** Why storing failed (`storeState: 'failed'`), as the element showed it. */
  readonly storeError?: { readonly code: string; readonly message: string };
}

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
};
