import { expect, fixture, html } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import '@secondread/ct-viewer/define.js';
import type { CtViewer } from '@secondread/ct-viewer';
import { seriesLoaded, testEnv, until } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;

// Alone in its file, so that this viewer is the first on a fresh page: the engine's tools load
// after its first image, and must still take its mouse and wheel.
describe('the first <ct-viewer> on a page', () => {
  it('windows with a mouse drag and scrolls with the wheel', async () => {
    const el = await fixture<CtViewer>(html`<ct-viewer style="width:400px;height:440px"></ct-viewer>`);
    const loaded = seriesLoaded(el);
    el.dicomwebRoot = env.dicomwebRoot!;
    el.studyUid = truth.studyInstanceUid;
    el.seriesUid = truth.seriesInstanceUid;
    await loaded;
    const engine = el.shadowRoot!.querySelector<HTMLElement>('.engine')!;
    const rect = engine.getBoundingClientRect();
    const [x, y] = [Math.round(rect.left + rect.width / 2), Math.round(rect.top + rect.height / 2)];
    const before = el.voi!;
    await until(() => Boolean(engine.querySelector('.svg-layer')), 10_000, 'tools attached');
    await sendMouse({ type: 'move', position: [x, y] });
    await sendMouse({ type: 'down', button: 'left' });
    for (let i = 1; i <= 5; i++) await sendMouse({ type: 'move', position: [x + 15 * i, y + 8 * i] });
    await sendMouse({ type: 'up', button: 'left' });
    await until(() => el.voi!.width !== before.width, 5000, 'window changed by the drag');
    const start = el.sliceIndex;
    engine.dispatchEvent(
      new WheelEvent('wheel', { deltaY: 100, clientX: x, clientY: y, bubbles: true, cancelable: true }),
    );
    await until(() => el.sliceIndex !== start, 5000, 'wheel scroll');
    expect(Math.abs(el.sliceIndex - start)).to.equal(1);
  });
});
