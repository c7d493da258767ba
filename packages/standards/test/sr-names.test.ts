/**
 * Reader names and texts that a plain DICOM value cannot hold as they are: names over the 64
 * bytes of a person name, names with the PN delimiters `^ = \`, texts with backslashes. They are
 * stored (with a warning), the written SR passes dciodvfy and dsrdump, and import gives them back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseReading, type Reading } from '@secondread/core';
import {
  PERSON_NAME_MAX_BYTES,
  exportReadingSr,
  exportSecondOpinionSr,
  importSecondOpinionSr,
  importSr,
  personNameToDisplay,
  readPart10,
  toPersonName,
  type NaturalDataset,
} from '../src/index.ts';
import { assertValidSr, dsrdump, tempDir } from './dicom-tools.ts';
import { ctHeaders, firstReading, secondOpinion } from './fixtures.ts';

const LONG_NAME = 'Prof. Dr. med. Anna-Katharina Müller-Lüdenscheidt, FRCR (Radiology)';

const dir = tempDir();
let headers: NaturalDataset[];
before(() => {
  headers = ctHeaders();
});
after(() => dir.dispose());

const withReader = (name: string): Reading => {
  const reading = firstReading(headers);
  return { ...reading, reader: { ...reading.reader, name } };
};

/** The root content items of an SR with the given concept meaning. */
const rootItems = (buffer: ArrayBuffer, meaning: string): NaturalDataset[] =>
  (readPart10(buffer).ContentSequence as NaturalDataset[]).filter(
    (item) => (item.ConceptNameCodeSequence as NaturalDataset[] | undefined)?.[0]?.CodeMeaning === meaning,
  );

const pnOf = (buffer: ArrayBuffer): string => {
  const [item] = rootItems(buffer, 'Person Observer Name');
  return (item!.PersonName as { Alphabetic: string }[])[0]!.Alphabetic;
};

