/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit parsed JSON freely to make it invalid */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PHANTOM_NODULES } from '@secondread/phantom';
import {
  DEFAULT_MATCH_THRESHOLD_MM,
  ReadingError,
  ReadingSchemaError,
  SECOND_OPINION_SCHEMA_ID,
  SECOND_OPINION_SCHEMA_VERSION,
  SecondOpinionModel,
  computeGeometry,
  findingCentre,
  findingSizeMm,
  matchFindings,
  parseReading,
  parseSecondOpinion,
  readingFromMeasurements,
  roiOverlap,
  serializeSecondOpinion,
  type Finding,
  type Measurement,
  type MeasurementKind,
  type OpinionChange,
  type Reader,
  type Reading,
  type SecondOpinion,
  type Vec3,
} from '../src/index.ts';

// Phantom geometry (packages/phantom/src/generate.ts): nodule N1 at [-55, -10, 20] mm, 12 mm at
// baseline, 16 mm at follow-up; axial slices, one frame of reference.
const STUDY = '1.2.826.0.1.3680043.8.498.1';
const SERIES = '1.2.826.0.1.3680043.8.498.1.1';
const FRAME = '1.2.826.0.1.3680043.8.498.1.9';
const SLICE_AT_Z20 = '1.2.826.0.1.3680043.8.498.1.1.38';
const NODULE: Vec3 = [-55, -10, 20];
const FIRST_READER: Reader = { name: 'Dr First', id: 'r1', institution: 'General Hospital' };
const SECOND_READER: Reader = { name: 'Dr Second', id: 'r2' };

let counter = 0;
/** A clock that ticks one second per call, from a fixed start. */
function tickingClock(start = Date.UTC(2026, 10, 28, 16, 0, 0)): () => Date {
  let t = start;
  return () => new Date((t += 1000));
}

function measurement(kind: MeasurementKind, points: Vec3[], extra: Partial<Measurement> = {}): Measurement {
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
const line = (centre: Vec3, lengthMm: number, extra: Partial<Measurement> = {}): Measurement =>
  measurement(
    'length',
    [
      [centre[0] - lengthMm / 2, centre[1], centre[2]],
      [centre[0] + lengthMm / 2, centre[1], centre[2]],
    ],
    extra,
  );

/** An axial ellipse with semi-axes `a` (x) and `b` (y). */
const ellipse = (centre: Vec3, a: number, b: number, extra: Partial<Measurement> = {}): Measurement =>
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

const rectangle = (from: Vec3, to: Vec3, extra: Partial<Measurement> = {}): Measurement =>
  measurement('rectangle-roi', [from, to], { imageOrientationPatient: [1, 0, 0, 0, 1, 0], ...extra });

function finding(id: string, measurements: Measurement[], category: Finding['category'] = 'nodule'): Finding {
  return { id, description: `${category} ${id}`, category, location: { measurements, images: [] } };
}

function reading(role: Reading['role'], findings: Finding[], id = `${role}-reading`): Reading {
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
function scriptedFirst(): Reading {
  return readingFromMeasurements([line(NODULE, 12, { readerId: 'r1', label: 'RUL nodule' })], {
    role: 'first',
    reader: FIRST_READER,
    studyUid: STUDY,
    category: 'nodule',
    id: 'first-1',
    now: () => new Date('2026-11-28T15:30:00.000Z'),
  });
}

function expectSchemaError(fn: () => unknown, path: string, message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ReadingSchemaError, `expected ReadingSchemaError, got ${String(error)}`);
    assert.equal(error.path, path, error.message);
    assert.equal(error.code, 'invalid-schema');
    if (message) assert.match(error.message, message);
    return true;
  });
}

