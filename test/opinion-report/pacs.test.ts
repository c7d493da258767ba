/**
 * The PACS round trip (issue #5) through the real Orthanc: a first reading stored as a DICOM SR
 * (STOW-RS) is found by QIDO-RS and shown as the first reading on the right slice; the submitted
 * second opinion is stored as an SR that the server gives back equal; a server failure keeps the
 * draft and says so.
 */
import { expect } from '@open-wc/testing';
import { exportReadingSr, findReadings, loadReadingSr, storeSr } from '@secondread/standards';
import type { ViewerErrorEvent } from '@secondread/ct-viewer';
import type { ReportStoreEvent, ReportSubmitEvent } from '@secondread/opinion-report';
// The draft store is internal to the element (not exported by the package): the tests open it directly.
import { draftStore } from '../../packages/opinion-report/src/draft-store.ts';
import { nextEvent, until } from '../ct-viewer/helpers.ts';
import { showSlice } from '../measurement-tools/helpers.ts';
import { env, firstReading, measureAcross, n1, truth, workspace } from './helpers.ts';

const target = { root: env.dicomwebRoot! };

/** Shapes of the measurement layer the viewer draws for the displayed slice. */
function shapes(viewer: HTMLElement): number {
  return (
    viewer.shadowRoot!.querySelector('svg.svg-layer')?.querySelectorAll('path, polyline, polygon, line').length ?? 0
  );
}

/** A length across N1 paired with the first reading, and RADPEER 1: the opinion can be submitted. */
async function readyToSubmit(ws: Awaited<ReturnType<typeof workspace>>): Promise<void> {
  await measureAcross(ws, n1, 13);
  await until(
    () => ws.report.opinion!.concordance.pairs.some((p) => p.firstFindingId && p.secondFindingId),
    5000,
    'pair',
  );
  ws.report.model!.setRadpeer('1');
}

