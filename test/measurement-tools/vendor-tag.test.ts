/**
 * The `<measurement-tools>` suite on a vendor's subclasses under their own tags: `<acme-tools
 * for>` must find `<acme-viewer>` by what it is, not by its tag name.
 */
import { CtViewer } from '@secondread/ct-viewer';
import { MeasurementTools } from '@secondread/measurement-tools';
import { measurementToolsSuite } from './measurement-tools.suite.ts';

class AcmeViewer extends CtViewer {}
class AcmeTools extends MeasurementTools {}
customElements.define('acme-viewer', AcmeViewer);
customElements.define('acme-tools', AcmeTools);

measurementToolsSuite(AcmeTools, 'acme-tools', { Viewer: AcmeViewer, tag: 'acme-viewer' });
