/** Helpers of the fault-injection tests: proxy scenarios, slice fingerprints, uncaught errors. */
import { expect, fixture, html } from '@open-wc/testing';
import type { CtViewer, LoadProgressEvent } from '@secondread/ct-viewer';
import type { PhantomTruth } from '@secondread/phantom';
import { seriesLoaded, until, viewerCanvas } from './helpers.ts';

export interface FaultRule {
  match: string;
  fault: string;
  after?: number;
  times?: number;
  /** Not for requests carrying this header value (e.g. the new credentials). */
  unlessHeader?: { name: string; value: string };
}

/** A fault scenario of the proxy: its DICOMweb root, and how to change its rules or read its log. */
export async function faultScenario(
  faultsRoot: string,
  name: string,
  rules: FaultRule[],
): Promise<{
  root: string;
  set(rules: FaultRule[]): Promise<void>;
  requests(): Promise<{ path: string; fault: string | null }[]>;
}> {
  const id = `${name}-${Math.random().toString(36).slice(2, 8)}`;
  const control = `${faultsRoot}/scenario/${id}`;
  const set = async (next: FaultRule[]): Promise<void> => {
    const response = await fetch(control, { method: 'PUT', body: JSON.stringify({ rules: next }) });
    if (response.status !== 204) throw new Error(`scenario ${id}: ${response.status}`);
  };
  await set(rules);
  return {
    root: `${faultsRoot}/scenario-${id}/dicom-web`,
    set,
    requests: async () => ((await (await fetch(control)).json()) as { requests: never[] }).requests,
  };
}

/** Collects page errors and unhandled rejections from now on. */
export function watchUncaught(): { take(): string[] } {
  const seen: string[] = [];
  window.addEventListener('unhandledrejection', (e) => {
    const reason = e.reason as { message?: string } | undefined;
    seen.push(`unhandled rejection: ${String(reason?.message ?? reason)}`);
  });
  window.addEventListener('error', (e) => seen.push(`page error: ${e.message}`));
  return { take: () => seen.splice(0) };
}

const GRID = 24;

/** A coarse luminance picture of what the viewer's canvas shows (GRID × GRID cells). */
export function fingerprint(el: CtViewer): number[] {
  const canvas = viewerCanvas(el);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
  const cells = new Array<number>(GRID * GRID).fill(0);
  const counts = new Array<number>(GRID * GRID).fill(0);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 4 * (y * width + x);
      const cell = Math.floor((y * GRID) / height) * GRID + Math.floor((x * GRID) / width);
      cells[cell]! += (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
      counts[cell]!++;
    }
  }
  return cells.map((sum, i) => sum / Math.max(1, counts[i]!));
}

export function difference(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

export interface SliceReference {
  uids: string[];
  initialIndex: number;
  prints: number[][];
}

let cached: SliceReference | null = null;

/** Each slice's picture in a viewer of the same size, from a healthy server. */
export async function sliceFingerprints(root: string, truth: PhantomTruth): Promise<SliceReference> {
  if (cached) return cached;
  const el = await fixture<CtViewer>(html`<ct-viewer style="width:320px;height:320px" hide-toolbar></ct-viewer>`);
  let last: LoadProgressEvent['detail'] | undefined;
  el.addEventListener('ct-load-progress', (e) => (last = e.detail));
  el.dicomwebRoot = root;
  el.seriesUid = truth.seriesInstanceUid;
  el.studyUid = truth.studyInstanceUid;
  await seriesLoaded(el);
  const initialIndex = el.sliceIndex;
  await until(() => last?.loaded === el.sliceCount, 30_000, 'reference loaded');
  const uids = el.seriesModel!.instances.map((i) => i.sopInstanceUid);
  const prints: number[][] = [];
  for (let i = 0; i < uids.length; i++) {
    el.sliceIndex = i;
    await settledPicture(el);
    prints.push(fingerprint(el));
  }
  el.remove();
  cached = { uids, initialIndex, prints };
  return cached;
}

/** Waits until two consecutive frames show the same picture. */
async function settledPicture(el: CtViewer): Promise<void> {
  let previous: number[] | null = null;
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    await new Promise((r) => setTimeout(r, 15));
    const now = fingerprint(el);
    if (previous && difference(previous, now) < 0.01) return;
    previous = now;
  }
}

/**
 * Goes through the slices (`only`, or all): a failed slice shows the placeholder and its own
 * number; any other shows its own picture (closer to its reference than to its neighbours').
 */
export async function expectOwnPictures(
  el: CtViewer,
  reference: SliceReference,
  failing: readonly number[],
  only?: readonly number[],
): Promise<void> {
  const indices = only ?? reference.prints.map((_, i) => i);
  for (const i of indices) {
    el.sliceIndex = i;
    await el.updateComplete;
    const root = el.shadowRoot!;
    const overlay = (): string => root.querySelector('[part=overlay]')?.textContent ?? '';
    const label = `(${i + 1}/${reference.prints.length})`;
    await until(() => overlay().includes(label), 5_000, `overlay of slice ${i}`);
    if (failing.includes(i)) {
      await until(() => !!root.querySelector('[part=placeholder].failed'), 5_000, `placeholder on slice ${i}`);
      const placeholder = root.querySelector('[part=placeholder]')!;
      expect(placeholder.textContent).to.match(/could not be loaded/i);
      expect(getComputedStyle(root.querySelector('.engine')!).opacity, 'the stale canvas is hidden').to.equal('0');
      continue;
    }
    await until(() => !root.querySelector('[part=placeholder]'), 10_000, `slice ${i} shown`);
    await settledPicture(el);
    const print = fingerprint(el);
    const own = difference(print, reference.prints[i]!);
    expect(own, `slice ${i} shows its own picture`).to.be.lessThan(1.5);
    for (const neighbour of [i - 1, i + 1]) {
      const other = reference.prints[neighbour];
      // Where neighbouring slices look different, the picture must be this slice's.
      if (other && difference(other, reference.prints[i]!) > 3 * 1.5) {
        expect(difference(print, other), `slice ${i} is not slice ${neighbour}`).to.be.greaterThan(own);
      }
    }
  }
}
