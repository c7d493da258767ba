import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import type { CtViewer, SeriesLoadEvent } from '@secondread/ct-viewer';
import type { PhantomTruth } from '@secondread/phantom';
import { filesFrom, nextEvent, pixelToCss, testEnv, until } from './helpers.ts';

const env = await testEnv();
const baseline = env.phantom.baseline.truth;
const followup = env.phantom.followup.truth;

/**
 * The HU at a point 7 mm right of nodule N1's centre, on its centre slice: outside the nodule in
 * the baseline (12 mm), inside it in the follow-up (16 mm), where it grew.
 */
async function huWhereN1Grew(el: CtViewer, truth: PhantomTruth): Promise<number | null> {
  const n1 = truth.nodules[0]!;
  el.sliceIndex = n1.sliceIndex;
  await until(() => el.sliceIndex === n1.sliceIndex, 10_000, 'N1 slice');
  const column = Math.round(n1.pixel.column + 7 / truth.pixelSpacingMm[1]);
  const row = Math.round(n1.pixel.row);
  const [x, y] = pixelToCss(el, truth.columns, truth.rows, column, row);
  await until(() => el.valueAt(x, y) !== null, 10_000, 'a value under the point');
  return el.valueAt(x, y);
}

/** Sets a source and waits for the series it names. */
async function show(el: CtViewer, set: () => void): Promise<SeriesLoadEvent['detail']> {
  const loaded = nextEvent<SeriesLoadEvent>(el, 'ct-series-load', 30_000);
  set();
  return (await loaded).detail;
}

describe('<ct-viewer> source precedence: the source set last wins', () => {
  it('files, then urls, then DICOMweb, then files again: each shows its own series; the same value again does not reload', async function () {
    this.timeout(120_000);
    const el = await fixture<CtViewer>(html`<ct-viewer style="width:400px;height:400px"></ct-viewer>`);
    const errors: Event[] = [];
    el.addEventListener('ct-error', (e) => errors.push(e));
    const baselineFiles = await filesFrom(env.phantom.baseline.urls);

    // files: the baseline.
    let detail = await show(el, () => (el.files = baselineFiles));
    expect(detail).to.include({ seriesUid: baseline.seriesInstanceUid, sliceCount: baseline.sliceCount });
    const n1 = baseline.nodules[0]!;
    expect(followup.nodules[0]!.diameterMm).to.be.greaterThan(n1.diameterMm);
    const baselineHu = await huWhereN1Grew(el, baseline);
    expect(baselineHu).not.to.equal(n1.hu);

    // urls after files: the follow-up, with the nodule grown; the files are still set.
    detail = await show(el, () => (el.urls = env.phantom.followup.urls));
    expect(detail).to.include({
      studyUid: followup.studyInstanceUid,
      seriesUid: followup.seriesInstanceUid,
      sliceCount: followup.sliceCount,
    });
    expect(el.files).to.equal(baselineFiles);
    expect(await huWhereN1Grew(el, followup)).to.equal(followup.nodules[0]!.hu);

    // The same URLs again: no new load.
    let loads = 0;
    const count = (): void => void loads++;
    el.addEventListener('ct-series-load', count);
    el.urls = env.phantom.followup.urls;
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 1000));
    expect(loads, 'loads after setting the same urls').to.equal(0);
    expect(el.state).to.equal('ready');
    expect(el.seriesModel!.seriesUid).to.equal(followup.seriesInstanceUid);

    // DICOMweb after urls: the baseline from the PACS.
    el.removeEventListener('ct-series-load', count);
    detail = await show(el, () => {
      el.dicomwebRoot = env.dicomwebRoot!;
      el.studyUid = baseline.studyInstanceUid;
    });
    expect(detail).to.include({
      studyUid: baseline.studyInstanceUid,
      seriesUid: baseline.seriesInstanceUid,
      sliceCount: baseline.sliceCount,
    });
    expect(await huWhereN1Grew(el, baseline)).to.equal(baselineHu);

    // The same study again: no new load.
    el.addEventListener('ct-series-load', count);
    el.studyUid = baseline.studyInstanceUid;
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 1000));
    expect(loads, 'loads after setting the same study-uid').to.equal(0);
    el.removeEventListener('ct-series-load', count);

    // files after DICOMweb: the files (the follow-up this time, to tell them apart).
    const followupFiles = await filesFrom(env.phantom.followup.urls);
    detail = await show(el, () => (el.files = followupFiles));
    expect(detail).to.include({ seriesUid: followup.seriesInstanceUid, sliceCount: followup.sliceCount });
    expect(el.seriesModel!.studyUid).to.equal(followup.studyInstanceUid);
    expect(el.studyUid).to.equal(baseline.studyInstanceUid);
    expect(await huWhereN1Grew(el, followup)).to.equal(followup.nodules[0]!.hu);

    // Clearing the shown source falls back to the others still set (files, then URLs, then
    // DICOMweb): the follow-up URLs.
    detail = await show(el, () => (el.files = []));
    expect(detail).to.include({ seriesUid: followup.seriesInstanceUid, sliceCount: followup.sliceCount });
    expect(errors, 'no errors').to.have.length(0);
  });
});
