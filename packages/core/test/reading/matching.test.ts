import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_MATCH_THRESHOLD_MM,
  findingCentre,
  findingSizeMm,
  matchFindings,
  roiOverlap,
  type Measurement,
  type Reading,
  type Vec3,
} from '../../src/index.ts';
import { NODULE, measurement, line, ellipse, rectangle, finding, reading } from './fixtures.ts';

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
