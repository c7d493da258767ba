import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import type { CtViewer } from '@secondread/ct-viewer';
import type { SecondReadErrorEvent } from '@secondread/core';
import { canvasStats, filesFrom, nextEvent, pixelToCss, seriesLoaded, testEnv, until } from './helpers.ts';
import { nextFrames, watchMisuse } from '../support/misuse.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;
const nodule = truth.nodules[0]!;

/** Assigns a value whatever its declared type: what a careless host page's script does. */
const set = (target: object, key: string, value: unknown): void => void Reflect.set(target, key, value);

const imageLine = (el: CtViewer): string =>
  [...el.shadowRoot!.querySelectorAll('.corner.tr > div')]
    .map((d) => d.textContent!.trim())
    // `Im 8 (23/30)`, `Bild 8 (23/30)` under de_DE: the line ending in the stack position.
    .find((t) => /\(\d+\/\d+\)$/.test(t)) ?? '';

async function showPhantom(el: CtViewer): Promise<void> {
  const loaded = seriesLoaded(el);
  el.files = await filesFrom(env.phantom.baseline.urls);
  await loaded;
}

describe('<ct-viewer> used wrongly', () => {
  it('ignores every invalid attribute, property and argument with one warning, and keeps the image, the slice and its HU', async function () {
    this.timeout(120_000);
    const el = await fixture<CtViewer>(html`<ct-viewer style="width:400px;height:400px"></ct-viewer>`);
    await showPhantom(el);
    const [x, y] = pixelToCss(el, truth.columns, truth.rows, nodule.insideVoxel[0], nodule.insideVoxel[1]);
    el.sliceIndex = nodule.sliceIndex;
    el.dragMode = 'pan';
    await until(() => el.valueAt(x, y) === nodule.hu, 10_000, 'nodule HU');
    await until(() => canvasStats(el).nonBlack > 0.05, 10_000, 'picture');
    await nextFrames();
    const before = canvasStats(el);
    expect(before.std, 'the phantom has contrast').to.be.above(10);
    const camera = el.camera!;
    const voi = el.voi!;

    const watch = watchMisuse();
    try {
      const cases: [string, () => void][] = [
        ...[NaN, Infinity, -Infinity, -5, 1e9, 1.5, '3', null, {}].map((v): [string, () => void] => [
          `sliceIndex = ${String(v)}`,
          () => set(el, 'sliceIndex', v),
        ]),
        ...[NaN, Infinity, -1, 0, -Infinity].map((f): [string, () => void] => [`zoomBy(${f})`, () => el.zoomBy(f)]),
        ...[
          { zoom: 0 },
          { zoom: NaN },
          { zoom: Infinity },
          { zoom: -1 },
          { zoom: 2, panMm: [NaN, 0] },
          { panMm: [1] },
          {},
          'abc',
          [],
          42,
        ].map((c): [string, () => void] => [`camera = ${JSON.stringify(c)}`, () => set(el, 'camera', c)]),
        ...[
          { center: NaN, width: 400 },
          { center: 40, width: NaN },
          { center: 40, width: 0 },
          { center: 40, width: -400 },
          { center: Infinity, width: 400 },
          { width: 400 },
          'abc',
          [],
        ].map((v): [string, () => void] => [`voi = ${JSON.stringify(v)}`, () => set(el, 'voi', v)]),
        ...['nope', '', 'PAN', '0'].map((v): [string, () => void] => [
          `drag-mode="${v}"`,
          () => el.setAttribute('drag-mode', v),
        ]),
        ...['nope', '', 'LUNG'].map((v): [string, () => void] => [
          `window-preset="${v}"`,
          () => el.setAttribute('window-preset', v),
        ]),
        ['dragMode = 42', () => set(el, 'dragMode', 42)],
        ['windowPreset = {}', () => set(el, 'windowPreset', {})],
        ['locale="not a locale!"', () => el.setAttribute('locale', 'not a locale!')],
      ];
      for (const [what, apply] of cases) {
        apply();
        await el.updateComplete;
        await nextFrames();
        const warnings = watch.takeWarnings();
        expect(warnings, `${what}: one warning`).to.have.length(1);
        expect(warnings[0], `${what}: the warning says what is allowed`).to.match(/allowed|BCP 47/);
        expect(el.sliceIndex, `${what}: slice`).to.equal(nodule.sliceIndex);
        expect(el.valueAt(x, y), `${what}: HU`).to.equal(nodule.hu);
        expect(el.camera!.zoom, `${what}: zoom`).to.be.closeTo(camera.zoom, 1e-6);
        expect(el.camera!.panMm[0], `${what}: pan`).to.be.closeTo(camera.panMm[0], 1e-6);
        expect(el.voi, `${what}: window`).to.deep.equal(voi);
        expect(el.dragMode, `${what}: drag mode`).to.equal('pan');
        expect(el.windowPreset, `${what}: preset`).to.equal('default');
        const stats = canvasStats(el);
        expect(stats.nonBlack, `${what}: picture`).to.be.closeTo(before.nonBlack, 0.01);
        expect(stats.std, `${what}: contrast`).to.be.closeTo(before.std, before.std * 0.02);
        expect(stats.mean, `${what}: brightness`).to.be.closeTo(before.mean, 1);
      }

      // valueAt of a point that is none is null, silently, and leaves the picture alone.
      for (const [px, py] of [
        [NaN, NaN],
        [Infinity, 0],
        [0, -Infinity],
      ] as const) {
        expect(el.valueAt(px, py), `valueAt(${px}, ${py})`).to.equal(null);
      }
      await nextFrames();
      expect(watch.takeWarnings()).to.deep.equal([]);
      expect(el.valueAt(x, y)).to.equal(nodule.hu);
      expect(canvasStats(el).std).to.be.closeTo(before.std, before.std * 0.02);

      // A POSIX locale is read as the tag it means, silently; the overlay follows the slices.
      el.setAttribute('locale', 'de_DE');
      el.sliceIndex = nodule.sliceIndex + 1;
      await until(
        () => imageLine(el).includes(`(${nodule.sliceIndex + 2}/${truth.sliceCount})`),
        5000,
        'overlay slice',
      );
      el.setAttribute('locale', 'also not a locale');
      el.sliceIndex = nodule.sliceIndex;
      await until(
        () => imageLine(el).includes(`(${nodule.sliceIndex + 1}/${truth.sliceCount})`),
        5000,
        'overlay slice',
      );
      expect(watch.takeWarnings(), 'one warning for the invalid locale only').to.have.length(1);

      // Valid values still work after all that.
      el.zoomBy(2);
      await until(() => Math.abs(el.camera!.zoom - camera.zoom * 2) < 1e-3, 5000, 'zoomed');
      el.resetView();
      await until(() => Math.abs(el.camera!.zoom - camera.zoom) < 1e-3, 5000, 'reset');
      el.camera = { zoom: 1.5, panMm: [0, 0] };
      await until(() => Math.abs(el.camera!.zoom - 1.5) < 1e-3, 5000, 'camera set');
      await until(() => el.valueAt(x, y) !== null, 5000, 'HU under the zoomed view');
      expect(watch.takeWarnings()).to.deep.equal([]);
      expect(watch.pageErrors).to.deep.equal([]);
    } finally {
      watch.stop();
    }
  });

  it('loads with the default timeout after an invalid timeout-ms, with one warning', async function () {
    this.timeout(60_000);
    const el = await fixture<CtViewer>(html`<ct-viewer style="width:300px;height:300px"></ct-viewer>`);
    await showPhantom(el);
    const watch = watchMisuse();
    try {
      for (const value of ['abc', '-1', '0']) {
        el.setAttribute('timeout-ms', value);
        const loaded = seriesLoaded(el);
        el.reload();
        await loaded;
        await until(() => canvasStats(el).nonBlack > 0.05, 10_000, `picture with timeout-ms="${value}"`);
        const warnings = watch.takeWarnings();
        expect(warnings, `timeout-ms="${value}"`).to.have.length(1);
        expect(warnings[0]).to.contain('timeout-ms');
      }
      expect(watch.pageErrors).to.deep.equal([]);
    } finally {
      watch.stop();
    }
  });

  // What an app built without a module the engine needs sees (issue 14: a missing `events`
  // polyfill made Cornerstone's code throw "Class extends value undefined" when it loaded, and
  // the viewer called the series corrupt).
  for (const [what, engine] of [
    [
      'an engine whose code fails to load',
      () => Promise.reject(new TypeError('Class extends value undefined is not a constructor or null')),
    ],
    [
      'an engine that throws when it starts',
      {
        createViewport() {
          throw new TypeError('Class extends value undefined is not a constructor or null');
        },
      },
    ],
  ] as const) {
    it(`reports ${what} as engine-unavailable, not as a corrupt series`, async function () {
      this.timeout(60_000);
      const el = await fixture<CtViewer>(html`<ct-viewer style="width:300px;height:300px"></ct-viewer>`);
      const watch = watchMisuse();
      try {
        set(el, 'engine', engine);
        const failed = nextEvent<SecondReadErrorEvent>(el, 'ct-error', 30_000);
        el.files = await filesFrom(env.phantom.baseline.urls);
        const { detail } = await failed;
        expect(detail.code).to.equal('engine-unavailable');
        expect(detail.fatal).to.equal(true);
        expect(detail.message).to.contain('Class extends value undefined');
        await until(() => el.state === 'error', 5000, 'error state');
        const panel = el.shadowRoot!.querySelector('[part=error]');
        expect(panel?.textContent, 'the error panel').to.contain('engine-unavailable');
        expect(panel?.textContent).to.not.contain('damaged');
        expect(watch.pageErrors).to.deep.equal([]);
      } finally {
        watch.stop();
      }
    });
  }

  it('reports engine = {} as a typed, fatal render error instead of staying empty', async function () {
    this.timeout(60_000);
    const el = await fixture<CtViewer>(html`<ct-viewer style="width:300px;height:300px"></ct-viewer>`);
    const watch = watchMisuse();
    try {
      set(el, 'engine', {});
      const failed = nextEvent<SecondReadErrorEvent>(el, 'ct-error', 30_000);
      el.files = await filesFrom(env.phantom.baseline.urls);
      const { detail } = await failed;
      expect(detail.code).to.equal('render');
      expect(detail.fatal).to.equal(true);
      expect(detail.message).to.contain('createViewport');
      await until(() => el.state === 'error', 5000, 'error state');
      expect(el.shadowRoot!.querySelector('[part=error]'), 'the error panel').to.exist;
      expect(watch.pageErrors).to.deep.equal([]);
    } finally {
      watch.stop();
    }
  });
});
