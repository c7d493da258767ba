import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ReadingError,
  computeGeometry,
  intervalDaysBetween,
  linkOffsetFromPairs,
  noduleGrowth,
  noduleSize,
  pairAcrossStudies,
  repairAcrossStudies,
  volumeDoublingTimeDays,
  volumeDoublingTimeFromDiametersDays,
  type Finding,
  type Vec3,
} from '../../../src/index.ts';
import { finding, line, measurement, reading } from '../fixtures.ts';

const PRIOR_FRAME = '1.2.3.4.100';
const CURRENT_FRAME = '1.2.3.4.200';

/** A bidirectional measurement centred on `centre`: long axis along x, short along y. */
function bidirectional(centre: Vec3, longMm: number, shortMm: number, frame: string): ReturnType<typeof measurement> {
  const points: Vec3[] = [
    [centre[0] - longMm / 2, centre[1], centre[2]],
    [centre[0] + longMm / 2, centre[1], centre[2]],
    [centre[0], centre[1] - shortMm / 2, centre[2]],
    [centre[0], centre[1] + shortMm / 2, centre[2]],
  ];
  return measurement('bidirectional', points, {
    frameOfReferenceUid: frame,
    seriesUid: `${frame}.1`,
    values: computeGeometry('bidirectional', points),
  });
}

describe('follow-up: sizes, growth, VDT', () => {
  it('counts days between DICOM dates, refusing impossible ones', () => {
    assert.equal(intervalDaysBetween('20240115', '20240715'), 182);
    assert.equal(intervalDaysBetween('2024-01-15', '2025-01-15'), 366);
    assert.equal(intervalDaysBetween('20240715', '20240115'), -182);
    assert.throws(() => intervalDaysBetween('20240230', '20240715'), ReadingError);
    assert.throws(() => intervalDaysBetween('15.01.2024', '20240715'), ReadingError);
  });

  it('computes VDT from volumes and from diameters on known numbers', () => {
    // The volume doubles in 100 days.
    assert.equal(volumeDoublingTimeDays(100, 500, 1000), 100);
    // Quadruples in 200 days: doubling time 100 days.
    assert.ok(Math.abs(volumeDoublingTimeDays(200, 100, 400)! - 100) < 1e-9);
    assert.equal(volumeDoublingTimeDays(100, 500, 500), undefined);
    assert.ok(volumeDoublingTimeDays(100, 1000, 500)! < 0);
    // Diameter × 2^(1/3) is a doubled volume.
    assert.ok(Math.abs(volumeDoublingTimeFromDiametersDays(90, 10, 10 * Math.cbrt(2))! - 90) < 1e-9);
    // The phantom: 12 mm → 16 mm in 182 days: 182 · ln 2 / (3 ln(16/12)) = 146.2 days.
    assert.equal(volumeDoublingTimeFromDiametersDays(182, 12, 16)!.toFixed(1), '146.2');
  });

  it('reads the size of a nodule from its bidirectional measurement, a length or its segment', () => {
    const bi = finding('a', [bidirectional([0, 0, 0], 12.3, 8.1, PRIOR_FRAME)]);
    assert.deepEqual(noduleSize(bi), {
      longAxisMm: 12.3,
      shortAxisMm: 8.1,
      meanDiameterMm: 10.2,
      basis: 'bidirectional',
    });
    const len = finding('b', [line([0, 0, 0], 7.25)]);
    assert.deepEqual(noduleSize(len), { longAxisMm: 7.25, meanDiameterMm: 7.3, basis: 'length' });
    const seg: Finding = {
      ...finding('c', []),
      location: {
        measurements: [],
        images: [],
        segment: { seriesUid: 's', sopInstanceUid: 'i', segmentNumber: 1, volumeMm3: (4 / 3) * Math.PI * 216 },
      },
    };
    const size = noduleSize(seg)!;
    assert.equal(size.basis, 'segment');
    assert.equal(size.meanDiameterMm, 12);
    assert.equal(noduleSize(finding('d', [])), undefined);
  });

  it('gives the change of each axis, the mean diameter and the VDT', () => {
    const prior = noduleSize(finding('p', [bidirectional([0, 0, 0], 12, 12, PRIOR_FRAME)]))!;
    const current = noduleSize(finding('c', [bidirectional([0, 0, 0], 16, 15, CURRENT_FRAME)]))!;
    const g = noduleGrowth(prior, current, 182);
    assert.equal(g.status, 'growing');
    assert.ok(Math.abs(g.longAxisChangeMm! - 4) < 1e-9);
    assert.ok(Math.abs(g.shortAxisChangeMm! - 3) < 1e-9);
    assert.equal(g.meanDiameterChangeMm, 3.5);
    assert.equal(g.meanDiameterChangePercent!.toFixed(1), '29.2');
    assert.equal(g.vdtBasis, 'diameter');
    assert.equal(g.volumeDoublingTimeDays!.toFixed(1), ((182 * Math.LN2) / (3 * Math.log(15.5 / 12))).toFixed(1));
    const withVolumes = noduleGrowth({ ...prior, volumeMm3: 900 }, { ...current, volumeMm3: 1800 }, 182);
    assert.equal(withVolumes.vdtBasis, 'volume');
    assert.equal(withVolumes.volumeDoublingTimeDays, 182);
    assert.equal(withVolumes.volumeChangePercent, 100);
    assert.equal(noduleGrowth(prior, { ...prior, meanDiameterMm: 13.5 }, 182).status, 'stable');
    assert.equal(noduleGrowth(prior, { ...prior, meanDiameterMm: 13.6 }, 182).status, 'growing');
    assert.equal(noduleGrowth(prior, { ...prior, meanDiameterMm: 10.4 }, 182).status, 'shrinking');
    assert.equal(noduleGrowth(undefined, current, 182).status, 'new');
    assert.equal(noduleGrowth(prior, undefined, 182).status, 'resolved');
    assert.throws(() => noduleGrowth(undefined, undefined, 1), ReadingError);
  });
});

