/** The `<measurement-tools>` suite on the registered default tags. */
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import { CtViewer } from '@secondread/ct-viewer';
import { MeasurementTools } from '@secondread/measurement-tools';
import { measurementToolsSuite } from './measurement-tools.suite.ts';

measurementToolsSuite(MeasurementTools, 'measurement-tools', { Viewer: CtViewer, tag: 'ct-viewer' });
