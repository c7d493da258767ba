import { SecondReadError } from '../errors.js';

/**
 * Why the measurement model refused something.
 *
 * | code | meaning |
 * | --- | --- |
 * | `invalid-points` | the number of points does not fit the kind, or a point is not three finite numbers |
 * | `not-found` | no measurement (or layer) with that id (or name) |
 * | `duplicate-id` | a measurement with that id is already there |
 * | `duplicate-layer` | a layer with that name is already there |
 * | `locked` | the measurement, or its layer, is locked |
 * | `invalid-schema` | a JSON document does not follow the measurement schema ({@link MeasurementSchemaError}) |
 * | `too-large` | more points than `MAX_POINTS_PER_MEASUREMENT`, or more measurements than `MAX_MEASUREMENTS_PER_LOAD` |
 */
export const MEASUREMENT_ERROR_CODES = [
  'invalid-points',
  'not-found',
  'duplicate-id',
  'duplicate-layer',
  'locked',
  'invalid-schema',
  'too-large',
] as const;

export type MeasurementErrorCode = (typeof MEASUREMENT_ERROR_CODES)[number];

/** An error of the measurement model, with a machine-readable {@link MeasurementErrorCode}. */
export class MeasurementError extends SecondReadError<MeasurementErrorCode> {
  override readonly name: string = 'MeasurementError';
  constructor(code: MeasurementErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * A measurement JSON document that does not follow the schema. `path` names the offending
 * value, e.g. `measurements[2].points[1]` (empty for the document itself).
 */
export class MeasurementSchemaError extends MeasurementError {
  override readonly name: string = 'MeasurementSchemaError';
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super('invalid-schema', `${path || 'document'}: ${problem}`);
  }
}
