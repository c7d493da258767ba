/**
 * Geometry of measurements: lengths, angles and areas from points in patient coordinates.
 * Pure functions, no pixel data.
 */
import { sliceNormal, type Orientation } from '../geometry.js';
import { add, cross, distance, dot, norm, scale, sub, type Vec3 } from '../vec3.js';
import { MeasurementError } from './errors.js';
import {
  MAX_MEASUREMENTS_PER_LOAD,
  MAX_POINTS_PER_MEASUREMENT,
  MEASUREMENT_POINT_COUNTS,
  type MeasurementKind,
  type MeasurementValues,
} from './types.js';

/** Axial image orientation (rows along +x, columns along +y): the fallback of `rectangle-roi`. */
export const AXIAL_ORIENTATION: Orientation = [1, 0, 0, 0, 1, 0];

/** The values {@link computeGeometry} produces. */
export type GeometricValues = Pick<MeasurementValues, 'lengthMm' | 'shortAxisMm' | 'angleDeg' | 'areaMm2'>;

const DEG_PER_RAD = 180 / Math.PI;

const isFiniteVec3 = (p: unknown): p is Vec3 =>
  Array.isArray(p) && p.length === 3 && p.every((v) => typeof v === 'number' && Number.isFinite(v));

/**
 * Checks that `points` fit `kind` (count from {@link MEASUREMENT_POINT_COUNTS}, three finite
 * numbers each).
 * @throws MeasurementError `invalid-points`
 */
export function checkMeasurementPoints(kind: MeasurementKind, points: readonly Vec3[]): void {
  checkPointCount(points.length);
  const [min, max] = MEASUREMENT_POINT_COUNTS[kind];
  if (points.length < min || points.length > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new MeasurementError('invalid-points', `A ${kind} takes ${expected} points, got ${points.length}.`);
  }
  points.forEach((point, index) => {
    if (!isFiniteVec3(point)) {
      throw new MeasurementError('invalid-points', `Point ${index} of a ${kind} is not three finite numbers.`);
    }
  });
}

/**
 * Refuses more than {@link MAX_POINTS_PER_MEASUREMENT} points.
 * @throws MeasurementError `too-large`
 */
export function checkPointCount(count: number): void {
  if (count > MAX_POINTS_PER_MEASUREMENT) {
    throw new MeasurementError(
      'too-large',
      `A measurement may have at most ${MAX_POINTS_PER_MEASUREMENT} points, got ${count}.`,
    );
  }
}

/**
 * Refuses more than {@link MAX_MEASUREMENTS_PER_LOAD} measurements in one load.
 * @throws MeasurementError `too-large`
 */
export function checkMeasurementCount(count: number): void {
  if (count > MAX_MEASUREMENTS_PER_LOAD) {
    throw new MeasurementError(
      'too-large',
      `At most ${MAX_MEASUREMENTS_PER_LOAD} measurements can be loaded at once, got ${count}.`,
    );
  }
}

/** `points[index]`, known to exist once {@link checkMeasurementPoints} passed. */
function at(points: readonly Vec3[], index: number): Vec3 {
  const point = points[index];
  if (!point) throw new MeasurementError('invalid-points', `Point ${index} is missing.`);
  return point;
}

/** Distance between two points (mm). */
export function distanceMm(a: Vec3, b: Vec3): number {
  return distance(a, b);
}

/** Angle between two directions in degrees (0–180), or undefined when one has no length. */
export function angleBetweenDeg(a: Vec3, b: Vec3): number | undefined {
  if (norm(a) === 0 || norm(b) === 0) return undefined;
  // atan2 of |a×b| and a·b stays accurate near 0° and 180°, where acos does not.
  return Math.atan2(norm(cross(a, b)), dot(a, b)) * DEG_PER_RAD;
}

/**
 * The frame of an ellipse given by the ends of its two axes (`p0`–`p1`, `p2`–`p3`): its centre
 * (the mean of the four points, i.e. the common midpoint) and the two semi-axis vectors. The
 * ellipse is the set `center + cos t · semiAxisA + sin t · semiAxisB`.
 */
export function ellipseFrame(points: readonly Vec3[]): { center: Vec3; semiAxisA: Vec3; semiAxisB: Vec3 } {
  const [p0, p1, p2, p3] = [at(points, 0), at(points, 1), at(points, 2), at(points, 3)];
  return {
    center: scale(add(add(p0, p1), add(p2, p3)), 0.25),
    semiAxisA: scale(sub(p1, p0), 0.5),
    semiAxisB: scale(sub(p3, p2), 0.5),
  };
}

/**
 * Area of a closed polygon (mm²). With a `normal`, the polygon is projected onto the plane with
 * that normal (the slice plane); without, onto its own best-fitting plane (Newell's vector).
 */
export function polygonAreaMm2(points: readonly Vec3[], normal?: Vec3): number {
  if (points.length < 3) return 0;
  const origin = at(points, 0);
  let sum: Vec3 = [0, 0, 0];
  for (let i = 1; i + 1 < points.length; i++) {
    sum = add(sum, cross(sub(at(points, i), origin), sub(at(points, i + 1), origin)));
  }
  return (normal ? Math.abs(dot(sum, normal)) : norm(sum)) / 2;
}

