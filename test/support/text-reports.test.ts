/**
 * The text and PDF report fixtures are what the toolkits say they are: dciodvfy (dicom3tools)
 * finds no error or warning in any of them, dsrdump (dcmtk) reads each SR without a warning and
 * prints the texts the manifest lists, and the Encapsulated PDF holds the very PDF Chromium
 * printed (pdftotext finds its sentence). Run with `pnpm exec tsx --test test/support/text-reports.test.ts`.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import { readPart10 } from '../../packages/phantom/src/index.ts';
import { prepareTextReportFixtures, type TextReportManifest } from './text-reports.ts';

let manifest: TextReportManifest;
before(async () => {
  manifest = await prepareTextReportFixtures();
});

function dciodvfy(file: string): string[] {
  const result = spawnSync('dciodvfy', [file], { encoding: 'utf8' });
  if (result.error) throw result.error;
  return `${result.stdout}${result.stderr}`.split('\n').filter((l) => /^(Error|Warning)/.test(l));
}

describe('text report fixtures (dcmtk xml2dsr)', () => {
  for (const key of ['basicText', 'enhanced', 'comprehensive'] as const) {
    it(`${key}: valid for dciodvfy and dsrdump, in the phantom study, with the manifest's texts`, async () => {
      const fixture = manifest[key];
      assert.deepEqual(dciodvfy(fixture.path), []);
      const dump = spawnSync('dsrdump', ['+Pc', '+Pl', fixture.path], { encoding: 'utf8' });
      assert.equal(dump.status, 0, dump.stderr);
      assert.deepEqual(
        `${dump.stdout}\n${dump.stderr}`.split('\n').filter((l) => /^(W|E|F):/.test(l)),
        [],
      );
      assert.match(dump.stdout, /CONTAINER:\(18748-4,LN,"Diagnostic Imaging Report"\)/);
      assert.ok(dump.stdout.includes(`(${fixture.findingsHeading.value},${fixture.findingsHeading.scheme},`));
      for (const finding of fixture.findings) {
        if (finding.text) assert.ok(dump.stdout.includes(JSON.stringify(finding.text).slice(1, -1)), finding.text);
        if (finding.code) assert.ok(dump.stdout.includes(`(${finding.code.value},${finding.code.scheme},`));
      }
      for (const impression of fixture.impressions) assert.ok(dump.stdout.includes(impression), impression);
      const dataset = readPart10(new Uint8Array(await readFile(fixture.path))).dataset;
      assert.equal(dataset.SOPClassUID, fixture.sopClassUid);
      assert.equal(dataset.SOPInstanceUID, fixture.sopInstanceUid);
      assert.equal(dataset.StudyInstanceUID, manifest.studyInstanceUid);
      assert.equal(dataset.CompletionFlag, fixture.completionFlag);
      assert.equal(dataset.VerificationFlag, fixture.verificationFlag);
      assert.equal(
        (dataset.ContentTemplateSequence as { TemplateIdentifier?: string }[])[0]?.TemplateIdentifier,
        '2000',
      );
    });
  }

  it('the Basic Text SR finding refers to the nodule slice of the phantom', () => {
    const dump = spawnSync('dsrdump', ['+Pu', manifest.basicText.path], { encoding: 'utf8' });
    assert.ok(dump.stdout.includes(manifest.noduleSopInstanceUid), dump.stdout);
  });
});

describe('Encapsulated PDF fixture (Chromium print-to-PDF, dcmtk pdf2dcm)', () => {
  it('is valid for dciodvfy, in the phantom study, and holds the printed PDF', async () => {
    assert.deepEqual(dciodvfy(manifest.pdf.path), []);
    const dataset = readPart10(new Uint8Array(await readFile(manifest.pdf.path))).dataset;
    assert.equal(dataset.SOPClassUID, '1.2.840.10008.5.1.4.1.1.104.1');
    assert.equal(dataset.Modality, 'DOC');
    assert.equal(dataset.StudyInstanceUID, manifest.studyInstanceUid);
    assert.equal(dataset.SOPInstanceUID, manifest.pdf.sopInstanceUid);
    assert.equal(dataset.DocumentTitle, manifest.pdf.title);
    assert.equal(dataset.MIMETypeOfEncapsulatedDocument, 'application/pdf');
    const pdf = new Uint8Array(await readFile(manifest.pdf.pdfPath));
    assert.equal(dataset.EncapsulatedDocumentLength, pdf.length);
    const [encapsulated] = dataset.EncapsulatedDocument as ArrayBuffer[];
    assert.deepEqual(new Uint8Array(encapsulated!).subarray(0, pdf.length), pdf);
    const text = spawnSync('pdftotext', [manifest.pdf.pdfPath, '-'], { encoding: 'utf8' });
    assert.equal(text.status, 0);
    assert.ok(text.stdout.includes(manifest.pdf.sentence), text.stdout);
  });
});
