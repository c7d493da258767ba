/** What the reading and second-opinion parsers share: the field readers and small helpers. */
import { jsonFieldReaders } from '../../json-schema.js';
import { ReadingSchemaError } from '../errors.js';

export type { Mutable } from '../../mutable.js';

export const {
  objectAt,
  stringAt,
  optionalStringAt,
  timestampAt,
  enumAt,
  arrayAt,
  positiveIntegerAt,
  numberAt,
  numbersAt,
} = jsonFieldReaders((path, problem) => new ReadingSchemaError(path, problem));

/** Copies `source[key]` to `target[key]` unless it is undefined (optional fields stay absent). */
export function setIfDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** Parses text as JSON, or passes a value through. */
export function jsonValue(json: unknown): unknown {
  if (typeof json !== 'string') return json;
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    throw new ReadingSchemaError('', `is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}