/**
 * Width and height of a `rectangle-roi` (mm): the diagonal `p0`–`p1` split along the image
 * rows and columns of `orientation`.
 */
export function rectangleSidesMm(
  points: readonly Vec3[],
  orientation: Orientation = AXIAL_ORIENTATION,
): { widthMm: number; heightMm: number } {
  const diagonal = sub(at(points, 1), at(points, 0));
  const rowDirection: Vec3 = [orientation[0], orientation[1], orientation[2]];
  const columnDirection: Vec3 = [orientation[3], orientation[4], orientation[5]];
  return {
    widthMm: Math.abs(dot(diagonal, rowDirection)) / (norm(rowDirection) || 1),
    heightMm: Math.abs(dot(diagonal, columnDirection)) / (norm(columnDirection) || 1),
  };
}

/**
 * The geometric values of a measurement, from its points alone:
 *
 * - `length`: `lengthMm` = |p0 p1|
 * - `angle`: `angleDeg` at the vertex p1 between p1→p0 and p1→p2 (0–180)
 * - `cobb-angle`: `angleDeg`, the acute angle (0–90) between the lines p0–p1 and p2–p3
 * - `bidirectional`: `lengthMm` = |p0 p1| (long axis), `shortAxisMm` = |p2 p3|
 * - `ellipse-roi`: `areaMm2` = π·a·b (π·|a⃗ × b⃗| with the semi-axis vectors, which is π·a·b for
 *   perpendicular axes)
 * - `rectangle-roi`: `areaMm2` = width · height along the image rows and columns
 * - `freehand-roi`: `areaMm2` of the polygon
 * - `probe`, `arrow`, `label`: nothing
 *
 * With an `orientation` (the image the measurement is on), areas are measured in the slice
 * plane: shapes are projected onto it. Undefined values (an angle with a zero-length arm) are
 * left out.
 * @throws MeasurementError `invalid-points` when the points do not fit the kind
 */
export function computeGeometry(
  kind: MeasurementKind,
  points: readonly Vec3[],
  orientation?: Orientation,
): GeometricValues {
  checkMeasurementPoints(kind, points);
  const normal = orientation ? sliceNormal(orientation) : undefined;
  switch (kind) {
    case 'length':
      return { lengthMm: distanceMm(at(points, 0), at(points, 1)) };
    case 'angle': {
      const vertex = at(points, 1);
      const angleDeg = angleBetweenDeg(sub(at(points, 0), vertex), sub(at(points, 2), vertex));
      return angleDeg === undefined ? {} : { angleDeg };
    }
    case 'cobb-angle': {
      const between = angleBetweenDeg(sub(at(points, 1), at(points, 0)), sub(at(points, 3), at(points, 2)));
      return between === undefined ? {} : { angleDeg: between > 90 ? 180 - between : between };
    }
    case 'bidirectional':
      return {
        lengthMm: distanceMm(at(points, 0), at(points, 1)),
        shortAxisMm: distanceMm(at(points, 2), at(points, 3)),
      };
    case 'ellipse-roi': {
      const { semiAxisA, semiAxisB } = ellipseFrame(points);
      const spanned = cross(semiAxisA, semiAxisB);
      return { areaMm2: Math.PI * (normal ? Math.abs(dot(spanned, normal)) : norm(spanned)) };
    }
    case 'rectangle-roi': {
      const { widthMm, heightMm } = rectangleSidesMm(points, orientation);
      return { areaMm2: widthMm * heightMm };
    }
    case 'freehand-roi':
      return { areaMm2: polygonAreaMm2(points, normal) };
    case 'probe':
    case 'arrow':
    case 'label':
      return {};
  }
}

/** The plane of one image: where its first pixel is, and which way its rows and columns run. */
export interface SlicePlane {
  readonly imagePositionPatient: Vec3;
  readonly imageOrientationPatient: Orientation;
}

/**
 * How far a point may lie from its image's plane and still be on it (mm). Points placed on an
 * image are computed on its plane (a few 1e-13 mm off from rounding); a point from a neighbouring
 * slice is a whole slice spacing away (0.5 mm at the thinnest CT).
 */
export const SLICE_PLANE_TOLERANCE_MM = 0.01;

/** The largest distance of `points` from the plane of `slice` (mm); 0 without points. */
export function distanceFromSlicePlaneMm(points: readonly Vec3[], slice: SlicePlane): number {
  const normal = sliceNormal(slice.imageOrientationPatient);
  let largest = 0;
  for (const point of points) {
    const d = Math.abs(dot(sub(point, slice.imagePositionPatient), normal));
    // NaN (a point that is not three numbers) is never on the plane.
    if (!(d <= largest)) largest = Number.isNaN(d) ? Infinity : d;
  }
  return largest;
}

/**
 * Whether every point lies on the plane of `slice` (within `toleranceMm`): a measurement must lie
 * on the image it names, never span slices.
 */
export function pointsOnSlicePlane(
  points: readonly Vec3[],
  slice: SlicePlane,
  toleranceMm = SLICE_PLANE_TOLERANCE_MM,
): boolean {
  return distanceFromSlicePlaneMm(points, slice) <= toleranceMm;
}