describe('toPersonName / personNameToDisplay', () => {
  it('cuts a name over 64 bytes at a character boundary, and replaces PN delimiters', () => {
    const long = toPersonName(LONG_NAME);
    assert.ok(new TextEncoder().encode(LONG_NAME).length > PERSON_NAME_MAX_BYTES);
    assert.equal(new TextEncoder().encode(long.value).length <= PERSON_NAME_MAX_BYTES, true);
    assert.ok(LONG_NAME.startsWith(long.value));
    assert.equal(long.value, 'Prof. Dr. med. Anna-Katharina Müller-Lüdenscheidt, FRCR (Radio');
    assert.deepEqual([long.exact, long.truncated], [false, true]);
    // A cut never splits a two-byte character: 63 ASCII bytes then "ü" (2 bytes) keeps 63.
    assert.equal(toPersonName(`${'a'.repeat(63)}ü`).value, 'a'.repeat(63));
    assert.deepEqual(toPersonName('Smith=Jones\\Doe^Jr'), {
      value: 'Smith Jones Doe Jr',
      exact: false,
      truncated: false,
    });
    assert.deepEqual(toPersonName('Dr A. Reader'), { value: 'Dr A. Reader', exact: true, truncated: false });
  });

  it('reads DICOM PN form in reading order', () => {
    assert.equal(
      personNameToDisplay([{ Alphabetic: 'Müller^Anna^K.^Prof. Dr.^FRCR' }]),
      'Prof. Dr. Anna K. Müller, FRCR',
    );
    assert.equal(personNameToDisplay('Doe^John'), 'John Doe');
    assert.equal(personNameToDisplay([{ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎' }]), 'Tarou Yamada');
    assert.equal(personNameToDisplay('Dr A. Reader'), 'Dr A. Reader');
    assert.equal(personNameToDisplay(''), undefined);
    assert.equal(personNameToDisplay('^^^'), undefined);
  });
});

describe('reader names in the SR', () => {
  it(`stores a name over ${PERSON_NAME_MAX_BYTES} bytes: cut PNAME, full name in a TEXT item, a warning`, () => {
    const reading = withReader(LONG_NAME);
    const sr = exportReadingSr(reading, { referencedImageHeaders: headers });
    assert.equal(sr.warnings.length, 1);
    assert.match(sr.warnings[0]!, /longer than a DICOM person name \(64 bytes\)/);
    assert.doesNotMatch(sr.warnings[0]!, /Müller/, 'the warning names no one');
    assert.equal(pnOf(sr.buffer), 'Prof. Dr. med. Anna-Katharina Müller-Lüdenscheidt, FRCR (Radio');
    const [full] = rootItems(sr.buffer, 'Person Observer full name');
    assert.equal(full?.ValueType, 'TEXT');
    assert.equal(full?.RelationshipType, 'HAS OBS CONTEXT');
    assert.equal(full?.TextValue, LONG_NAME);

    // Both validators accept it (dsrdump's VR checker cannot check UTF-8 and says so).
    const file = dir.file('long-name.dcm', sr.buffer);
    assertValidSr(file, { dsrdumpWarnings: false });
    assert.match(dsrdump(file).text, /PNAME:\(,,"Person Observer Name"\)="Prof\. Dr\. med\. Anna-Katharina/);

    const imported = importSr(sr.buffer);
    assert.equal(imported.reading.reader.name, LONG_NAME);
    assert.deepEqual(imported.warnings, []);
    const { source: _source, ...rest } = imported.reading;
    assert.deepEqual(rest, reading);
  });

  for (const name of ['Smith=Jones', 'O\\Brien', 'Family^Given', 'A=B\\C^D']) {
    it(`round-trips the name ${JSON.stringify(name)} exactly, with a valid PNAME`, () => {
      const sr = exportReadingSr(withReader(name), { referencedImageHeaders: headers });
      assert.equal(sr.warnings.length, 1);
      assert.match(sr.warnings[0]!, /characters a DICOM person name cannot hold/);
      assert.doesNotMatch(pnOf(sr.buffer), /[\^=\\]/);
      assertValidSr(dir.file(`name-${name.length}.dcm`, sr.buffer));
      assert.equal(importSr(sr.buffer).reading.reader.name, name);
    });
  }

  it('writes no extra item and no warning for a name that fits', () => {
    const sr = exportReadingSr(withReader('Dr A. Reader'), { referencedImageHeaders: headers });
    assert.deepEqual(sr.warnings, []);
    assert.deepEqual(rootItems(sr.buffer, 'Person Observer full name'), []);
  });

  it('keeps the long name of the second reader of a second opinion', () => {
    const opinion = secondOpinion(headers);
    const readings = opinion.readings.map((r) =>
      r.id === opinion.concordance.secondReadingId ? { ...r, reader: { ...r.reader, name: LONG_NAME } } : r,
    );
    const sr = exportSecondOpinionSr({ ...opinion, readings }, { referencedImageHeaders: headers });
    assert.equal(sr.warnings.length, 1);
    assertValidSr(dir.file('opinion-long-name.dcm', sr.buffer), { dsrdumpWarnings: false });
    const back = importSecondOpinionSr(sr.buffer, { firstReading: readings[0] });
    assert.equal(back.reading.reader.name, LONG_NAME);
    assert.doesNotThrow(() => parseReading(back.reading));
  });

  it('keeps backslashes and quotes in texts (dcmjs splits UT values on "\\")', () => {
    const base = firstReading(headers);
    const reading: Reading = {
      ...base,
      impression: 'See C:\\reports\\a.pdf; "nodule" \\ stable',
      findings: base.findings.map((f, i) => (i === 0 ? { ...f, description: 'RUL \\ "A"', text: 'x\\y' } : f)),
    };
    const sr = exportReadingSr(reading, { referencedImageHeaders: headers });
    assertValidSr(dir.file('backslash.dcm', sr.buffer));
    const imported = importSr(sr.buffer);
    assert.deepEqual(imported.warnings, []);
    const { source: _source, ...rest } = imported.reading;
    assert.deepEqual(rest, reading);
  });
});
