import * as React from 'react';
import { createComponent } from '@lit/react';
import { OPINION_REPORT_EVENTS } from '@secondread/opinion-report';
import { OpinionReport as OpinionReportElement } from '@secondread/opinion-report/define.js';
import { reactEventMap } from './events.js';

/**
 * `<opinion-report>` as a React component (registers the tag): `for`, `first`, `studyUid`, … as
 * properties; typed `onCtReportChange`, `onCtReportSubmit`, `onCtFindingSelect`,
 * `onCtReportStore`, `onCtError`. `ref` gives the element.
 */
export const OpinionReport = createComponent({
  tagName: 'opinion-report',
  elementClass: OpinionReportElement,
  react: React,
  events: reactEventMap(OPINION_REPORT_EVENTS),
  displayName: 'OpinionReport',
});
