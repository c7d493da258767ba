/**
 * A GPU reset: the engine's own WebGL contexts are lost (WEBGL_lose_context). Its own file: the
 * page stays on the CPU renderer after a loss, so each case needs a fresh page.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { getRenderingEngine } from '@cornerstonejs/core';
import '@secondread/ct-viewer/define.js';
import type { CtViewer, RendererChangeEvent } from '@secondread/ct-viewer';
import { canvasStats, filesFrom, nextEvent, pixelToCss, seriesLoaded, testEnv, until } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;

describe('<ct-viewer> after a GPU reset', () => {
  it('shows the same slice again on the CPU when its own WebGL contexts are lost (WEBGL_lose_context)', async function () {
    this.timeout(90_000);
    const el = await fixture<CtViewer>(html`<ct-viewer style="width:400px;height:440px"></ct-viewer>`);
    const loaded = seriesLoaded(el);
    el.files = await filesFrom(env.phantom.baseline.urls);
    await loaded;
    expect(el.rendererKind).to.equal('gpu');
    const slice = truth.nodules[0]!.sliceIndex;
    el.sliceIndex = slice;
    await until(() => el.sliceIndex === slice, 10_000, 'nodule slice');
    // The engine's WebGL contexts (Cornerstone's context pool: internals, for this test only).
    interface Pool {
      getAllContexts(): { getOpenGLRenderWindow(): { getCanvas(): HTMLCanvasElement } }[];
    }
    // (getRenderingEngine gives the engine implementation, which owns the pool.)
    const engine = getRenderingEngine('secondread') as unknown as { contextPool?: Pool };
    const canvases = engine.contextPool!.getAllContexts().map((c) => c.getOpenGLRenderWindow().getCanvas());
    expect(canvases.length).to.be.greaterThan(0);
    const switched = nextEvent<RendererChangeEvent>(el, 'ct-renderer-change', 30_000);
    for (const canvas of canvases) {
      (canvas.getContext('webgl2') as WebGL2RenderingContext).getExtension('WEBGL_lose_context')!.loseContext();
    }
    expect((await switched).detail.renderer).to.equal('cpu');
    await until(() => el.state === 'ready', 30_000, 'shown again');
    expect(el.sliceIndex).to.equal(slice);
    const nodule = truth.nodules[0]!;
    const [x, y] = pixelToCss(el, truth.columns, truth.rows, nodule.insideVoxel[0], nodule.insideVoxel[1]);
    await until(() => el.valueAt(x, y) === nodule.hu, 10_000, 'nodule HU on the CPU');
    await until(() => canvasStats(el).nonBlack > 0.05, 10_000, 'CPU picture');
  });
});
