import type { Orientation, Vec3 } from '../geometry.js';

/**
 * Every kind of measurement a reader can draw. The names match the tools of
 * `<measurement-tools>`; loop over this list in stories and tests.
 */
export const MEASUREMENT_KINDS = [
  'length',
  'angle',
  'cobb-angle',
  'bidirectional',
  'ellipse-roi',
  'rectangle-roi',
  'freehand-roi',
  'probe',
  'arrow',
  'label',
] as const;

/**
 * One of {@link MEASUREMENT_KINDS}. Point conventions (all points in patient coordinates, mm):
 *
 * | kind | points | meaning |
 * | --- | --- | --- |
 * | `length` | 2 | the two ends of the line |
 * | `angle` | 3 | `p0`–`p1`–`p2`, the vertex in the middle (`p1`) |
 * | `cobb-angle` | 4 | two lines, `p0`–`p1` and `p2`–`p3` |
 * | `bidirectional` | 4 | long axis `p0`–`p1`, short axis `p2`–`p3` (RECIST) |
 * | `ellipse-roi` | 4 | the ends of the two axes: `p0`–`p1` one axis, `p2`–`p3` the other; the centre is their common midpoint |
 * | `rectangle-roi` | 2 | two opposite corners; the sides run along the image rows and columns ({@link Measurement.imageOrientationPatient}) |
 * | `freehand-roi` | ≥ 3 | the vertices of a closed polygon, in drawing order (the last joins the first) |
 * | `probe` | 1 | the point whose HU is read |
 * | `arrow` | 2 | the tail `p0` and the head `p1` (the head points at the finding); the text is {@link Measurement.text} |
 * | `label` | 1 | where the text is anchored |
 */
export type MeasurementKind = (typeof MEASUREMENT_KINDS)[number];

/** The kinds that enclose an area and report HU statistics of the pixels inside. */
export const ROI_KINDS = ['ellipse-roi', 'rectangle-roi', 'freehand-roi'] as const;
export type RoiKind = (typeof ROI_KINDS)[number];

/** How many points each kind takes: `[min, max]` (max is `Infinity` for a freehand polygon). */
export const MEASUREMENT_POINT_COUNTS: Readonly<Record<MeasurementKind, readonly [number, number]>> = {
  length: [2, 2],
  angle: [3, 3],
  'cobb-angle': [4, 4],
  bidirectional: [4, 4],
  'ellipse-roi': [4, 4],
  'rectangle-roi': [2, 2],
  'freehand-roi': [3, Infinity],
  probe: [1, 1],
  arrow: [2, 2],
  label: [1, 1],
};

/**
 * The most points one measurement may have (a freehand ROI's outline). A hand-drawn outline has a
 * few hundred and a DICOM SEG outline of a large organ on a 512 × 512 image a few thousand; 20 000
 * leave room for both while keeping one ROI's statistics near half a second of main thread on a
 * slow machine (200 000 points took 5.4 s). More are refused with `MeasurementError` `too-large`.
 */
export const MAX_POINTS_PER_MEASUREMENT = 20_000;

/**
 * The most measurements one load (`loadJSON`, `measurements = …`, a layer) may hold. A reader's
 * reading has tens; a first reading from a DICOM SEG has one outline per segment and image, so a
 * few hundred; 2 000 keep room for that (10 000 through `loadJSON` blocked the page for 4.9 s).
 * More are refused with `MeasurementError` `too-large` and nothing is loaded.
 */
export const MAX_MEASUREMENTS_PER_LOAD = 2_000;

/**
 * Values computed from the points alone. The model always recomputes them from the points,
 * so a measurement never shows a length that does not belong to its points.
 */
export const GEOMETRIC_VALUE_KEYS = ['lengthMm', 'shortAxisMm', 'angleDeg', 'areaMm2'] as const;

