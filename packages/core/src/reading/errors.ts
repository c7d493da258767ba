import { SecondReadError } from '../errors.js';

/**
 * Why the reading model refused something.
 *
 * | code | meaning |
 * | --- | --- |
 * | `invalid-schema` | a reading or second opinion does not follow its schema ({@link ReadingSchemaError}) |
 * | `invalid-input` | an argument is not acceptable (unknown category, another study's reading...) |
 * | `not-found` | no finding with that id |
 * | `invalid-radpeer` | not a RADPEER score; `2` and `3` need their modifier (`2a`, `2b`, `3a`, `3b`) |
 * | `invalid-verdict` | the verdict does not fit the pair (`agree`/`disagree` need a finding on both sides) |
 * | `blinded` | the first reading is still hidden: comparison and scoring wait for `unblind()` |
 * | `no-first-reading` | there is no first reading to compare with or to score |
 * | `missing-radpeer` | submitting needs a RADPEER score |
 */
export const READING_ERROR_CODES = [
  'invalid-schema',
  'invalid-input',
  'not-found',
  'invalid-radpeer',
  'invalid-verdict',
  'blinded',
  'no-first-reading',
  'missing-radpeer',
] as const;

/** One of {@link READING_ERROR_CODES}. */
export type ReadingErrorCode = (typeof READING_ERROR_CODES)[number];

/** An error of the reading model, with a machine-readable {@link ReadingErrorCode}. Messages never contain patient identity. */
export class ReadingError extends SecondReadError<ReadingErrorCode> {
  override readonly name: string = 'ReadingError';
  constructor(code: ReadingErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * A reading or second-opinion JSON document that does not follow the schema. `path` names the
 * offending value, e.g. `readings[1].findings[0].category` (empty for the document itself).
 */
export class ReadingSchemaError extends ReadingError {
  override readonly name: string = 'ReadingSchemaError';
  constructor(
    readonly path: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super('invalid-schema', `${path || 'document'}: ${problem}`, options);
  }
}
