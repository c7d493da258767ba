import * as React from 'react';
import { createComponent } from '@lit/react';
import { MEASUREMENT_TOOLS_EVENTS } from '@secondread/measurement-tools';
import { MeasurementTools as MeasurementToolsElement } from '@secondread/measurement-tools/define.js';
import { reactEventMap } from './events.js';

/**
 * `<measurement-tools>` as a React component (registers the tag): `for` (the viewer's id),
 * `tool`, `readerId`, … as properties; typed `onCtMeasurementAdd`, `onCtMeasurementChange`,
 * `onCtMeasurementRemove`. `ref` gives the element (`measurements`, `undo()`, `toJSON()`, …).
 */
export const MeasurementTools = createComponent({
  tagName: 'measurement-tools',
  elementClass: MeasurementToolsElement,
  react: React,
  events: reactEventMap(MEASUREMENT_TOOLS_EVENTS),
  displayName: 'MeasurementTools',
});
