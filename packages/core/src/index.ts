/**
 * @secondread/core — everything about CT and readings that is not about pixels on a
 * screen: DICOM sources, series geometry, window presets, typed errors and the measurement
 * model. No DOM rendering, no Lit, no Cornerstone.
 */
export * from './errors.js';
export * from './events.js';
export * from './presets.js';
export * from './geometry.js';
export * from './planes.js';
export * as vec3 from './vec3.js';
export * from './instance.js';
export * from './series.js';
export * from './multipart.js';
export * from './part10.js';
export * from './dicomweb.js';
export * from './retry.js';
export * from './uid.js';
export * from './engine.js';
export * from './preview.js';
export * from './measurements/types.js';
export * from './measurements/errors.js';
export * from './measurements/geometry.js';
export * from './measurements/statistics.js';
export * from './measurements/store.js';
export * from './measurements/schema.js';
export * from './reading/types.js';
export * from './reading/segmentation.js';
export * from './reading/errors.js';
export * from './reading/schema.js';
export * from './reading/matching.js';
export * from './reading/from-measurements.js';
export * from './reading/opinion.js';
export * from './reading/report-html.js';
export * from './reading/followup.js';
export * from './labels.js';
export * from './format.js';
export * from './validate.js';
export * from './i18n/messages.js';
