/**
 * @secondread/core — everything about CT and readings that is not about pixels on a
 * screen: DICOM sources, series geometry, window presets and typed errors. No DOM
 * rendering, no Lit, no Cornerstone.
 */
export * from './errors.js';
export * from './presets.js';
export * from './geometry.js';
export * from './instance.js';
export * from './series.js';
export * from './multipart.js';
export * from './part10.js';
export * from './dicomweb.js';
export * from './engine.js';
