/**
 * Server faults against Orthanc behind the fault proxy's scenarios: frames answering 500, a
 * first frame answering 500, a server that stops answering, and Try again after a failed load.
 * Every test fails on any page error or unhandled rejection.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import type { CtViewer, LoadProgressEvent, ViewerErrorEvent } from '@secondread/ct-viewer';
import { faultScenario, sliceFingerprints, expectOwnPictures, watchUncaught } from './faults-helpers.ts';
import { nextEvent, seriesLoaded, testEnv, until } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;

describe('<ct-viewer> under server faults', function () {
  this.timeout(90_000);
  const uncaught = watchUncaught();

  // A viewer left running keeps retrying (and holding the browser's connections): remove each.
  const created: CtViewer[] = [];
  afterEach(() => {
    for (const el of created.splice(0)) el.remove();
    expect(uncaught.take(), 'no page errors or unhandled rejections').to.deep.equal([]);
  });

  async function viewerAt(
    root: string,
    attrs = 'retries="0" retry-delay-ms="50" timeout-ms="1500"',
    headers?: Record<string, string>,
  ): Promise<CtViewer> {
    const el = await fixture<CtViewer>(html`<ct-viewer style="width:320px;height:320px" hide-toolbar></ct-viewer>`);
    created.push(el);
    for (const [, name, value] of attrs.matchAll(/([\w-]+)="([^"]*)"/g)) el.setAttribute(name!, value!);
    if (headers) el.headers = headers;
    el.dicomwebRoot = root;
    el.seriesUid = truth.seriesInstanceUid;
    el.studyUid = truth.studyInstanceUid;
    return el;
  }

  it('frames answering 500: typed warning, placeholders on failed slices, retried when the server is back', async () => {
    const reference = await sliceFingerprints(env.dicomwebRoot!, truth);
    const count = reference.uids.length;
    // Five slices in the middle fail, and so does the series retrieve (else it would bring them).
    const failing = [3, 4, 7, 10, 11].map((i) => Math.min(count - 1, i));
    const scenario = await faultScenario(env.faultsRoot, 'frames-500', [
      { match: `/series/${truth.seriesInstanceUid}$`, fault: '500' },
      ...failing.map((i) => ({ match: `/instances/${reference.uids[i]}/frames/`, fault: '500' })),
    ]);
    const progress: LoadProgressEvent['detail'][] = [];
    const warnings: ViewerErrorEvent['detail'][] = [];
    const el = await viewerAt(scenario.root);
    el.addEventListener('ct-load-progress', (e) => progress.push(e.detail));
    el.addEventListener('ct-error', (e) => warnings.push(e.detail));
    await seriesLoaded(el);
    await until(
      () => progress.at(-1)?.failed === failing.length && progress.at(-1)?.pending === 0,
      30_000,
      'failures counted',
    );
    expect(progress.at(-1)).to.deep.equal({
      loaded: count - failing.length,
      total: count,
      failed: failing.length,
      pending: 0,
    });
    expect(warnings.length).to.be.greaterThan(0);
    for (const warning of warnings) {
      expect(warning.fatal).to.equal(false);
      expect(warning.code).to.equal('http-status');
      expect(warning.message).not.to.match(/\[object/);
    }
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part=progress]'), 'the bar stays while images are missing').to.not.equal(
      null,
    );
    // Every slice: its own picture, or the placeholder — never another slice's pixels.
    await expectOwnPictures(el, reference, failing);
    // The server is back: the failed frames load without the reader doing anything.
    const before = (await scenario.requests()).length;
    await scenario.set([]);
    await until(() => progress.at(-1)?.loaded === count, 45_000, 'all loaded after recovery');
    expect((await scenario.requests()).length).to.be.greaterThan(before);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part=progress]'), 'the bar goes away').to.equal(null);
    await expectOwnPictures(el, reference, []);
  });

  it('a failed slice is retried when the reader scrolls to it', async () => {
    const reference = await sliceFingerprints(env.dicomwebRoot!, truth);
    const target = Math.min(reference.uids.length - 1, reference.initialIndex + 3);
    const scenario = await faultScenario(env.faultsRoot, 'scroll-retry', [
      { match: `/series/${truth.seriesInstanceUid}$`, fault: '500' },
      // Fails twice (the first pass and any early round), then answers.
      { match: `/instances/${reference.uids[target]}/frames/`, fault: '503', times: 1 },
    ]);
    const progress: LoadProgressEvent['detail'][] = [];
    const el = await viewerAt(scenario.root);
    el.addEventListener('ct-load-progress', (e) => progress.push(e.detail));
    await seriesLoaded(el);
    await until(() => progress.at(-1)?.failed === 1 && progress.at(-1)?.pending === 0, 30_000, 'one failure');
    el.sliceIndex = target;
    await until(() => progress.at(-1)?.loaded === reference.uids.length, 10_000, 'retried on scroll');
    await until(() => !el.shadowRoot!.querySelector('[part=placeholder]'), 5_000, 'placeholder gone');
    await expectOwnPictures(el, reference, [], [target]);
  });

  it('a first frame answering 500 does not refuse the series: the nearest slice that loads is shown', async () => {
    const reference = await sliceFingerprints(env.dicomwebRoot!, truth);
    const first = reference.initialIndex;
    const scenario = await faultScenario(env.faultsRoot, 'first-500', [
      { match: `/series/${truth.seriesInstanceUid}$`, fault: '500' },
      { match: `/instances/${reference.uids[first]}/frames/`, fault: '500' },
    ]);
    const errors: ViewerErrorEvent['detail'][] = [];
    const el = await viewerAt(scenario.root);
    el.addEventListener('ct-error', (e) => errors.push(e.detail));
    await seriesLoaded(el);
    expect(el.state).to.equal('ready');
    expect(el.sliceIndex).to.not.equal(first);
    expect(Math.abs(el.sliceIndex - first)).to.equal(1);
    expect(errors.every((e) => !e.fatal && e.code === 'http-status')).to.equal(true);
    await until(() => errors.length > 0, 10_000, 'a warning about the failed frame');
    await expectOwnPictures(el, reference, [first], [el.sliceIndex, first]);
  });

  it('a server that stops answering after the first image: a visible non-fatal warning, the reader keeps working', async () => {
    const reference = await sliceFingerprints(env.dicomwebRoot!, truth);
    const scenario = await faultScenario(env.faultsRoot, 'stall', [
      { match: `/series/${truth.seriesInstanceUid}$`, fault: 'hang' },
      { match: '/frames/', fault: 'stall-after-200', after: 1 },
    ]);
    const errors: ViewerErrorEvent['detail'][] = [];
    const el = await viewerAt(scenario.root);
    el.addEventListener('ct-error', (e) => errors.push(e.detail));
    await seriesLoaded(el);
    const warning = await nextEvent(el, 'ct-error', 20_000);
    expect(warning.detail.fatal).to.equal(false);
    expect(warning.detail.code).to.equal('network');
    expect(warning.detail.message).to.match(/stopped answering; 1 of \d+ images loaded/);
    await el.updateComplete;
    const banner = el.shadowRoot!.querySelector('.banner');
    expect(banner?.textContent).to.match(/stopped answering/);
    expect(el.state).to.equal('ready');
    // The reader scrolls on: a placeholder, never the loaded slice's picture under the new number.
    const shown = el.sliceIndex;
    el.sliceIndex = shown + 1;
    await el.updateComplete;
    // sliceIndex is the slice on screen: still the loaded one; the overlay names the one asked for.
    expect(el.sliceIndex).to.equal(shown);
    expect(el.shadowRoot!.querySelector('[part=placeholder]')).to.not.equal(null);
    expect(el.shadowRoot!.querySelector('[part=overlay]')?.textContent).to.include(`(${shown + 2}/`);
    expect(el.valueAt(160, 160)).to.equal(null);
    // Back on the loaded slice, it is shown and measured.
    el.sliceIndex = shown;
    await until(() => !el.shadowRoot!.querySelector('[part=placeholder]'), 5_000, 'loaded slice shown');
    expect(el.valueAt(160, 160)).to.be.a('number');
    await expectOwnPictures(el, reference, [], [shown]);
    expect(errors.every((e) => !e.fatal)).to.equal(true);
  });

  it('a 401 mid-session, then new credentials (headers): every slice shows its own pixels, none stays stale', async () => {
    const reference = await sliceFingerprints(env.dicomwebRoot!, truth);
    const count = reference.uids.length;
    // The token expires after the metadata and 9 frames; the server takes only the new one from then on.
    const scenario = await faultScenario(env.faultsRoot, 'expired-token', [
      { match: `/series/${truth.seriesInstanceUid}$`, fault: '500' },
      { match: '/dicom-web/', fault: '401', after: 10, unlessHeader: { name: 'authorization', value: 'Bearer new' } },
    ]);
    let progress: LoadProgressEvent['detail'][] = [];
    const errors: ViewerErrorEvent['detail'][] = [];
    const el = await viewerAt(scenario.root, undefined, { Authorization: 'Bearer old' });
    el.addEventListener('ct-load-progress', (e) => progress.push(e.detail));
    el.addEventListener('ct-error', (e) => errors.push(e.detail));
    await seriesLoaded(el);
    await until(
      () => errors.some((e) => e.code === 'unauthorized') && progress.at(-1)?.pending === 0,
      30_000,
      'the 401s are told and counted',
    );
    expect(errors.every((e) => !e.fatal)).to.equal(true);
    const failedBefore = progress.at(-1)!.failed;
    expect(failedBefore).to.be.greaterThan(count / 2);
    // The reader scrolls over a slice that answered 401: the placeholder, not a loaded slice's picture.
    const requests = await scenario.requests();
    const refused = requests.find((r) => r.fault === '401' && r.path.includes('/frames/'))!;
    const refusedIndex = reference.uids.findIndex((uid) => refused.path.includes(uid));
    await expectOwnPictures(el, reference, [refusedIndex], [refusedIndex]);

    // New credentials: every slice is loaded with them and shows its own pixels.
    const seen = (await scenario.requests()).length;
    progress = [];
    el.headers = { Authorization: 'Bearer new' };
    await until(() => progress.at(-1)?.loaded === count, 45_000, 'all loaded with the new token');
    await expectOwnPictures(el, reference, []);
    // Once the server took the new token, nothing asks with the old one any more (no stale retries).
    const after = (await scenario.requests()).slice(seen);
    const firstAccepted = after.findIndex((r) => r.fault === null && r.path.includes('/frames/'));
    expect(firstAccepted).to.be.at.least(0);
    expect(after.slice(firstAccepted).filter((r) => r.fault === '401')).to.deep.equal([]);
  });

  it('Try again and reload() start a fresh load every time (after 500 and after malformed metadata)', async () => {
    for (const fault of ['500', 'garbage']) {
      const scenario = await faultScenario(env.faultsRoot, `try-again-${fault}`, [{ match: '/metadata', fault }]);
      const el = await viewerAt(scenario.root);
      const error = await nextEvent(el, 'ct-error', 20_000);
      expect(error.detail.fatal).to.equal(true);
      expect(error.detail.code).to.equal(fault === '500' ? 'http-status' : 'corrupt');
      expect(error.detail.message).not.to.match(/\[object/);
      await el.updateComplete;
      // Still failing: Try again asks the server again (and fails again).
      const before = (await scenario.requests()).length;
      const again = nextEvent(el, 'ct-error', 20_000);
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part=error] button')!.click();
      await again;
      expect((await scenario.requests()).length).to.be.greaterThan(before);
      // The server is back: Try again loads the series.
      await scenario.set([]);
      await el.updateComplete;
      const loaded = seriesLoaded(el);
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part=error] button')!.click();
      await loaded;
      expect(el.state).to.equal('ready');
      // reload() loads afresh too.
      const count = (await scenario.requests()).length;
      const reloaded = seriesLoaded(el);
      el.reload();
      await reloaded;
      expect((await scenario.requests()).length).to.be.greaterThan(count);
      el.remove();
    }
  });

  it('invalid retries, retry-delay-ms and timeout-ms fall back to the defaults with one warning each', async () => {
    const messages: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => void messages.push(args.map(String).join(' '));
    try {
      const el = await viewerAt(env.dicomwebRoot!, 'retries="-3" retry-delay-ms="soon" timeout-ms="0"');
      await seriesLoaded(el);
      el.reload();
      await seriesLoaded(el);
    } finally {
      console.warn = original;
    }
    for (const name of ['retries', 'retry-delay-ms', 'timeout-ms']) {
      expect(
        messages.filter((m) => m.includes(`${name}=`)),
        name,
      ).to.have.length(1);
    }
  });
});
