/**
 * The versioned JSON form of a set of measurements (documented in
 * `packages/core/docs/measurement-schema.md`). Parsing validates every field and either returns
 * the whole set or throws: never half-loaded data.
 */
import type { Orientation, Vec3 } from '../geometry.js';
import { describeJsonValue, isFiniteNumber, isIsoDateTime, joinPath, jsonFieldReaders } from '../json-schema.js';
import { MeasurementSchemaError } from './errors.js';
import { checkMeasurementCount, checkPointCount } from './geometry.js';
import {
  MEASUREMENT_KINDS,
  MEASUREMENT_POINT_COUNTS,
  MEASUREMENT_VALUE_KEYS,
  isMeasurementKind,
  type Measurement,
  type MeasurementValueKey,
  type MeasurementValues,
} from './types.js';

/** The `schema` member of every measurement document. */
export const MEASUREMENT_SCHEMA_ID = 'secondread/measurements';

/** The version this code writes. */
export const MEASUREMENT_SCHEMA_VERSION = '1.0';

/** The versions this code reads. */
export const SUPPORTED_MEASUREMENT_SCHEMA_VERSIONS: readonly string[] = [MEASUREMENT_SCHEMA_VERSION];

/** A measurement document as it is written to JSON. */
export interface MeasurementDocument {
  readonly schema: typeof MEASUREMENT_SCHEMA_ID;
  readonly version: string;
  readonly measurements: readonly Measurement[];
}

const DOCUMENT_KEYS = ['schema', 'version', 'measurements'] as const;
const REQUIRED_STRING_KEYS = [
  'id',
  'studyUid',
  'seriesUid',
  'sopInstanceUid',
  'frameOfReferenceUid',
  'label',
  'readerId',
  'createdAt',
  'updatedAt',
] as const;
const MEASUREMENT_KEYS: readonly string[] = [
  ...REQUIRED_STRING_KEYS,
  'kind',
  'points',
  'values',
  'text',
  'locked',
  'imageOrientationPatient',
];
/** The timestamp rule of the measurement schema, shared by the reading schema (defined in `json-schema.ts`). */
export { isIsoDateTime };

const { objectAt, stringAt, numbersAt } = jsonFieldReaders(
  (path, problem) => new MeasurementSchemaError(path, problem),
);

function valuesAt(value: unknown, path: string): MeasurementValues {
  const object = objectAt(value, path, MEASUREMENT_VALUE_KEYS);
  const values: Partial<Record<MeasurementValueKey, number>> = {};
  for (const key of MEASUREMENT_VALUE_KEYS) {
    const number = object[key];
    if (number === undefined) continue;
    const at = `${path}.${key}`;
    if (!isFiniteNumber(number))
      throw new MeasurementSchemaError(at, `must be a finite number, got ${describeJsonValue(number)}`);
    if ((key === 'lengthMm' || key === 'shortAxisMm' || key === 'areaMm2' || key === 'stdHu') && number < 0) {
      throw new MeasurementSchemaError(at, 'must not be negative');
    }
    if (key === 'angleDeg' && (number < 0 || number > 180)) {
      throw new MeasurementSchemaError(at, 'must be between 0 and 180 degrees');
    }
    if (key === 'pixelCount' && (!Number.isInteger(number) || number < 0)) {
      throw new MeasurementSchemaError(at, 'must be a non-negative integer');
    }
    values[key] = number;
  }
  return values;
}

/**
 * Validates one measurement and returns a clean copy of it (only schema fields, fresh arrays).
 * `path` prefixes the paths of errors, e.g. `measurements[2]`.
 * @throws MeasurementSchemaError naming the first offending field
 */
