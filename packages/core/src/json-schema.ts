/**
 * The checking code the two JSON schemas share (measurements in `measurements/schema.ts`,
 * readings and second opinions in `reading/schema.ts`): reading a field of a parsed JSON value
 * and, when it does not fit, throwing that schema's error with the path of the offending value.
 * Each schema binds the readers to its own error class with {@link jsonFieldReaders}. Also the
 * plain-JSON equality the models use to ignore edits that change nothing ({@link isSameJson}).
 */

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** Builds a schema's error for the value at `path` (`readings[1].findings[0].category`; empty: the document). */
export type SchemaErrorFactory = (path: string, problem: string) => Error;

/** True for a JSON object (not null, not an array). */
export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** True for a number that is neither NaN nor infinite. */
export const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** How an error message names a wrong value: its type, or a string itself (quoted, cut at 40 characters). */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value;
}

/**
 * Plain-JSON deep equality: what a JSON round trip would preserve (a key holding `undefined`
 * counts as absent, array and object are not equal).
 */
export function isSameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const keysB = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => isSameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** `path.key`, or `key` at the document's top. */
export const joinPath = (path: string, key: string): string => `${path}${path ? '.' : ''}${key}`;

/** ISO 8601 date and time with a zone, as `Date.prototype.toISOString` writes it (seconds optional). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * True for an ISO 8601 date and time with a time zone (`2026-11-28T16:10:00.000Z`,
 * `2026-11-28T17:10+01:00`) that names a real instant: the timestamp rule of both schemas.
 */
export function isIsoDateTime(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

/** The field readers of one schema, bound to its error class by {@link jsonFieldReaders}. */
export interface JsonFieldReaders {
  /** Reads a JSON object, refusing keys outside `allowedKeys` (a key holding `undefined` counts as absent). */
  objectAt(value: unknown, path: string, allowedKeys: readonly string[]): JsonObject;
  /** `object[key]` as a string (required; `nonEmpty` refuses `''`). */
  stringAt(object: JsonObject, key: string, path: string, options?: { nonEmpty?: boolean }): string;
  /** `object[key]` as a string, or undefined when absent. */
  optionalStringAt(object: JsonObject, key: string, path: string): string | undefined;
  /** `object[key]` as an ISO 8601 timestamp with a zone (required unless `optional`). */
  timestampAt(object: JsonObject, key: string, path: string, optional?: boolean): string | undefined;
  /** `object[key]` as one of `allowed` (required). */
  enumAt<T extends string>(object: JsonObject, key: string, path: string, allowed: readonly T[]): T;
  /** `object[key]` as an array (required). */
  arrayAt(object: JsonObject, key: string, path: string): unknown[];
  /** `object[key]` as an integer ≥ 1 (required). */
  positiveIntegerAt(object: JsonObject, key: string, path: string): number;
  /** `object[key]` as a finite number within [min, max], or undefined when absent. */
  numberAt(object: JsonObject, key: string, path: string, min?: number, max?: number): number | undefined;
  /** `value` as exactly `length` finite numbers (`what` names them in the message: `a point [x, y, z] in mm`). */
  numbersAt(value: unknown, path: string, length: number, what: string): number[];
}

/**
 * The field readers of a schema whose errors `fail` builds.
 * @example const { objectAt, stringAt } = jsonFieldReaders((path, problem) => new ReadingSchemaError(path, problem));
 */
export function jsonFieldReaders(fail: SchemaErrorFactory): JsonFieldReaders {
  const stringAt: JsonFieldReaders['stringAt'] = (object, key, path, options = {}) => {
    const value = object[key];
    if (typeof value !== 'string') {
      throw fail(
        joinPath(path, key),
        value === undefined ? 'is required' : `must be a string, got ${describeJsonValue(value)}`,
      );
    }
    if (options.nonEmpty && value.length === 0) throw fail(joinPath(path, key), 'must not be empty');
    return value;
  };
  return {
    objectAt(value, path, allowedKeys) {
      if (!isJsonObject(value)) throw fail(path, `must be an object, got ${describeJsonValue(value)}`);
      for (const key of Object.keys(value)) {
        if (!allowedKeys.includes(key) && value[key] !== undefined) {
          throw fail(joinPath(path, key), 'is not a field of this schema');
        }
      }
      return value;
    },
    stringAt,
    optionalStringAt: (object, key, path) => (object[key] === undefined ? undefined : stringAt(object, key, path)),
    timestampAt(object, key, path, optional = false) {
      const value = object[key];
      if (value === undefined && optional) return undefined;
      if (value === undefined) throw fail(joinPath(path, key), 'is required');
      if (!isIsoDateTime(value)) {
        throw fail(
          joinPath(path, key),
          `must be an ISO 8601 date and time with a time zone (e.g. 2026-11-28T16:10:00.000Z), got ${describeJsonValue(value)}`,
        );
      }
      return value;
    },
    enumAt<T extends string>(object: JsonObject, key: string, path: string, allowed: readonly T[]): T {
      const value = object[key];
      if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
        throw fail(
          joinPath(path, key),
          value === undefined ? 'is required' : `must be one of ${allowed.join(', ')}, got ${describeJsonValue(value)}`,
        );
      }
      return value as T;
    },
    arrayAt(object, key, path) {
      const value = object[key];
      if (!Array.isArray(value)) {
        throw fail(
          joinPath(path, key),
          value === undefined ? 'is required' : `must be an array, got ${describeJsonValue(value)}`,
        );
      }
      return value;
    },
    positiveIntegerAt(object, key, path) {
      const value = object[key];
      if (!Number.isInteger(value) || (value as number) < 1) {
        throw fail(joinPath(path, key), `must be a positive integer, got ${describeJsonValue(value)}`);
      }
      return value as number;
    },
    numberAt(object, key, path, min = -Infinity, max = Infinity) {
      const value = object[key];
      if (value === undefined) return undefined;
      if (!isFiniteNumber(value)) {
        throw fail(joinPath(path, key), `must be a finite number, got ${describeJsonValue(value)}`);
      }
      if (value < min || value > max) {
        const range = max === Infinity ? `at least ${min}` : `between ${min} and ${max}`;
        throw fail(joinPath(path, key), `must be ${range}, got ${value}`);
      }
      return value;
    },
    numbersAt(value, path, length, what) {
      if (!Array.isArray(value) || value.length !== length || !value.every(isFiniteNumber)) {
        throw fail(path, `must be ${what} (${length} finite numbers)`);
      }
      return [...value] as number[];
    },
  };
}
