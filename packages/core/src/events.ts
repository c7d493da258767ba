/**
 * What every SecondRead event shares: {@link EVENT_INIT} and the one `ct-error` event class all
 * three elements fire. It lives in core (which renders no DOM but may use `Event`, a global of
 * browsers and of Node ≥ 15) so that `<ct-viewer>`, `<measurement-tools>` and `<opinion-report>`
 * import it without depending on one another. Each element's own events are in its `events.ts`.
 */
import type { ErrorCode } from './errors.js';

/** Options shared by every SecondRead event: they bubble and leave shadow roots. */
export const EVENT_INIT: Readonly<EventInit> = Object.freeze({ bubbles: true, composed: true });

/** What `ct-error` reports. No patient identity. */
export interface SecondReadErrorDetail {
  /** One of `ERROR_CODES`. */
  readonly code: ErrorCode;
  /** A message a portal can show. */
  readonly message: string;
  /** True when the element could not do its job at all (a viewer shows no series); false for a problem with a part. */
  readonly fatal: boolean;
}

/**
 * `ct-error`: fired by every SecondRead element for every failure it reports, with a code from
 * `ERROR_CODES` (the same class whichever element fires it; `ViewerErrorEvent` is its older name).
 */
export class SecondReadErrorEvent extends Event {
  constructor(readonly detail: SecondReadErrorDetail) {
    super('ct-error', EVENT_INIT);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'ct-error': SecondReadErrorEvent;
  }
}
