/**
 * Import of first readings written by other software, not by us: SRs that dcmjs writes (its
 * Cornerstone adapter) and the dcmqi TID 1500 sample of the shared data. Every import is a
 * reading that core's `parseReading` accepts, or a typed `SrImportError`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ReadingSchemaError, parseReading } from '@secondread/core';
import {
  SrImportError,
  UNKNOWN_READER_NAME,
  exportReadingSr,
  importSr,
  readPart10,
  type NaturalDataset,
} from '../src/index.ts';
import { dcmjsLengthReport, dcmjsPart10, type DcmjsLength } from './dcmjs-sr.ts';
import { assertValidSr, dsrdump, tempDir } from './dicom-tools.ts';
import { DCMQI_SR, ctHeaders } from './fixtures.ts';

const dir = tempDir();
let headers: NaturalDataset[];
let header: NaturalDataset;
let spacing: number;
before(() => {
  headers = ctHeaders();
  header = headers[30]!;
  spacing = Number((header.PixelSpacing as number[])[0]);
});
after(() => dir.dispose());

/** A 30 × 40 pixel line: 50 pixels long. */
const length = (): DcmjsLength => ({ start: { x: 100, y: 120 }, end: { x: 130, y: 160 }, lengthMm: 50 * spacing });

/** The root's Person Observer Name item (121008, DCM) as dcmjs wrote it. */
const observerItem = (dataset: NaturalDataset): NaturalDataset =>
  (dataset.ContentSequence as NaturalDataset[]).find((item) =>
    JSON.stringify(item.ConceptNameCodeSequence).includes('"121008"'),
  )!;

const dcmjsWith = (change?: (observer: NaturalDataset, dataset: NaturalDataset) => void): Uint8Array => {
  const dataset = dcmjsLengthReport(header, [length()]);
  change?.(observerItem(dataset), dataset);
  return dcmjsPart10(dataset);
};

const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('importSr of SRs written by dcmjs (Cornerstone adapter)', () => {
  it('reads the length on the slice it was drawn on, finalized at the content time, valid for parseReading', () => {
    const bytes = dcmjsWith();
    const written = readPart10(bytes);
    assert.equal(written.CompletionFlag, 'COMPLETE');
    const imported = importSr(bytes, { imageHeaders: headers });
    const { reading } = imported;
    assert.equal(reading.status, 'final');
    const contentDate = String(written.ContentDate);
    const contentTime = String(written.ContentTime);
    assert.equal(
      reading.finalizedAt,
      new Date(
        Date.UTC(
          Number(contentDate.slice(0, 4)),
          Number(contentDate.slice(4, 6)) - 1,
          Number(contentDate.slice(6, 8)),
          Number(contentTime.slice(0, 2)),
          Number(contentTime.slice(2, 4)),
          Number(contentTime.slice(4, 6)),
        ),
      ).toISOString(),
    );
    assert.equal(reading.studyUid, String(header.StudyInstanceUID));
    // dcmjs' "unknown^unknown" is no name: the reader is the default, with a warning.
    assert.equal(reading.reader.name, UNKNOWN_READER_NAME);
    assert.ok(imported.warnings.some((w) => w.includes(`"${UNKNOWN_READER_NAME}"`)));
    const [measurement] = reading.findings.flatMap((f) => f.location.measurements);
    assert.equal(measurement?.kind, 'length');
    assert.equal(measurement.sopInstanceUid, String(header.SOPInstanceUID));
    assert.ok(Math.abs(measurement.values.lengthMm! - 50 * spacing) < 1e-4);
    const [a, b] = measurement.points;
    assert.ok(Math.abs(Math.hypot(a![0] - b![0], a![1] - b![1], a![2] - b![2]) - 50 * spacing) < 1e-3);
    const z = Number((header.ImagePositionPatient as number[])[2]);
    assert.ok(Math.abs(a![2] - z) < 1e-3 && Math.abs(b![2] - z) < 1e-3);
    assert.deepEqual(parseReading(json(reading)), json(reading));
  });

  it('reads a Person Observer Name in PN form (Family^Given) in reading order', () => {
    const bytes = dcmjsWith((observer) => {
      observer.PersonName = 'Doe^Jane^^Dr';
    });
    assert.equal(importSr(bytes).reading.reader.name, 'Dr Jane Doe');
  });

  it('reads a Person Observer Name written as TEXT instead of PNAME', () => {
    const bytes = dcmjsWith((observer) => {
      observer.ValueType = 'TEXT';
      observer.TextValue = 'Dr T. Observer';
      delete observer.PersonName;
    });
    const imported = importSr(bytes);
    assert.equal(imported.reading.reader.name, 'Dr T. Observer');
    assert.doesNotThrow(() => parseReading(json(imported.reading)));
    // Its re-export writes a valid PNAME (type 1, not empty) that both validators read.
    const file = dir.file('text-observer-again.dcm', exportReadingSr(imported.reading).buffer);
    assertValidSr(file);
    assert.match(dsrdump(file).text, /PNAME:\(,,"Person Observer Name"\)="Dr T\. Observer"/);
  });

  it('gives a reading without any observer the reader "Unknown reader", and re-exports it validly', () => {
    const bytes = dcmjsWith((observer, dataset) => {
      dataset.ContentSequence = (dataset.ContentSequence as NaturalDataset[]).filter((item) => item !== observer);
    });
    const imported = importSr(bytes);
    assert.equal(imported.reading.reader.name, UNKNOWN_READER_NAME);
    assert.ok(imported.warnings.some((w) => w.includes('names no person observer')));
    assertValidSr(dir.file('no-observer-again.dcm', exportReadingSr(imported.reading).buffer));
  });

  it('a PARTIAL SR is a draft without finalizedAt', () => {
    const bytes = dcmjsWith((_observer, dataset) => {
      dataset.CompletionFlag = 'PARTIAL';
    });
    const { reading } = importSr(bytes);
    assert.equal(reading.status, 'draft');
    assert.equal(reading.finalizedAt, undefined);
  });

  it('refuses with a typed error what cannot make a valid reading (no Study Instance UID)', () => {
    const bytes = dcmjsWith((_observer, dataset) => {
      delete dataset.StudyInstanceUID;
    });
    assert.throws(
      () => importSr(bytes),
      (error: unknown) =>
        error instanceof SrImportError &&
        error.code === 'malformed' &&
        error.cause instanceof ReadingSchemaError &&
        /valid reading \(at studyUid\)/.test(error.message),
    );
  });
});

describe('importSr of the dcmqi TID 1500 sample (shared data)', () => {
  const noSample = DCMQI_SR ? false : 'dcmqi TID 1500 sample SR absent (shared data)';

  it('marked complete, it imports as final with finalizedAt from its Content Date/Time', { skip: noSample }, () => {
    const dataset = readPart10(readFileSync(DCMQI_SR!));
    dataset.CompletionFlag = 'COMPLETE';
    const { reading } = importSr(dataset);
    assert.equal(reading.status, 'final');
    assert.equal(reading.finalizedAt, reading.createdAt);
    assert.notEqual(reading.finalizedAt, new Date(0).toISOString());
    assert.equal(reading.reader.name, 'User2');
    assert.doesNotThrow(() => parseReading(json(reading)));
  });
});
