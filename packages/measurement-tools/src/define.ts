import { MeasurementTools } from './measurement-tools.js';
// The event classes' GlobalEventHandlersEventMap entries: importing define.js alone types every event.
import './events.js';

export { MeasurementTools };

/** Registers `<measurement-tools>` unless the page already has it. */
if (!customElements.get('measurement-tools')) customElements.define('measurement-tools', MeasurementTools);

declare global {
  interface HTMLElementTagNameMap {
    'measurement-tools': MeasurementTools;
  }
}
