import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '@secondread/ct-viewer/define.js';
import type { CtViewer, SeriesLoadEvent } from '@secondread/ct-viewer';
import dicomParser from 'dicom-parser';
import { canvasStats, fetchBytes, nextEvent, testEnv, until, viewerCanvas } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;
let files: File[] = [];

async function phantomFiles(): Promise<File[]> {
  if (!files.length) {
    files = await Promise.all(
      env.phantom.baseline.urls.map(
        async (u) => new File([(await fetchBytes(u)) as Uint8Array<ArrayBuffer>], u.split('/').pop()!),
      ),
    );
  }
  return files;
}

function lostContexts(): { count: number; stop: () => void } {
  const state = { count: 0, stop: () => undefined as void };
  const onLost = (): void => void state.count++;
  document.addEventListener('webglcontextlost', onLost, true);
  state.stop = () => document.removeEventListener('webglcontextlost', onLost, true);
  return state;
}

/** FNV-1a of some bytes, as a short key. */
function hashOf(bytes: Uint8Array | Uint8ClampedArray): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return (h >>> 0).toString(16);
}

/** What the viewer's canvas shows, as a key: equal keys, equal pictures. */
function pictureOf(viewer: CtViewer): string {
  const canvas = viewerCanvas(viewer);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  return hashOf(context.getImageData(0, 0, canvas.width, canvas.height).data);
}

/** The stored pixels of each slice of `input`, as a key, by SOPInstanceUID (read without the viewer). */
async function slicePixelsBySop(input: readonly File[]): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (const file of input) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const ds = dicomParser.parseDicom(bytes);
    const pixels = ds.elements['x7fe00010']!;
    keys.set(ds.string('x00080018')!, hashOf(bytes.subarray(pixels.dataOffset, pixels.dataOffset + pixels.length)));
  }
  return keys;
}

interface PerformanceMemory {
  usedJSHeapSize: number;
}

/**
 * The JS heap after full collections (Chromium runs with `--js-flags=--expose-gc` and precise
 * memory info), MB: the least of a few reads, each after a collection, so that what a viewer
 * removed a moment ago still holds (a timer, a frame callback) does not count as kept.
 */
async function heapMb(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('window.gc is missing: run Chromium with --js-flags=--expose-gc');
  let least = Infinity;
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 40));
    least = Math.min(least, (performance as unknown as { memory: PerformanceMemory }).memory.usedJSHeapSize / 1e6);
  }
  return least;
}

/** Counts the WebGL contexts the page creates from now on (held weakly: counting keeps none alive). */
function webglContexts(): { created(): number; stop(): void } {
  const prototype = HTMLCanvasElement.prototype as unknown as {
    getContext(this: HTMLCanvasElement, type: string, ...rest: unknown[]): unknown;
  };
  const original = prototype.getContext;
  const seen = new WeakSet<object>();
  let count = 0;
  prototype.getContext = function getContext(this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
    const context = original.call(this, type, ...rest);
    if (context && /^webgl/.test(type) && !seen.has(context)) {
      seen.add(context);
      count++;
    }
    return context;
  };
  return { created: () => count, stop: () => void (prototype.getContext = original) };
}

