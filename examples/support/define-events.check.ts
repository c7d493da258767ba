// Type-checked by examples/frameworks.install.test.ts against the installed tarballs: importing only
// the define.js modules types every event of every element on the global event map.
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import '@secondread/opinion-report/define.js';

type Detail<K extends keyof GlobalEventHandlersEventMap> = GlobalEventHandlersEventMap[K] extends { detail: infer D }
  ? D
  : never;

const viewer = document.createElement('ct-viewer');
viewer.addEventListener('ct-slice-change', (event) => event.detail.index.toFixed());
viewer.addEventListener('ct-series-load', (event) => event.detail.sliceCount.toFixed());
viewer.addEventListener('ct-voi-change', (event) => event.detail.width.toFixed());
viewer.addEventListener('ct-camera-change', (event) => event.detail.zoom.toFixed());
viewer.addEventListener('ct-load-progress', (event) => event.detail.pending.toFixed());
viewer.addEventListener('ct-image-render', (event) => event.detail.preview.valueOf());
viewer.addEventListener('ct-renderer-change', (event) => event.detail.renderer.toUpperCase());
viewer.addEventListener('ct-error', (event) => event.detail.code.toUpperCase());

const tools = document.createElement('measurement-tools');
tools.addEventListener('ct-measurement-add', (event) => event.detail.measurement.kind.toUpperCase());
tools.addEventListener('ct-measurement-change', (event) => event.detail.measurement.id.toUpperCase());
tools.addEventListener('ct-measurement-remove', (event) => event.detail.measurement.id.toUpperCase());

const report = document.createElement('opinion-report');
report.addEventListener('ct-report-change', (event) => event.detail.opinion.version.toUpperCase());
report.addEventListener('ct-report-submit', (event) => event.detail.opinion.version.toUpperCase());
report.addEventListener('ct-finding-select', (event) => event.detail.role.toUpperCase());
report.addEventListener('ct-report-store', (event) => event.detail.sopInstanceUid.toUpperCase());

export const details: [Detail<'ct-report-store'>, Detail<'ct-measurement-add'>, Detail<'ct-slice-change'>] | null =
  null;
