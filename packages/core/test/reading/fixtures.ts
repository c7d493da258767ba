/**
 * Readings, findings and measurements on the phantom's geometry for the tests of
 * \`src/reading/\` (one test file per source file), and the assertions they share.
 */
import assert from 'node:assert/strict';
import {
  ReadingError,
  ReadingSchemaError,
  SecondOpinionModel,
  computeGeometry,
  readingFromMeasurements,
  type Finding,
  type Measurement,
  type MeasurementKind,
  type Reader,
  type Reading,
  type SecondOpinion,
  type Vec3,
} from '../../src/index.ts';

// Phantom geometry (packages/phantom/src/generate.ts): nodule N1 at [-55, -10, 20] mm, 12 mm at
// baseline, 16 mm at follow-up; axial slices, one frame of reference.
export const STUDY = '1.2.826.0.1.3680043.8.498.1';
export const SERIES = '1.2.826.0.1.3680043.8.498.1.1';
export const FRAME = '1.2.826.0.1.3680043.8.498.1.9';
export const SLICE_AT_Z20 = '1.2.826.0.1.3680043.8.498.1.1.38';
export const NODULE: Vec3 = [-55, -10, 20];
export const FIRST_READER: Reader = { name: 'Dr First', id: 'r1', institution: 'General Hospital' };
export const SECOND_READER: Reader = { name: 'Dr Second', id: 'r2' };

let counter = 0;
/** A clock that ticks one second per call, from a fixed start. */
export function tickingClock(start = Date.UTC(2026, 10, 28, 16, 0, 0)): () => Date {
  let t = start;
  return () => new Date((t += 1000));
}

export function measurement(kind: MeasurementKind, points: Vec3[], extra: Partial<Measurement> = {}): Measurement {
  const orientation = extra.imageOrientationPatient;
  return {
    id: `m-${++counter}`,
    kind,
    points,
    studyUid: STUDY,
    seriesUid: SERIES,
    sopInstanceUid: SLICE_AT_Z20,
    frameOfReferenceUid: FRAME,
    values: computeGeometry(kind, points, orientation),
    label: '',
    readerId: 'r2',
    createdAt: '2026-11-28T16:00:00.000Z',
    updatedAt: '2026-11-28T16:00:00.000Z',
    ...extra,
  };
}

/** A horizontal (left-right) line of `lengthMm` centred on `centre`. */
export const line = (centre: Vec3, lengthMm: number, extra: Partial<Measurement> = {}): Measurement =>
  measurement(
    'length',
    [
      [centre[0] - lengthMm / 2, centre[1], centre[2]],
      [centre[0] + lengthMm / 2, centre[1], centre[2]],
    ],
    extra,
  );

/** An axial ellipse with semi-axes `a` (x) and `b` (y). */
export const ellipse = (centre: Vec3, a: number, b: number, extra: Partial<Measurement> = {}): Measurement =>
  measurement(
    'ellipse-roi',
    [
      [centre[0] - a, centre[1], centre[2]],
      [centre[0] + a, centre[1], centre[2]],
      [centre[0], centre[1] - b, centre[2]],
      [centre[0], centre[1] + b, centre[2]],
    ],
    { imageOrientationPatient: [1, 0, 0, 0, 1, 0], ...extra },
  );

export const rectangle = (from: Vec3, to: Vec3, extra: Partial<Measurement> = {}): Measurement =>
  measurement('rectangle-roi', [from, to], { imageOrientationPatient: [1, 0, 0, 0, 1, 0], ...extra });

export function finding(id: string, measurements: Measurement[], category: Finding['category'] = 'nodule'): Finding {
  return { id, description: `${category} ${id}`, category, location: { measurements, images: [] } };
}

