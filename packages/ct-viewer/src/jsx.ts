/**
 * JSX typings of `<ct-viewer>` for React 19 without the `@secondread/react` wrappers. Load them once,
 * e.g. in `src/vite-env.d.ts`: `/// <reference types="@secondread/ct-viewer/jsx" />`. Then
 * `<ct-viewer>` takes the element's properties (React 19 sets them as properties) and its events
 * as `on` + the event's name, typed with their classes: `<ct-viewer onct-slice-change={(event) => …} />`.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { CtViewer } from './ct-viewer.js';
import type { CT_VIEWER_EVENTS } from './events.js';
import type { ElementProperties, JsxEventProps } from './framework-types.js';

/** What `<ct-viewer>` takes in JSX: HTML attributes, the element's properties, its events. */
export type CtViewerJsxProps = DetailedHTMLProps<HTMLAttributes<CtViewer>, CtViewer> &
  ElementProperties<CtViewer> &
  JsxEventProps<(typeof CT_VIEWER_EVENTS)[number]>;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'ct-viewer': CtViewerJsxProps;
    }
  }
}
