/**
 * PACS round trip against a real Orthanc (DICOMweb plugin): STOW-RS the exported SR, find it with
 * QIDO-RS, retrieve it with WADO-RS and import it. Orthanc must be installed (`.ci/run` installs
 * it): without it these tests fail, they are not skipped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import XMLHttpRequest from 'xhr2';
import { ViewerError, type Reading } from '@secondread/core';
import { isOrthancAvailable, startOrthanc, type OrthancHandle } from '../../../test/support/orthanc.ts';
import {
  exportReadingSr,
  exportSecondOpinionSr,
  findReadings,
  importSecondOpinionSr,
  loadReadingSr,
  retrieveSr,
  storeSr,
  type NaturalDataset,
} from '../src/index.ts';
import { CT_FILES, STUDY_UID, firstReading, ctHeaders, secondOpinion } from './fixtures.ts';

// dicomweb-client speaks XMLHttpRequest, which browsers have and Node does not.
globalThis.XMLHttpRequest ??= XMLHttpRequest;

let orthanc: OrthancHandle | undefined;
let headers: NaturalDataset[];

before(async () => {
  assert.ok(
    isOrthancAvailable(),
    'Orthanc with its DICOMweb plugin is required (apt-get install orthanc orthanc-dicomweb)',
  );
  headers = ctHeaders();
  orthanc = await startOrthanc();
  // The slices the readings measure on, so that the SRs join an existing study.
  const used = new Set(
    [firstReading(headers), secondOpinion(headers).readings[1]!].flatMap((r) =>
      r.findings.flatMap((f) => f.location.measurements.map((m) => m.sopInstanceUid)),
    ),
  );
  const files = CT_FILES.filter((_, i) => used.has(String(headers[i]!.SOPInstanceUID)));
  assert.ok(files.length >= 3);
  await orthanc.upload(files);
});

after(async () => {
  await orthanc?.stop();
});

const withoutSource = (reading: Reading): Omit<Reading, 'source'> => {
  const { source: _source, ...rest } = reading;
  return rest;
};

describe('DICOMweb round trip (Orthanc)', () => {
  it('STOW-RS stores the SR, QIDO-RS finds it, WADO-RS + importSr gives the same reading', async () => {
    const target = { root: orthanc!.dicomwebRoot };
    const reading = firstReading(headers);
    const sr = exportReadingSr(reading, { referencedImageHeaders: headers, allowPatientIdentity: true });
    const stored = await storeSr(target, sr.buffer);
    assert.deepEqual(stored, {
      studyUid: STUDY_UID,
      seriesUid: sr.seriesInstanceUid,
      sopInstanceUid: sr.sopInstanceUid,
    });

    const found = await findReadings(target, STUDY_UID);
    const summary = found.find((f) => f.sopInstanceUid === sr.sopInstanceUid);
    assert.ok(summary, JSON.stringify(found));
    assert.equal(summary.seriesUid, sr.seriesInstanceUid);
    assert.equal(summary.sopClassUid, '1.2.840.10008.5.1.4.1.1.88.34');
    assert.equal(summary.seriesDescription, 'SecondRead first reading');

    const bytes = await retrieveSr(target, summary);
    assert.ok(bytes.byteLength > 1000);
    const imported = await loadReadingSr(target, summary);
    assert.deepEqual(withoutSource(imported.reading), reading);
    assert.equal(imported.reading.source?.sopInstanceUid, sr.sopInstanceUid);
    assert.deepEqual(imported.warnings, []);
  });

  it('stores the second opinion SR next to the first, which it references', async () => {
    const target = { root: orthanc!.dicomwebRoot };
    const first = firstReading(headers);
    const firstSr = exportReadingSr(first, { referencedImageHeaders: headers, allowPatientIdentity: true });
    await storeSr(target, firstSr.buffer);
    const loadedFirst = (
      await loadReadingSr(target, {
        studyUid: STUDY_UID,
        seriesUid: firstSr.seriesInstanceUid,
        sopInstanceUid: firstSr.sopInstanceUid,
      })
    ).reading;
    const opinion = secondOpinion(headers, loadedFirst);
    const secondSr = exportSecondOpinionSr(opinion, { referencedImageHeaders: headers, allowPatientIdentity: true });
    await storeSr(target, secondSr.buffer);
    const found = await findReadings(target, STUDY_UID);
    const second = found.find((f) => f.sopInstanceUid === secondSr.sopInstanceUid);
    assert.ok(second);
    const imported = importSecondOpinionSr(await retrieveSr(target, second), { firstReading: loadedFirst });
    assert.equal(imported.secondOpinion.firstReadingSr?.sopInstanceUid, firstSr.sopInstanceUid);
    assert.deepEqual(imported.opinion?.concordance, opinion.concordance);
  });

  it('stores a reader name longer than a DICOM person name, and gives it back whole', async () => {
    const target = { root: orthanc!.dicomwebRoot };
    const name = 'Prof. Dr. med. Anna-Katharina Müller-Lüdenscheidt, FRCR (Radiology)';
    const base = firstReading(headers);
    const reading = { ...base, reader: { ...base.reader, name } };
    const sr = exportReadingSr(reading, { referencedImageHeaders: headers });
    assert.equal(sr.warnings.length, 1);
    const stored = await storeSr(target, sr.buffer);
    assert.equal(stored.sopInstanceUid, sr.sopInstanceUid);
    const imported = await loadReadingSr(target, stored);
    assert.equal(imported.reading.reader.name, name);
    assert.deepEqual(withoutSource(imported.reading), reading);
  });

  it('finds a de-identified SR by its Study Instance UID too', async () => {
    const target = { root: orthanc!.dicomwebRoot };
    const sr = exportReadingSr(firstReading(headers), { referencedImageHeaders: headers });
    await storeSr(target, sr.buffer);
    const found = await findReadings(target, STUDY_UID);
    assert.ok(
      found.some((f) => f.sopInstanceUid === sr.sopInstanceUid),
      JSON.stringify(found),
    );
  });

  it('turns server failures into ViewerErrors', async () => {
    const missing = { root: `${orthanc!.url}/no-such-dicomweb` };
    await assert.rejects(storeSr(missing, exportReadingSr(firstReading(headers)).buffer), (error: unknown) => {
      assert.ok(error instanceof ViewerError);
      // A 404 on the STOW-RS POST: nothing there takes a store (as on a static DICOMweb tree).
      assert.equal(error.code, 'store-unavailable');
      return true;
    });
    await assert.rejects(
      retrieveSr(
        { root: orthanc!.dicomwebRoot },
        { studyUid: STUDY_UID, seriesUid: '1.2.3', sopInstanceUid: '1.2.3.4' },
      ),
      ViewerError,
    );
  });
});
