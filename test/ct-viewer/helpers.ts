import dicomParser from 'dicom-parser';
import type { CtViewer } from '@secondread/ct-viewer';
import { fetchBytes, nextEvent } from '../support/browser-helpers.ts';

// The generic helpers live in test/support; re-exported where the tests have always imported them.
export { fetchBytes, nextEvent, testEnv, until } from '../support/browser-helpers.ts';

export async function filesFrom(urls: readonly string[]): Promise<File[]> {
  return Promise.all(
    urls.map(async (url) => new File([(await fetchBytes(url)) as Uint8Array<ArrayBuffer>], url.split('/').pop()!)),
  );
}

/** The canvas Cornerstone draws into, inside the viewer's shadow root. */
export function viewerCanvas(viewer: CtViewer): HTMLCanvasElement {
  const canvas = viewer.shadowRoot!.querySelector<HTMLCanvasElement>('[part=viewport] canvas');
  if (!canvas) throw new Error('no canvas in the viewer');
  return canvas;
}

/** Luminance statistics of what the viewer's canvas shows. */
export function canvasStats(viewer: CtViewer): { mean: number; std: number; nonBlack: number } {
  const canvas = viewerCanvas(viewer);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  let sum = 0;
  let sumSq = 0;
  let nonBlack = 0;
  const n = data.length / 4;
  for (let i = 0; i < data.length; i += 4) {
    const l = (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
    sum += l;
    sumSq += l * l;
    if (l > 8) nonBlack++;
  }
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(0, sumSq / n - mean * mean)), nonBlack: nonBlack / n };
}

/** Luminance of the canvas pixel at CSS position (x, y) of the image area. */
export function canvasLuminanceAt(viewer: CtViewer, x: number, y: number): number {
  const canvas = viewerCanvas(viewer);
  const scale = canvas.width / canvas.getBoundingClientRect().width;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  const [r, g, b] = context.getImageData(Math.round(x * scale), Math.round(y * scale), 1, 1).data;
  return (r! + g! + b!) / 3;
}

/** Stored pixel value and rescale of one Part 10 slice, read independently of the viewer. */
export function storedPixel(
  bytes: Uint8Array,
  column: number,
  row: number,
): { stored: number; slope: number; intercept: number } {
  const ds = dicomParser.parseDicom(bytes);
  const columns = ds.uint16('x00280011')!;
  const element = ds.elements['x7fe00010']!;
  const signed = ds.uint16('x00280103') === 1;
  const offset = element.dataOffset + 2 * (row * columns + column);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stored = signed ? view.getInt16(offset, true) : view.getUint16(offset, true);
  return {
    stored,
    slope: Number(ds.string('x00281053') ?? 1),
    intercept: Number(ds.string('x00281052') ?? 0),
  };
}

export function sopInstanceUidOf(bytes: Uint8Array): string {
  return dicomParser.parseDicom(bytes, { untilTag: 'x00080018' }).string('x00080018') ?? '';
}

/** Canvas CSS position of the centre of image pixel (column, row) when the image is fitted (zoom 1, no pan). */
export function pixelToCss(
  viewer: CtViewer,
  columns: number,
  rows: number,
  column: number,
  row: number,
): [number, number] {
  const area = viewerCanvas(viewer).getBoundingClientRect();
  const scale = Math.min(area.width / columns, area.height / rows);
  const left = (area.width - columns * scale) / 2;
  const top = (area.height - rows * scale) / 2;
  return [left + (column + 0.5) * scale, top + (row + 0.5) * scale];
}

/** Resolves with the next `ct-series-load`; rejects at once on a fatal `ct-error`. */
export function seriesLoaded(
  el: EventTarget,
  timeoutMs = 30_000,
): Promise<Event & { detail: Record<string, unknown> }> {
  return Promise.race([
    // Typed loosely, as callers have always read it (any detail key).
    nextEvent<Event & { detail: Record<string, unknown> }>(el, 'ct-series-load', timeoutMs),
    nextEvent(el, 'ct-error', timeoutMs).then((e) => {
      throw new Error(`ct-error ${e.detail.code}: ${e.detail.message}`);
    }),
  ]);
}
