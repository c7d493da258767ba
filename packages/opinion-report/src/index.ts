export { OpinionReport, RADPEER_DESCRIPTIONS } from './opinion-report.js';
export * from './events.js';
export { draftStore, type StoredDraft } from './draft-store.js';
