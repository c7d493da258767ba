/**
 * The `<ct-viewer>` suite on a vendor's subclass under its own tag: the class alone is imported
 * (no define.js), so nothing depends on the `ct-viewer` tag name.
 */
import { CtViewer } from '@secondread/ct-viewer';
import { ctViewerSuite } from './ct-viewer.suite.ts';

class AcmeViewer extends CtViewer {}
customElements.define('acme-viewer', AcmeViewer);

describe('vendor tag', () => {
  it('registers only the vendor tag: <ct-viewer> is not defined here', () => {
    if (customElements.get('ct-viewer'))
      throw new Error('ct-viewer is defined: the vendor run would not prove anything');
  });
});

ctViewerSuite(AcmeViewer, 'acme-viewer');
