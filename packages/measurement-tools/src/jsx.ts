/**
 * JSX typings of `<measurement-tools>` for React 19 without the `@secondread/react` wrappers. Load them once,
 * e.g. in `src/vite-env.d.ts`: `/// <reference types="@secondread/measurement-tools/jsx" />`. Then
 * `<measurement-tools>` takes the element's properties (React 19 sets them as properties) and its events
 * as `on` + the event's name, typed with their classes: `<measurement-tools onct-measurement-add={(event) => …} />`.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { MeasurementTools } from './measurement-tools.js';
import type { MEASUREMENT_TOOLS_EVENTS } from './events.js';
import type { ElementProperties, JsxEventProps } from '@secondread/ct-viewer';

/** What `<measurement-tools>` takes in JSX: HTML attributes, the element's properties, its events. */
export type MeasurementToolsJsxProps = DetailedHTMLProps<HTMLAttributes<MeasurementTools>, MeasurementTools> &
  ElementProperties<MeasurementTools> &
  JsxEventProps<(typeof MEASUREMENT_TOOLS_EVENTS)[number]>;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'measurement-tools': MeasurementToolsJsxProps;
    }
  }
}
