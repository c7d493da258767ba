export { CtViewer, VIEWER_STATES, type ViewerState } from './ct-viewer.js';
export * from './events.js';
export { ViewportController, loadDefaultEngine, type EngineProvider } from './viewport-controller.js';
export {
  syncViewers,
  correspondingSliceIndex,
  SYNC_AXES,
  SYNC_LINKS,
  type SyncLink,
  type SyncAxis,
  type SyncOptions,
  type ViewerSync,
} from './viewer-sync.js';
export {
  eventPropName,
  type ElementProperties,
  type EventCallbackProps,
  type EventPropName,
  type JsxEventProps,
  type SecondReadEventName,
} from './framework-types.js';
