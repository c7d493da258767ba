/**
 * The CPU renderer under server faults: frames answering 500 show the placeholder (never the
 * previous slice's pixels) and load once the server is back; a first frame answering 500 does
 * not refuse the series. Fails on any page error or unhandled rejection.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import type { CtViewer, LoadProgressEvent, ViewerErrorEvent } from '@secondread/ct-viewer';
import { expectOwnPictures, faultScenario, sliceFingerprints, watchUncaught } from '../ct-viewer/faults-helpers.ts';
import { seriesLoaded, testEnv, until } from '../ct-viewer/helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;

describe('<ct-viewer> without WebGL, under server faults', function () {
  this.timeout(90_000);
  const uncaught = watchUncaught();
  const created: CtViewer[] = [];
  afterEach(() => {
    for (const el of created.splice(0)) el.remove();
    expect(uncaught.take(), 'no page errors or unhandled rejections').to.deep.equal([]);
  });

  async function viewerAt(root: string): Promise<CtViewer> {
    const el = await fixture<CtViewer>(
      html`<ct-viewer
        style="width:320px;height:320px"
        hide-toolbar
        retries="0"
        retry-delay-ms="50"
        timeout-ms="1500"
      ></ct-viewer>`,
    );
    created.push(el);
    el.dicomwebRoot = root;
    el.seriesUid = truth.seriesInstanceUid;
    el.studyUid = truth.studyInstanceUid;
    return el;
  }

  it('failed frames: placeholder on their slices, own pictures elsewhere, all loaded once the server is back', async () => {
    const reference = await sliceFingerprints(env.dicomwebRoot!, truth);
    const count = reference.uids.length;
    const failing = [5, 6, 9].map((i) => Math.min(count - 1, i));
    const scenario = await faultScenario(env.faultsRoot, 'cpu-frames-500', [
      { match: `/series/${truth.seriesInstanceUid}$`, fault: '500' },
      ...failing.map((i) => ({ match: `/instances/${reference.uids[i]}/frames/`, fault: '500' })),
    ]);
    const progress: LoadProgressEvent['detail'][] = [];
    const warnings: ViewerErrorEvent['detail'][] = [];
    const el = await viewerAt(scenario.root);
    el.addEventListener('ct-load-progress', (e) => progress.push(e.detail));
    el.addEventListener('ct-error', (e) => warnings.push(e.detail));
    await seriesLoaded(el);
    expect(el.rendererKind).to.equal('cpu');
    await until(() => progress.at(-1)?.failed === failing.length && progress.at(-1)?.pending === 0, 30_000, 'failures');
    expect(warnings.every((w) => !w.fatal && w.code === 'http-status' && !/\[object/.test(w.message))).to.equal(true);
    // Each failed slice and its neighbours: the placeholder, or the slice's own picture.
    const around = [...new Set(failing.flatMap((i) => [i - 1, i, i + 1]).filter((i) => i >= 0 && i < count))];
    await expectOwnPictures(el, reference, failing, around);
    await scenario.set([]);
    await until(() => progress.at(-1)?.loaded === count, 45_000, 'all loaded after recovery');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part=progress]')).to.equal(null);
    await expectOwnPictures(el, reference, [], around);
  });

  it('a first frame answering 500 shows the nearest slice that loads', async () => {
    const reference = await sliceFingerprints(env.dicomwebRoot!, truth);
    const first = reference.initialIndex;
    const scenario = await faultScenario(env.faultsRoot, 'cpu-first-500', [
      { match: `/series/${truth.seriesInstanceUid}$`, fault: '500' },
      { match: `/instances/${reference.uids[first]}/frames/`, fault: '500' },
    ]);
    const el = await viewerAt(scenario.root);
    await seriesLoaded(el);
    expect(el.state).to.equal('ready');
    expect(Math.abs(el.sliceIndex - first)).to.equal(1);
    await expectOwnPictures(el, reference, [first], [el.sliceIndex, first]);
  });
});
