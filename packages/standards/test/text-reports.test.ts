/**
 * First readings from text and PDF reports written by dcmtk (the fixture step of
 * test/support/text-reports.ts: xml2dsr for TID 2000 Basic Text, Enhanced and Comprehensive SRs,
 * pdf2dcm for an Encapsulated PDF printed by Chromium): every text, image reference and code as
 * the toolkit wrote it, reader and times from the header, no patient identity, typed errors for
 * everything else, and `importFirstReading` picking the right import.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { parseReading, type Reading } from '@secondread/core';
import { PHANTOM_PATIENT } from '../../phantom/src/index.ts';
import { prepareTextReportFixtures, type TextReportManifest } from '../../../test/support/text-reports.ts';
import {
  SrImportError,
  UNKNOWN_READER_NAME,
  exportReadingSr,
  importEncapsulatedPdf,
  importFirstReading,
  importSr,
  importTextSr,
  readPart10,
  writePart10,
  type NaturalDataset,
} from '../src/index.ts';
import { ctHeaders, firstReading } from './fixtures.ts';

let manifest: TextReportManifest;
const bytesOf = (path: string): Uint8Array => new Uint8Array(readFileSync(path));
before(async () => {
  manifest = await prepareTextReportFixtures();
});

/** Content Date + Time (DA, TM, no offset: UTC) as an ISO timestamp. */
const isoOf = (da: string, tm: string): string =>
  new Date(
    Date.UTC(
      Number(da.slice(0, 4)),
      Number(da.slice(4, 6)) - 1,
      Number(da.slice(6, 8)),
      Number(tm.slice(0, 2)),
      Number(tm.slice(2, 4)),
      Number(tm.slice(4, 6)),
    ),
  ).toISOString();

/** No patient attribute of the phantom anywhere in the reading. */
function assertNoPatientIdentity(reading: Reading): void {
  const json = JSON.stringify(reading);
  for (const value of [PHANTOM_PATIENT.name, PHANTOM_PATIENT.id, PHANTOM_PATIENT.birthDate, 'PHANTOM']) {
    assert.ok(!json.includes(value), `the reading holds ${value}`);
  }
}

