/**
 * Automatic matching of the findings of two readings: where each finding is (its centre in
 * patient coordinates), how big it is (its largest diameter), how much two ROIs overlap (Dice),
 * and the greedy closest-first pairing that turns two readings into {@link FindingPair}s. The
 * rule and the threshold are documented in `packages/core/docs/reading-schema.md`.
 */
import { sliceNormal, type Orientation } from '../geometry.js';
import { add, cross, dot, mean, norm, scale, sub, unit, type Vec3 } from '../vec3.js';
import { AXIAL_ORIENTATION, distanceMm as pointDistanceMm, ellipseFrame } from '../measurements/geometry.js';
import { isRoiKind, type Measurement } from '../measurements/types.js';
import type { Finding, FindingPair, Reading } from './types.js';

/**
 * Findings whose centres are at most this far apart (mm, 3D, same frame of reference) are
 * paired automatically. 10 mm: the size of a typical reportable lung nodule (Fleischner
 * follow-up starts at 6 mm), and several times the spread of two readers' centres on the same
 * nodule (a few mm), yet smaller than the usual distance between two distinct nodules.
 */
export const DEFAULT_MATCH_THRESHOLD_MM = 10;

/** Two ROIs are taken to lie in one plane when their normals agree within this (cosine) and their planes are at most {@link SAME_PLANE_TOLERANCE_MM} apart. */
const SAME_PLANE_MIN_COSINE = 0.999;

/** Largest distance between two ROIs' planes for them to count as drawn on the same slice (mm). */
export const SAME_PLANE_TOLERANCE_MM = 0.5;

/** Number of vertices an ellipse ROI is approximated by when overlaps are computed. */
const ELLIPSE_VERTICES = 360;

/**
 * The frame a measurement's points are in: its frame of reference, or its series when it has
 * none (points of one series share coordinates even without a Frame of Reference UID).
 */
export function measurementFrameKey(measurement: Measurement): string {
  return measurement.frameOfReferenceUid ? `for:${measurement.frameOfReferenceUid}` : `series:${measurement.seriesUid}`;
}

/**
 * Where a measurement points (patient mm): the head of an `arrow`, the vertex of an `angle`, the
 * point of a `probe` or `label`, otherwise the mean of its points (the midpoint of a line, the
 * centre of an ellipse or rectangle, the vertex mean of a freehand outline).
 */
export function measurementCentre(measurement: Measurement): Vec3 {
  const { points } = measurement;
  if (measurement.kind === 'arrow' && points[1]) return points[1];
  if (measurement.kind === 'angle' && points[1]) return points[1];
  return mean(points);
}

/** The measurements of a finding in its main frame: the frame of its first measurement. */
function measurementsInMainFrame(finding: Finding): { frameKey: string; measurements: Measurement[] } | undefined {
  const [firstMeasurement] = finding.location.measurements;
  if (!firstMeasurement) return undefined;
  const frameKey = measurementFrameKey(firstMeasurement);
  return {
    frameKey,
    measurements: finding.location.measurements.filter((m) => measurementFrameKey(m) === frameKey),
  };
}

/**
 * The centre of a finding in patient coordinates (mm): the centroid of its segment when it has
 * one, otherwise the mean of the centres of its measurements ({@link measurementCentre}) in the
 * frame of its first measurement. Undefined when it has neither.
 */
export function findingCentre(finding: Finding): Vec3 | undefined {
  return findingPosition(finding)?.centre;
}

/** {@link findingCentre} with the frame it is in ({@link measurementFrameKey}). */
export function findingPosition(finding: Finding): { centre: Vec3; frameKey: string } | undefined {
  const main = measurementsInMainFrame(finding);
  const centroid = finding.location.segment?.centroid;
  if (centroid && main) return { centre: centroid, frameKey: main.frameKey };
  if (!main) return undefined;
  return { centre: mean(main.measurements.map(measurementCentre)), frameKey: main.frameKey };
}

/** The largest distance between two of the points (mm). */
function largestSpanMm(points: readonly Vec3[]): number {
  let largest = 0;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      largest = Math.max(largest, pointDistanceMm(points[i] as Vec3, points[j] as Vec3));
    }
  }
  return largest;
}

/**
 * The largest extent of an ROI in its plane (mm): the major axis of an ellipse, the diagonal of
 * a rectangle, the largest distance between two vertices of a freehand outline.
 */
export function roiExtentMm(measurement: Measurement): number {
  if (measurement.kind === 'ellipse-roi') {
    const { semiAxisA, semiAxisB } = ellipseFrame(measurement.points);
    return 2 * Math.max(norm(semiAxisA), norm(semiAxisB));
  }
  return isRoiKind(measurement.kind) ? largestSpanMm(roiPolygon(measurement)) : 0;
}

