import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReadingError, computeGeometry, summarizeFollowUp, type FollowUpSetup, type Vec3 } from '../../../src/index.ts';
import { finding, measurement, reading } from '../fixtures.ts';

const bidirectional = (centre: Vec3, longMm: number, shortMm: number, frame: string) => {
  const points: Vec3[] = [
    [centre[0] - longMm / 2, centre[1], centre[2]],
    [centre[0] + longMm / 2, centre[1], centre[2]],
    [centre[0], centre[1] - shortMm / 2, centre[2]],
    [centre[0], centre[1] + shortMm / 2, centre[2]],
  ];
  return measurement('bidirectional', points, {
    frameOfReferenceUid: frame,
    values: computeGeometry('bidirectional', points),
  });
};
const nodule = (id: string, centre: Vec3, longMm: number, shortMm: number, frame: string) => ({
  ...finding(id, [bidirectional(centre, longMm, shortMm, frame)]),
  category: 'nodule' as const,
});

// The phantom: N1 12 → 16 mm, N2 stable 6 mm; the patient shifted by [4, -6, 21.3] at follow-up.
const SHIFT: Vec3 = [4, -6, 21.3];
const prior = reading('first', [
  nodule('p1', [-55, -10, 20], 12, 12, 'PRIOR'),
  nodule('p2', [50, 10, 45], 6, 6, 'PRIOR'),
]);
const firstReader = reading('first', [nodule('f1', [-51, -16, 41.3], 16, 16, 'CURRENT')]);
const secondReader = reading('second', [
  nodule('s1', [-51, -16, 41.3], 16, 15, 'CURRENT'),
  nodule('s2', [54, 4, 66.3], 6, 6, 'CURRENT'),
  nodule('s3', [30, 20, 0], 5, 4, 'CURRENT'),
]);

describe('summarizeFollowUp', () => {
  const setup: FollowUpSetup = {
    prior,
    intervalDays: 182,
    linkOffsetMm: SHIFT,
    context: 'screening',
    priorCategory: '2',
    categories: { first: '3' },
  };

  it('pairs, measures growth, suggests Lung-RADS per nodule and for the exam, for each reader', () => {
    const summary = summarizeFollowUp(setup, { first: firstReader, second: secondReader });
    assert.equal(summary.intervalDays, 182);
    assert.deepEqual(summary.linkOffsetMm, SHIFT);
    const [first, second] = summary.readers;
    assert.equal(first!.role, 'first');
    // The first reader missed N2 at follow-up: it is "resolved" for them.
    assert.deepEqual(
      first!.rows.map((r) => [r.pair.priorFindingId, r.pair.currentFindingId, r.growth.status]),
      [
        ['p1', 'f1', 'growing'],
        ['p2', undefined, 'resolved'],
      ],
    );
    assert.equal(first!.rows[0]!.lungRads!.category, '4B');
    assert.deepEqual(first!.assessment, {
      suggested: '4B',
      suggestedRule: 'solid, 16.0 mm, growing → 4B',
      category: '3',
      overridden: true,
    });
    const rows = second!.rows;
    assert.deepEqual(
      rows.map((r) => [r.pair.priorFindingId, r.pair.currentFindingId, r.growth.status, r.lungRads?.category]),
      [
        ['p1', 's1', 'growing', '4B'],
        ['p2', 's2', 'stable', '2'],
        [undefined, 's3', 'new', '3'],
      ],
    );
    assert.equal(rows[0]!.growth.meanDiameterChangeMm, 3.5);
    assert.equal(rows[0]!.growth.vdtBasis, 'diameter');
    assert.equal(second!.suggestion!.category, '4B');
    assert.equal(second!.assessment!.category, '4B');
    assert.equal(second!.assessment!.overridden, false);
    assert.equal(summary.discrepancy, '3 → 4B: 6-month LDCT → diagnostic CT, PET/CT or tissue sampling');
  });

  it('has no discrepancy when the categories lead to the same management', () => {
    const same = summarizeFollowUp(
      { ...setup, categories: { first: '4X', second: '4B' } },
      { first: firstReader, second: secondReader },
    );
    assert.equal(same.discrepancy, undefined);
  });

  it('gives the Fleischner recommendation for incidental nodules', () => {
    const summary = summarizeFollowUp({ ...setup, context: 'incidental', risk: 'high' }, { second: secondReader });
    const [second] = summary.readers;
    assert.equal(second!.suggestion, undefined);
    assert.equal(second!.fleischner!.ruleId, 'solid-multiple-gt8');
    assert.equal(second!.fleischner!.sizeMm, 16);
  });

  it('treats a reading without prior nodules as a baseline screening', () => {
    const summary = summarizeFollowUp(
      { prior: reading('first', []), intervalDays: 0, context: 'screening' },
      { second: secondReader },
    );
    assert.deepEqual(
      summary.readers[0]!.rows.map((r) => r.lungRads?.rule),
      ['solid, 15.5 mm, baseline → 4B', 'solid, 6.0 mm, baseline → 3', 'solid, 4.5 mm, baseline → 2'],
    );
  });

  it('refuses a negative or non-numeric interval', () => {
    assert.throws(() => summarizeFollowUp({ ...setup, intervalDays: -1 }, { second: secondReader }), ReadingError);
    assert.throws(
      () => summarizeFollowUp({ ...setup, intervalDays: Number.NaN }, { second: secondReader }),
      ReadingError,
    );
  });
});
