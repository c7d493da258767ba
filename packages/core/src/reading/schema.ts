/**
 * The versioned JSON form of readings and second opinions (documented in
 * `packages/core/docs/reading-schema.md`). Parsing validates every field and either returns the
 * whole thing or throws a {@link ReadingSchemaError} naming the first offending value: never a
 * half-loaded reading. Measurements inside findings are validated by the measurement schema
 * (`parseMeasurement`).
 */
export {
  SECOND_OPINION_SCHEMA_ID,
  SECOND_OPINION_SCHEMA_VERSION,
  SUPPORTED_SECOND_OPINION_SCHEMA_VERSIONS,
  isRadpeerScore,
  pairVerdictProblem,
  parseSecondOpinion,
  radpeerProblem,
  serializeSecondOpinion,
  toRadpeerScore,
} from './schema/opinion.js';
export { parseFinding, parseMeasurementForReading, parseReading } from './schema/reading.js';
