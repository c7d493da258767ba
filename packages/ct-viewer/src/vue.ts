/**
 * Vue 3 global component typings of `<ct-viewer>` (for `vue-tsc` and Volar). Load them once, e.g. in
 * `src/env.d.ts`: `/// <reference types="@secondread/ct-viewer/vue" />`, and tell Vue's compiler that
 * the tag is a custom element (`compilerOptions.isCustomElement`). Templates are then checked
 * against the element's properties, and `@ct-slice-change="(event) => …"` gets the event's class.
 */
import type { DefineComponent } from 'vue';
import type { CtViewer } from './ct-viewer.js';
import type { CT_VIEWER_EVENTS } from './events.js';
import type { ElementProperties, EventCallbackProps } from './framework-types.js';

/** What `<ct-viewer>` takes in a Vue template: the element's properties and its events. */
export type CtViewerVueProps = ElementProperties<CtViewer> & EventCallbackProps<(typeof CT_VIEWER_EVENTS)[number]>;

declare module 'vue' {
  interface GlobalComponents {
    'ct-viewer': DefineComponent<CtViewerVueProps>;
  }
}
