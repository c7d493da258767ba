/**
 * A viewer taken off the page stops asking the server for anything: its pending frame requests
 * are aborted and no retry or prefetch starts afterwards (issue #16).
 */
import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import type { CtViewer, LoadProgressEvent } from '@secondread/ct-viewer';
import { faultScenario, watchUncaught } from './faults-helpers.ts';
import { seriesLoaded, testEnv, until } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;

describe('<ct-viewer> removed while its series loads', function () {
  this.timeout(60_000);
  const uncaught = watchUncaught();

  it('sends no request once it has left the page', async () => {
    // Slow frames and no series retrieve, so that most of the series is still to come.
    const scenario = await faultScenario(env.faultsRoot, 'removed', [
      { match: `/series/${truth.seriesInstanceUid}$`, fault: '503' },
      { match: '/frames/', fault: 'delay-400' },
    ]);
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = document.createElement('ct-viewer') as CtViewer;
    el.style.cssText = 'width:300px;height:300px';
    el.setAttribute('retries', '0');
    host.append(el);
    const progress: LoadProgressEvent['detail'][] = [];
    el.addEventListener('ct-load-progress', (e) => progress.push(e.detail));
    el.dicomwebRoot = scenario.root;
    el.studyUid = truth.studyInstanceUid;
    el.seriesUid = truth.seriesInstanceUid;
    await seriesLoaded(el);
    await until(() => (progress.at(-1)?.loaded ?? 0) >= 2, 20_000, 'a few images');
    expect(progress.at(-1)!.loaded, 'the series is still loading').to.be.below(truth.sliceCount);

    el.remove();
    // The viewport is released in the task after the removal (a move in the DOM keeps it).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const atRemoval = (await scenario.requests()).length;
    expect(atRemoval, "the proxy saw the viewer's requests").to.be.greaterThan(2);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const later = (await scenario.requests()).slice(atRemoval);
    expect(
      later.map((r) => r.path),
      'requests after the viewer left',
    ).to.deep.equal([]);
    expect(uncaught.take(), 'no page errors or unhandled rejections').to.deep.equal([]);
  });
});
