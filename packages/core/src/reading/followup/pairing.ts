/**
 * Pairing the findings of a prior reading (prior study) with those of a current reading
 * (current study): the same matching as between two readers (`matchFindings`), after moving the
 * prior findings by the link offset into the current study's frame of reference.
 *
 * Offset convention, everywhere in SecondRead: a point at `p` (mm, LPS) in the prior study is at
 * `p + offsetMm` in the current study.
 */
import { add, mean, sub, type Vec3 } from '../../vec3.js';
import { findingPosition, matchFindings, measurementFrameKey, type MatchOptions } from '../matching.js';
import type { Measurement } from '../../measurements/types.js';
import type { Finding, FindingPair, MatchMethod, Reading } from '../types.js';
import type { OffsetMm } from './nodule.js';

/** A prior finding, a current finding, or both. */
export interface FollowUpPair {
  readonly priorFindingId?: string;
  readonly currentFindingId?: string;
  readonly method: MatchMethod;
  /** Distance of the centres (mm) after the offset, when both are measured. */
  readonly distanceMm?: number;
  /** `existing` (on both), `new` (current only), `resolved` (prior only). */
  readonly status: 'existing' | 'new' | 'resolved';
  /** True once the reader confirmed or re-paired it. */
  readonly confirmed: boolean;
}

/** Options of {@link pairAcrossStudies}. */
export interface FollowUpPairOptions {
  /** Where prior points are in the current study: `p + offsetMm`. `[0, 0, 0]` by default. */
  readonly offsetMm?: OffsetMm;
  readonly thresholdMm?: number;
  /** Confirmed pairs (the reader's) are kept as they are. */
  readonly keep?: readonly FollowUpPair[];
}

/** The frame (`for:` / `series:` key) most of the current reading's measurements are in. */
function mainFrame(reading: Reading): { frameOfReferenceUid: string; seriesUid: string } | undefined {
  const counts = new Map<string, { count: number; frameOfReferenceUid: string; seriesUid: string }>();
  for (const finding of reading.findings) {
    for (const m of finding.location.measurements) {
      const key = measurementFrameKey(m);
      const entry = counts.get(key) ?? { count: 0, seriesUid: m.seriesUid, frameOfReferenceUid: m.frameOfReferenceUid };
      entry.count++;
      counts.set(key, entry);
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count)[0];
}

/** A copy of a prior finding moved by the offset into the current frame. */
function moved(finding: Finding, offset: Vec3, frame: { frameOfReferenceUid: string; seriesUid: string }): Finding {
  const segment = finding.location.segment;
  return {
    ...finding,
    location: {
      ...finding.location,
      measurements: finding.location.measurements.map((m): Measurement => ({
        ...m,
        seriesUid: frame.seriesUid,
        frameOfReferenceUid: frame.frameOfReferenceUid,
        points: m.points.map((p) => add(p, offset)),
      })),
      ...(segment
        ? { segment: { ...segment, ...(segment.centroid ? { centroid: add(segment.centroid, offset) } : {}) } }
        : {}),
    },
  };
}

const toFindingPair = (pair: FollowUpPair): FindingPair => ({
  ...(pair.priorFindingId === undefined ? {} : { firstFindingId: pair.priorFindingId }),
  ...(pair.currentFindingId === undefined ? {} : { secondFindingId: pair.currentFindingId }),
  method: pair.method,
  verdict:
    pair.priorFindingId !== undefined && pair.currentFindingId !== undefined
      ? 'agree'
      : pair.priorFindingId !== undefined
        ? 'not-confirmed-by-second'
        : 'missed-by-first',
  confirmed: pair.confirmed,
});

/**
 * Pairs a prior reading's findings with a current reading's: the prior findings are moved by
 * `offsetMm` into the current reading's frame of reference, then paired as `matchFindings`
 * pairs two readers (closest centres first within `thresholdMm`, or overlapping ROIs).
 * Unpaired current findings are `new`, unpaired prior findings `resolved`. Confirmed pairs of
 * `keep` (the reader's own pairing) are kept.
 */
export function pairAcrossStudies(prior: Reading, current: Reading, options: FollowUpPairOptions = {}): FollowUpPair[] {
  const offset = options.offsetMm ?? [0, 0, 0];
  const frame = mainFrame(current);
  const shifted: Reading = frame ? { ...prior, findings: prior.findings.map((f) => moved(f, offset, frame)) } : prior;
  const matchOptions: MatchOptions = {
    ...(options.thresholdMm === undefined ? {} : { thresholdMm: options.thresholdMm }),
    ...(options.keep ? { keep: options.keep.map(toFindingPair) } : {}),
  };
  return matchFindings(shifted, current, matchOptions).map((pair) => {
    const both = pair.firstFindingId !== undefined && pair.secondFindingId !== undefined;
    return {
      ...(pair.firstFindingId === undefined ? {} : { priorFindingId: pair.firstFindingId }),
      ...(pair.secondFindingId === undefined ? {} : { currentFindingId: pair.secondFindingId }),
      method: pair.method,
      ...(pair.distanceMm === undefined ? {} : { distanceMm: pair.distanceMm }),
      status: both ? 'existing' : pair.firstFindingId !== undefined ? 'resolved' : 'new',
      confirmed: pair.confirmed,
    };
  });
}

/**
 * The reader's own pairing of two findings (or of none): other pairs holding either finding
 * are split, and the result is confirmed. Pass the list through {@link pairAcrossStudies}'
 * `keep` to recompute the rest.
 */
export function repairAcrossStudies(
  pairs: readonly FollowUpPair[],
  priorFindingId: string,
  currentFindingId: string,
): FollowUpPair[] {
  const rest = pairs.filter((p) => p.priorFindingId !== priorFindingId && p.currentFindingId !== currentFindingId);
  const freed: FollowUpPair[] = [];
  for (const p of pairs) {
    if (
      p.priorFindingId === priorFindingId &&
      p.currentFindingId !== undefined &&
      p.currentFindingId !== currentFindingId
    ) {
      freed.push({ currentFindingId: p.currentFindingId, method: 'unmatched', status: 'new', confirmed: false });
    }
    if (
      p.currentFindingId === currentFindingId &&
      p.priorFindingId !== undefined &&
      p.priorFindingId !== priorFindingId
    ) {
      freed.push({ priorFindingId: p.priorFindingId, method: 'unmatched', status: 'resolved', confirmed: false });
    }
  }
  return [
    { priorFindingId, currentFindingId, method: 'manual', status: 'existing', confirmed: true },
    ...rest,
    ...freed,
  ];
}

/**
 * A link offset proposed from findings already paired across the two studies: the mean of
 * (current centre − prior centre) over the pairs with a finding on both sides, each centre in
 * its own study's coordinates. Undefined when no pair has both centres.
 */
export function linkOffsetFromPairs(
  prior: Reading,
  current: Reading,
  pairs: readonly FollowUpPair[],
): OffsetMm | undefined {
  const priorById = new Map(prior.findings.map((f) => [f.id, f]));
  const currentById = new Map(current.findings.map((f) => [f.id, f]));
  const deltas: Vec3[] = [];
  for (const pair of pairs) {
    if (pair.priorFindingId === undefined || pair.currentFindingId === undefined) continue;
    const a = priorById.get(pair.priorFindingId);
    const b = currentById.get(pair.currentFindingId);
    const pa = a && findingPosition(a);
    const pb = b && findingPosition(b);
    if (pa && pb) deltas.push(sub(pb.centre, pa.centre));
  }
  return deltas.length ? mean(deltas) : undefined;
}