const expectCode = (fn: () => unknown, code: string, message?: RegExp): void => {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof SrImportError, `expected SrImportError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
};

/** The dataset of a fixture changed by `edit`, written again by dcmjs. */
function rewritten(path: string, edit: (dataset: NaturalDataset) => void): ArrayBuffer {
  const dataset = readPart10(bytesOf(path));
  edit(dataset);
  return writePart10(dataset);
}

describe('importTextSr: TID 2000 Basic Text SR written by dcmtk xml2dsr', () => {
  it('one finding per paragraph, the image reference, the coded finding, impression and recommendations', () => {
    const fixture = manifest.basicText;
    const { reading, warnings, unknownContent } = importTextSr(bytesOf(fixture.path));
    assert.deepEqual(warnings, []);
    assert.deepEqual(unknownContent, []);
    const [nodule, mediastinum] = fixture.findings;
    const mediastinumParagraphs = mediastinum!.text!.split('\n\n');
    assert.deepEqual(reading.findings, [
      {
        id: 'finding-1',
        description: nodule!.text!.split('. ')[0] + '.',
        category: 'other',
        text: nodule!.text,
        location: {
          measurements: [],
          images: [
            {
              studyUid: manifest.studyInstanceUid,
              seriesUid: manifest.imageSeriesInstanceUid,
              sopInstanceUid: manifest.noduleSopInstanceUid,
            },
          ],
        },
      },
      {
        id: 'finding-2',
        description: 'Mediastinum unremarkable.',
        category: 'other',
        text: mediastinumParagraphs[0],
        location: { measurements: [], images: [] },
      },
      {
        id: 'finding-3',
        description: mediastinumParagraphs[1],
        category: 'other',
        text: mediastinumParagraphs[1],
        location: { measurements: [], images: [] },
      },
      {
        id: 'finding-4',
        description: 'Pulmonary emphysema',
        category: 'emphysema',
        location: { measurements: [], images: [], site: { value: '3341006', scheme: 'SCT', meaning: 'Right lung' } },
      },
    ]);
    assert.equal(mediastinumParagraphs[0], 'Mediastinum unremarkable.\nNo enlarged lymph nodes.');
    assert.equal(reading.impression, fixture.impressions.join('\n\n'));
    assert.equal(reading.recommendations, fixture.recommendations.join('\n\n'));
  });

  it('reader from the Person Observer, final at the Content Date/Time, a first reading from the SR, no patient identity', () => {
    const fixture = manifest.basicText;
    const { reading } = importTextSr(bytesOf(fixture.path));
    assert.deepEqual(reading.reader, { name: 'Dr Anna Reader', institution: fixture.organization });
    assert.equal(reading.role, 'first');
    assert.equal(reading.status, 'final');
    const at = isoOf(fixture.contentDate, fixture.contentTime);
    assert.equal(reading.finalizedAt, at);
    assert.equal(reading.createdAt, at);
    assert.equal(reading.studyUid, manifest.studyInstanceUid);
    assert.deepEqual(reading.source, {
      kind: 'text-sr',
      studyUid: manifest.studyInstanceUid,
      seriesUid: fixture.seriesInstanceUid,
      sopInstanceUid: fixture.sopInstanceUid,
    });
    assert.equal(reading.id, fixture.sopInstanceUid);
    assert.deepEqual(parseReading(reading), reading);
    assertNoPatientIdentity(reading);
  });
});

describe('importTextSr: Enhanced SR (LOINC headings, verified) and Comprehensive SR (partial)', () => {
  it('reads LOINC section headings; the reader is the Verifying Observer; VERIFIED is final', () => {
    const fixture = manifest.enhanced;
    const { reading, warnings } = importTextSr(bytesOf(fixture.path));
    assert.deepEqual(warnings, []);
    const paragraphs = fixture.findings[0]!.text!.split('\n\n');
    assert.deepEqual(
      reading.findings.map((f) => [f.description, f.text]),
      [
        ['A nodule is seen in the right lung.', paragraphs[0]],
        [paragraphs[1], paragraphs[1]],
      ],
    );
    assert.equal(reading.impression, 'Right lung nodule.\n\nOtherwise normal chest CT.');
    assert.equal(reading.recommendations, '');
    assert.deepEqual(reading.reader, { name: 'Dr Victor Verifier', institution: fixture.verifyingOrganization });
    assert.equal(reading.status, 'final');
    assert.equal(reading.finalizedAt, isoOf(fixture.contentDate, fixture.contentTime));
    assertNoPatientIdentity(reading);
  });

  it('a PARTIAL, unverified Comprehensive SR with a TID 2000 root is a draft without finalizedAt', () => {
    const fixture = manifest.comprehensive;
    const { reading } = importTextSr(bytesOf(fixture.path));
    assert.equal(reading.status, 'draft');
    assert.equal(reading.finalizedAt, undefined);
    assert.equal(reading.reader.name, 'Dora Draft');
    assert.deepEqual(
      reading.findings.map((f) => f.text),
      fixture.findings.map((f) => f.text),
    );
    assert.equal(reading.impression, fixture.impressions[0]);
    assert.deepEqual(parseReading(reading), reading);
  });

  it('keeps sections it has no place for in unknownContent, with a warning, and names an unknown reader', () => {
    const buffer = rewritten(manifest.enhanced.path, (dataset) => {
      delete dataset.VerifyingObserverSequence;
      dataset.VerificationFlag = 'UNVERIFIED';
      (dataset.ContentSequence as NaturalDataset[]).unshift({
        RelationshipType: 'CONTAINS',
        ValueType: 'CONTAINER',
        ConceptNameCodeSequence: [{ CodeValue: '121060', CodingSchemeDesignator: 'DCM', CodeMeaning: 'History' }],
        ContinuityOfContent: 'SEPARATE',
        ContentSequence: [
          {
            RelationshipType: 'CONTAINS',
            ValueType: 'TEXT',
            ConceptNameCodeSequence: [{ CodeValue: '121060', CodingSchemeDesignator: 'DCM', CodeMeaning: 'History' }],
            TextValue: 'Smoker, 30 pack-years.',
          },
        ],
      });
    });
    const { reading, warnings, unknownContent } = importTextSr(buffer);
    assert.equal(reading.reader.name, UNKNOWN_READER_NAME);
    assert.equal(unknownContent.length, 1);
    assert.equal(unknownContent[0]!.concept?.meaning, 'History');
    assert.ok(JSON.stringify(unknownContent[0]!.item).includes('Smoker, 30 pack-years.'));
    assert.deepEqual(reading.source?.unknownContent, unknownContent);
    assert.ok(
      warnings.some((w) => w.includes('History (CONTAINER)')),
      warnings.join('\n'),
    );
    assert.ok(warnings.some((w) => w.includes(`"${UNKNOWN_READER_NAME}"`)));
    // COMPLETE, though no longer verified: still final.
    assert.equal(reading.status, 'final');
  });
});

describe('importEncapsulatedPdf: PDF printed by Chromium, encapsulated by dcmtk pdf2dcm', () => {
  it('a final first reading without findings that describes the PDF; the PDF itself beside it', () => {
    const fixture = manifest.pdf;
    const { reading, document, warnings } = importEncapsulatedPdf(bytesOf(fixture.path));
    const pdf = bytesOf(fixture.pdfPath);
    assert.deepEqual(document.bytes, pdf);
    assert.equal(document.mediaType, 'application/pdf');
    assert.equal(document.title, fixture.title);
    assert.deepEqual(reading.findings, []);
    assert.equal(reading.impression, '');
    assert.equal(reading.status, 'final');
    assert.equal(reading.finalizedAt, isoOf(fixture.contentDate, fixture.contentTime));
    assert.equal(reading.reader.name, UNKNOWN_READER_NAME);
    assert.ok(warnings.some((w) => w.includes(UNKNOWN_READER_NAME)));
    assert.deepEqual(reading.source, {
      kind: 'pdf',
      studyUid: manifest.studyInstanceUid,
      seriesUid: fixture.seriesInstanceUid,
      sopInstanceUid: fixture.sopInstanceUid,
      document: { mediaType: 'application/pdf', title: fixture.title, byteLength: pdf.byteLength },
    });
    assert.deepEqual(parseReading(reading), reading);
    // The reading goes into events and drafts: no PDF bytes in it.
    assert.ok(JSON.stringify(reading).length < 1500);
    assertNoPatientIdentity(reading);
  });

  it('refuses other encapsulated documents and a document that is no PDF, with typed errors', () => {
    const path = manifest.pdf.path;
    expectCode(
      () =>
        importEncapsulatedPdf(
          rewritten(path, (d) => {
            d.SOPClassUID = '1.2.840.10008.5.1.4.1.1.104.2';
            d.MIMETypeOfEncapsulatedDocument = 'text/XML';
          }),
        ),
      'unsupported',
      /CDA/,
    );
    expectCode(
      () => importEncapsulatedPdf(rewritten(path, (d) => (d.MIMETypeOfEncapsulatedDocument = 'text/plain'))),
      'malformed',
      /text\/plain/,
    );
    expectCode(
      () =>
        importEncapsulatedPdf(
          rewritten(path, (d) => {
            d.EncapsulatedDocument = [new TextEncoder().encode('Hello, not a PDF').buffer];
            delete d.EncapsulatedDocumentLength;
          }),
        ),
      'malformed',
      /%PDF-/,
    );
    expectCode(() => importEncapsulatedPdf(bytesOf(manifest.basicText.path)), 'unsupported');
  });
});

describe('importFirstReading picks the import by SOP Class and template', () => {
  it('text SRs, the PDF and a TID 1500 SR each go to their import', () => {
    for (const key of ['basicText', 'enhanced', 'comprehensive'] as const) {
      const result = importFirstReading(bytesOf(manifest[key].path));
      assert.equal(result.kind, 'text-sr');
      assert.deepEqual(result.reading, importTextSr(bytesOf(manifest[key].path)).reading);
    }
    const pdf = importFirstReading(bytesOf(manifest.pdf.path));
    assert.equal(pdf.kind, 'pdf');
    assert.ok(pdf.kind === 'pdf' && pdf.document.bytes.byteLength === pdf.reading.source?.document?.byteLength);

    const headers = ctHeaders();
    const tid1500 = exportReadingSr(firstReading(headers), { referencedImageHeaders: headers }).buffer;
    const measured = importFirstReading(tid1500, { imageHeaders: headers });
    assert.equal(measured.kind, 'sr');
    assert.deepEqual(measured.reading, importSr(tid1500, { imageHeaders: headers }).reading);
  });

  it('gives typed errors for everything else', () => {
    const headers = ctHeaders();
    expectCode(() => importFirstReading(new TextEncoder().encode('not DICOM')), 'not-dicom');
    const basic = bytesOf(manifest.basicText.path);
    expectCode(() => importFirstReading(basic.subarray(0, basic.length - 40)), 'truncated');
    // A CT image is no report.
    expectCode(() => importFirstReading(writePart10(headers[0]!)), 'not-an-sr', /neither a structured report/);
    // An SR of another template (a CAD report root).
    const cad = rewritten(manifest.comprehensive.path, (d) => {
      d.ConceptNameCodeSequence = [
        { CodeValue: '111036', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Mammography CAD Report' },
      ];
      delete d.ContentTemplateSequence;
      d.ContentSequence = (d.ContentSequence as NaturalDataset[]).filter((item) => item.ValueType !== 'CONTAINER');
    });
    expectCode(() => importFirstReading(cad), 'unsupported', /Mammography CAD Report/);
    expectCode(() => importTextSr(cad), 'unsupported');
    // Each import refuses the other's files with its documented code.
    expectCode(() => importSr(basic), 'not-tid-1500');
    const tid1500 = exportReadingSr(firstReading(headers), { referencedImageHeaders: headers }).buffer;
    expectCode(() => importTextSr(tid1500), 'unsupported', /importSr/);
    expectCode(() => importTextSr(bytesOf(manifest.pdf.path)), 'not-an-sr');
  });
});
