import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import type { CtViewer, SeriesLoadEvent } from '@secondread/ct-viewer';
import { filesFrom, testEnv } from './helpers.ts';

/** LIDC-IDRI-0001's CT slices (133) from the shared data when present, else the phantom baseline's. */
async function ctSeries(): Promise<{ urls: readonly string[]; sliceCount: number }> {
  const env = await testEnv();
  return env.lidcUrls
    ? { urls: env.lidcUrls, sliceCount: 133 }
    : { urls: env.phantom.baseline.urls, sliceCount: env.phantom.baseline.truth.sliceCount };
}

describe('ct-viewer local files', () => {
  it('loads a CT series from files (LIDC-IDRI-0001 when present, else the phantom)', async () => {
    const { urls, sliceCount } = await ctSeries();
    const el = await fixture<CtViewer>(html`<ct-viewer style="width:512px;height:512px"></ct-viewer>`);
    const loaded = new Promise<SeriesLoadEvent>((r) => el.addEventListener('ct-series-load', r, { once: true }));
    el.files = await filesFrom(urls);
    const ev = await loaded;
    expect(ev.detail.sliceCount).to.equal(sliceCount);
    expect(el.state).to.equal('ready');
  });
});
