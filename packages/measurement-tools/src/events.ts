import { EVENT_INIT, type Measurement } from '@secondread/core';

/** The `ct-error` event this element fires, shared by every element (from `@secondread/core`). */
export { SecondReadErrorEvent, type SecondReadErrorDetail } from '@secondread/core';

export interface MeasurementEventDetail {
  readonly measurement: Measurement;
}

/** A measurement was drawn (or restored by redo). */
export class MeasurementAddEvent extends Event {
  constructor(readonly detail: MeasurementEventDetail) {
    super('ct-measurement-add', EVENT_INIT);
  }
}

/** A measurement was moved, relabelled or its values changed. */
export class MeasurementChangeEvent extends Event {
  constructor(readonly detail: MeasurementEventDetail) {
    super('ct-measurement-change', EVENT_INIT);
  }
}

/** A measurement was deleted (or undone). */
export class MeasurementRemoveEvent extends Event {
  constructor(readonly detail: MeasurementEventDetail) {
    super('ct-measurement-remove', EVENT_INIT);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'ct-measurement-add': MeasurementAddEvent;
    'ct-measurement-change': MeasurementChangeEvent;
    'ct-measurement-remove': MeasurementRemoveEvent;
  }
}

/** Every event `<measurement-tools>` fires, typed on the global event map (framework bindings are built from this list). */
export const MEASUREMENT_TOOLS_EVENTS = [
  'ct-measurement-add',
  'ct-measurement-change',
  'ct-measurement-remove',
] as const satisfies readonly (keyof GlobalEventHandlersEventMap)[];
