/**
 * First readings of every kind on a real Orthanc (DICOMweb plugin): dcmtk's text SRs and
 * Encapsulated PDF (test/support/text-reports.ts) and our TID 1500 SR are stored in the phantom
 * study one after the other; `findReports` lists them (modality SR and DOC) and
 * `findFirstReading` picks the PDF while it is alone, the newest text report once there is one,
 * and the TID 1500 SR once there is one, even though it is older. Orthanc must be installed:
 * without it these tests fail, they are not skipped.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import XMLHttpRequest from 'xhr2';
import { phantomFirstReading } from '../../phantom/src/first-reading.ts';
import { writePhantom } from '../../phantom/src/index.ts';
import { isOrthancAvailable, startOrthanc, type OrthancHandle } from '../../../test/support/orthanc.ts';
import { phantomDir } from '../../../test/support/paths.ts';
import { prepareTextReportFixtures, type TextReportManifest } from '../../../test/support/text-reports.ts';
import {
  ENCAPSULATED_PDF_SOP_CLASS_UID,
  exportReadingSr,
  findFirstReading,
  findReadings,
  findReports,
  importTextSr,
  readPart10,
  storeSr,
  type NaturalDataset,
} from '../src/index.ts';

// dicomweb-client speaks XMLHttpRequest, which browsers have and Node does not.
globalThis.XMLHttpRequest ??= XMLHttpRequest;

let orthanc: OrthancHandle | undefined;
let manifest: TextReportManifest;
const bytesOf = (path: string): Uint8Array => new Uint8Array(readFileSync(path));

before(async () => {
  assert.ok(
    isOrthancAvailable(),
    'Orthanc with its DICOMweb plugin is required (apt-get install orthanc orthanc-dicomweb)',
  );
  manifest = await prepareTextReportFixtures();
  orthanc = await startOrthanc();
});

after(async () => {
  await orthanc?.stop();
});

describe('first readings of every kind from the PACS (Orthanc)', () => {
  it('finds the PDF alone, then prefers the newest text report, then the TID 1500 SR', async () => {
    const target = { root: orthanc!.dicomwebRoot };
    const study = manifest.studyInstanceUid;
    assert.equal(await findFirstReading(target, study), null);

    // Only the Encapsulated PDF (modality DOC).
    await orthanc!.upload([manifest.pdf.path]);
    const reports = await findReports(target, study);
    assert.deepEqual(
      reports.map((r) => [r.sopInstanceUid, r.sopClassUid, r.modality]),
      [[manifest.pdf.sopInstanceUid, ENCAPSULATED_PDF_SOP_CLASS_UID, 'DOC']],
    );
    // The TID 1500 listing is unchanged: no PDF in it.
    assert.deepEqual(await findReadings(target, study), []);
    const pdf = await findFirstReading(target, study);
    assert.equal(pdf?.kind, 'pdf');
    assert.ok(pdf?.kind === 'pdf');
    assert.deepEqual(pdf.document.bytes, bytesOf(manifest.pdf.pdfPath));
    assert.equal(pdf.reading.source?.sopInstanceUid, manifest.pdf.sopInstanceUid);
    assert.equal(pdf.reference.seriesUid, manifest.pdf.seriesInstanceUid);

    // Text SRs: the Basic Text SR (Jan 16) and the newer Enhanced SR (Jan 17).
    await orthanc!.upload([manifest.basicText.path, manifest.enhanced.path]);
    const listed = await findReports(target, study);
    assert.deepEqual(
      new Set(listed.map((r) => r.sopInstanceUid)),
      new Set([manifest.pdf.sopInstanceUid, manifest.basicText.sopInstanceUid, manifest.enhanced.sopInstanceUid]),
    );
    assert.equal(listed.find((r) => r.sopInstanceUid === manifest.basicText.sopInstanceUid)?.modality, 'SR');
    const text = await findFirstReading(target, study);
    assert.equal(text?.kind, 'text-sr');
    assert.deepEqual(text?.reading, importTextSr(bytesOf(manifest.enhanced.path)).reading);
    assert.equal(text?.reference.contentDate, manifest.enhanced.contentDate);

    // A TID 1500 first reading written in 2020: older than every text report, still preferred.
    const { baseline } = await writePhantom(phantomDir);
    const headers: NaturalDataset[] = baseline.files.map((file) => {
      const dataset = readPart10(bytesOf(file));
      delete dataset.PixelData;
      return dataset;
    });
    const old = '2020-05-04T08:00:00.000Z';
    const measured = { ...phantomFirstReading(baseline.truth), createdAt: old, updatedAt: old };
    const sr = exportReadingSr(measured, { referencedImageHeaders: headers });
    await storeSr(target, sr.buffer);
    const found = await findFirstReading(target, study, { imageHeaders: headers });
    assert.equal(found?.kind, 'sr');
    assert.equal(found?.reference.sopInstanceUid, sr.sopInstanceUid);
    assert.equal(found?.reading.findings[0]?.location.measurements[0]?.kind, 'length');
    assert.equal(found?.reference.contentDate, '20200504');
  });
});
