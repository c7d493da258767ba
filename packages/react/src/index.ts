/**
 * @secondread/react — SecondRead's elements as React components (`@lit/react` wrappers):
 * properties as props, every `ct-*` event as a typed callback (`onCtSliceChange`, …).
 * Each component registers its tag when imported.
 */
export { CtViewer } from './ct-viewer.js';
export { MeasurementTools } from './measurement-tools.js';
export { OpinionReport } from './opinion-report.js';
export { reactEventMap, type ReactEventMap } from './events.js';
