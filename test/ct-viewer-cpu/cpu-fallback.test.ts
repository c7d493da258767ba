import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import type { CtViewer, RendererChangeEvent } from '@secondread/ct-viewer';
import { canvasStats, nextEvent, pixelToCss, seriesLoaded, testEnv, until } from '../ct-viewer/helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;

describe('<ct-viewer> without WebGL', () => {
  it('has no WebGL in this browser', () => {
    expect(document.createElement('canvas').getContext('webgl2')).to.equal(null);
  });

  it('falls back to CPU rendering, says so in an event and the overlay, and shows correct HU', async () => {
    const el = await fixture<CtViewer>(html`<ct-viewer style="width:400px;height:440px"></ct-viewer>`);
    const fallback = nextEvent<RendererChangeEvent>(el, 'ct-renderer-change');
    const loaded = seriesLoaded(el);
    el.dicomwebRoot = env.dicomwebRoot!;
    el.studyUid = truth.studyInstanceUid;
    el.seriesUid = truth.seriesInstanceUid;
    expect((await fallback).detail.renderer).to.equal('cpu');
    await loaded;
    expect(el.rendererKind).to.equal('cpu');
    await until(() => canvasStats(el).nonBlack > 0.05, 10_000, 'CPU-rendered pixels');
    const nodule = truth.nodules[0]!;
    el.sliceIndex = nodule.sliceIndex;
    await until(() => el.sliceIndex === nodule.sliceIndex, 10_000, 'nodule slice');
    const [x, y] = pixelToCss(el, truth.columns, truth.rows, nodule.insideVoxel[0], nodule.insideVoxel[1]);
    await until(() => el.valueAt(x, y) === nodule.hu, 10_000, 'nodule HU');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.corner.tr')!.textContent).to.include('CPU rendering');
  });

  it('refuses reformatted planes and slabs on the CPU renderer: a typed reformat error, a visible message, the stack stays', async () => {
    const el = await fixture<CtViewer>(html`<ct-viewer style="width:400px;height:440px"></ct-viewer>`);
    const loaded = seriesLoaded(el);
    el.dicomwebRoot = env.dicomwebRoot!;
    el.studyUid = truth.studyInstanceUid;
    el.seriesUid = truth.seriesInstanceUid;
    await loaded;
    await until(() => canvasStats(el).nonBlack > 0.05, 10_000, 'CPU-rendered pixels');
    for (const change of [
      () => (el.orientation = 'sagittal'),
      () => (el.layout = 'mpr'),
      () => (el.slabThicknessMm = 10),
    ]) {
      el.orientation = 'acquisition';
      el.layout = 'single';
      el.slabThicknessMm = 0;
      await el.updateComplete;
      const refused = nextEvent(el, 'ct-error');
      change();
      const error = (await refused).detail;
      expect(error.code).to.equal('reformat');
      expect(error.fatal).to.equal(false);
      expect(error.message).to.match(/WebGL/);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('.banner')!.textContent).to.match(/WebGL/);
      expect(el.planes).to.deep.equal([]);
      expect(canvasStats(el).nonBlack).to.be.above(0.05);
    }
  });
});
