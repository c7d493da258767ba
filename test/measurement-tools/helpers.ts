/**
 * Helpers for the `<measurement-tools>` browser tests: a viewer with its toolbar, real pointer
 * gestures (`sendMouse`, i.e. CDP input events), and pictures of what the viewer shows
 * (image canvas and annotation SVG together) for screenshot comparisons.
 */
import { fixture, html } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import type { CtViewer } from '@secondread/ct-viewer';
import type { MeasurementTools } from '@secondread/measurement-tools';
import {
  createMeasurement,
  MEASUREMENT_KINDS,
  type Measurement,
  type MeasurementKind,
  type Vec3,
} from '@secondread/core';
import type { PhantomTruth } from '@secondread/phantom';
import { settle, until } from '../support/browser-helpers.ts';
import { pixelToCss, seriesLoaded } from '../ct-viewer/helpers.ts';

export interface Pair {
  readonly viewer: CtViewer;
  readonly tools: MeasurementTools;
}

/** A series on the test Orthanc. */
export interface SeriesRef {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly columns: number;
  readonly rows: number;
}

/** A `<ct-viewer>` (square, `size` CSS px) with a `<measurement-tools for>` beside it. */
export async function mountPair(id: string, size = 640): Promise<Pair> {
  const root = await fixture<HTMLDivElement>(
    html`<div style="display:flex;gap:8px">
      <ct-viewer id=${id} hide-toolbar style=${`width:${size}px;height:${size}px`}></ct-viewer>
      <measurement-tools for=${id} style="width:260px"></measurement-tools>
    </div>`,
  );
  return {
    viewer: root.querySelector<CtViewer>('ct-viewer')!,
    tools: root.querySelector<MeasurementTools>('measurement-tools')!,
  };
}

/** Points the viewer at a series on Orthanc and waits for its first image. */
export async function showSeries(viewer: CtViewer, dicomwebRoot: string, series: SeriesRef): Promise<void> {
  const loaded = seriesLoaded(viewer);
  viewer.dicomwebRoot = dicomwebRoot;
  viewer.studyUid = series.studyUid;
  viewer.seriesUid = series.seriesUid;
  await loaded;
}

export async function showSlice(viewer: CtViewer, index: number): Promise<void> {
  viewer.sliceIndex = index;
  await until(() => viewer.sliceIndex === index, 10_000, `slice ${index}`);
  await settle(200);
}

export { settle } from '../support/browser-helpers.ts';

/**
 * Page coordinates (whole CSS pixels, as a mouse gives) of image position (column, row), in
 * continuous pixel coordinates: pixel centres at integers, as in `pixelOf` and DICOM.
 */
export function pagePoint(viewer: CtViewer, series: SeriesRef, column: number, row: number): [number, number] {
  const area = viewer.shadowRoot!.querySelector('.engine')!.getBoundingClientRect();
  const [x, y] = pixelToCss(viewer, series.columns, series.rows, column, row);
  return [Math.round(area.left + x), Math.round(area.top + y)];
}

/** Press at `from`, move in `steps` pointer moves to `to`, release. */
export async function drag(from: readonly [number, number], to: readonly [number, number], steps = 6): Promise<void> {
  await sendMouse({ type: 'move', position: [from[0], from[1]] });
  await sendMouse({ type: 'down', button: 'left' });
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    await sendMouse({
      type: 'move',
      position: [Math.round(from[0] + (to[0] - from[0]) * t), Math.round(from[1] + (to[1] - from[1]) * t)],
    });
  }
  await sendMouse({ type: 'up', button: 'left' });
}

/** Press at the first point, move through the others (each edge in `stepsPerEdge` moves), release. */
export async function trace(points: readonly (readonly [number, number])[], stepsPerEdge = 8): Promise<void> {
  const [first] = points;
  await sendMouse({ type: 'move', position: [first![0], first![1]] });
  await sendMouse({ type: 'down', button: 'left' });
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    for (let s = 1; s <= stepsPerEdge; s++) {
      const t = s / stepsPerEdge;
      await sendMouse({
        type: 'move',
        position: [Math.round(a[0] + (b[0] - a[0]) * t), Math.round(a[1] + (b[1] - a[1]) * t)],
      });
    }
  }
  await sendMouse({ type: 'up', button: 'left' });
}

export async function click(at: readonly [number, number]): Promise<void> {
  await sendMouse({ type: 'move', position: [at[0], at[1]] });
  await sendMouse({ type: 'down', button: 'left' });
  await sendMouse({ type: 'up', button: 'left' });
}

/**
 * Moves the mouse to an empty corner of the viewer's image area (so that Cornerstone sees it
 * leave every annotation and drops the hover highlight), then off the page's viewers.
 */