describe('<opinion-report> and the PACS (DICOM SR over DICOMweb)', () => {
  it('loads the first reading from an SR found by QIDO-RS, and stores the second opinion as an SR', async () => {
    // The first reader's report reaches the PACS as a DICOM SR (as another system would put it there).
    const scripted = firstReading();
    const firstSr = exportReadingSr(scripted);
    const storedFirst = await storeSr(target, firstSr.buffer);
    expect((await findReadings(target, truth.studyInstanceUid)).map((r) => r.sopInstanceUid)).to.include(
      storedFirst.sopInstanceUid,
    );

    const key = `pacs-${Date.now()}`;
    const ws = await workspace({ key, dicomwebRoot: env.dicomwebRoot!, firstFromPacs: true });
    const { report } = ws;
    await until(
      () => report.opinion?.readings.some((r) => r.role === 'first') ?? false,
      15_000,
      'first reading from PACS',
    );
    const first = report.opinion!.readings.find((r) => r.role === 'first')!;
    expect(first.source?.kind).to.equal('sr');
    expect(first.source?.sopInstanceUid).to.be.a('string');
    expect(first.findings).to.have.length(1);
    const line = first.findings[0]!.location.measurements[0]!;
    expect(line.sopInstanceUid).to.equal(n1.sopInstanceUid);
    expect(line.values.lengthMm).to.be.closeTo(scripted.findings[0]!.location.measurements[0]!.values.lengthMm!, 1e-6);

    // Its measurement is drawn in the first viewer on the nodule's slice, and not elsewhere.
    await showSlice(ws.first, n1.sliceIndex);
    await until(() => shapes(ws.first) > 0, 10_000, 'first reading drawn on its slice');
    await showSlice(ws.first, 5);
    await until(() => shapes(ws.first) === 0, 5000, 'nothing on another slice');

    // The second reader measures, scores and submits: the server confirms the SR.
    const drawn = await measureAcross(ws, n1, 15);
    await until(
      () => report.opinion!.concordance.pairs.some((p) => p.firstFindingId && p.secondFindingId),
      5000,
      'pair',
    );
    report.model!.setRadpeer('2a');
    const stored = nextEvent<ReportStoreEvent>(report, 'ct-report-store', 20_000);
    expect(report.submit()).to.not.equal(null);
    const { detail } = await stored;
    expect(detail.studyUid).to.equal(truth.studyInstanceUid);
    await report.updateComplete;
    expect(report.shadowRoot!.querySelector('[part=status]')!.textContent).to.match(/stored in PACS/);
    // Confirmed by the PACS: the autosaved draft (texts, key images) is gone from the browser (default retention).
    await report.saved;
    expect(await draftStore.get(key)).to.equal(undefined);
    expect(report.shadowRoot!.querySelector('[part=status]')!.textContent).to.match(/stored in PACS/);

    // QIDO-RS finds it; retrieved and imported, it is the second reading with the concordance.
    const found = (await findReadings(target, truth.studyInstanceUid)).find(
      (r) => r.sopInstanceUid === detail.sopInstanceUid,
    );
    expect(found).to.not.equal(undefined);
    const imported = await loadReadingSr(target, found!);
    expect(imported.reading.role).to.equal('second');
    expect(imported.reading.findings).to.have.length(1);
    expect(imported.reading.findings[0]!.location.measurements[0]!.values.lengthMm).to.be.closeTo(
      drawn.values.lengthMm!,
      1e-3,
    );
    expect(imported.secondOpinion?.concordance.radpeer).to.equal('2a');
    // No patient identity left the browser.
    const text = new TextDecoder('latin1').decode(
      await (
        await fetch(
          `${env.dicomwebRoot}/studies/${truth.studyInstanceUid}/series/${detail.seriesUid}/instances/${detail.sopInstanceUid}`,
          { headers: { Accept: 'multipart/related; type="application/dicom"' } },
        )
      ).arrayBuffer(),
    );
    for (const value of [truth.patient.name, truth.patient.id, truth.accessionNumber])
      expect(text).not.to.include(value);
  });

  it('keeps the submitted draft and reports a typed error when the server refuses the SR, then retries', async () => {
    const key = `pacs-fail-${Date.now()}`;
    const failing = `${env.faultsRoot}/500/dicom-web`;
    const ws = await workspace({ key, firstReading: firstReading(), dicomwebRoot: failing });
    const { report } = ws;
    await readyToSubmit(ws);
    const failed = nextEvent<ViewerErrorEvent>(report, 'ct-error', 20_000);
    report.submit();
    expect((await failed).detail.code).to.equal('http-status');
    await report.updateComplete;
    expect(report.shadowRoot!.querySelector('[part=error]')!.textContent).to.match(/Not stored/);
    await report.saved;
    const draft = await draftStore.get(key);
    expect(draft!.opinion.submittedAt).to.be.a('string');
    expect(draft!.storedSopInstanceUid).to.equal(undefined);
    expect(draft!.storeState).to.equal('failed');
    expect(draft!.storeError!.code).to.equal('http-status');

    // Reload (a fresh page builds the workspace with the same key): still NOT stored, says so, and offers to retry.
    const reloaded = await workspace({ key, firstReading: firstReading(), dicomwebRoot: failing });
    const again = reloaded.report;
    await until(() => again.opinion?.submittedAt !== undefined, 5000, 'restored submitted opinion');
    await again.updateComplete;
    const text = (part: string): string => again.shadowRoot!.querySelector(`[part=${part}]`)!.textContent!.trim();
    expect(text('status')).to.match(/^Submitted .* · NOT stored in PACS$/);
    expect(text('error')).to.match(/Not stored on the image server: .*press Submit to try again/);
    expect(text('submit')).to.equal('Store in PACS again');

    // The server is back: Submit stores it now, without a second ct-report-submit, and the draft goes.
    const submits: Event[] = [];
    again.addEventListener('ct-report-submit', (e) => submits.push(e));
    again.dicomwebRoot = env.dicomwebRoot!;
    await again.updateComplete;
    const stored = nextEvent<ReportStoreEvent>(again, 'ct-report-store', 20_000);
    again.shadowRoot!.querySelector<HTMLButtonElement>('[part=submit]')!.click();
    const { detail } = await stored;
    expect(detail.sopInstanceUid).to.be.a('string');
    expect(detail.studyUid).to.equal(truth.studyInstanceUid);
    expect(submits).to.have.length(0);
    await again.updateComplete;
    expect(text('status')).to.match(/· stored in PACS$/);
    expect(again.shadowRoot!.querySelector('[part=error]')).to.equal(null);
    expect(text('submit')).to.equal('Submitted');
    await again.saved;
    expect(await draftStore.get(key)).to.equal(undefined);
    // What the PACS holds is this opinion.
    const found = (await findReadings(target, truth.studyInstanceUid)).find(
      (r) => r.sopInstanceUid === detail.sopInstanceUid,
    );
    const imported = await loadReadingSr(target, found!);
    expect(imported.secondOpinion?.concordance.radpeer).to.equal('1');
    expect(imported.reading.findings).to.have.length(1);
  });

  it('a store the server never confirmed (page closed meanwhile) reads as NOT stored after a reload', async () => {
    const key = `pacs-hang-${Date.now()}`;
    const ws = await workspace({ key, firstReading: firstReading(), dicomwebRoot: `${env.faultsRoot}/hang/dicom-web` });
    await readyToSubmit(ws);
    ws.report.submit();
    await until(() => /storing in PACS/.test(ws.report.shadowRoot!.querySelector('[part=status]')!.textContent!), 5000);
    await ws.report.saved;
    expect((await draftStore.get(key))!.storeState).to.equal('storing');

    const reloaded = await workspace({ key, firstReading: firstReading() });
    await until(() => reloaded.report.opinion?.submittedAt !== undefined, 5000, 'restored');
    await reloaded.report.updateComplete;
    const root = reloaded.report.shadowRoot!;
    expect(root.querySelector('[part=status]')!.textContent).to.match(/NOT stored in PACS/);
    expect(root.querySelector('[part=error]')!.textContent).to.match(/had not confirmed storing it/);
  });

  it('an edit after the PACS stored the opinion says it is not stored (also after a reload) and is stored as a new SR naming the earlier one', async () => {
    const key = `pacs-amend-${Date.now()}`;
    const ws = await workspace({ key, firstReading: firstReading(), dicomwebRoot: env.dicomwebRoot! });
    const { report } = ws;
    await readyToSubmit(ws);
    const impression = (r: typeof report): HTMLTextAreaElement => r.shadowRoot!.querySelector('textarea')!;
    const type = (r: typeof report, value: string): void => {
      impression(r).value = value;
      impression(r).dispatchEvent(new Event('input'));
    };
    type(report, 'Nodule as reported.');
    const submits: ReportSubmitEvent[] = [];
    document.addEventListener('ct-report-submit', (e) => submits.push(e));
    const firstStore = nextEvent<ReportStoreEvent>(report, 'ct-report-store', 20_000);
    report.shadowRoot!.querySelector<HTMLButtonElement>('[part=submit]')!.click();
    const earlier = (await firstStore).detail;
    expect(earlier.predecessorSopInstanceUid).to.equal(undefined);
    await report.saved;
    expect(await draftStore.get(key)).to.equal(undefined);
    const text = (r: typeof report, part: string): string =>
      r.shadowRoot!.querySelector(`[part=${part}]`)?.textContent?.trim() ?? '';
    await report.updateComplete;
    expect(text(report, 'status')).to.match(/· stored in PACS$/);

    // The reader edits the stored opinion: it is at once shown as not stored, and kept as a draft.
    type(report, 'Nodule as reported; a second nodule in the left lower lobe, 6 mm.');
    await report.updateComplete;
    expect(report.opinion!.submittedAt).to.equal(undefined);
    expect(text(report, 'status')).to.match(/changed since stored in PACS, NOT stored$/);
    expect(text(report, 'error')).to.match(
      /^Changed after it was stored in the PACS: .*Submit to store the amended report/,
    );
    expect(text(report, 'submit')).to.equal('Submit amended opinion');
    await report.saved;
    const draft = (await draftStore.get(key))!;
    expect(draft.storeState).to.equal('changed');
    expect(draft.storedSopInstanceUid).to.equal(undefined);
    expect(draft.storedSr!.sopInstanceUid).to.equal(earlier.sopInstanceUid);
    expect(draft.submitDispatched).to.equal(false);

    // A reload keeps the "not stored" state and the edit.
    const reloaded = await workspace({ key, firstReading: firstReading(), dicomwebRoot: env.dicomwebRoot! });
    const again = reloaded.report;
    await until(() => impression(again).value.includes('second nodule'), 5000, 'restored edit');
    await again.updateComplete;
    expect(text(again, 'status')).to.match(/changed since stored in PACS, NOT stored$/);
    expect(text(again, 'error')).to.match(/^Changed after it was stored in the PACS/);
    expect(text(again, 'submit')).to.equal('Submit amended opinion');

    // Submitted again: announced once more, and stored as a second SR that names the first.
    const secondStore = nextEvent<ReportStoreEvent>(again, 'ct-report-store', 20_000);
    again.shadowRoot!.querySelector<HTMLButtonElement>('[part=submit]')!.click();
    const amended = (await secondStore).detail;
    expect(submits).to.have.length(2);
    expect(submits[1]!.detail.opinion.readings.find((r) => r.role === 'second')!.status).to.equal('amended');
    expect(amended.sopInstanceUid).not.to.equal(earlier.sopInstanceUid);
    expect(amended.seriesUid).to.equal(earlier.seriesUid);
    expect(amended.predecessorSopInstanceUid).to.equal(earlier.sopInstanceUid);
    await again.updateComplete;
    expect(text(again, 'status')).to.match(/· stored in PACS$/);
    expect(again.shadowRoot!.querySelector('[part=error]')).to.equal(null);
    await again.saved;
    expect(await draftStore.get(key)).to.equal(undefined);

    // Orthanc holds both: the earlier without the edit, the amendment with it and its predecessor.
    const found = await findReadings(target, truth.studyInstanceUid);
    const byUid = (uid: string) => found.find((r) => r.sopInstanceUid === uid)!;
    const [before, after] = await Promise.all(
      [earlier.sopInstanceUid, amended.sopInstanceUid].map((uid) => loadReadingSr(target, byUid(uid))),
    );
    expect(before!.reading.impression).to.equal('Nodule as reported.');
    expect(after!.reading.impression).to.equal('Nodule as reported; a second nodule in the left lower lobe, 6 mm.');
    expect(after!.reading.status).to.equal('amended');
    const metadata = (await (
      await fetch(
        `${env.dicomwebRoot}/studies/${truth.studyInstanceUid}/series/${amended.seriesUid}/instances/${amended.sopInstanceUid}/metadata`,
        { headers: { Accept: 'application/dicom+json' } },
      )
    ).json()) as Record<string, { Value?: Record<string, { Value?: unknown[] }>[] }>[];
    const predecessor = metadata[0]!['0040A360']!.Value![0]!;
    expect(predecessor['0020000D']!.Value).to.deep.equal([truth.studyInstanceUid]);
    const series = predecessor['00081115']!.Value![0] as Record<string, { Value?: unknown[] }>;
    expect(series['0020000E']!.Value).to.deep.equal([earlier.seriesUid]);
    const sop = (series['00081199']!.Value![0] as Record<string, { Value?: unknown[] }>)['00081155']!.Value;
    expect(sop).to.deep.equal([earlier.sopInstanceUid]);
    expect(metadata[0]!['00200013']!.Value).to.deep.equal([2]);
  });

  it('a reader name longer than a DICOM person name (64 bytes) is stored, cut, with a visible note; the SR keeps it whole', async () => {
    const name = 'Prof. Dr. med. Anna-Katharina Müller-Lüdenscheidt, FRCR, Consultant Thoracic Radiologist';
    expect(new TextEncoder().encode(name).length).to.be.greaterThan(64);
    const key = `pacs-long-name-${Date.now()}`;
    const ws = await workspace({
      key,
      firstReading: firstReading(),
      dicomwebRoot: env.dicomwebRoot!,
      readerName: name,
    });
    const { report } = ws;
    await readyToSubmit(ws);
    const errors: string[] = [];
    report.addEventListener('ct-error', (e) => errors.push(e.detail.code));
    const stored = nextEvent<ReportStoreEvent>(report, 'ct-report-store', 20_000);
    report.submit();
    const { detail } = await stored;
    expect(errors).to.deep.equal([]);
    await report.updateComplete;
    expect(report.shadowRoot!.querySelector('[part=status]')!.textContent).to.match(/· stored in PACS$/);
    expect(report.shadowRoot!.querySelector('[part=error]')!.textContent).to.match(
      /^Stored in PACS\. Note: The reader name is longer than a DICOM person name \(64 bytes\)/,
    );
    // The PACS holds the first 64 bytes as Person Observer Name, and import gives the whole name back.
    const found = (await findReadings(target, truth.studyInstanceUid)).find(
      (r) => r.sopInstanceUid === detail.sopInstanceUid,
    )!;
    const imported = await loadReadingSr(target, found);
    expect(imported.reading.reader.name).to.equal(name);
    const metadata = (await (
      await fetch(
        `${env.dicomwebRoot}/studies/${truth.studyInstanceUid}/series/${detail.seriesUid}/instances/${detail.sopInstanceUid}/metadata`,
        { headers: { Accept: 'application/dicom+json' } },
      )
    ).json()) as Record<string, { Value?: Record<string, { Value?: { Alphabetic?: string }[] }>[] }>[];
    const observerName = metadata[0]!['0040A730']!.Value!.find((item) => item['0040A123'])!['0040A123']!.Value![0]!
      .Alphabetic!;
    expect(name.startsWith(observerName)).to.equal(true);
    expect(new TextEncoder().encode(observerName).length).to.be.within(60, 64);
  });

  it('draft-retention="keep" keeps the draft, marked as stored, across a reload', async () => {
    const key = `pacs-keep-${Date.now()}`;
    const ws = await workspace({
      key,
      firstReading: firstReading(),
      dicomwebRoot: env.dicomwebRoot!,
      draftRetention: 'keep',
    });
    await readyToSubmit(ws);
    const stored = nextEvent<ReportStoreEvent>(ws.report, 'ct-report-store', 20_000);
    ws.report.submit();
    const { detail } = await stored;
    await ws.report.saved;
    const draft = (await draftStore.get(key))!;
    expect(draft.storedSopInstanceUid).to.equal(detail.sopInstanceUid);
    expect(draft.storeState).to.equal('stored');

    const reloaded = await workspace({ key, firstReading: firstReading(), draftRetention: 'keep' });
    await until(() => reloaded.report.opinion?.submittedAt !== undefined, 5000, 'restored');
    await reloaded.report.updateComplete;
    expect(reloaded.report.shadowRoot!.querySelector('[part=status]')!.textContent).to.match(/· stored in PACS$/);
    expect(await reloaded.report.storeInPacs()).to.equal(detail.sopInstanceUid);
    await reloaded.report.clearDraft();
    expect(await draftStore.get(key)).to.equal(undefined);
  });
});