/** Values read from the pixel data under the measurement (ROI statistics and the probe). */
export const PIXEL_VALUE_KEYS = ['meanHu', 'stdHu', 'minHu', 'maxHu', 'hu', 'pixelCount'] as const;

/** Every key {@link MeasurementValues} may hold. */
export const MEASUREMENT_VALUE_KEYS = [...GEOMETRIC_VALUE_KEYS, ...PIXEL_VALUE_KEYS] as const;
export type MeasurementValueKey = (typeof MEASUREMENT_VALUE_KEYS)[number];

/**
 * What a measurement reports. Units are in the names. Which keys are present depends on the kind:
 *
 * - `length`: `lengthMm`
 * - `angle`, `cobb-angle`: `angleDeg`
 * - `bidirectional`: `lengthMm` (long axis), `shortAxisMm`
 * - `ellipse-roi`, `rectangle-roi`, `freehand-roi`: `areaMm2`, and once pixel data was read
 *   `meanHu`, `stdHu`, `minHu`, `maxHu`, `pixelCount` (no HU values when no pixel centre is inside)
 * - `probe`: `hu` once pixel data was read
 * - `arrow`, `label`: nothing
 */
export interface MeasurementValues {
  /** Length of a line, or the long axis of a bidirectional measurement (mm). */
  readonly lengthMm?: number;
  /** Short axis of a bidirectional measurement (mm). */
  readonly shortAxisMm?: number;
  /** Angle in degrees: 0–180 for `angle`, 0–90 (the acute angle between the lines) for `cobb-angle`. */
  readonly angleDeg?: number;
  /** Area of an ROI in the slice plane (mm²). */
  readonly areaMm2?: number;
  /** Mean HU of the pixels whose centres lie inside the ROI. */
  readonly meanHu?: number;
  /** Population standard deviation of those pixels (HU). */
  readonly stdHu?: number;
  readonly minHu?: number;
  readonly maxHu?: number;
  /** HU of the pixel under a probe. */
  readonly hu?: number;
  /** Number of pixels the ROI statistics were taken over. */
  readonly pixelCount?: number;
}

/**
 * One measurement on one image, in patient coordinates, owned by one reader. Plain data: it
 * serialises to JSON as it is (see `serializeMeasurements`). Leave optional fields out rather
 * than setting them to `undefined`, so that a JSON round trip gives an equal object.
 */
export interface Measurement {
  /** Unique within a reading (a UUID when made by `createMeasurement`). */
  readonly id: string;
  readonly kind: MeasurementKind;
  /** Points in patient coordinates (DICOM LPS, mm); how many and what they mean depends on {@link kind}. */
  readonly points: readonly Vec3[];
  readonly studyUid: string;
  readonly seriesUid: string;
  /** The image the measurement was drawn on. */
  readonly sopInstanceUid: string;
  /** The frame of reference of the points (empty when the series has none). */
  readonly frameOfReferenceUid: string;
  readonly values: MeasurementValues;
  /** The reader's name for the measurement (may be empty). */
  readonly label: string;
  /** Free text of an `arrow` or `label` (or a note on any measurement). */
  readonly text?: string;
  /** Who made the measurement. */
  readonly readerId: string;
  /** ISO 8601 timestamps. */
  readonly createdAt: string;
  readonly updatedAt: string;
  /** A locked measurement cannot be moved, edited or deleted. */
  readonly locked?: boolean;
  /**
   * Row and column directions of the image the measurement was drawn on. Needed by
   * `rectangle-roi` (its sides run along them; without it the image is taken as axial) and
   * used by every area so that it is measured in the slice plane.
   */
  readonly imageOrientationPatient?: Orientation;
}

export function isMeasurementKind(value: unknown): value is MeasurementKind {
  return typeof value === 'string' && (MEASUREMENT_KINDS as readonly string[]).includes(value);
}

export function isRoiKind(kind: MeasurementKind): kind is RoiKind {
  return (ROI_KINDS as readonly string[]).includes(kind);
}