function expectReadingError(fn: () => unknown, code: ReadingError['code'], message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ReadingError, `expected ReadingError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

/** A full, submitted second opinion using every optional field of the schema. */
function richOpinion(): SecondOpinion {
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

describe('reading schema', () => {
  it('round-trips a second opinion using every field, losslessly', () => {
    const opinion = richOpinion();
    assert.equal(opinion.schema, SECOND_OPINION_SCHEMA_ID);
    assert.equal(opinion.version, SECOND_OPINION_SCHEMA_VERSION);
    const text = serializeSecondOpinion(opinion);
    assert.equal(typeof text, 'string');
    assert.deepEqual(parseSecondOpinion(text), opinion);
    assert.deepEqual(parseSecondOpinion(JSON.parse(text)), opinion);
    // Parsing copies: the result shares nothing with the input.
    const copy = parseSecondOpinion(opinion);
    assert.notEqual(copy.readings[0], opinion.readings[0]);
    assert.ok(text.includes('"radpeer":"2b"'));
  });

  it('rejects each kind of bad input with the path of the offending value', () => {
    const good = JSON.parse(serializeSecondOpinion(richOpinion())) as Record<string, any>;
    const secondIndex = (good.readings as Reading[]).findIndex((r) => r.role === 'second');
    const bad = (edit: (doc: Record<string, any>) => void): Record<string, any> => {
      const doc = structuredClone(good);
      edit(doc);
      return doc;
    };
    const f0 = `readings[${secondIndex}].findings[0]`;
    expectSchemaError(() => parseSecondOpinion('{not json'), '', /not JSON/);
    expectSchemaError(() => parseSecondOpinion(bad((d) => (d.schema = 'secondread/measurements'))), 'schema');
    expectSchemaError(() => parseSecondOpinion(bad((d) => (d.version = '2.0'))), 'version', /not a supported version/);
    expectSchemaError(() => parseSecondOpinion(bad((d) => (d.colour = 'red'))), 'colour', /not a field/);
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.readings[secondIndex].findings[0].colour = 'red'))),
      `${f0}.colour`,
      /not a field/,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.readings[secondIndex].findings[0].category = 'tumour'))),
      `${f0}.category`,
      /must be one of nodule, mass/,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.readings[secondIndex].findings[0].severity = 'huge'))),
      `${f0}.severity`,
    );
    expectSchemaError(() => parseSecondOpinion(bad((d) => (d.readings[0].role = 'third'))), 'readings[0].role');
    expectSchemaError(() => parseSecondOpinion(bad((d) => (d.readings[0].status = 'done'))), 'readings[0].status');
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.updatedAt = '2026-11-28'))),
      'updatedAt',
      /ISO 8601 date and time with a time zone/,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.readings[0].createdAt = '2026-11-28T16:00:00'))),
      'readings[0].createdAt',
    );
    expectSchemaError(
      () =>
        parseSecondOpinion(
          bad((d) => (d.readings[secondIndex].findings[0].location.measurements[0].points = [[0, 0, 0]])),
        ),
      `${f0}.location.measurements[0].points`,
      /a length takes 2 points, got 1/,
    );
    expectSchemaError(
      () =>
        parseSecondOpinion(
          bad((d) => (d.readings[secondIndex].findings[0].location.measurements[0].values.lengthMm = -1)),
        ),
      `${f0}.location.measurements[0].values.lengthMm`,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.readings[secondIndex].findings[1].location.images[0].frame = 0))),
      `readings[${secondIndex}].findings[1].location.images[0].frame`,
    );
    expectSchemaError(
      () =>
        parseSecondOpinion(bad((d) => (d.readings[secondIndex].findings[1].keyImages[0].dataUrl = 'http://x/y.png'))),
      `readings[${secondIndex}].findings[1].keyImages[0].dataUrl`,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.readings[0].reader.name = ''))),
      'readings[0].reader.name',
    );
    expectSchemaError(
      () =>
        parseSecondOpinion(
          bad((d) => (d.readings[secondIndex].findings[1].id = d.readings[secondIndex].findings[0].id)),
        ),
      `readings[${secondIndex}].findings[1].id`,
      /duplicates/,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => delete d.readings[secondIndex].finalizedAt)),
      `readings[${secondIndex}].finalizedAt`,
      /required when the status is final/,
    );
    expectSchemaError(() => parseSecondOpinion(bad((d) => (d.readings[0].studyUid = '1.2.3'))), 'readings[0].studyUid');
    expectSchemaError(() => parseSecondOpinion(bad((d) => (d.blinding.blinded = false))), 'blinding.unblindedAt');
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.blinding.unblindedAt = '2020-01-01T00:00:00Z'))),
      'blinding.unblindedAt',
      /earlier than startedAt/,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.concordance.matchThresholdMm = -1))),
      'concordance.matchThresholdMm',
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.concordance.pairs[0].method = 'guess'))),
      'concordance.pairs[0].method',
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.concordance.pairs[0].verdict = 'missed-by-first'))),
      'concordance.pairs[0].verdict',
      /agree or disagree/,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.concordance.pairs[0].overlap = 1.5))),
      'concordance.pairs[0].overlap',
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.concordance.pairs[0].secondFindingId = 'nope'))),
      'concordance.pairs[0].secondFindingId',
      /names no finding of the second reading/,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => d.concordance.pairs.pop())),
      'concordance.pairs',
      /must list every finding/,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.concordance.secondReadingId = 'x'))),
      'concordance.secondReadingId',
    );
    expectSchemaError(
      () =>
        parseSecondOpinion(
          bad(
            (d) => (
              (d.readings[0].findings[0].location.measurements[0].id = 'dup'),
              d.readings[0].findings.push({ ...d.readings[0].findings[0], id: 'other' })
            ),
          ),
        ),
      'readings[0].findings[1].location.measurements[0].id',
    );
  });

  it('rejects RADPEER 2 and 3 without their clinical-significance modifier', () => {
    const good = JSON.parse(serializeSecondOpinion(richOpinion())) as Record<string, any>;
    for (const score of ['2', '3']) {
      const doc = structuredClone(good);
      doc.concordance.radpeer = score;
      expectSchemaError(
        () => parseSecondOpinion(doc),
        'concordance.radpeer',
        new RegExp(`RADPEER ${score} needs its clinical-significance modifier: ${score}a .* or ${score}b`),
      );
    }
    for (const score of ['4', 'x', 1, '2c', '1a']) {
      const doc = structuredClone(good);
      doc.concordance.radpeer = score;
      expectSchemaError(() => parseSecondOpinion(doc), 'concordance.radpeer', /one of 1, 2a, 2b, 3a, 3b/);
    }
  });

  it('parseReading validates a single reading and prefixes paths', () => {
    const first = scriptedFirst();
    assert.deepEqual(parseReading(JSON.stringify(first)), first);
    expectSchemaError(
      () => parseReading({ ...first, findings: [{ ...first.findings[0], category: 1 }] }),
      'findings[0].category',
    );
    expectSchemaError(() => parseReading({ ...first, role: undefined }, 'first'), 'first.role', /required/);
  });
});

describe('matching', () => {
  const first12 = finding('f1', [line(NODULE, 12)]);
  const second16 = finding('s1', [line([-53, -10, 20], 16)]);
  const far = finding('s2', [line([25, -10, 20], 5)]);

  it('pairs the 12 mm and 16 mm measurements 2 mm apart and reports the size difference', () => {
    const pairs = matchFindings(reading('first', [first12]), reading('second', [second16, far]));
    assert.equal(pairs.length, 2);
    const [pair, missed] = pairs;
    assert.equal(pair!.firstFindingId, 'f1');
    assert.equal(pair!.secondFindingId, 's1');
    assert.equal(pair!.method, 'distance');
    assert.equal(pair!.verdict, 'agree');
    assert.equal(pair!.confirmed, false);
    assert.ok(Math.abs(pair!.distanceMm! - 2) < 1e-9);
    assert.ok(Math.abs(pair!.sizeDeltaMm! - 4) < 1e-9);
    assert.equal(pair!.sizeDeltaPercent!.toFixed(1), '33.3');
    assert.equal(pair!.overlap, undefined);
    assert.deepEqual(missed, {
      secondFindingId: 's2',
      method: 'unmatched',
      verdict: 'missed-by-first',
      confirmed: false,
    });
  });

  it('leaves an unmatched first finding not confirmed, and calls a category change a disagreement', () => {
    const pairs = matchFindings(
      reading('first', [first12, finding('f2', [line([50, 10, 45], 6)])]),
      reading('second', [finding('s1', [line([-54, -10, 21], 15)], 'mass')]),
    );
    assert.equal(pairs[0]!.verdict, 'disagree');
    assert.deepEqual(pairs[1], {
      firstFindingId: 'f2',
      method: 'unmatched',
      verdict: 'not-confirmed-by-second',
      confirmed: false,
    });
  });

  it('uses the threshold (10 mm by default) and the frame of reference', () => {
    assert.equal(DEFAULT_MATCH_THRESHOLD_MM, 10);
    const at = (dx: number, extra: Partial<Measurement> = {}): Reading =>
      reading('second', [finding('s', [line([NODULE[0] + dx, NODULE[1], NODULE[2]], 12, extra)])]);
    const first = reading('first', [first12]);
    assert.equal(matchFindings(first, at(9.9))[0]!.method, 'distance');
    assert.equal(matchFindings(first, at(10.1))[0]!.method, 'unmatched');
    assert.equal(matchFindings(first, at(9.9), { thresholdMm: 5 })[0]!.method, 'unmatched');
    const otherFrame = matchFindings(first, at(0, { frameOfReferenceUid: '2.25.999' }));
    assert.equal(otherFrame[0]!.method, 'unmatched');
    assert.equal(otherFrame.length, 2);
  });

  it('pairs greedily, closest first, one to one', () => {
    const pairs = matchFindings(
      reading('first', [finding('fa', [line([-55, -10, 20], 10)]), finding('fb', [line([-51, -10, 20], 10)])]),
      reading('second', [finding('s', [line([-50, -10, 20], 10)])]),
    );
    assert.deepEqual(
      pairs.map((p) => [p.firstFindingId, p.secondFindingId, p.verdict]),
      [
        ['fa', undefined, 'not-confirmed-by-second'],
        ['fb', 's', 'agree'],
      ],
    );
  });

  it('pairs large ROIs that overlap although their centres are far apart', () => {
    const mass = finding('f', [rectangle([-100, -40, 20], [-40, 20, 20])], 'mass');
    const other = finding(
      's',
      [rectangle([-60, -20, 20], [-20, 20, 20], { sopInstanceUid: '2.25.other-image-same-plane' })],
      'mass',
    );
    const [pair] = matchFindings(reading('first', [mass]), reading('second', [other]));
    assert.equal(pair!.method, 'overlap');
    assert.ok(pair!.distanceMm! > DEFAULT_MATCH_THRESHOLD_MM);
    // |A∩B| = 20 × 40 = 800, |A| = 3600, |B| = 1600: Dice = 1600 / 5200.
    assert.ok(Math.abs(pair!.overlap! - 1600 / 5200) < 1e-9, String(pair!.overlap));
    // Size: the rectangles' diagonals.
    assert.ok(Math.abs(pair!.sizeDeltaMm! - (Math.hypot(40, 40) - Math.hypot(60, 60))) < 1e-9);
  });

  it('keeps confirmed pairs of `keep` and matches the rest', () => {
    const first = reading('first', [first12, finding('f2', [line([50, 10, 45], 6)])]);
    const second = reading('second', [second16, finding('s2', [line([50, 11, 45], 6)])]);
    const manual = {
      firstFindingId: 'f1',
      secondFindingId: 's2',
      method: 'manual',
      verdict: 'disagree',
      confirmed: true,
      comment: 'c',
    } as const;
    const apart = {
      firstFindingId: 'f2',
      method: 'unmatched',
      verdict: 'not-confirmed-by-second',
      confirmed: true,
    } as const;
    const stale = {
      firstFindingId: 'f1',
      secondFindingId: 's1',
      method: 'distance',
      verdict: 'agree',
      confirmed: false,
    } as const;
    const pairs = matchFindings(first, second, { keep: [stale, manual, apart] });
    assert.equal(pairs.length, 3);
    const kept = pairs.find((p) => p.firstFindingId === 'f1')!;
    assert.equal(kept.secondFindingId, 's2');
    assert.equal(kept.method, 'manual');
    assert.equal(kept.verdict, 'disagree');
    assert.equal(kept.comment, 'c');
    assert.ok(kept.distanceMm! > 100, 'measured values are refreshed');
    assert.deepEqual(
      pairs.find((p) => p.firstFindingId === 'f2'),
      apart,
    );
    assert.equal(pairs.find((p) => p.secondFindingId === 's1')!.verdict, 'missed-by-first');
    // A kept pair whose finding is gone is dropped.
    const without = matchFindings(reading('first', [first12]), reading('second', [second16]), { keep: [manual] });
    assert.equal(without[0]!.secondFindingId, 's1');
    assert.equal(without[0]!.method, 'distance');
  });

  it('finds the centre and size of findings', () => {
    assert.deepEqual(findingCentre(first12), NODULE);
    assert.equal(findingSizeMm(first12), 12);
    const withArrow = finding('x', [
      measurement('arrow', [
        [0, 0, 0],
        [10, 20, 30],
      ]),
      measurement('probe', [[20, 20, 30]]),
    ]);
    assert.deepEqual(findingCentre(withArrow), [15, 20, 30]);
    assert.equal(findingSizeMm(withArrow), undefined);
    const roi = finding('r', [ellipse(NODULE, 8, 5)]);
    assert.equal(findingSizeMm(roi), 16);
    assert.deepEqual(findingCentre(roi), NODULE);
    const bidirectional = finding('b', [
      measurement('bidirectional', [
        [-63, -10, 20],
        [-47, -10, 20],
        [-55, -15, 20],
        [-55, -5, 20],
      ]),
      ellipse(NODULE, 12, 12),
    ]);
    assert.equal(findingSizeMm(bidirectional), 16, 'a line measurement wins over an ROI');
    const segmented = {
      ...roi,
      location: {
        ...roi.location,
        segment: { seriesUid: 's', sopInstanceUid: 'i', segmentNumber: 1, centroid: [1, 2, 3] as Vec3 },
      },
    };
    assert.deepEqual(findingCentre(segmented), [1, 2, 3]);
    assert.equal(findingCentre(finding('e', [])), undefined);
  });
});

describe('roiOverlap (Dice)', () => {
  it('is 1 for identical ellipses and 0 for disjoint ones', () => {
    assert.equal(roiOverlap(ellipse(NODULE, 8, 5), ellipse(NODULE, 8, 5)), 1);
    assert.equal(roiOverlap(ellipse(NODULE, 8, 5), ellipse([-20, -10, 20], 8, 5)), 0);
  });

  it('is 1/2 for squares overlapping by half, as rectangles and as freehand outlines', () => {
    const a = rectangle([0, 0, 20], [10, 10, 20]);
    const b = rectangle([5, 0, 20], [15, 10, 20]);
    assert.ok(Math.abs(roiOverlap(a, b)! - 0.5) < 1e-12);
    const square = (x: number): Measurement =>
      measurement('freehand-roi', [
        [x, 0, 20],
        [x + 10, 0, 20],
        [x + 10, 10, 20],
        [x, 10, 20],
      ]);
    assert.ok(Math.abs(roiOverlap(square(0), square(5))! - 0.5) < 1e-12);
    // Freehand against rectangle, and a non-convex L shape covering 3/4 of the square.
    assert.ok(Math.abs(roiOverlap(square(0), b)! - 0.5) < 1e-12);
    const l = measurement('freehand-roi', [
      [0, 0, 20],
      [10, 0, 20],
      [10, 5, 20],
      [5, 5, 20],
      [5, 10, 20],
      [0, 10, 20],
    ]);
    assert.ok(Math.abs(roiOverlap(l, square(0))! - (2 * 75) / (75 + 100)) < 1e-12);
  });

  it('matches the analytic overlap of two circles', () => {
    const r = 10;
    const d = 10;
    const lens = 2 * r * r * Math.acos(d / (2 * r)) - (d / 2) * Math.sqrt(4 * r * r - d * d);
    const dice = roiOverlap(ellipse([0, 0, 20], r, r), ellipse([d, 0, 20], r, r))!;
    assert.ok(Math.abs(dice - lens / (Math.PI * r * r)) < 1e-3, `${dice} vs ${lens / (Math.PI * r * r)}`);
  });

  it('is undefined for ROIs on different planes or frames, or for non-ROIs', () => {
    assert.equal(
      roiOverlap(ellipse(NODULE, 8, 5), ellipse([-55, -10, 22.5], 8, 5, { sopInstanceUid: 'other' })),
      undefined,
    );
    assert.equal(roiOverlap(ellipse(NODULE, 8, 5), ellipse(NODULE, 8, 5, { frameOfReferenceUid: 'other' })), undefined);
    assert.equal(roiOverlap(line(NODULE, 8), ellipse(NODULE, 8, 5)), undefined);
    // A coronal ellipse through the same centre.
    const coronal = measurement(
      'ellipse-roi',
      [
        [-63, -10, 20],
        [-47, -10, 20],
        [-55, -10, 15],
        [-55, -10, 25],
      ],
      {
        imageOrientationPatient: [1, 0, 0, 0, 0, -1],
      },
    );
    assert.equal(roiOverlap(ellipse(NODULE, 8, 5), coronal), undefined);
  });
});

describe('SecondOpinionModel', () => {
  function setUp(options: { blinded?: boolean; first?: boolean } = {}) {
    const model = new SecondOpinionModel({
      studyUid: STUDY,
      reader: SECOND_READER,
      ...(options.first === false ? {} : { first: scriptedFirst() }),
      blinded: options.blinded ?? false,
      now: tickingClock(),
    });
    const changes: OpinionChange[] = [];
    const snapshots: SecondOpinion[] = [];
    model.subscribe((opinion, change) => {
      changes.push(change);
      snapshots.push(opinion);
    });
    return { model, changes, snapshots };
  }

  it('builds the second reading, matches it with the first and notifies once per change', () => {
    const { model, changes, snapshots } = setUp();
    const before = model.opinion;
    assert.equal(model.second.role, 'second');
    assert.equal(model.second.status, 'draft');
    assert.equal(model.first!.id, 'first-1');
    assert.deepEqual(
      model.concordance.pairs.map((p) => p.verdict),
      ['not-confirmed-by-second'],
    );
    const grown = model.addFinding({ category: 'nodule', measurements: [line([-53, -10, 20], 16)] });
    assert.equal(grown.description, 'Nodule, 16.0 mm');
    const missed = model.addFinding({ category: 'nodule', measurements: [line([25, -10, 20], 5)] });
    assert.equal(changes.length, 2);
    assert.deepEqual(changes[0], { kind: 'finding-add', findingId: grown.id });
    assert.equal(snapshots[1], model.opinion);
    const [pair, missedPair] = model.concordance.pairs;
    assert.equal(pair!.secondFindingId, grown.id);
    assert.ok(Math.abs(pair!.sizeDeltaMm! - 4) < 1e-9);
    assert.equal(pair!.sizeDeltaPercent!.toFixed(1), '33.3');
    assert.equal(missedPair!.secondFindingId, missed.id);
    assert.equal(missedPair!.verdict, 'missed-by-first');
    // Snapshots are new, frozen and never changed.
    assert.notEqual(before, model.opinion);
    assert.deepEqual(before.readings[1]!.findings, []);
    assert.ok(
      Object.isFrozen(model.opinion) && Object.isFrozen(model.second.findings[0]!.location.measurements[0]!.points),
    );
    assert.throws(() => {
      (model.opinion.concordance.pairs as FindingPair[]).push(pair!);
    }, TypeError);
    assert.ok(model.opinion.updatedAt > before.updatedAt);
    assert.deepEqual(parseSecondOpinion(model.opinion), model.opinion);
    // No change, no notification.
    model.setImpression('');
    assert.equal(changes.length, 2);
    model.setImpression('Nodule grown to 16 mm.');
    assert.deepEqual(changes[2], { kind: 'text' });
    assert.equal(model.second.impression, 'Nodule grown to 16 mm.');
    // Unsubscribing stops the calls.
    let heard = 0;
    const stop = model.subscribe(() => heard++);
    model.setRecommendations('CT in 3 months.');
    stop();
    model.setRecommendations('CT in 6 months.');
    assert.equal(heard, 1);
    assert.equal(changes.length, 5);
  });

  it('updates and removes findings, validating them', () => {
    const { model, changes } = setUp();
    const added = model.addFinding({ category: 'other', description: 'Rib lesion', severity: 'minor' });
    const updated = model.updateFinding(added.id, { category: 'fracture', severity: undefined, text: 'Old fracture' });
    assert.equal(updated.category, 'fracture');
    assert.equal('severity' in updated, false);
    assert.equal(updated.text, 'Old fracture');
    assert.equal(changes.at(-1)!.kind, 'finding-change');
    expectSchemaError(() => model.updateFinding(added.id, { category: 'tumour' as never }), 'category');
    expectSchemaError(
      () => model.addFinding({ category: 'nodule', measurements: [{ ...line(NODULE, 5), points: [] }] }),
      'location.measurements[0].points',
    );
    expectReadingError(() => model.updateFinding('nope', {}), 'not-found');
    expectReadingError(() => model.removeFinding('nope'), 'not-found');
    const count = changes.length;
    model.removeFinding(added.id);
    assert.equal(changes.length, count + 1);
    assert.deepEqual(changes.at(-1), { kind: 'finding-remove', findingId: added.id });
    assert.equal(model.second.findings.length, 0);
  });

  it('keeps the second reading in step with the reader’s measurements', () => {
    const { model, changes } = setUp();
    const nodule = line([-53, -10, 20], 16, { label: 'RUL nodule' });
    const probe = measurement('probe', [[0, 60, 20]], { values: { hu: 400 } });
    model.syncMeasurements([nodule, probe], { category: 'nodule' });
    assert.equal(changes.length, 1);
    assert.equal(changes[0]!.kind, 'finding-change');
    assert.deepEqual(
      model.second.findings.map((f) => [f.description, f.category, f.createdFromMeasurement]),
      [
        ['RUL nodule: 16.0 mm', 'nodule', true],
        ['Probe: 400 HU', 'nodule', true],
      ],
    );
    const noduleFinding = model.findingOfMeasurement(nodule.id)!;
    assert.equal(model.concordance.pairs[0]!.secondFindingId, noduleFinding.id);
    // Same list: nothing happens.
    model.syncMeasurements([nodule, probe]);
    assert.equal(changes.length, 1);
    // Touched but not changed (a toolbar re-announcing it with a new updatedAt): still nothing.
    model.syncMeasurements([{ ...nodule, updatedAt: '2026-11-28T12:00:00.000Z' }, probe]);
    assert.equal(changes.length, 1);
    // A moved measurement updates its finding (and its generated description).
    const longer = {
      ...nodule,
      points: [
        [-63, -10, 20],
        [-45, -10, 20],
      ] as Vec3[],
      values: { lengthMm: 18 },
    };
    model.syncMeasurements([longer, probe]);
    assert.deepEqual(changes.at(-1), { kind: 'finding-change', findingId: noduleFinding.id });
    assert.equal(model.findingOfMeasurement(nodule.id)!.description, 'RUL nodule: 18.0 mm');
    assert.ok(Math.abs(model.concordance.pairs[0]!.sizeDeltaMm! - 6) < 1e-9);
    // A finding the reader worded is theirs: it stays when its measurement goes.
    model.updateFinding(noduleFinding.id, { description: 'Growing nodule' });
    const probeFinding = model.findingOfMeasurement(probe.id)!;
    model.syncMeasurements([]);
    assert.equal(changes.at(-1)!.kind, 'finding-change');
    assert.deepEqual(
      model.second.findings.map((f) => [f.id, f.location.measurements.length]),
      [[noduleFinding.id, 0]],
    );
    assert.equal(model.findingOfMeasurement(probe.id), undefined);
    assert.ok(!model.second.findings.some((f) => f.id === probeFinding.id));
    // The first reader's measurements are found too, and ignored when they come with the list.
    const firstMeasurement = model.first!.findings[0]!.location.measurements[0]!;
    assert.equal(model.findingOfMeasurement(firstMeasurement.id)!.id, model.first!.findings[0]!.id);
    const count = changes.length;
    model.syncMeasurements([firstMeasurement]);
    assert.equal(changes.length, count);
    assert.equal(model.second.findings.length, 1);
    expectSchemaError(() => model.syncMeasurements([{ ...probe, kind: 'dot' as never }]), 'measurements[0].kind');
  });

  it('keeps manual pairs and unpairings across rematches', () => {
    const { model, changes } = setUp();
    const firstFinding = model.first!.findings[0]!;
    const far = model.addFinding({ category: 'nodule', measurements: [line([25, -10, 20], 5)] });
    model.pair(firstFinding.id, far.id);
    assert.deepEqual(changes.at(-1), { kind: 'pair', findingId: far.id });
    const near = model.addFinding({ category: 'nodule', measurements: [line([-53, -10, 20], 16)] });
    const manual = model.concordance.pairs.find((p) => p.firstFindingId === firstFinding.id)!;
    assert.equal(manual.secondFindingId, far.id, 'the manual pair survives a closer candidate');
    assert.equal(manual.method, 'manual');
    assert.equal(manual.confirmed, true);
    assert.equal(model.concordance.pairs.find((p) => p.secondFindingId === near.id)!.verdict, 'missed-by-first');
    // Unpair: both alone, and automatic matching leaves them apart.
    model.unpair(far.id);
    model.removeFinding(near.id);
    const near2 = model.addFinding({ category: 'nodule', measurements: [line([-55, -10, 20], 12)] });
    assert.equal(model.concordance.pairs.find((p) => p.firstFindingId === firstFinding.id)!.method, 'unmatched');
    assert.equal(model.concordance.pairs.find((p) => p.secondFindingId === near2.id)!.method, 'unmatched');
    // Pairing again with the near one.
    model.pair(firstFinding.id, near2.id);
    const repaired = model.concordance.pairs.find((p) => p.firstFindingId === firstFinding.id)!;
    assert.equal(repaired.secondFindingId, near2.id);
    assert.equal(repaired.distanceMm, 0);
    assert.equal(repaired.sizeDeltaMm, 0);
    expectReadingError(() => model.pair('nope', near2.id), 'not-found');
    expectReadingError(() => model.unpair('nope'), 'not-found');
  });

  it('sets verdicts on either side of a pair, and only verdicts that fit', () => {
    const { model, changes } = setUp();
    const grown = model.addFinding({ category: 'nodule', measurements: [line([-53, -10, 20], 16)] });
    const missed = model.addFinding({ category: 'fracture', measurements: [line([25, -10, 20], 5)] });
    model.setVerdict(model.first!.findings[0]!.id, 'disagree', 'Under-measured');
    assert.deepEqual(changes.at(-1), { kind: 'verdict', findingId: model.first!.findings[0]!.id });
    let pair = model.concordance.pairs[0]!;
    assert.deepEqual(
      [pair.verdict, pair.confirmed, pair.comment, pair.method],
      ['disagree', true, 'Under-measured', 'distance'],
    );
    model.setVerdict(grown.id, 'agree');
    pair = model.concordance.pairs[0]!;
    assert.deepEqual([pair.verdict, pair.comment], ['agree', 'Under-measured']);
    model.setVerdict(grown.id, 'agree', '');
    assert.equal('comment' in model.concordance.pairs[0]!, false);
    expectReadingError(() => model.setVerdict(grown.id, 'missed-by-first'), 'invalid-verdict', /agree or disagree/);
    expectReadingError(() => model.setVerdict(missed.id, 'agree'), 'invalid-verdict', /missed-by-first/);
    expectReadingError(() => model.setVerdict(grown.id, 'maybe' as never), 'invalid-verdict');
    model.setVerdict(missed.id, 'missed-by-first', 'Rib fracture not reported');
    assert.equal(model.concordance.pairs[1]!.confirmed, true);
  });

  it('refuses RADPEER 2 and 3 without modifier, and other non-scores', () => {
    const { model, changes } = setUp();
    expectReadingError(() => model.setRadpeer('2'), 'invalid-radpeer', /2a .*2b/);
    expectReadingError(() => model.setRadpeer('3'), 'invalid-radpeer', /clinical-significance modifier: 3a/);
    expectReadingError(() => model.setRadpeer('x'), 'invalid-radpeer', /one of 1, 2a, 2b, 3a, 3b/);
    assert.equal(changes.length, 0);
    assert.equal(model.concordance.radpeer, undefined);
    model.setRadpeer(' 2B');
    assert.equal(model.concordance.radpeer, '2b');
    assert.deepEqual(changes, [{ kind: 'radpeer' }]);
    model.setPeerLearningComment('Measure the long axis.');
    assert.equal(model.concordance.peerLearningComment, 'Measure the long axis.');
    model.setPeerLearningComment('');
    assert.equal('peerLearningComment' in model.concordance, false);
  });

  it('enforces the blinded workflow and records when the reader unblinded', () => {
    const { model, changes } = setUp({ blinded: true });
    assert.equal(model.blinded, true);
    assert.equal(model.first!.id, 'first-1', 'the first reading is held while blinded');
    const own = model.addFinding({ category: 'nodule', measurements: [line([-53, -10, 20], 16)] });
    const firstId = model.first!.findings[0]!.id;
    expectReadingError(() => model.pair(firstId, own.id), 'blinded');
    expectReadingError(() => model.unpair(own.id), 'blinded');
    expectReadingError(() => model.setVerdict(own.id, 'agree'), 'blinded');
    expectReadingError(() => model.setRadpeer('1'), 'blinded');
    expectReadingError(() => model.setPeerLearningComment('x'), 'blinded');
    expectReadingError(() => model.submit(), 'blinded', /[Uu]nblind/);
    assert.equal(model.opinion.blinding!.unblindedAt, undefined);
    const startedAt = model.opinion.blinding!.startedAt;
    model.unblind();
    assert.deepEqual(changes.at(-1), { kind: 'unblind' });
    assert.equal(model.blinded, false);
    assert.equal(model.opinion.blinding!.blinded, true, 'the record says the reading was blinded');
    assert.ok(model.opinion.blinding!.unblindedAt! > startedAt);
    const count = changes.length;
    model.unblind();
    assert.equal(changes.length, count);
    model.setRadpeer('1');
    model.setVerdict(own.id, 'agree');
    assert.deepEqual(parseSecondOpinion(serializeSecondOpinion(model.opinion)), model.opinion);
  });

  it('submits once: a second submit returns the same opinion without notifying', () => {
    const { model, changes } = setUp();
    model.addFinding({ category: 'nodule', measurements: [line([-53, -10, 20], 16)] });
    expectReadingError(() => model.submit(), 'missing-radpeer', /RADPEER/);
    model.setRadpeer('2a');
    const before = changes.length;
    const submitted = model.submit();
    assert.equal(changes.length, before + 1);
    assert.deepEqual(changes.at(-1), { kind: 'submit' });
    assert.equal(model.submitted, true);
    assert.equal(submitted.readings.find((r) => r.role === 'second')!.status, 'final');
    assert.equal(model.second.finalizedAt, submitted.submittedAt);
    const again = model.submit();
    assert.equal(again, submitted);
    assert.equal(again.submittedAt, submitted.submittedAt);
    assert.equal(changes.length, before + 1);
    // An edit after submission is an amendment, to be submitted again.
    model.setRecommendations('Follow-up CT in 3 months.');
    assert.equal(model.submitted, false);
    assert.equal(model.second.status, 'amended');
    assert.equal(model.second.finalizedAt, submitted.submittedAt);
    assert.equal(submitted.readings.find((r) => r.role === 'second')!.status, 'final', 'old snapshot unchanged');
    const resubmitted = model.submit();
    assert.notEqual(resubmitted, submitted);
    assert.ok(resubmitted.submittedAt! > submitted.submittedAt!);
    assert.equal(model.second.status, 'amended');
    assert.deepEqual(parseSecondOpinion(serializeSecondOpinion(resubmitted)), resubmitted);
  });

  it('needs a first reading to compare and submit, and takes one later', () => {
    const { model, changes } = setUp({ first: false });
    assert.equal(model.first, undefined);
    assert.equal(model.concordance.firstReadingId, '');
    const own = model.addFinding({ category: 'nodule', measurements: [line([-53, -10, 20], 16)] });
    assert.deepEqual(model.concordance.pairs, []);
    expectReadingError(() => model.setRadpeer('1'), 'no-first-reading');
    expectReadingError(() => model.submit(), 'no-first-reading');
    expectReadingError(
      () => model.setFirstReading({ ...scriptedFirst(), studyUid: '1.2.3' }),
      'invalid-input',
      /another study/,
    );
    expectSchemaError(() => model.setFirstReading({ ...scriptedFirst(), status: 'done' as never }), 'first.status');
    model.setFirstReading({ ...scriptedFirst(), role: 'cad' });
    assert.deepEqual(changes.at(-1), { kind: 'first' });
    assert.equal(model.first!.role, 'first');
    assert.equal(model.opinion.readings[0]!.id, model.first!.id);
    assert.equal(model.opinion.concordance.pairs[0]!.secondFindingId, own.id);
    assert.deepEqual(parseSecondOpinion(model.opinion), model.opinion);
  });

  it('restores from JSON exactly, and load() refuses a bad document without half-loading', () => {
    const opinion = richOpinion();
    const restored = SecondOpinionModel.fromJSON(JSON.parse(serializeSecondOpinion(opinion)));
    assert.deepEqual(restored.opinion, opinion);
    assert.deepEqual(JSON.parse(JSON.stringify(restored)), JSON.parse(serializeSecondOpinion(opinion)));
    assert.equal(restored.submitted, true);
    assert.equal(restored.blinded, false);
    assert.equal(restored.second.reader.name, 'Dr Second');
    const { model, changes } = setUp();
    const before = model.opinion;
    const bad = structuredClone(opinion) as any;
    bad.readings[1].findings[0].location.measurements[0].points = [];
    assert.throws(() => model.load(bad), ReadingSchemaError);
    assert.equal(model.opinion, before);
    assert.equal(changes.length, 0);
    model.load(opinion);
    assert.deepEqual(changes, [{ kind: 'load' }]);
    assert.deepEqual(model.opinion, opinion);
    assert.throws(() => SecondOpinionModel.fromJSON('{"schema":"secondread/second-opinion"}'), ReadingSchemaError);
  });
});

describe('the phantom workflow and the documentation', () => {
  it('pairs the phantom nodule read at baseline and follow-up size, and finds the nodule the first reader missed', () => {
    const [n1, n2] = [PHANTOM_NODULES.find((n) => n.id === 'N1')!, PHANTOM_NODULES.find((n) => n.id === 'N2')!];
    const first = readingFromMeasurements([line(n1.centerMm, n1.diameterMm.baseline, { readerId: 'r1' })], {
      role: 'first',
      reader: FIRST_READER,
      studyUid: STUDY,
      category: 'nodule',
    });
    const model = new SecondOpinionModel({
      studyUid: STUDY,
      reader: SECOND_READER,
      first,
      blinded: true,
      now: tickingClock(),
    });
    const shifted: Vec3 = [n1.centerMm[0] + 1.2, n1.centerMm[1] - 1.6, n1.centerMm[2]];
    model.syncMeasurements(
      [
        line(shifted, n1.diameterMm.followup),
        ellipse(n2.centerMm, n2.diameterMm.followup / 2, n2.diameterMm.followup / 2),
      ],
      {
        category: 'nodule',
      },
    );
    model.unblind();
    const [pair, missed] = model.concordance.pairs;
    assert.equal(pair!.method, 'distance');
    assert.ok(Math.abs(pair!.distanceMm! - 2) < 1e-9);
    assert.equal(pair!.sizeDeltaMm, n1.diameterMm.followup - n1.diameterMm.baseline);
    assert.ok(Math.abs(pair!.sizeDeltaPercent! - 100 / 3) < 1e-9);
    assert.equal(missed!.verdict, 'missed-by-first');
    assert.deepEqual(findingCentre(model.second.findings[1]!), n2.centerMm);
    assert.ok(Math.abs(findingSizeMm(model.second.findings[1]!)! - n2.diameterMm.followup) < 1e-9);
    expectReadingError(() => model.setRadpeer('2'), 'invalid-radpeer');
    model.setRadpeer('2a');
    const submitted = model.submit();
    assert.deepEqual(parseSecondOpinion(serializeSecondOpinion(submitted)), submitted);
  });

  it('the example of docs/reading-schema.md is valid and says what the text says', () => {
    const markdown = readFileSync(new URL('../docs/reading-schema.md', import.meta.url), 'utf8');
    const example = /## Example[\s\S]*?```json\n([\s\S]*?)```/.exec(markdown)![1]!;
    const opinion = parseSecondOpinion(example);
    const [pair] = opinion.concordance.pairs;
    assert.deepEqual(
      [pair!.distanceMm, pair!.sizeDeltaMm, pair!.verdict, opinion.concordance.radpeer],
      [2, 4, 'disagree', '2a'],
    );
    assert.equal(opinion.concordance.matchThresholdMm, DEFAULT_MATCH_THRESHOLD_MM);
    assert.ok(markdown.includes(`\`matchThresholdMm\` = ${DEFAULT_MATCH_THRESHOLD_MM} mm`));
  });
});

