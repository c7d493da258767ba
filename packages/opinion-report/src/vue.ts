/**
 * Vue 3 global component typings of `<opinion-report>` (for `vue-tsc` and Volar). Load them once, e.g. in
 * `src/env.d.ts`: `/// <reference types="@secondread/opinion-report/vue" />`, and tell Vue's compiler that
 * the tag is a custom element (`compilerOptions.isCustomElement`). Templates are then checked
 * against the element's properties, and `@ct-report-submit="(event) => …"` gets the event's class.
 */
import type { DefineComponent } from 'vue';
import type { OpinionReport } from './opinion-report.js';
import type { OPINION_REPORT_EVENTS } from './events.js';
import type { ElementProperties, EventCallbackProps } from '@secondread/ct-viewer';

/** What `<opinion-report>` takes in a Vue template: the element's properties and its events. */
export type OpinionReportVueProps = ElementProperties<OpinionReport> &
  EventCallbackProps<(typeof OPINION_REPORT_EVENTS)[number]>;

declare module 'vue' {
  interface GlobalComponents {
    'opinion-report': DefineComponent<OpinionReportVueProps>;
  }
}
