import * as React from 'react';
import { createComponent } from '@lit/react';
import { CT_VIEWER_EVENTS } from '@secondread/ct-viewer';
import { CtViewer as CtViewerElement } from '@secondread/ct-viewer/define.js';
import { reactEventMap } from './events.js';

/**
 * `<ct-viewer>` as a React component (registers the tag). Properties are set as properties
 * (`headers`, `files`, `urls`, `dicomwebRoot`, `studyUid`, …); every event has a typed callback:
 * `onCtSeriesLoad`, `onCtSliceChange`, `onCtVoiChange`, `onCtCameraChange`, `onCtLoadProgress`,
 * `onCtImageRender`, `onCtRendererChange`, `onCtError`. `ref` gives the element.
 */
export const CtViewer = createComponent({
  tagName: 'ct-viewer',
  elementClass: CtViewerElement,
  react: React,
  events: reactEventMap(CT_VIEWER_EVENTS),
  displayName: 'CtViewer',
});