/**
 * The size of a finding as its largest diameter (mm): the largest `lengthMm` of its `length`
 * and `bidirectional` measurements (the long axis); without any, the largest extent of its ROIs
 * ({@link roiExtentMm}). Undefined when it has neither.
 */
export function findingSizeMm(finding: Finding): number | undefined {
  const measurements = finding.location.measurements;
  const lines = measurements.filter((m) => m.kind === 'length' || m.kind === 'bidirectional');
  if (lines.length) {
    return Math.max(
      ...lines.map((m) => m.values.lengthMm ?? pointDistanceMm(m.points[0] as Vec3, m.points[1] as Vec3)),
    );
  }
  const rois = measurements.filter((m) => isRoiKind(m.kind));
  if (rois.length) return Math.max(...rois.map(roiExtentMm));
  return undefined;
}

/** The outline of an ROI as a closed polygon in patient coordinates (ellipses approximated). */
function roiPolygon(measurement: Measurement): Vec3[] {
  const { points } = measurement;
  if (measurement.kind === 'ellipse-roi') {
    const { center, semiAxisA, semiAxisB } = ellipseFrame(points);
    return Array.from({ length: ELLIPSE_VERTICES }, (_, i) => {
      const t = (2 * Math.PI * i) / ELLIPSE_VERTICES;
      return add(center, add(scale(semiAxisA, Math.cos(t)), scale(semiAxisB, Math.sin(t))));
    });
  }
  if (measurement.kind === 'rectangle-roi') {
    const orientation = measurement.imageOrientationPatient ?? AXIAL_ORIENTATION;
    const row = unit([orientation[0], orientation[1], orientation[2]]);
    const column = unit([orientation[3], orientation[4], orientation[5]]);
    const p0 = points[0] as Vec3;
    const p1 = points[1] as Vec3;
    const diagonal = sub(p1, p0);
    return [p0, add(p0, scale(row, dot(diagonal, row))), p1, add(p0, scale(column, dot(diagonal, column)))];
  }
  return [...points];
}

/** The normal of the plane an ROI is drawn in. */
function roiNormal(measurement: Measurement): Vec3 {
  if (measurement.imageOrientationPatient) return unit(sliceNormal(measurement.imageOrientationPatient));
  if (measurement.kind === 'rectangle-roi') return unit(sliceNormal(AXIAL_ORIENTATION));
  if (measurement.kind === 'ellipse-roi') {
    const { semiAxisA, semiAxisB } = ellipseFrame(measurement.points);
    return unit(cross(semiAxisA, semiAxisB));
  }
  // Newell's normal of the outline.
  const polygon = measurement.points;
  let sum: Vec3 = [0, 0, 0];
  for (let i = 0; i < polygon.length; i++) {
    sum = add(sum, cross(polygon[i] as Vec3, polygon[(i + 1) % polygon.length] as Vec3));
  }
  return unit(sum);
}

