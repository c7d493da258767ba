/**
 * `<ct-viewer>` for `pnpm bench`: only the element, 512x512, pointed at the series given in the
 * query string, as a portal would embed it.
 *
 * Publishes `window.__bench` (see ../shared/page.ts): `firstImageMs` at the first animation
 * frame after the first `ct-image-render` (the slice is on the canvas — the viewer's instant
 * preview from the raw first frame, or the engine's image, whichever comes first),
 * `fullSeriesMs` at the `ct-load-progress` with `loaded === total`. As a diagnostic it also
 * marks `engineRendered`, the first Cornerstone3D IMAGE_RENDERED of the viewport inside the
 * shadow root at or after `ct-series-load` (when the pixels really reached the canvas), and
 * `engineRenderedAny`, the first one at all.
 */
import '@secondread/ct-viewer/define.js';
import { mark, seriesFromQuery, startBench } from '../shared/page.ts';

/** Cornerstone3D's `Enums.Events.IMAGE_RENDERED` (not imported: this page must not load the engine itself). */
const IMAGE_RENDERED = 'CORNERSTONE_IMAGE_RENDERED';

const bench = startBench();
const { marks } = bench;

let firstFrameRequested = false;

function run(): void {
  const { root, studyUid, seriesUid } = seriesFromQuery();
  const viewer = document.createElement('ct-viewer');
  viewer.setAttribute('dicomweb-root', root);
  viewer.setAttribute('study-uid', studyUid);
  viewer.setAttribute('series-uid', seriesUid);

  viewer.addEventListener('ct-image-render', (event) => {
    mark(bench, event.detail.preview ? 'previewRender' : 'engineImageRender');
    if (bench.firstImageMs !== undefined || firstFrameRequested) return;
    firstFrameRequested = true;
    // The frame that shows it: the next one the browser paints.
    requestAnimationFrame(() => {
      bench.firstImageMs ??= mark(bench, 'firstImage');
    });
  });
  viewer.addEventListener('ct-series-load', (event) => {
    mark(bench, 'seriesLoad');
    bench.total = event.detail.sliceCount;
    bench.initialIndex = viewer.sliceIndex;
  });
  viewer.addEventListener('ct-load-progress', (event) => {
    const { loaded, total } = event.detail;
    const now = performance.now();
    bench.progress.push([now, loaded]);
    if (loaded === total && bench.fullSeriesMs === undefined) {
      bench.total = total;
      // Published last, so that firstImageMs is always there when the runner sees it.
      if (bench.firstImageMs === undefined) bench.firstImageMs = now;
      bench.fullSeriesMs = now;
      mark(bench, 'fullSeries');
    }
  });
  viewer.addEventListener('ct-error', (event) => {
    const { code, message, fatal } = event.detail;
    if (fatal) bench.error ??= `<ct-viewer> failed: ${code}: ${message}`;
    else marks[`warning: ${code}: ${message}`] = performance.now();
  });

  document.body.append(viewer);
  mark(bench, 'appended');

  // Diagnostic only: when Cornerstone3D actually drew into the viewer's canvas.
  void viewer.updateComplete.then(() => {
    const engineElement = viewer.shadowRoot?.querySelector('.engine');
    engineElement?.addEventListener(IMAGE_RENDERED, () => {
      if (marks.engineRenderedAny === undefined) mark(bench, 'engineRenderedAny');
      if (bench.firstImageMs !== undefined && marks.engineRendered === undefined) mark(bench, 'engineRendered');
    });
  });
}

try {
  run();
} catch (error) {
  bench.error ??= `<ct-viewer> page failed: ${String((error as Error)?.stack ?? error)}`;
}
