import { OpinionReport } from './opinion-report.js';

export { OpinionReport };

/** Registers `<opinion-report>` unless the page already has it. */
if (!customElements.get('opinion-report')) customElements.define('opinion-report', OpinionReport);

declare global {
  interface HTMLElementTagNameMap {
    'opinion-report': OpinionReport;
  }
}