export async function parkMouse(viewer?: CtViewer): Promise<void> {
  if (viewer) {
    const area = viewer.shadowRoot!.querySelector('.engine')!.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(area.left + 4), Math.round(area.top + 4)] });
    await sendMouse({ type: 'move', position: [Math.round(area.left + 6), Math.round(area.top + 5)] });
  }
  await sendMouse({ type: 'move', position: [2, 2] });
}

/** The annotation layer Cornerstone draws into (an SVG over the canvas). */
export function annotationSvg(viewer: CtViewer): SVGSVGElement {
  const svg = viewer.shadowRoot!.querySelector<SVGSVGElement>('svg.svg-layer');
  if (!svg) throw new Error('no annotation layer in the viewer');
  return svg;
}

/**
 * What the viewer shows, as pixels: the image canvas with the annotation SVG drawn over it (the
 * SVG is serialised and rasterised by the browser, exactly as it is in the page).
 */
export async function viewerPicture(viewer: CtViewer): Promise<ImageData> {
  // The viewer's own key-image capture: the canvas with the annotation SVG rasterised over it.
  const bitmap = await createImageBitmap(await viewer.captureImage());
  const out = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = out.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(bitmap, 0, 0);
  return context.getImageData(0, 0, bitmap.width, bitmap.height);
}

/** Pixels whose largest channel difference exceeds `threshold` (0–255). */
export function differingPixels(a: ImageData, b: ImageData, threshold = 48): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error('pictures of different sizes');
  let count = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    const d = Math.max(
      Math.abs(a.data[i]! - b.data[i]!),
      Math.abs(a.data[i + 1]! - b.data[i + 1]!),
      Math.abs(a.data[i + 2]! - b.data[i + 2]!),
    );
    if (d > threshold) count++;
  }
  return count;
}

/** The {@link SeriesRef} of a phantom series (baseline or follow-up truth). */
export function seriesRefOf(truth: PhantomTruth): SeriesRef {
  return {
    studyUid: truth.studyInstanceUid,
    seriesUid: truth.seriesInstanceUid,
    columns: truth.columns,
    rows: truth.rows,
  };
}

/**
 * One measurement of every kind, spread over the phantom's uniform-region slice (patient mm),
 * for tests that look at each kind's drawing: `label(kind, i)` and `text(kind)` give their texts.
 */
export function measurementsOfEveryKind(
  truth: PhantomTruth,
  options: {
    prefix: string;
    readerId: string;
    label: (kind: MeasurementKind, index: number) => string;
    text: (kind: 'arrow' | 'label') => string;
  },
): Measurement[] {
  const roi = truth.regions.uniform.suggestedRoi;
  const instance = truth.instances[roi.sliceIndex]!;
  const z = instance.imagePositionPatient[2];
  const [cx, cy] = roi.centerMm;
  const points: Record<MeasurementKind, [number, number][]> = {
    length: [
      [cx - 40, cy - 40],
      [cx - 10, cy - 40],
    ],
    angle: [
      [cx - 40, cy + 30],
      [cx - 20, cy + 30],
      [cx - 20, cy + 50],
    ],
    'cobb-angle': [
      [cx + 20, cy - 45],
      [cx + 50, cy - 45],
      [cx + 20, cy - 35],
      [cx + 50, cy - 25],
    ],
    bidirectional: [
      [cx - 40, cy + 60],
      [cx, cy + 60],
      [cx - 20, cy + 55],
      [cx - 20, cy + 65],
    ],
    'ellipse-roi': [
      [cx + 6, cy - 15],
      [cx + 14, cy - 15],
      [cx + 10, cy - 19],
      [cx + 10, cy - 11],
    ],
    'rectangle-roi': [
      [cx + 20, cy + 10],
      [cx + 35, cy + 25],
    ],
    'freehand-roi': [
      [cx - 30, cy - 10],
      [cx - 20, cy - 10],
      [cx - 20, cy],
      [cx - 30, cy],
    ],
    probe: [[cx, cy]],
    arrow: [
      [cx + 40, cy + 40],
      [cx + 55, cy + 55],
    ],
    label: [[cx + 40, cy - 60]],
  };
  return MEASUREMENT_KINDS.map((kind, i) =>
    createMeasurement(
      {
        kind,
        points: points[kind].map(([x, y]): Vec3 => [x, y, z]),
        studyUid: truth.studyInstanceUid,
        seriesUid: truth.seriesInstanceUid,
        sopInstanceUid: instance.sopInstanceUid,
        frameOfReferenceUid: truth.frameOfReferenceUid,
        readerId: options.readerId,
        label: options.label(kind, i),
        ...(kind === 'arrow' || kind === 'label' ? { text: options.text(kind) } : {}),
        imageOrientationPatient: [1, 0, 0, 0, 1, 0],
      },
      { id: `${options.prefix}-${kind}` },
    ),
  );
}
