export {
  MeasurementTools,
  TOOLS,
  OWN_LAYER,
  describeValues,
  type Tool,
  type MeasurementLayerOptions,
} from './measurement-tools.js';
export * from './events.js';
export { TOOL_SHORTCUTS } from './icons.js';
/** Re-exported from `@secondread/core`, the one home of the words the elements show. */
export { TOOL_LABELS } from '@secondread/core';