/**
 * What works on any DICOMweb server, checked on Orthanc and on a static DICOMweb tree (whose
 * QIDO-RS ignores `Modality=SR` and lists every series, and whose instances are files).
 */
const servers = [
  { name: 'Orthanc', root: env.dicomwebRoot!, stow: true },
  { name: 'static tree', root: env.staticDicomwebRoot, stow: false },
] as const;

for (const server of servers) {
  describe(`<opinion-report> first-from-pacs (${server.name})`, () => {
    it('finds the first reader’s SR by QIDO-RS, retrieves it by WADO-RS and shows it on its slice', async () => {
      const target = { root: server.root };
      // On Orthanc the first reader's system stores it now; the static tree was written with it.
      if (server.stow) await storeSr(target, exportReadingSr(firstReading()).buffer);
      const found = await findReadings(target, truth.studyInstanceUid);
      expect(found.length).to.be.greaterThan(0);
      // Only the SR series' instances: QIDO-RS found no CT image among them.
      for (const reading of found) expect(reading.seriesUid).not.to.equal(truth.seriesInstanceUid);

      const ws = await workspace({
        key: `first-from-${server.stow ? 'orthanc' : 'static'}-${Date.now()}`,
        dicomwebRoot: server.root,
        viewerDicomwebRoot: server.root,
        firstFromPacs: true,
      });
      const { report } = ws;
      await until(
        () => report.opinion?.readings.some((r) => r.role === 'first') ?? false,
        15_000,
        'first reading from the server',
      );
      const first = report.opinion!.readings.find((r) => r.role === 'first')!;
      expect(first.source?.kind).to.equal('sr');
      expect(found.map((r) => r.sopInstanceUid)).to.include(first.source!.sopInstanceUid);
      expect(first.findings).to.have.length(1);
      const line = first.findings[0]!.location.measurements[0]!;
      expect(line.sopInstanceUid).to.equal(n1.sopInstanceUid);
      expect(line.values.lengthMm).to.be.closeTo(n1.diameterMm, 1e-6);
      await showSlice(ws.first, n1.sliceIndex);
      await until(() => shapes(ws.first) > 0, 10_000, 'first reading drawn on its slice');
    });
  });
}

