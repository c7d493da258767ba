import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import type { CtViewer, RendererChangeEvent, SliceChangeEvent } from '@secondread/ct-viewer';
import type { SecondReadErrorEvent } from '@secondread/core';
import { canvasStats, filesFrom, nextEvent, pixelToCss, seriesLoaded, testEnv, until } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;

/**
 * What a host page does that makes Chromium drop our WebGL contexts: it keeps at most 16 a
 * page and loses the oldest ones (the viewer's, made first) when the page makes more.
 */
function takeAllWebGlContexts(): WebGL2RenderingContext[] {
  const contexts: WebGL2RenderingContext[] = [];
  for (let i = 0; i < 16; i++) {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 8;
    const gl = canvas.getContext('webgl2');
    if (!gl) throw new Error('no WebGL2 for the host page');
    gl.clearColor(1, 0, 0, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    contexts.push(gl);
  }
  return contexts;
}

describe('<ct-viewer> when the browser takes its WebGL context away', () => {
  it('covers the lost picture, says so, and shows the same slice, window and zoom again on the CPU, following the reader', async function () {
    this.timeout(90_000);
    const el = await fixture<CtViewer>(html`<ct-viewer style="width:400px;height:440px"></ct-viewer>`);
    const errors: SecondReadErrorEvent[] = [];
    el.addEventListener('ct-error', (e) => errors.push(e));
    const loaded = seriesLoaded(el);
    el.files = await filesFrom(env.phantom.baseline.urls);
    await loaded;
    expect(el.rendererKind).to.equal('gpu');

    const nodule = truth.nodules[0]!;
    const [x, y] = pixelToCss(el, truth.columns, truth.rows, nodule.insideVoxel[0], nodule.insideVoxel[1]);
    el.sliceIndex = nodule.sliceIndex;
    await until(() => el.valueAt(x, y) === nodule.hu, 10_000, 'nodule HU on the GPU');
    el.voi = { center: -600, width: 1500 };
    el.zoomBy(1.5);
    await until(() => Math.abs((el.camera?.zoom ?? 0) - 1.5) < 0.01, 5_000, 'zoomed in');
    await until(() => canvasStats(el).nonBlack > 0.05, 10_000, 'GPU picture');

    const switched = nextEvent<RendererChangeEvent>(el, 'ct-renderer-change', 30_000);
    const hostContexts = takeAllWebGlContexts();
    const { detail } = await switched;
    expect(detail.renderer).to.equal('cpu');
    expect(detail.reason).to.match(/graphics \(WebGL\) context/);
    const lost = errors.find((e) => e.detail.code === 'render');
    expect(lost, 'a ct-error render').to.not.equal(undefined);
    expect(lost!.detail.fatal).to.equal(false);

    await until(() => el.state === 'ready', 30_000, 'shown again');
    expect(el.rendererKind).to.equal('cpu');
    expect(el.sliceIndex, 'same slice').to.equal(nodule.sliceIndex);
    expect(el.voi).to.deep.equal({ center: -600, width: 1500 });
    // 1.5 times the fit, in the CPU renderer's own zoom terms (screen per image pixel at the fit).
    const zoomed = el.camera!.zoom;
    el.resetView();
    await until(() => el.camera!.zoom !== zoomed, 5_000, 'fitted');
    expect(zoomed / el.camera!.zoom).to.be.closeTo(1.5, 0.01);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.banner')?.textContent).to.include('graphics context was lost');
    expect(el.shadowRoot!.querySelector('.corner.tr')?.textContent).to.include('CPU rendering');

    // The picture is drawn again and follows the reader: the values are the file's, and another
    // slice gives another picture (not the last one the GPU drew).
    await until(() => el.valueAt(x, y) === nodule.hu, 10_000, 'nodule HU on the CPU');
    await until(() => canvasStats(el).nonBlack > 0.05, 10_000, 'CPU picture');
    const atNodule = canvasStats(el).mean;
    const other = nodule.sliceIndex > 5 ? 0 : truth.sliceCount - 1;
    const moved = nextEvent<SliceChangeEvent>(el, 'ct-slice-change');
    el.sliceIndex = other;
    expect((await moved).detail.index).to.equal(other);
    await until(() => Math.abs(canvasStats(el).mean - atNodule) > 1, 10_000, 'the other slice drawn');
    expect(errors.filter((e) => e.detail.fatal)).to.have.length(0);
    expect(
      hostContexts.every((gl) => !gl.isContextLost()),
      'the host keeps its contexts',
    ).to.equal(true);
  });
});
