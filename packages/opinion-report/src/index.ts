export { OpinionReport, DRAFT_RETENTIONS, type DraftRetention } from './opinion-report.js';
/** Re-exported from `@secondread/core`, the one home of the words the report shows. */
export { RADPEER_DESCRIPTIONS } from '@secondread/core';
export * from './events.js';
export type { FirstReadingDocument } from './first-reading-document.js';
