/**
 * The `<opinion-report>` suite on a vendor's subclasses under their own tags: `<acme-report for>`
 * must find `<acme-viewer>`s and the second reader's `<acme-tools>` by what they are, not by
 * their tag names.
 */
import { CtViewer } from '@secondread/ct-viewer';
import { MeasurementTools } from '@secondread/measurement-tools';
import { OpinionReport } from '@secondread/opinion-report';
import { opinionReportSuite } from './opinion-report.suite.ts';

class AcmeViewer extends CtViewer {}
class AcmeTools extends MeasurementTools {}
class AcmeReport extends OpinionReport {}
customElements.define('acme-viewer', AcmeViewer);
customElements.define('acme-tools', AcmeTools);
customElements.define('acme-report', AcmeReport);

opinionReportSuite({
  Report: AcmeReport,
  tag: 'acme-report',
  Viewer: AcmeViewer,
  viewerTag: 'acme-viewer',
  Tools: AcmeTools,
  toolsTag: 'acme-tools',
});