export function reading(role: Reading['role'], findings: Finding[], id = `${role}-reading`): Reading {
  return {
    id,
    role,
    reader: role === 'first' ? FIRST_READER : SECOND_READER,
    studyUid: STUDY,
    findings,
    impression: '',
    recommendations: '',
    status: role === 'first' ? 'final' : 'draft',
    createdAt: '2026-11-28T15:00:00.000Z',
    updatedAt: '2026-11-28T15:00:00.000Z',
    ...(role === 'first' ? { finalizedAt: '2026-11-28T15:30:00.000Z' } : {}),
  };
}

/** A first reading of the phantom's baseline: the nodule, 12 mm. */
export function scriptedFirst(): Reading {
  return readingFromMeasurements([line(NODULE, 12, { readerId: 'r1', label: 'RUL nodule' })], {
    role: 'first',
    reader: FIRST_READER,
    studyUid: STUDY,
    category: 'nodule',
    id: 'first-1',
    now: () => new Date('2026-11-28T15:30:00.000Z'),
  });
}

export function expectSchemaError(fn: () => unknown, path: string, message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ReadingSchemaError, `expected ReadingSchemaError, got ${String(error)}`);
    assert.equal(error.path, path, error.message);
    assert.equal(error.code, 'invalid-schema');
    if (message) assert.match(error.message, message);
    return true;
  });
}

export function expectReadingError(fn: () => unknown, code: ReadingError['code'], message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ReadingError, `expected ReadingError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

/** A full, submitted second opinion using every optional field of the schema. */
export function richOpinion(): SecondOpinion {
  const model = new SecondOpinionModel({
    studyUid: STUDY,
    reader: SECOND_READER,
    first: scriptedFirst(),
    blinded: true,
    id: 'opinion-1',
    now: tickingClock(),
  });
  model.addFinding({
    category: 'nodule',
    measurements: [line([-53, -10, 20], 16)],
    severity: 'major',
    text: 'Solid nodule, grown.',
    site: { value: '31094006', scheme: 'SCT', meaning: 'Structure of lobe of lung' },
  });
  const roi = model.addFinding({
    category: 'effusion',
    description: 'Small right effusion',
    measurements: [
      ellipse([-80, 40, 20], 12, 6),
      measurement('freehand-roi', [
        [-90, 30, 20],
        [-85, 35, 20],
        [-88, 39, 20],
      ]),
    ],
    images: [{ studyUid: STUDY, seriesUid: SERIES, sopInstanceUid: SLICE_AT_Z20, frame: 1 }],
    site: 'right pleural space',
  });
  model.updateFinding(roi.id, {
    trackingUid: '2.25.1234',
    keyImages: [
      {
        image: { studyUid: STUDY, seriesUid: SERIES, sopInstanceUid: SLICE_AT_Z20 },
        dataUrl: 'data:image/png;base64,iVBORw0KGgo=',
        capturedAt: '2026-11-28T16:05:00.000Z',
        caption: 'Effusion',
      },
    ],
    location: {
      ...roi.location,
      segment: {
        seriesUid: '2.25.9',
        sopInstanceUid: '2.25.10',
        segmentNumber: 1,
        label: 'Effusion',
        centroid: [-82, 38, 21.5],
        volumeMm3: 1500.25,
      },
    },
  });
  model.setImpression('Growing right lung nodule.');
  model.setRecommendations('CT in 3 months.');
  model.unblind();
  model.setRadpeer('2b');
  model.setPeerLearningComment('Growth was not mentioned.');
  const [pair] = model.concordance.pairs;
  model.setVerdict(pair!.secondFindingId!, 'disagree', 'Size under-measured by first reader.');
  const cad: Reading = {
    ...reading('cad', [], 'cad-1'),
    status: 'final',
    finalizedAt: '2026-11-28T14:00:00.000Z',
    source: { kind: 'sr', seriesUid: '2.25.77', sopInstanceUid: '2.25.78', unknownContent: [{ code: 'x', n: [1, 2] }] },
  };
  const submitted = model.submit();
  return { ...submitted, readings: [...submitted.readings, cad] };
}

/** One pair of a concordance. */
export type FindingPair = SecondOpinion['concordance']['pairs'][number];
