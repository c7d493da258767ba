/**
 * Making and editing one measurement, as pure functions: {@link createMeasurement} fills in the
 * id, timestamps and geometric values, {@link updateMeasurement} applies a {@link MeasurementPatch}.
 * The store uses both; so can exporters and tests without a store.
 */
import type { Mutable } from '../mutable.js';
import type { Orientation, Vec3 } from '../geometry.js';
import { computeGeometry } from './geometry.js';
import { parseMeasurement } from './schema.js';
import { PIXEL_VALUE_KEYS, type Measurement, type MeasurementKind, type MeasurementValues } from './types.js';

/** What {@link createMeasurement} needs; the rest is filled in. */
export interface MeasurementInit {
  readonly kind: MeasurementKind;
  readonly points: readonly Vec3[];
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly sopInstanceUid: string;
  /** Default `''` (a series without a frame of reference). */
  readonly frameOfReferenceUid?: string;
  readonly readerId: string;
  /** Default `''`. */
  readonly label?: string;
  readonly text?: string;
  readonly locked?: boolean;
  readonly imageOrientationPatient?: Orientation;
  /**
   * Values read from pixel data (`pixelValues`, `roiStatistics`, `probeValue`). Geometric values
   * in here are ignored: they are computed from the points.
   */
  readonly values?: MeasurementValues;
}

/** The fields an edit may change. `text: undefined` removes the text. */
export interface MeasurementPatch {
  readonly points?: readonly Vec3[];
  readonly label?: string;
  readonly text?: string | undefined;
  readonly locked?: boolean;
  readonly imageOrientationPatient?: Orientation;
  /**
   * Replaces the pixel-derived values (`meanHu`, `stdHu`, `minHu`, `maxHu`, `hu`,
   * `pixelCount`). When the points move and no values are given, the old pixel values are
   * dropped as stale. Geometric values are always recomputed from the points.
   */
  readonly values?: MeasurementValues;
}

/** A random UUID; `crypto.randomUUID` where available (secure contexts), else from `getRandomValues`. */
export function newMeasurementId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function pixelValuesOf(values: MeasurementValues | undefined): MeasurementValues {
  const kept: Partial<Record<(typeof PIXEL_VALUE_KEYS)[number], number>> = {};
  for (const key of PIXEL_VALUE_KEYS) {
    const value = values?.[key];
    if (value !== undefined) kept[key] = value;
  }
  return kept;
}

function valuesFor(
  kind: MeasurementKind,
  points: readonly Vec3[],
  orientation: Orientation | undefined,
  pixelValues: MeasurementValues | undefined,
): MeasurementValues {
  return { ...pixelValuesOf(pixelValues), ...computeGeometry(kind, points, orientation) };
}

/**
 * A new measurement: a fresh id (UUID), `createdAt` = `updatedAt` = now, geometric values
 * computed from the points (see `computeGeometry`) next to the pixel values given.
 * @throws MeasurementError `invalid-points`; MeasurementSchemaError for other invalid fields
 */
export function createMeasurement(init: MeasurementInit, options: { id?: string; now?: Date } = {}): Measurement {
  const timestamp = (options.now ?? new Date()).toISOString();
  const measurement: Mutable<Measurement> = {
    id: options.id ?? newMeasurementId(),
    kind: init.kind,
    points: init.points.map((point) => [point[0], point[1], point[2]] as const),
    studyUid: init.studyUid,
    seriesUid: init.seriesUid,
    sopInstanceUid: init.sopInstanceUid,
    frameOfReferenceUid: init.frameOfReferenceUid ?? '',
    values: valuesFor(init.kind, init.points, init.imageOrientationPatient, init.values),
    label: init.label ?? '',
    readerId: init.readerId,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  if (init.text !== undefined) measurement.text = init.text;
  if (init.locked !== undefined) measurement.locked = init.locked;
  if (init.imageOrientationPatient) measurement.imageOrientationPatient = init.imageOrientationPatient;
  return parseMeasurement(measurement);
}

/**
 * `measurement` with `patch` applied and `updatedAt` = now (pure; the store's `update` uses it).
 * @throws MeasurementError `invalid-points` when the new points do not fit the kind
 */
export function updateMeasurement(
  measurement: Measurement,
  patch: MeasurementPatch,
  now: Date = new Date(),
): Measurement {
  const next: Mutable<Measurement> = { ...measurement, updatedAt: now.toISOString() };
  if (patch.points) next.points = patch.points.map((point) => [point[0], point[1], point[2]] as const);
  if (patch.label !== undefined) next.label = patch.label;
  if ('text' in patch) {
    if (patch.text === undefined) delete next.text;
    else next.text = patch.text;
  }
  if (patch.locked !== undefined) next.locked = patch.locked;
  if (patch.imageOrientationPatient) next.imageOrientationPatient = patch.imageOrientationPatient;
  const moved = Boolean(patch.points || patch.imageOrientationPatient);
  const pixelValues = patch.values ?? (moved ? undefined : measurement.values);
  next.values = valuesFor(next.kind, next.points, next.imageOrientationPatient, pixelValues);
  return parseMeasurement(next);
}
