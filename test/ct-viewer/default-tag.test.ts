/** The `<ct-viewer>` suite on the registered default tag. */
import { CtViewer } from '@secondread/ct-viewer';
import '@secondread/ct-viewer/define.js';
import { ctViewerSuite } from './ct-viewer.suite.ts';

ctViewerSuite(CtViewer, 'ct-viewer');
