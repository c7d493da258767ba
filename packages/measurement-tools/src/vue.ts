/**
 * Vue 3 global component typings of `<measurement-tools>` (for `vue-tsc` and Volar). Load them once, e.g. in
 * `src/env.d.ts`: `/// <reference types="@secondread/measurement-tools/vue" />`, and tell Vue's compiler that
 * the tag is a custom element (`compilerOptions.isCustomElement`). Templates are then checked
 * against the element's properties, and `@ct-measurement-add="(event) => …"` gets the event's class.
 */
import type { DefineComponent } from 'vue';
import type { MeasurementTools } from './measurement-tools.js';
import type { MEASUREMENT_TOOLS_EVENTS } from './events.js';
import type { ElementProperties, EventCallbackProps } from '@secondread/ct-viewer';

/** What `<measurement-tools>` takes in a Vue template: the element's properties and its events. */
export type MeasurementToolsVueProps = ElementProperties<MeasurementTools> &
  EventCallbackProps<(typeof MEASUREMENT_TOOLS_EVENTS)[number]>;

declare module 'vue' {
  interface GlobalComponents {
    'measurement-tools': DefineComponent<MeasurementToolsVueProps>;
  }
}
