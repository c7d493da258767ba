import { OpinionReport } from './opinion-report.js';
// The event classes' GlobalEventHandlersEventMap entries: importing define.js alone types every event.
import './events.js';

export { OpinionReport };

/** Registers `<opinion-report>` unless the page already has it. */
if (!customElements.get('opinion-report')) customElements.define('opinion-report', OpinionReport);

declare global {
  interface HTMLElementTagNameMap {
    'opinion-report': OpinionReport;
  }
}
