import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import type { CtViewer } from '@secondread/ct-viewer';
import { seriesLoaded, testEnv, until } from './helpers.ts';

const env = await testEnv();

/** Requests for the phantom's files since `since` (Resource Timing). */
const studyRequests = (since: number): number =>
  performance
    .getEntriesByType('resource')
    .filter((entry) => entry.startTime >= since && env.phantom.baseline.urls.some((url) => entry.name.endsWith(url)))
    .length;

describe('<ct-viewer> headers', () => {
  it('a new headers object with the same content (any case of names) does not reload; new content does', async function () {
    this.timeout(90_000);
    const el = await fixture<CtViewer>(html`<ct-viewer style="width:300px;height:300px"></ct-viewer>`);
    el.headers = { 'X-Portal': 'token-1', Accept: '*/*' };
    const loaded = seriesLoaded(el);
    el.urls = env.phantom.baseline.urls;
    await loaded;
    await until(() => el.state === 'ready', 10_000, 'ready');
    el.sliceIndex = 4;
    await until(() => el.sliceIndex === 4, 5_000, 'slice 4');

    let loads = 0;
    el.addEventListener('ct-series-load', () => loads++);
    const since = performance.now();
    // What a React render or a token refresh that returns the same token does.
    const equalHeaders: Record<string, string>[] = [
      { 'X-Portal': 'token-1', Accept: '*/*' },
      { Accept: '*/*', 'x-portal': 'token-1' },
    ];
    for (const headers of equalHeaders) {
      el.headers = headers;
      await el.updateComplete;
    }
    el.sliceIndex = 5; // another update of the element, after the new objects
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(loads, 'series loads after equal headers').to.equal(0);
    expect(el.state).to.equal('ready');
    expect(el.sliceIndex).to.equal(5);
    expect(studyRequests(since), 'requests for the series').to.equal(0);

    // New content is a new request: the series is loaded with it.
    const reloaded = seriesLoaded(el);
    el.headers = { 'X-Portal': 'token-2', Accept: '*/*' };
    await reloaded;
    expect(loads).to.equal(1);
  });
});
