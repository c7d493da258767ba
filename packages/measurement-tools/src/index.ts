export {
  MeasurementTools,
  TOOLS,
  OWN_LAYER,
  describeValues,
  type Tool,
  type MeasurementLayerOptions,
} from './measurement-tools.js';
export * from './events.js';
export { TOOL_LABELS, TOOL_SHORTCUTS } from './icons.js';
