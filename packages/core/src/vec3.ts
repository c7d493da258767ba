/**
 * Three-component vectors in patient coordinates (DICOM LPS, millimetres): the one home of the
 * small vector helpers the series geometry, the measurement geometry and the matching use.
 * Pure functions on readonly tuples; every result is a new tuple.
 */

/** A point or direction in patient coordinates (DICOM LPS, millimetres). */
export type Vec3 = readonly [number, number, number];

/** a + b */
export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];

/** a − b */
export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];

/** a · s */
export const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];

/** The dot product a · b. */
export const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** The cross product a × b. */
export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** The Euclidean length |a|. */
export const norm = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);

/** a / |a|; a zero vector stays zero. */
export const unit = (a: Vec3): Vec3 => scale(a, 1 / (norm(a) || 1));

/** The distance |a − b|. */
export const distance = (a: Vec3, b: Vec3): number => norm(sub(a, b));

/** The mean of `points` (the origin for none). */
export function mean(points: readonly Vec3[]): Vec3 {
  const sum = points.reduce<Vec3>((total, point) => add(total, point), [0, 0, 0]);
  return scale(sum, 1 / (points.length || 1));
}
