/**
 * Follow-up reading: a prior and a current study of the same patient. Nodule size and growth
 * (`followup/nodule.ts`, `followup/growth.ts`), pairing across studies with a link offset
 * (`followup/pairing.ts`), the ACR Lung-RADS v2022 suggestion (`followup/lung-rads.ts`) and the
 * Fleischner 2017 recommendation (`followup/fleischner.ts`).
 */
export * from './followup/nodule.js';
export * from './followup/lung-rads.js';
export * from './followup/fleischner.js';
export * from './followup/growth.js';
export * from './followup/pairing.js';
export * from './followup/summary.js';
