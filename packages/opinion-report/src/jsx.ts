/**
 * JSX typings of `<opinion-report>` for React 19 without the `@secondread/react` wrappers. Load them once,
 * e.g. in `src/vite-env.d.ts`: `/// <reference types="@secondread/opinion-report/jsx" />`. Then
 * `<opinion-report>` takes the element's properties (React 19 sets them as properties) and its events
 * as `on` + the event's name, typed with their classes: `<opinion-report onct-report-submit={(event) => …} />`.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { OpinionReport } from './opinion-report.js';
import type { OPINION_REPORT_EVENTS } from './events.js';
import type { ElementProperties, JsxEventProps } from '@secondread/ct-viewer';

/** What `<opinion-report>` takes in JSX: HTML attributes, the element's properties, its events. */
export type OpinionReportJsxProps = DetailedHTMLProps<HTMLAttributes<OpinionReport>, OpinionReport> &
  ElementProperties<OpinionReport> &
  JsxEventProps<(typeof OPINION_REPORT_EVENTS)[number]>;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'opinion-report': OpinionReportJsxProps;
    }
  }
}
