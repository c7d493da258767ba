import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SecondReadError, parseReading, parseSecondOpinion, type Finding, type Reading } from '@secondread/core';
import {
  COMPREHENSIVE_3D_SR_SOP_CLASS_UID,
  exportReadingSr,
  exportSecondOpinionSr,
  importSecondOpinionSr,
  importSr,
  readPart10,
  SrImportError,
  writePart10,
  type NaturalDataset,
} from '../src/index.ts';
import { assertValidSr, dciodvfy, dsrdump, maskVolatile, tempDir } from './dicom-tools.ts';
import { DCMQI_SR, CT_FILES, STUDY_UID, firstReading, ctHeaders, secondOpinion } from './fixtures.ts';

const dir = tempDir();
let headers: NaturalDataset[];
before(() => {
  headers = ctHeaders();
});
after(() => dir.dispose());

const assertValid = assertValidSr;

const withoutSource = (reading: Reading): Omit<Reading, 'source'> => {
  const { source: _source, ...rest } = reading;
  return rest;
};

describe('exportReadingSr', () => {
  it('writes a Comprehensive 3D SR that dciodvfy and dsrdump accept', () => {
    const reading = firstReading(headers);
    const sr = exportReadingSr(reading, { referencedImageHeaders: headers });
    const file = dir.file('first.dcm', sr.buffer);
    const warnings = assertValid(file);
    // Only warnings we know about and accept (documented in the report).
    for (const warning of warnings) {
      assert.match(warning, /99SECONDREAD|needed to build DICOMDIR|Retired Person Name form/, warning);
    }
    const dataset = readPart10(sr.buffer);
    assert.equal(dataset.SOPClassUID, COMPREHENSIVE_3D_SR_SOP_CLASS_UID);
    assert.equal(dataset.StudyInstanceUID, STUDY_UID);
    assert.equal(dataset.Modality, 'SR');
    const text = dsrdump(file).text;
    assert.match(text, /Imaging Measurement Report/);
    assert.match(text, /Person Observer Name"\)="Dr A\. Reader"/);
    assert.match(text, /\(ROLE-FIRST,99SECONDREAD,"First reader"\)/);
    assert.equal((text.match(/CONTAINER:\(,,"Measurement Group"\)/g) ?? []).length, 2);
    assert.match(text, /"Long Axis"\)="\d+\.\d+" \(mm,UCUM/);
    assert.match(text, /"Attenuation Coefficient"\)="23\.4567" \(\[hnsf'U\],UCUM/);
    assert.match(text, /"Finding Site"\)=\(45653009,SCT,"Upper lobe of right lung"\)/);
    assert.match(text, /inferred from SCOORD3D:\(,,"Image Region"\)=\(ELLIPSE/);
    assert.match(text, /"Impression"\)="Right upper lobe nodule/);
  });

  it('references every measured image in the evidence and the image library', () => {
    const reading = firstReading(headers);
    const dataset = exportReadingSr(reading, { referencedImageHeaders: headers }).dataset;
    const [study] = dataset.CurrentRequestedProcedureEvidenceSequence as NaturalDataset[];
    const [series] = study!.ReferencedSeriesSequence as NaturalDataset[];
    const sops = (series!.ReferencedSOPSequence as NaturalDataset[]).map((s) => s.ReferencedSOPInstanceUID);
    const expected = new Set(
      reading.findings.flatMap((f) => [
        ...f.location.measurements.map((m) => m.sopInstanceUid),
        ...f.location.images.map((i) => i.sopInstanceUid),
      ]),
    );
    assert.deepEqual(new Set(sops), expected);
  });

  it('round-trips: export → import gives an equal reading', () => {
    const reading = firstReading(headers);
    const sr = exportReadingSr(reading, { referencedImageHeaders: headers });
    const imported = importSr(sr.buffer);
    assert.deepEqual(withoutSource(imported.reading), reading);
    assert.deepEqual(imported.warnings, []);
    assert.deepEqual(imported.unknownContent, []);
    assert.deepEqual(imported.reading.source, {
      kind: 'sr',
      studyUid: STUDY_UID,
      seriesUid: sr.seriesInstanceUid,
      sopInstanceUid: sr.sopInstanceUid,
    });
  });

  it('round-trips the edge cases: no frame of reference, amended status, CAD role, empty texts', () => {
    const base = firstReading(headers);
    const [nodule, mass] = base.findings;
    const reading: Reading = {
      ...base,
      role: 'cad',
      status: 'amended',
      impression: '',
      recommendations: '',
      reader: { name: 'Lung CAD 2.1' },
      findings: [
        {
          ...nodule!,
          location: {
            ...nodule!.location,
            measurements: nodule!.location.measurements.map((m) => ({ ...m, frameOfReferenceUid: '' })),
          },
          createdFromMeasurement: true,
        },
        { ...mass!, description: '', text: 'ünïcode-free? no: ünïcode' },
      ],
    };
    const sr = exportReadingSr(reading, { referencedImageHeaders: headers });
    assertValid(dir.file('edge.dcm', sr.buffer), { dsrdumpWarnings: false });
    assert.deepEqual(withoutSource(importSr(sr.buffer).reading), reading);
    assert.equal(readPart10(sr.buffer).CompletionFlag, 'COMPLETE');
  });

  it('export → import → export is stable (byte for byte with the same UIDs, and in dsrdump text)', () => {
    const reading = firstReading(headers);
    const fixed = {
      referencedImageHeaders: headers,
      seriesInstanceUid: '2.25.1',
      sopInstanceUid: '2.25.2',
      now: '2026-11-28T12:00:00.000Z',
    };
    const first = exportReadingSr(reading, fixed);
    const again = exportReadingSr(importSr(first.buffer).reading, fixed);
    assert.deepEqual(new Uint8Array(again.buffer), new Uint8Array(first.buffer));
    // With fresh UIDs and times, the content is the same once they are masked.
    const fresh = exportReadingSr(importSr(first.buffer).reading, { referencedImageHeaders: headers });
    const a = maskVolatile(dsrdump(dir.file('a.dcm', first.buffer), ['+Pa']).text);
    const b = maskVolatile(dsrdump(dir.file('b.dcm', fresh.buffer), ['+Pa']).text);
    assert.equal(b, a);
  });

  it('keeps patient identity out unless the host allows it', () => {
    const identified: NaturalDataset = {
      ...headers[0]!,
      PatientName: 'Doe^Jane',
      PatientID: 'MRN-12345',
      PatientBirthDate: '19610402',
      PatientSex: 'F',
      AccessionNumber: 'ACC-987',
      StudyDate: '20260101',
    };
    const reading = firstReading(headers);
    const hidden = exportReadingSr(reading, { referencedImageHeaders: [identified, ...headers] });
    const hiddenFile = dir.file('hidden.dcm', hidden.buffer);
    assertValid(hiddenFile);
    const h = readPart10(hidden.buffer);
    for (const keyword of [
      'PatientName',
      'PatientID',
      'PatientBirthDate',
      'PatientSex',
      'AccessionNumber',
      'StudyDate',
    ]) {
      assert.ok(keyword in h, `${keyword} present (type 2)`);
      const value = h[keyword];
      const empty = value == null || value === '' || (Array.isArray(value) && value.length === 0);
      assert.ok(empty, `${keyword} empty, got ${JSON.stringify(value)}`);
    }
    assert.doesNotMatch(Buffer.from(hidden.buffer).toString('latin1'), /Doe\^Jane|MRN-12345|19610402|ACC-987/);

    const shown = exportReadingSr(reading, {
      referencedImageHeaders: [identified, ...headers],
      allowPatientIdentity: true,
    });
    assertValid(dir.file('shown.dcm', shown.buffer));
    const s = readPart10(shown.buffer);
    assert.deepEqual((s.PatientName as { Alphabetic: string }[])[0]?.Alphabetic, 'Doe^Jane');
    assert.equal(s.PatientID, 'MRN-12345');
    assert.equal(s.PatientBirthDate, '19610402');
    assert.equal(s.AccessionNumber, 'ACC-987');
    assert.equal(s.StudyDate, '20260101');
    // The host's own patient record wins over the image header.
    const host = exportReadingSr(reading, {
      referencedImageHeaders: [identified],
      allowPatientIdentity: true,
      patient: { id: 'HOST-1', name: 'Roe^Richard' },
    });
    assert.equal(readPart10(host.buffer).PatientID, 'HOST-1');
  });

  it('declares UTF-8 only when the text needs it, and keeps non-ASCII text', () => {
    const reading: Reading = {
      ...firstReading(headers),
      reader: { name: 'Dr Zoë Ångström' },
      impression: 'Nódulo 8 mm',
    };
    const sr = exportReadingSr(reading, { referencedImageHeaders: headers });
    const dataset = readPart10(sr.buffer);
    assert.equal(dataset.SpecificCharacterSet, 'ISO_IR 192');
    // dsrdump's VR checker does not support ISO_IR 192 and says so: only dciodvfy is strict here.
    assertValid(dir.file('utf8.dcm', sr.buffer), { dsrdumpWarnings: false });
    const back = importSr(sr.buffer).reading;
    assert.equal(back.reader.name, 'Dr Zoë Ångström');
    assert.equal(back.impression, 'Nódulo 8 mm');
    assert.equal(readPart10(exportReadingSr(firstReading(headers)).buffer).SpecificCharacterSet, undefined);
  });

  it('the validators do fail on a broken SR (the checks above can fail)', () => {
    const dataset = exportReadingSr(firstReading(headers), { referencedImageHeaders: headers }).dataset;
    const broken: NaturalDataset = { ...dataset, CompletionFlag: 'MAYBE' };
    delete broken.ContentTemplateSequence;
    delete broken.VerificationFlag;
    const iod = dciodvfy(dir.file('broken.dcm', writePart10(broken)));
    assert.ok(iod.errors.length > 0, iod.output);
  });
});

describe('exportSecondOpinionSr', () => {
  it('writes the second reading with the concordance and RADPEER score, referencing the first SR', () => {
    const first = firstReading(headers);
    const firstSr = exportReadingSr(first, { referencedImageHeaders: headers });
    const opinion = secondOpinion(headers, first);
    const sr = exportSecondOpinionSr(opinion, {
      referencedImageHeaders: headers,
      firstReadingSr: {
        studyUid: STUDY_UID,
        seriesUid: firstSr.seriesInstanceUid,
        sopInstanceUid: firstSr.sopInstanceUid,
      },
    });
    const file = dir.file('second.dcm', sr.buffer);
    assertValid(file);
    const dataset = readPart10(sr.buffer);
    const [pertinent] = dataset.PertinentOtherEvidenceSequence as NaturalDataset[];
    const [series] = pertinent!.ReferencedSeriesSequence as NaturalDataset[];
    const [sop] = series!.ReferencedSOPSequence as NaturalDataset[];
    assert.equal(sop!.ReferencedSOPInstanceUID, firstSr.sopInstanceUid);
    assert.equal(sop!.ReferencedSOPClassUID, COMPREHENSIVE_3D_SR_SOP_CLASS_UID);
    const [scheme] = dataset.CodingSchemeIdentificationSequence as NaturalDataset[];
    assert.equal(scheme!.CodingSchemeDesignator, '99SECONDREAD');
    const text = dsrdump(file).text;
    assert.match(text, /"RADPEER score"\)=\(RADPEER-2A,99SECONDREAD/);
    assert.match(text, /"Second reader verdict"\)=\(VERDICT-MISSED,99SECONDREAD/);
    assert.match(text, /"Peer learning comment"\)="Small effusion/);
    assert.equal((text.match(/"Finding pair"\)/g) ?? []).length, 3);
  });

  it('uses first.source when the first reading came from an SR, and round-trips the whole second opinion', () => {
    const original = firstReading(headers);
    const firstSr = exportReadingSr(original, { referencedImageHeaders: headers });
    const first = importSr(firstSr.buffer).reading; // carries source.sopInstanceUid
    const opinion = secondOpinion(headers, first);
    const sr = exportSecondOpinionSr(opinion, { referencedImageHeaders: headers });
    const imported = importSecondOpinionSr(sr.buffer, { firstReading: first });
    assert.equal(imported.secondOpinion.firstReadingSr?.sopInstanceUid, firstSr.sopInstanceUid);
    const { readings, ...rest } = imported.opinion!;
    const { readings: expectedReadings, ...expectedRest } = opinion;
    assert.deepEqual(rest, expectedRest);
    assert.deepEqual(readings[0], expectedReadings[0]);
    assert.deepEqual(withoutSource(readings[1]!), expectedReadings[1]);
    assert.deepEqual(imported.warnings, []);
    assert.doesNotThrow(() => parseSecondOpinion(JSON.parse(JSON.stringify(imported.opinion))));
  });

  it('an amended second opinion is a new SR in the same series whose Predecessor Documents Sequence names the earlier one', () => {
    const first = firstReading(headers);
    const opinion = secondOpinion(headers, first);
    const earlier = exportSecondOpinionSr(opinion, { referencedImageHeaders: headers });
    assert.equal(readPart10(earlier.buffer).PredecessorDocumentsSequence, undefined);
    const amended = exportSecondOpinionSr(opinion, {
      referencedImageHeaders: headers,
      seriesInstanceUid: earlier.seriesInstanceUid,
      instanceNumber: 2,
      predecessorDocuments: [
        { studyUid: STUDY_UID, seriesUid: earlier.seriesInstanceUid, sopInstanceUid: earlier.sopInstanceUid },
      ],
    });
    assert.notEqual(amended.sopInstanceUid, earlier.sopInstanceUid);
    assert.equal(amended.seriesInstanceUid, earlier.seriesInstanceUid);
    const file = dir.file('amended.dcm', amended.buffer);
    assertValid(file);
    const dataset = readPart10(amended.buffer);
    assert.equal(dataset.InstanceNumber, 2);
    const [study] = dataset.PredecessorDocumentsSequence as NaturalDataset[];
    assert.equal(study!.StudyInstanceUID, STUDY_UID);
    const [series] = study!.ReferencedSeriesSequence as NaturalDataset[];
    assert.equal(series!.SeriesInstanceUID, earlier.seriesInstanceUid);
    const [sop] = series!.ReferencedSOPSequence as NaturalDataset[];
    assert.deepEqual(
      [sop!.ReferencedSOPClassUID, sop!.ReferencedSOPInstanceUID],
      [COMPREHENSIVE_3D_SR_SOP_CLASS_UID, earlier.sopInstanceUid],
    );
    // dcmtk reads the tag as what it is.
    assert.match(
      spawnSync('dcmdump', [file], { encoding: 'utf8' }).stdout,
      /\(0040,a360\) SQ .*PredecessorDocumentsSequence/,
    );
  });

  it('importSecondOpinionSr refuses a plain reading SR', () => {
    const sr = exportReadingSr(firstReading(headers));
    assert.throws(() => importSecondOpinionSr(sr.buffer), SrImportError);
    assert.throws(
      () => importSecondOpinionSr(sr.buffer),
      (e: unknown) => e instanceof SrImportError && e.code === 'unsupported' && e.reason === 'unsupported',
    );
  });
});

describe('importSr of other software', () => {
  // The dcmqi sample is third-party shared data that we cannot generate: on a machine without
  // the shared folder, only the two tests about that file are skipped.
  const noSample = DCMQI_SR ? false : 'dcmqi TID 1500 sample SR absent (shared data)';

  it(
    'reads the dcmqi PET TID 1500 sample: every group and value, unknown content kept and reported',
    { skip: noSample },
    () => {
      const bytes = readFileSync(DCMQI_SR!);
      const dump = dsrdump(DCMQI_SR!).text;
      const groupCount = (dump.match(/CONTAINER:\(,,"Measurement Group"\)/g) ?? []).length;
      const numCount = (dump.match(/contains NUM:/g) ?? []).length;
      assert.ok(groupCount >= 1 && numCount > 0);

      const imported = importSr(bytes);
      const { reading } = imported;
      assert.equal(reading.findings.length, groupCount);
      const values = Object.values(imported.findingValues).flat();
      assert.equal(values.length, numCount);
      const finding = reading.findings[0]!;
      assert.equal(finding.description, 'primary tumor');
      assert.equal(finding.trackingUid, '2.25.318774060119084600392715520575818119084');
      assert.equal(finding.id, finding.trackingUid);
      assert.deepEqual(finding.location.site, {
        value: 'T-C5300',
        scheme: 'SRT',
        meaning: 'pharyngeal tonsil (adenoid)',
      });
      assert.equal(finding.location.segment?.segmentNumber, 1);
      assert.equal(reading.reader.name, 'User2');
      assert.equal(reading.status, 'draft'); // CompletionFlag PARTIAL
      const suvMean = values.find(
        (v) => v.concept.meaning === 'SUVbw' && v.modifiers.some((m) => m.value.meaning === 'Mean'),
      );
      assert.equal(suvMean?.value, 6.01529);
      assert.equal(suvMean?.unit?.value, '{SUVbw}g/ml');
      const volume = values.find((v) => v.concept.meaning === 'Volume');
      assert.equal(volume?.value, 33.5824);
      assert.equal(volume?.unit?.value, 'ml');
      // Values the model has no key for are readable in the finding text.
      assert.match(finding.text ?? '', /SUVbw \(Mean\): 6\.01529 \{SUVbw\}g\/ml/);
      assert.match(finding.text ?? '', /Volume \(Sum of segmented voxel volumes\): 33\.5824 ml/);
      // Unknown content: kept in the reading and reported, JSON-safe.
      assert.ok(imported.unknownContent.length > 0);
      assert.deepEqual(reading.source?.unknownContent, imported.unknownContent);
      assert.ok(
        imported.unknownContent.some((u) => u.concept?.meaning === 'Real World Value Map used for measurement'),
      );
      assert.ok(imported.warnings.some((w) => w.includes('Real World Value Map used for measurement')));
      assert.ok(imported.warnings.some((w) => w.includes('22 values')));
      assert.deepEqual(JSON.parse(JSON.stringify(reading)), reading);
      // The imported reading is valid for the reading model's own schema.
      assert.doesNotThrow(() => parseReading(JSON.parse(JSON.stringify(reading))));
      assert.deepEqual(imported.procedureReported, { value: '44139-4', scheme: 'LN', meaning: 'PET whole body' });
    },
  );

  it('re-exports an imported third-party reading as a valid SR', { skip: noSample }, () => {
    const imported = importSr(readFileSync(DCMQI_SR!)).reading;
    const sr = exportReadingSr(imported);
    assertValid(dir.file('dcmqi-again.dcm', sr.buffer));
    const back = importSr(sr.buffer).reading;
    assert.equal(back.findings[0]?.text, imported.findings[0]?.text);
  });

  it('maps third-party SCOORD3D measurements to SecondRead measurements', () => {
    // Our own SR without the private SecondRead items is what another TID 1500 writer produces.
    const reading = firstReading(headers);
    const dataset = structuredClone(exportReadingSr(reading).dataset);
    const strip = (items: NaturalDataset[]): NaturalDataset[] =>
      items
        .filter(
          (item) =>
            (item.ConceptNameCodeSequence as NaturalDataset[] | undefined)?.[0]?.CodingSchemeDesignator !==
            '99SECONDREAD',
        )
        .map((item) =>
          item.ContentSequence ? { ...item, ContentSequence: strip(item.ContentSequence as NaturalDataset[]) } : item,
        );
    dataset.ContentSequence = strip(dataset.ContentSequence as NaturalDataset[]);
    const imported = importSr(dataset);
    const [nodule, mass] = imported.reading.findings;
    assert.equal(nodule?.category, 'nodule');
    const kinds = (f: Finding | undefined) => f?.location.measurements.map((m) => m.kind);
    assert.deepEqual(kinds(nodule), ['bidirectional', 'ellipse-roi']);
    assert.deepEqual(kinds(mass), ['length', 'angle', 'cobb-angle', 'freehand-roi', 'freehand-roi', 'probe']);
    const bidirectional = nodule!.location.measurements[0]!;
    assert.deepEqual(bidirectional.points, reading.findings[0]!.location.measurements[0]!.points);
    assert.deepEqual(bidirectional.values, reading.findings[0]!.location.measurements[0]!.values);
    assert.equal(nodule!.location.measurements[1]!.values.meanHu, 23.4567);
  });

  it('places 2D SCOORD regions (pixel coordinates) in patient space when the image headers are given', () => {
    // What most viewers write: NUM → INFERRED FROM SCOORD (column/row) → SELECTED FROM IMAGE.
    const reading = firstReading(headers);
    const dataset = structuredClone(exportReadingSr(reading, { referencedImageHeaders: headers }).dataset);
    const headerOf = new Map(headers.map((h) => [String(h.SOPInstanceUID), h]));
    const mass = reading.findings[1]!;
    const sop = mass.location.measurements[0]!.sopInstanceUid;
    const header = headerOf.get(sop)!;
    const position = (header.ImagePositionPatient as number[]).map(Number);
    const spacing = (header.PixelSpacing as number[]).map(Number);
    const toPixels = (data: number[]): number[] =>
      data.flatMap((_, i) =>
        i % 3 === 0
          ? [(data[i]! - position[0]!) / spacing[1]! + 0.5, (data[i + 1]! - position[1]!) / spacing[0]! + 0.5]
          : [],
      );
    const to2d = (items: NaturalDataset[]): NaturalDataset[] =>
      items
        .filter(
          (item) =>
            (item.ConceptNameCodeSequence as NaturalDataset[] | undefined)?.[0]?.CodingSchemeDesignator !==
            '99SECONDREAD',
        )
        .map((item) => {
          if (item.ValueType === 'SCOORD3D') {
            return {
              RelationshipType: item.RelationshipType,
              ValueType: 'SCOORD',
              GraphicType: item.GraphicType === 'POLYGON' ? 'POLYLINE' : item.GraphicType,
              GraphicData: toPixels(item.GraphicData as number[]),
              ContentSequence: [
                {
                  RelationshipType: 'SELECTED FROM',
                  ValueType: 'IMAGE',
                  ReferencedSOPSequence: [
                    { ReferencedSOPClassUID: '1.2.840.10008.5.1.4.1.1.2', ReferencedSOPInstanceUID: sop },
                  ],
                },
              ],
            };
          }
          return item.ContentSequence
            ? { ...item, ContentSequence: to2d(item.ContentSequence as NaturalDataset[]) }
            : item;
        });
    dataset.ContentSequence = to2d(dataset.ContentSequence as NaturalDataset[]);

    const without = importSr(dataset);
    assert.equal(without.reading.findings[1]!.location.measurements.length, 0);
    assert.match(without.reading.findings[1]!.text ?? '', /Length: /);

    const imported = importSr(dataset, { imageHeaders: headers });
    const measurements = imported.reading.findings[1]!.location.measurements;
    const length = measurements.find((m) => m.kind === 'length')!;
    const original = mass.location.measurements[0]!;
    assert.equal(length.sopInstanceUid, sop);
    assert.equal(length.seriesUid, original.seriesUid);
    assert.equal(length.frameOfReferenceUid, original.frameOfReferenceUid);
    assert.equal(length.values.lengthMm, original.values.lengthMm);
    length.points.forEach((point, i) =>
      point.forEach((c, j) => assert.ok(Math.abs(c - original.points[i]![j]!) < 1e-3)),
    );
    assert.ok(measurements.some((m) => m.kind === 'probe' && m.values.hu === 41));
  });

  it('rejects files that are not TID 1500 SRs', () => {
    const ct = readFileSync(CT_FILES[0]!);
    assert.throws(() => importSr(ct), SrImportError);
    const codeOf = (bytes: Uint8Array): string | undefined => {
      try {
        importSr(bytes);
      } catch (error) {
        assert.ok(error instanceof SrImportError && error instanceof SecondReadError, String(error));
        return error.code;
      }
      return undefined;
    };
    assert.equal(codeOf(ct), 'not-an-sr');
    assert.equal(codeOf(new TextEncoder().encode('not DICOM')), 'not-dicom');
    const sr = new Uint8Array(exportReadingSr(firstReading(headers)).buffer);
    assert.equal(codeOf(sr.subarray(0, sr.length - 3)), 'truncated');
    assert.equal(codeOf(sr.subarray(0, sr.length / 2)), 'truncated');
    // A Basic Text SR is an SR, but not TID 1500.
    const dataset = readPart10(sr);
    dataset.ConceptNameCodeSequence = [
      { CodeValue: '18748-4', CodingSchemeDesignator: 'LN', CodeMeaning: 'Diagnostic imaging report' },
    ];
    assert.equal(codeOf(new Uint8Array(writePart10(dataset))), 'not-tid-1500');
  });
});