describe('follow-up: pairing across studies', () => {
  // The patient lies 30 mm further towards the head in the current study: offset [0, 0, 30].
  const OFFSET: Vec3 = [0, 0, 30];
  const prior = reading('first', [
    finding('p1', [bidirectional([-55, -10, 20], 12, 12, PRIOR_FRAME)]),
    finding('p2', [bidirectional([50, 10, 45], 6, 6, PRIOR_FRAME)]),
  ]);
  const current = reading('second', [
    finding('c1', [bidirectional([-55, -10, 50], 16, 16, CURRENT_FRAME)]),
    finding('c2', [bidirectional([30, 40, 0], 5, 5, CURRENT_FRAME)]),
  ]);

  it('pairs nothing across frames without the offset, and pairs the grown nodule with it', () => {
    const unlinked = pairAcrossStudies(prior, current);
    assert.equal(unlinked.filter((p) => p.status === 'existing').length, 0);
    const pairs = pairAcrossStudies(prior, current, { offsetMm: OFFSET });
    assert.deepEqual(pairs[0], {
      priorFindingId: 'p1',
      currentFindingId: 'c1',
      method: 'distance',
      distanceMm: 0,
      status: 'existing',
      confirmed: false,
    });
    assert.deepEqual(pairs[1], { priorFindingId: 'p2', method: 'unmatched', status: 'resolved', confirmed: false });
    assert.deepEqual(pairs[2], { currentFindingId: 'c2', method: 'unmatched', status: 'new', confirmed: false });
  });

  it('keeps the reader’s re-pairing and proposes the offset from paired findings', () => {
    const auto = pairAcrossStudies(prior, current, { offsetMm: OFFSET });
    const manual = repairAcrossStudies(auto, 'p2', 'c2');
    const pairs = pairAcrossStudies(prior, current, { offsetMm: OFFSET, keep: manual });
    const p2 = pairs.find((p) => p.priorFindingId === 'p2')!;
    assert.equal(p2.currentFindingId, 'c2');
    assert.equal(p2.method, 'manual');
    assert.equal(p2.confirmed, true);
    const onlyFirst = pairs.filter((p) => p.priorFindingId === 'p1');
    assert.equal(onlyFirst[0]!.currentFindingId, 'c1');
    const proposed = linkOffsetFromPairs(prior, current, [auto[0]!])!;
    assert.deepEqual(
      proposed.map((v) => Math.round(v * 1e6) / 1e6),
      [0, 0, 30],
    );
    assert.equal(linkOffsetFromPairs(prior, current, []), undefined);
  });

  it('does not modify the prior reading', () => {
    const before = JSON.stringify(prior);
    pairAcrossStudies(prior, current, { offsetMm: OFFSET });
    assert.equal(JSON.stringify(prior), before);
  });
});
