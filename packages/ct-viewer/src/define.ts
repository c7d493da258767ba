import { CtViewer } from './ct-viewer.js';
// The event classes' GlobalEventHandlersEventMap entries: importing define.js alone types every event.
import './events.js';

export { CtViewer };

/** Registers `<ct-viewer>` unless the page already has it (vendors may register the class under their own tag). */
if (!customElements.get('ct-viewer')) customElements.define('ct-viewer', CtViewer);

declare global {
  interface HTMLElementTagNameMap {
    'ct-viewer': CtViewer;
  }
}