describe('<ct-viewer> lifecycle', () => {
  it('mounts, loads and unmounts 100 times with the JS heap and the WebGL contexts flat (within 10 %)', async function () {
    this.timeout(240_000);
    const started = performance.now();
    const container = await fixture<HTMLDivElement>(html`<div style="width:300px;height:300px"></div>`);
    const lost = lostContexts();
    const contexts = webglContexts();
    const input = await phantomFiles();
    const heap: number[] = [];
    let contextsAfterFirst = -1;
    try {
      for (let i = 0; i < 100; i++) {
        const el = document.createElement('ct-viewer');
        el.style.cssText = 'width:300px;height:300px';
        container.append(el);
        const loaded = nextEvent<SeriesLoadEvent>(el, 'ct-series-load');
        el.files = input;
        await loaded;
        el.remove();
        await new Promise((r) => setTimeout(r, 10));
        if (i === 0) contextsAfterFirst = contexts.created();
        if (i % 10 === 9) heap.push(await heapMb());
      }
    } finally {
      lost.stop();
      contexts.stop();
    }
    const samples = heap.map((h) => h.toFixed(1)).join(' ');
    console.log(
      `100 mount/unmount cycles in ${Math.round(performance.now() - started)} ms; heap MB ${samples}; WebGL contexts created ${contexts.created()} (${contextsAfterFirst} by the first cycle)`,
    );
    // WebGL: one shared engine; no cycle after the first creates a context, none is lost.
    expect(lost.count, 'WebGL contexts lost').to.equal(0);
    expect(contexts.created(), 'WebGL contexts created after the first cycle').to.equal(contextsAfterFirst);
    expect(contexts.created()).to.be.at.most(16);
    // After 20 cycles (warmed up: engine, codecs, caches) the heap is flat: every sample, the last
    // one included, within 10 % of their median (V8 frees in steps of ~8 MB, either way); a series
    // kept per cycle would add ~8 MB a cycle, 640 MB over these 80.
    const late = heap.slice(1);
    const median = [...late].sort((a, b) => a - b)[Math.floor(late.length / 2)]!;
    for (const [i, sample] of late.entries()) {
      expect(sample, `heap after ${(i + 2) * 10} cycles (MB ${samples})`).to.be.within(0.9 * median, 1.1 * median);
    }
  });

  it('shows 8 viewers on one page, each with its own image', async () => {
    const container = await fixture<HTMLDivElement>(
      html`<div style="display:grid;grid-template-columns:repeat(4,200px);gap:4px"></div>`,
    );
    const lost = lostContexts();
    const input = await phantomFiles();
    const viewers: CtViewer[] = [];
    for (let i = 0; i < 8; i++) {
      const el = document.createElement('ct-viewer');
      el.style.cssText = 'width:200px;height:220px';
      el.setAttribute('hide-toolbar', '');
      container.append(el);
      viewers.push(el);
    }
    await Promise.all(
      viewers.map((el, i) => {
        const loaded = nextEvent<SeriesLoadEvent>(el, 'ct-series-load', 30_000);
        el.files = input;
        void loaded.then(() => (el.sliceIndex = i * 7));
        return loaded;
      }),
    );
    for (const [i, el] of viewers.entries()) await until(() => el.sliceIndex === i * 7, 10_000, `viewer ${i} slice`);
    for (const el of viewers) await until(() => canvasStats(el).nonBlack > 0.05, 10_000, 'each viewer draws');
    lost.stop();
    expect(lost.count).to.equal(0);
    // Different slices give different pictures.
    expect(canvasStats(viewers[0]!).mean).not.to.equal(canvasStats(viewers[7]!).mean);
  });

  it('shows 20 viewers on one page (more than the 16 WebGL contexts Chromium keeps), each with its own slice', async function () {
    this.timeout(180_000);
    const started = performance.now();
    const container = await fixture<HTMLDivElement>(
      html`<div style="display:grid;grid-template-columns:repeat(5,150px);gap:2px"></div>`,
    );
    const lost = lostContexts();
    const input = await phantomFiles();
    const step = Math.floor((truth.sliceCount - 1) / 19);
    const viewers: CtViewer[] = [];
    for (let i = 0; i < 20; i++) {
      const el = document.createElement('ct-viewer');
      el.style.cssText = 'width:150px;height:150px';
      el.setAttribute('hide-toolbar', '');
      container.append(el);
      viewers.push(el);
    }
    await Promise.all(
      viewers.map((el, i) => {
        const loaded = nextEvent<SeriesLoadEvent>(el, 'ct-series-load', 120_000);
        el.files = input;
        void loaded.then(() => (el.sliceIndex = i * step));
        return loaded;
      }),
    );
    for (const [i, el] of viewers.entries()) {
      await until(() => el.sliceIndex === i * step, 20_000, `viewer ${i} slice`);
    }
    for (const [i, el] of viewers.entries()) {
      await until(() => canvasStats(el).nonBlack > 0.05, 20_000, `viewer ${i} draws`);
    }
    lost.stop();
    console.log(`20 viewers in ${Math.round(performance.now() - started)} ms`);
    expect(lost.count, 'WebGL contexts lost').to.equal(0);
    for (const el of viewers) expect(el.state).to.equal('ready');
    // Each viewer shows its own slice. The phantom's slices are alike away from the nodules and
    // the diaphragm, so: two viewers show the same picture exactly when their slices hold the
    // same stored pixels (several different ones among these 20 slices).
    const slicePixels = await slicePixelsBySop(input);
    const expected = viewers.map((el) => slicePixels.get(el.seriesModel!.instances[el.sliceIndex]!.sopInstanceUid)!);
    const shown = viewers.map(pictureOf);
    expect(new Set(expected).size, 'different slices among the 20').to.be.greaterThan(2);
    for (let i = 0; i < viewers.length; i++) {
      for (let j = i + 1; j < viewers.length; j++) {
        expect(shown[i] === shown[j], `viewers ${i} and ${j} (slices ${i * step}, ${j * step})`).to.equal(
          expected[i] === expected[j],
        );
      }
    }
  });

  it('stays correct when moved in the DOM and when resized', async () => {
    const a = await fixture<HTMLDivElement>(
      html`<div>
        <div id="a"></div>
        <div id="b"></div>
      </div>`,
    );
    const el = document.createElement('ct-viewer');
    el.style.cssText = 'width:300px;height:300px';
    a.querySelector('#a')!.append(el);
    const loaded = nextEvent<SeriesLoadEvent>(el, 'ct-series-load');
    el.files = await phantomFiles();
    await loaded;
    el.sliceIndex = 10;
    await until(() => el.sliceIndex === 10, 5000, 'slice 10');
    a.querySelector('#b')!.append(el); // move
    await new Promise((r) => setTimeout(r, 50));
    expect(el.state).to.equal('ready');
    expect(el.sliceIndex).to.equal(10);
    await until(() => canvasStats(el).nonBlack > 0.05, 5000, 'still drawing after a move');
    el.style.width = '500px';
    el.style.height = '420px';
    await until(
      () => Math.abs(viewerCanvas(el).getBoundingClientRect().width - (500 - 22)) < 2,
      5000,
      'canvas follows the size',
    );
    await until(() => canvasStats(el).nonBlack > 0.05, 5000, 'still drawing after resize');
    await setViewport({ width: 900, height: 700 });
    expect(truth.sliceCount).to.equal(el.sliceCount);
  });
});