/** Two unit vectors spanning the plane with that normal. */
function planeBasis(normal: Vec3, orientation?: Orientation): [Vec3, Vec3] {
  if (orientation) {
    const u = unit([orientation[0], orientation[1], orientation[2]]);
    return [u, unit(cross(normal, u))];
  }
  const helper: Vec3 = Math.abs(normal[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const u = unit(cross(helper, normal));
  return [u, cross(normal, u)];
}

type Point2 = readonly [number, number];

/** An edge of a polygon that is not horizontal: x = `x0` + (y − `yMin`) · `slope` for `yMin` ≤ y < `yMax`. */
interface ScanEdge {
  readonly yMin: number;
  readonly yMax: number;
  readonly x0: number;
  readonly slope: number;
}

/**
 * The x-intervals where horizontal lines are inside a polygon (even-odd rule), for lines met
 * in increasing y: only the edges that span the current line are looked at (active edge list).
 */
class SpanScanner {
  private readonly edges: ScanEdge[] = [];
  private next = 0;
  private active: ScanEdge[] = [];

  constructor(polygon: readonly Point2[]) {
    for (let i = 0; i < polygon.length; i++) {
      const [xa, ya] = polygon[i] as Point2;
      const [xb, yb] = polygon[(i + 1) % polygon.length] as Point2;
      if (ya === yb) continue;
      const [x0, yMin, x1, yMax] = ya < yb ? [xa, ya, xb, yb] : [xb, yb, xa, ya];
      this.edges.push({ yMin, yMax, x0, slope: (x1 - x0) / (yMax - yMin) });
    }
    this.edges.sort((a, b) => a.yMin - b.yMin);
  }

  /** The sorted intervals inside the polygon on the line at `y` (not less than the previous `y`). */
  spansAt(y: number): [number, number][] {
    while (this.next < this.edges.length && (this.edges[this.next] as ScanEdge).yMin <= y) {
      this.active.push(this.edges[this.next++] as ScanEdge);
    }
    this.active = this.active.filter((edge) => edge.yMax > y);
    const crossings = this.active.map((edge) => edge.x0 + (y - edge.yMin) * edge.slope).sort((a, b) => a - b);
    const spans: [number, number][] = [];
    for (let i = 0; i + 1 < crossings.length; i += 2) spans.push([crossings[i] as number, crossings[i + 1] as number]);
    return spans;
  }
}

const spansLength = (spans: readonly [number, number][]): number => spans.reduce((sum, [a, b]) => sum + (b - a), 0);

function spansIntersectionLength(a: readonly [number, number][], b: readonly [number, number][]): number {
  let total = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [a0, a1] = a[i] as [number, number];
    const [b0, b1] = b[j] as [number, number];
    total += Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
    if (a1 < b1) i++;
    else j++;
  }
  return total;
}

/** Whether the bounding boxes of two polygons overlap (with area). */
function boxesOverlap(a: readonly Point2[], b: readonly Point2[]): boolean {
  const box = (polygon: readonly Point2[]): [number, number, number, number] => [
    Math.min(...polygon.map(([x]) => x)),
    Math.max(...polygon.map(([x]) => x)),
    Math.min(...polygon.map(([, y]) => y)),
    Math.max(...polygon.map(([, y]) => y)),
  ];
  const [ax0, ax1, ay0, ay1] = box(a);
  const [bx0, bx1, by0, by1] = box(b);
  return ax0 < bx1 && bx0 < ax1 && ay0 < by1 && by0 < ay1;
}

/**
 * The heights (sorted, distinct) between which the outlines of two polygons change only
 * linearly: their vertices and the crossings of an edge of one with an edge of the other.
 */
function slabBreaks(a: readonly Point2[], b: readonly Point2[]): number[] {
  const ys = [...a, ...b].map(([, y]) => y);
  for (let i = 0; i < a.length; i++) {
    const [ax0, ay0] = a[i] as Point2;
    const [ax1, ay1] = a[(i + 1) % a.length] as Point2;
    for (let j = 0; j < b.length; j++) {
      const [bx0, by0] = b[j] as Point2;
      const [bx1, by1] = b[(j + 1) % b.length] as Point2;
      if (Math.max(ay0, ay1) < Math.min(by0, by1) || Math.max(by0, by1) < Math.min(ay0, ay1)) continue;
      const rx = ax1 - ax0;
      const ry = ay1 - ay0;
      const sx = bx1 - bx0;
      const sy = by1 - by0;
      const denominator = rx * sy - ry * sx;
      if (denominator === 0) continue;
      const t = ((bx0 - ax0) * sy - (by0 - ay0) * sx) / denominator;
      const u = ((bx0 - ax0) * ry - (by0 - ay0) * rx) / denominator;
      if (t > 0 && t < 1 && u > 0 && u < 1) ys.push(ay0 + t * ry);
    }
  }
  ys.sort((p, q) => p - q);
  return ys.filter((y, index) => index === 0 || y !== ys[index - 1]);
}

/**
 * The overlap of two ROIs as a Dice coefficient, 2·|A∩B| / (|A| + |B|), from 0 (disjoint) to 1
 * (identical). Both must be ROIs (`ellipse-roi`, `rectangle-roi`, `freehand-roi`) in the same
 * frame of reference and the same plane (normals within 2.5°, planes at most
 * {@link SAME_PLANE_TOLERANCE_MM} apart), e.g. on the same image; otherwise the result is
 * undefined. Both outlines are projected onto the plane as polygons (ellipses as 360-gons) and
 * the areas are integrated exactly, slab by slab between the heights where an outline changes
 * (vertices and edge crossings), with the even-odd rule. Identical ROIs give 1; the only error
 * is the polygon approximation of ellipses (relative area error below 10⁻⁴).
 */
export function roiOverlap(a: Measurement, b: Measurement): number | undefined {
  if (!isRoiKind(a.kind) || !isRoiKind(b.kind)) return undefined;
  if (measurementFrameKey(a) !== measurementFrameKey(b)) return undefined;
  const normal = roiNormal(a);
  if (Math.abs(dot(normal, roiNormal(b))) < SAME_PLANE_MIN_COSINE) return undefined;
  const polygonA = roiPolygon(a);
  const polygonB = roiPolygon(b);
  const origin = polygonA[0] as Vec3;
  const offset = dot(sub(mean(polygonB), origin), normal);
  if (a.sopInstanceUid !== b.sopInstanceUid && Math.abs(offset) > SAME_PLANE_TOLERANCE_MM) return undefined;
  const [u, v] = planeBasis(normal, a.imageOrientationPatient);
  const flatten = (polygon: readonly Vec3[]): Point2[] =>
    polygon.map((point) => {
      const d = sub(point, origin);
      return [dot(d, u), dot(d, v)] as const;
    });
  const flatA = flatten(polygonA);
  const flatB = flatten(polygonB);
  if (!boxesOverlap(flatA, flatB)) return 0;
  const breaks = slabBreaks(flatA, flatB);
  const scannerA = new SpanScanner(flatA);
  const scannerB = new SpanScanner(flatB);
  let areaA = 0;
  let areaB = 0;
  let common = 0;
  for (let i = 0; i + 1 < breaks.length; i++) {
    const y0 = breaks[i] as number;
    const height = (breaks[i + 1] as number) - y0;
    if (height <= 0) continue;
    // Inside a slab every span end moves linearly with y, so the midpoint rule is exact.
    const y = y0 + height / 2;
    const spansA = scannerA.spansAt(y);
    const spansB = scannerB.spansAt(y);
    areaA += height * spansLength(spansA);
    areaB += height * spansLength(spansB);
    common += height * spansIntersectionLength(spansA, spansB);
  }
  if (areaA + areaB === 0) return undefined;
  return Math.min(1, (2 * common) / (areaA + areaB));
}

/** The largest {@link roiOverlap} between an ROI of one finding and an ROI of the other, when any pair of them is comparable. */
export function findingOverlap(a: Finding, b: Finding): number | undefined {
  let best: number | undefined;
  for (const ma of a.location.measurements) {
    if (!isRoiKind(ma.kind)) continue;
    for (const mb of b.location.measurements) {
      const overlap = roiOverlap(ma, mb);
      if (overlap !== undefined && (best === undefined || overlap > best)) best = overlap;
    }
  }
  return best;
}

/** Options of {@link matchFindings}. */
export interface MatchOptions {
  /** Largest distance between finding centres for an automatic pair (mm); {@link DEFAULT_MATCH_THRESHOLD_MM} by default. */
  readonly thresholdMm?: number;
  /**
   * Earlier pairs: those with `confirmed: true` (the reader paired, unpaired or judged them) are
   * kept with their pairing, method, verdict and comment, as long as their findings still
   * exist; their measured values are recomputed. Their findings take no part in automatic
   * matching. Unconfirmed pairs are ignored (recomputed).
   */
  readonly keep?: readonly FindingPair[];
}

/** What {@link comparePair} measures. */
export type PairMeasures = Pick<FindingPair, 'distanceMm' | 'overlap' | 'sizeDeltaMm' | 'sizeDeltaPercent'>;

/**
 * Measures of pairs of findings already compared. Findings are immutable, so a pair of the same
 * two objects always measures the same; the model rematches after every keystroke.
 */
const comparedPairs = new WeakMap<Finding, WeakMap<Finding, PairMeasures>>();

/**
 * Distance, overlap and size difference of two findings, as far as they can be measured (see
 * {@link FindingPair}). The result is remembered for these two finding objects: do not mutate
 * findings after comparing them.
 */
export function comparePair(first: Finding, second: Finding): PairMeasures {
  let bySecond = comparedPairs.get(first);
  if (!bySecond) comparedPairs.set(first, (bySecond = new WeakMap()));
  let measures = bySecond.get(second);
  if (!measures) bySecond.set(second, (measures = Object.freeze(measurePair(first, second))));
  return { ...measures };
}

function measurePair(first: Finding, second: Finding): PairMeasures {
  const result: { distanceMm?: number; overlap?: number; sizeDeltaMm?: number; sizeDeltaPercent?: number } = {};
  const a = findingPosition(first);
  const b = findingPosition(second);
  if (a && b && a.frameKey === b.frameKey) result.distanceMm = pointDistanceMm(a.centre, b.centre);
  const overlap = findingOverlap(first, second);
  if (overlap !== undefined) result.overlap = overlap;
  const sizeFirst = findingSizeMm(first);
  const sizeSecond = findingSizeMm(second);
  if (sizeFirst !== undefined && sizeSecond !== undefined) {
    result.sizeDeltaMm = sizeSecond - sizeFirst;
    if (sizeFirst > 0) result.sizeDeltaPercent = ((sizeSecond - sizeFirst) / sizeFirst) * 100;
  }
  return result;
}

/**
 * Pairs the findings of a first and a second reading.
 *
 * 1. Confirmed pairs of `options.keep` are kept (see {@link MatchOptions.keep}).
 * 2. Every other first finding is a candidate with every other second finding when their centres
 *    ({@link findingCentre}) are in the same frame of reference and at most `thresholdMm` apart
 *    (method `distance`), or when ROIs of theirs overlap on a common plane (Dice > 0, method
 *    `overlap`).
 * 3. Candidates are taken greedily, closest centres first (overlap-only candidates after them,
 *    largest overlap first); each finding is paired at most once.
 * 4. A pair is `agree` when both findings have the same category, `disagree` otherwise; the
 *    size difference is reported (`sizeDeltaMm`, `sizeDeltaPercent`), not judged.
 * 5. A first finding left alone is `not-confirmed-by-second`, a second one `missed-by-first`
 *    (method `unmatched`).
 *
 * Pairs come in the order of the first reading's findings, then the second reading's findings
 * that have no first finding.
 */
export function matchFindings(first: Reading, second: Reading, options: MatchOptions = {}): FindingPair[] {
  const thresholdMm = options.thresholdMm ?? DEFAULT_MATCH_THRESHOLD_MM;
  const firstById = new Map(first.findings.map((f) => [f.id, f]));
  const secondById = new Map(second.findings.map((f) => [f.id, f]));
  const byFirst = new Map<string, FindingPair>();
  const bySecond = new Map<string, FindingPair>();
  const record = (pair: FindingPair): void => {
    if (pair.firstFindingId !== undefined) byFirst.set(pair.firstFindingId, pair);
    if (pair.secondFindingId !== undefined) bySecond.set(pair.secondFindingId, pair);
  };

  for (const kept of options.keep ?? []) {
    if (!kept.confirmed) continue;
    const f = kept.firstFindingId;
    const s = kept.secondFindingId;
    if (f !== undefined && (!firstById.has(f) || byFirst.has(f))) continue;
    if (s !== undefined && (!secondById.has(s) || bySecond.has(s))) continue;
    if (f === undefined && s === undefined) continue;
    if (f !== undefined && s !== undefined) {
      record({
        firstFindingId: f,
        secondFindingId: s,
        method: kept.method,
        ...comparePair(firstById.get(f) as Finding, secondById.get(s) as Finding),
        verdict: kept.verdict,
        confirmed: true,
        ...(kept.comment === undefined ? {} : { comment: kept.comment }),
      });
    } else {
      record(kept);
    }
  }

  interface Candidate {
    first: Finding;
    second: Finding;
    measured: PairMeasures;
    byDistance: boolean;
  }
  const candidates: Candidate[] = [];
  for (const f of first.findings) {
    if (byFirst.has(f.id)) continue;
    for (const s of second.findings) {
      if (bySecond.has(s.id)) continue;
      const measured = comparePair(f, s);
      const byDistance = measured.distanceMm !== undefined && measured.distanceMm <= thresholdMm;
      if (byDistance || (measured.overlap ?? 0) > 0) candidates.push({ first: f, second: s, measured, byDistance });
    }
  }
  candidates.sort((a, b) =>
    a.byDistance !== b.byDistance
      ? a.byDistance
        ? -1
        : 1
      : a.byDistance
        ? (a.measured.distanceMm as number) - (b.measured.distanceMm as number)
        : (b.measured.overlap ?? 0) - (a.measured.overlap ?? 0),
  );
  for (const candidate of candidates) {
    if (byFirst.has(candidate.first.id) || bySecond.has(candidate.second.id)) continue;
    record({
      firstFindingId: candidate.first.id,
      secondFindingId: candidate.second.id,
      method: candidate.byDistance ? 'distance' : 'overlap',
      ...candidate.measured,
      verdict: candidate.first.category === candidate.second.category ? 'agree' : 'disagree',
      confirmed: false,
    });
  }

  const pairs: FindingPair[] = [];
  for (const f of first.findings) {
    pairs.push(
      byFirst.get(f.id) ?? {
        firstFindingId: f.id,
        method: 'unmatched',
        verdict: 'not-confirmed-by-second',
        confirmed: false,
      },
    );
  }
  for (const s of second.findings) {
    const pair = bySecond.get(s.id);
    if (pair?.firstFindingId !== undefined) continue;
    pairs.push(pair ?? { secondFindingId: s.id, method: 'unmatched', verdict: 'missed-by-first', confirmed: false });
  }
  return pairs;
}
