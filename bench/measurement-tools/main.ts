/**
 * `<ct-viewer>` + `<measurement-tools>` for `pnpm bench --scenario measurements`: the series
 * from the query string, `?count=N` measurements on the slice shown (a mix of lengths, angles,
 * bidirectionals, ellipse and rectangle ROIs and probes, spread over the image), the length tool
 * active. The runner (scripts/bench.ts) then drags a new length with synthetic mouse moves.
 *
 * How pointer-move handling is measured (published as `window.__bench.pointer`):
 *
 * - `handlerMs`: a capturing `mousemove` listener on `window` (the first to run) notes
 *   `performance.now()`, a bubbling one on `window` (the last to run; Cornerstone listens on the
 *   element and, while dragging, on `document`) notes it again: the difference is the time of
 *   every synchronous handler of that move. This is what the Event Timing API calls
 *   `processingEnd - processingStart`, but for every event: the API reports only entries of
 *   16 ms or more (`durationThreshold` is clamped to 16), so it cannot give a p95 of fast events.
 * - `frameMs`: from the event's `timeStamp` to a task posted from the next animation frame,
 *   i.e. until the frame's work (Cornerstone renders annotations in `requestAnimationFrame`) is done.
 * - `slowEvents`: what the Event Timing API itself reports (`PerformanceObserver` with
 *   `type: 'event'`, `durationThreshold: 16`) for mouse and pointer moves: the slow ones, if any.
 */
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import { createMeasurement, type Measurement, type MeasurementKind, type Vec3 } from '@secondread/core';
import type { CtViewer } from '@secondread/ct-viewer';
import type { MeasurementTools } from '@secondread/measurement-tools';
import { mark, seriesFromQuery, startBench } from '../shared/page.ts';

const bench = startBench();

const KINDS: readonly MeasurementKind[] = ['length', 'angle', 'bidirectional', 'ellipse-roi', 'rectangle-roi', 'probe'];

/** `count` measurements spread over the slice on a grid (image pixel coordinates → patient mm). */
function measurementsOn(viewer: CtViewer, count: number): Measurement[] {
  const series = viewer.seriesModel!;
  const instance = series.instances[viewer.sliceIndex]!;
  const origin = instance.imagePositionPatient!;
  const iop = instance.imageOrientationPatient ?? [1, 0, 0, 0, 1, 0];
  const [rowSpacing, columnSpacing] = series.pixelSpacingMm ?? [1, 1];
  const at = (column: number, row: number): Vec3 => [
    origin[0] + column * columnSpacing * iop[0]! + row * rowSpacing * iop[3]!,
    origin[1] + column * columnSpacing * iop[1]! + row * rowSpacing * iop[4]!,
    origin[2] + column * columnSpacing * iop[2]! + row * rowSpacing * iop[5]!,
  ];
  const side = Math.ceil(Math.sqrt(count));
  const cell = (series.columns * 0.8) / side;
  const list: Measurement[] = [];
  for (let i = 0; i < count; i++) {
    const kind = KINDS[i % KINDS.length]!;
    const c0 = series.columns * 0.1 + (i % side) * cell;
    const r0 = series.rows * 0.1 + Math.floor(i / side) * cell;
    const s = cell * 0.7;
    const points: Record<MeasurementKind, Vec3[]> = {
      length: [at(c0, r0), at(c0 + s, r0 + s)],
      angle: [at(c0, r0), at(c0 + s / 2, r0 + s), at(c0 + s, r0)],
      'cobb-angle': [],
      bidirectional: [
        at(c0, r0 + s / 2),
        at(c0 + s, r0 + s / 2),
        at(c0 + s / 2, r0 + s / 4),
        at(c0 + s / 2, r0 + (3 * s) / 4),
      ],
      'ellipse-roi': [at(c0 + s / 2, r0 + s), at(c0 + s / 2, r0), at(c0, r0 + s / 2), at(c0 + s, r0 + s / 2)],
      'rectangle-roi': [at(c0, r0), at(c0 + s, r0 + s)],
      'freehand-roi': [],
      probe: [at(c0 + s / 2, r0 + s / 2)],
      arrow: [],
      label: [],
    };
    list.push(
      createMeasurement({
        kind,
        points: points[kind],
        studyUid: series.studyUid,
        seriesUid: series.seriesUid,
        sopInstanceUid: instance.sopInstanceUid,
        readerId: 'bench',
        label: `${kind} ${i + 1}`,
        ...(instance.imageOrientationPatient ? { imageOrientationPatient: instance.imageOrientationPatient } : {}),
      }),
    );
  }
  return list;
}

function instrument(count: number, drawnAnnotations: number): void {
  const pointer = {
    count,
    drawnAnnotations,
    handlerMs: [] as number[],
    frameMs: [] as number[],
    slowEvents: [] as { name: string; duration: number; processingMs: number }[],
  };
  bench.pointer = pointer;
  let start = 0;
  window.addEventListener('mousemove', () => (start = performance.now()), { capture: true });
  window.addEventListener('mousemove', (event) => {
    const end = performance.now();
    pointer.handlerMs.push(end - start);
    const input = event.timeStamp;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => pointer.frameMs.push(performance.now() - input);
      channel.port2.postMessage(null);
    });
  });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as PerformanceEventTiming[]) {
      if (entry.name !== 'mousemove' && entry.name !== 'pointermove') continue;
      pointer.slowEvents.push({
        name: entry.name,
        duration: entry.duration,
        processingMs: entry.processingEnd - entry.processingStart,
      });
    }
  }).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit);
}

async function run(): Promise<void> {
  const { root, studyUid, seriesUid } = seriesFromQuery();
  const count = Number(new URLSearchParams(location.search).get('count') ?? '200');
  const viewer = document.createElement('ct-viewer');
  viewer.id = 'bench-viewer';
  viewer.setAttribute('hide-toolbar', '');
  const tools = document.createElement('measurement-tools') as MeasurementTools;
  tools.setAttribute('for', viewer.id);
  const loaded = new Promise<void>((done) => viewer.addEventListener('ct-series-load', () => done(), { once: true }));
  viewer.addEventListener('ct-error', (event) => {
    if (event.detail.fatal) bench.error ??= `<ct-viewer> failed: ${event.detail.code}: ${event.detail.message}`;
  });
  viewer.setAttribute('dicomweb-root', root);
  viewer.setAttribute('study-uid', studyUid);
  viewer.setAttribute('series-uid', seriesUid);
  document.body.append(viewer, tools);
  await loaded;
  mark(bench, 'seriesLoad');
  tools.measurements = measurementsOn(viewer, count);
  tools.tool = 'length';
  await tools.toolReady;
  // Let the layer be drawn (and Cornerstone's ROI statistics run) before measuring.
  await new Promise((r) => setTimeout(r, 1500));
  mark(bench, 'measurementsShown');
  const area = viewer.shadowRoot!.querySelector('.engine')!.getBoundingClientRect();
  bench.drawArea = { left: area.left, top: area.top, width: area.width, height: area.height };
  const drawn = new Set(
    [...viewer.shadowRoot!.querySelectorAll('svg.svg-layer [data-annotation-uid]')].map((e) =>
      e.getAttribute('data-annotation-uid'),
    ),
  ).size;
  instrument(count, drawn);
  tools.addEventListener('ct-measurement-add', () => mark(bench, 'lengthDrawn'), { once: true });
  bench.ready = true;
}

run().catch((error: unknown) => {
  bench.error ??= `measurement-tools page failed: ${String((error as Error)?.stack ?? error)}`;
});