describe('readingFromMeasurements', () => {
  it('makes one finding per measurement', () => {
    const measurements = [
      line(NODULE, 12, { label: 'N1' }),
      measurement(
        'arrow',
        [
          [0, 0, 20],
          [10, 10, 20],
        ],
        { text: 'rib' },
      ),
    ];
    const first = readingFromMeasurements(measurements, { role: 'first', reader: FIRST_READER, studyUid: STUDY });
    assert.equal(first.role, 'first');
    assert.equal(first.status, 'final');
    assert.equal(first.finalizedAt, first.createdAt);
    assert.deepEqual(
      first.findings.map((f) => [f.description, f.category]),
      [
        ['N1: 12.0 mm', 'other'],
        ['Arrow: rib', 'other'],
      ],
    );
    assert.deepEqual(first.findings[0]!.location.measurements[0], measurements[0]);
    assert.notEqual(first.findings[0]!.location.measurements[0], measurements[0]);
    const draft = readingFromMeasurements([], {
      role: 'additional',
      reader: FIRST_READER,
      studyUid: STUDY,
      status: 'draft',
    });
    assert.equal('finalizedAt' in draft, false);
    expectSchemaError(
      () =>
        readingFromMeasurements([{ ...measurements[0]!, createdAt: 'yesterday' }], {
          role: 'first',
          reader: FIRST_READER,
          studyUid: STUDY,
        }),
      'measurements[0].createdAt',
    );
  });
});

type FindingPair = SecondOpinion['concordance']['pairs'][number];
