/** The `<opinion-report>` suite on the registered default tags. */
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import '@secondread/opinion-report/define.js';
import { CtViewer } from '@secondread/ct-viewer';
import { MeasurementTools } from '@secondread/measurement-tools';
import { OpinionReport } from '@secondread/opinion-report';
import { opinionReportSuite } from './opinion-report.suite.ts';

opinionReportSuite({
  Report: OpinionReport,
  tag: 'opinion-report',
  Viewer: CtViewer,
  viewerTag: 'ct-viewer',
  Tools: MeasurementTools,
  toolsTag: 'measurement-tools',
});