describe('<opinion-report> on a static DICOMweb tree (no STOW-RS)', () => {
  it('says storing is not available, with a typed ct-error, and keeps the submitted report', async () => {
    const key = `static-store-${Date.now()}`;
    const ws = await workspace({
      key,
      firstReading: firstReading(),
      dicomwebRoot: env.staticDicomwebRoot,
      viewerDicomwebRoot: env.staticDicomwebRoot,
    });
    const { report } = ws;
    await readyToSubmit(ws);
    const submitted = nextEvent<ReportSubmitEvent>(report, 'ct-report-submit', 20_000);
    const failed = nextEvent<ViewerErrorEvent>(report, 'ct-error', 20_000);
    const stores: Event[] = [];
    report.addEventListener('ct-report-store', (e) => stores.push(e));
    report.submit();
    expect((await submitted).detail.opinion.submittedAt).to.be.a('string');
    const { detail } = await failed;
    expect(detail.code).to.equal('store-unavailable');
    expect(detail.message).to.match(/STOW-RS answered 405/);
    expect(detail.fatal).to.equal(false);
    await report.updateComplete;
    expect(report.shadowRoot!.querySelector('[part=error]')!.textContent).to.match(
      /Storing is not available on this image server/,
    );
    await report.saved;
    const draft = await draftStore.get(key);
    expect(draft!.opinion.submittedAt).to.be.a('string');
    expect(draft!.storedSopInstanceUid).to.equal(undefined);
    expect(stores).to.have.length(0);
  });
});