export function parseMeasurement(value: unknown, path = ''): Measurement {
  const object = objectAt(value, path, MEASUREMENT_KEYS);
  const at = (key: string): string => joinPath(path, key);
  const strings = {} as Record<(typeof REQUIRED_STRING_KEYS)[number], string>;
  for (const key of REQUIRED_STRING_KEYS) strings[key] = stringAt(object, key, path, { nonEmpty: key === 'id' });
  for (const key of ['createdAt', 'updatedAt'] as const) {
    if (!isIsoDateTime(strings[key])) {
      throw new MeasurementSchemaError(at(key), 'must be an ISO 8601 date and time with a time zone');
    }
  }
  const kind = object.kind;
  if (!isMeasurementKind(kind)) {
    throw new MeasurementSchemaError(
      at('kind'),
      kind === undefined ? 'is required' : `must be one of ${MEASUREMENT_KINDS.join(', ')}`,
    );
  }
  const points = object.points;
  if (!Array.isArray(points)) {
    throw new MeasurementSchemaError(at('points'), points === undefined ? 'is required' : 'must be an array');
  }
  checkPointCount(points.length);
  const [min, max] = MEASUREMENT_POINT_COUNTS[kind];
  if (points.length < min || points.length > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new MeasurementSchemaError(at('points'), `a ${kind} takes ${expected} points, got ${points.length}`);
  }
  const copiedPoints = points.map(
    (point, index) => numbersAt(point, `${at('points')}[${index}]`, 3, 'a point [x, y, z] in mm') as unknown as Vec3,
  );
  if (object.values === undefined) throw new MeasurementSchemaError(at('values'), 'is required');
  const values = valuesAt(object.values, at('values'));
  const measurement: { -readonly [K in keyof Measurement]: Measurement[K] } = {
    id: strings.id,
    kind,
    points: copiedPoints,
    studyUid: strings.studyUid,
    seriesUid: strings.seriesUid,
    sopInstanceUid: strings.sopInstanceUid,
    frameOfReferenceUid: strings.frameOfReferenceUid,
    values,
    label: strings.label,
    readerId: strings.readerId,
    createdAt: strings.createdAt,
    updatedAt: strings.updatedAt,
  };
  if (object.text !== undefined) {
    if (typeof object.text !== 'string') throw new MeasurementSchemaError(at('text'), 'must be a string');
    measurement.text = object.text;
  }
  if (object.locked !== undefined) {
    if (typeof object.locked !== 'boolean') throw new MeasurementSchemaError(at('locked'), 'must be true or false');
    measurement.locked = object.locked;
  }
  if (object.imageOrientationPatient !== undefined) {
    measurement.imageOrientationPatient = numbersAt(
      object.imageOrientationPatient,
      at('imageOrientationPatient'),
      6,
      'row then column direction cosines',
    ) as unknown as Orientation;
  }
  return measurement;
}

function parseList(list: readonly unknown[], path: (index: number) => string): Measurement[] {
  const seen = new Set<string>();
  return list.map((value, index) => {
    const measurement = parseMeasurement(value, path(index));
    if (seen.has(measurement.id)) {
      throw new MeasurementSchemaError(`${path(index)}.id`, `duplicates the id of an earlier measurement`);
    }
    seen.add(measurement.id);
    return measurement;
  });
}

/**
 * The JSON document of a set of measurements (`JSON.stringify` it to save). Fields are copied,
 * and checked as {@link parseMeasurements} would, so that what is written can be read back.
 * @throws MeasurementSchemaError when a measurement is invalid
 */
export function serializeMeasurements(list: readonly Measurement[]): MeasurementDocument {
  return {
    schema: MEASUREMENT_SCHEMA_ID,
    version: MEASUREMENT_SCHEMA_VERSION,
    measurements: parseList(list, (index) => `measurements[${index}]`),
  };
}

/**
 * Reads a measurement document (the parsed JSON value, or its text) and returns its
 * measurements. Every field is validated; the first problem throws, with the path of the
 * offending value (e.g. `measurements[2].points[1]`). `parseMeasurements(serializeMeasurements(x))`
 * deep-equals `x`.
 * @throws MeasurementSchemaError
 */
export function parseMeasurements(json: unknown): Measurement[] {
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json) as unknown;
    } catch (error) {
      throw new MeasurementSchemaError('', `is not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  const document = objectAt(json, '', DOCUMENT_KEYS);
  if (document.schema !== MEASUREMENT_SCHEMA_ID) {
    throw new MeasurementSchemaError('schema', `must be "${MEASUREMENT_SCHEMA_ID}"`);
  }
  if (typeof document.version !== 'string' || !SUPPORTED_MEASUREMENT_SCHEMA_VERSIONS.includes(document.version)) {
    throw new MeasurementSchemaError(
      'version',
      `${JSON.stringify(document.version) ?? 'missing'} is not a supported version (${SUPPORTED_MEASUREMENT_SCHEMA_VERSIONS.join(', ')})`,
    );
  }
  if (!Array.isArray(document.measurements)) {
    throw new MeasurementSchemaError('measurements', 'must be an array');
  }
  checkMeasurementCount(document.measurements.length);
  return parseList(document.measurements, (index) => `measurements[${index}]`);
}
