/**
 * The JSON form of a second opinion: {@link parseSecondOpinion} (its readings through
 * `parseReading`'s parser, the concordance, blinding and RADPEER score) and
 * {@link serializeSecondOpinion}.
 */
import { describeJsonValue, joinPath } from '../../json-schema.js';
import { ReadingError, ReadingSchemaError } from '../errors.js';
import {
  MATCH_METHODS,
  RADPEER_SCORES,
  VERDICTS,
  type Blinding,
  type Concordance,
  type FindingPair,
  type RadpeerScore,
  type Reading,
  type SecondOpinion,
} from '../types.js';
import {
  arrayAt,
  enumAt,
  jsonValue,
  numberAt,
  objectAt,
  optionalStringAt,
  setIfDefined,
  stringAt,
  timestampAt,
  type Mutable,
} from './fields.js';
import { parseReadingAt } from './reading.js';

/** The `schema` member of every second-opinion document. */
export const SECOND_OPINION_SCHEMA_ID = 'secondread/second-opinion';

/** The version this code writes. */
export const SECOND_OPINION_SCHEMA_VERSION = '1.0';

/** The versions this code reads. */
export const SUPPORTED_SECOND_OPINION_SCHEMA_VERSIONS: readonly string[] = [SECOND_OPINION_SCHEMA_VERSION];
// ---------------------------------------------------------------------------------------------
// RADPEER

/**
 * Checks a RADPEER score as the schema stores it (`1`, `2a`, `2b`, `3a`, `3b`). A bare `2` or `3`
 * is refused with a message naming the missing clinical-significance modifier.
 * @returns the problem, or undefined when `value` is a valid score
 */
export function radpeerProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && (RADPEER_SCORES as readonly string[]).includes(value)) return undefined;
  if (value === '2' || value === '3' || value === 2 || value === 3) {
    const score = String(value);
    return (
      `RADPEER ${score} needs its clinical-significance modifier: ${score}a (unlikely to be clinically ` +
      `significant) or ${score}b (likely to be clinically significant)`
    );
  }
  return `must be a RADPEER score, one of ${RADPEER_SCORES.join(', ')}, got ${describeJsonValue(value)}`;
}

/**
 * A RADPEER score from what a person typed or picked: surrounding spaces and upper case are
 * accepted (`' 2B'` gives `2b`), a bare `2` or `3` is not.
 * @throws ReadingError `invalid-radpeer`, naming the missing modifier for `2` and `3`
 */
export function toRadpeerScore(input: RadpeerScore | string): RadpeerScore {
  const normalised = typeof input === 'string' ? input.trim().toLowerCase() : input;
  const problem = radpeerProblem(normalised);
  if (problem !== undefined) throw new ReadingError('invalid-radpeer', problem);
  return normalised as RadpeerScore;
}

/** True for one of {@link RADPEER_SCORES}. */
export function isRadpeerScore(value: unknown): value is RadpeerScore {
  return radpeerProblem(value) === undefined;
}

function parsePair(value: unknown, path: string): FindingPair {
  const object = objectAt(value, path, [
    'firstFindingId',
    'secondFindingId',
    'method',
    'distanceMm',
    'overlap',
    'sizeDeltaMm',
    'sizeDeltaPercent',
    'verdict',
    'confirmed',
    'comment',
  ]);
  const pair: Mutable<FindingPair> = {
    method: enumAt(object, 'method', path, MATCH_METHODS),
    verdict: enumAt(object, 'verdict', path, VERDICTS),
    confirmed: false,
  };
  setIfDefined(pair, 'firstFindingId', optionalStringAt(object, 'firstFindingId', path));
  setIfDefined(pair, 'secondFindingId', optionalStringAt(object, 'secondFindingId', path));
  setIfDefined(pair, 'distanceMm', numberAt(object, 'distanceMm', path, 0));
  setIfDefined(pair, 'overlap', numberAt(object, 'overlap', path, 0, 1));
  setIfDefined(pair, 'sizeDeltaMm', numberAt(object, 'sizeDeltaMm', path));
  setIfDefined(pair, 'sizeDeltaPercent', numberAt(object, 'sizeDeltaPercent', path));
  if (typeof object.confirmed !== 'boolean') {
    throw new ReadingSchemaError(
      joinPath(path, 'confirmed'),
      object.confirmed === undefined ? 'is required' : 'must be true or false',
    );
  }
  pair.confirmed = object.confirmed;
  setIfDefined(pair, 'comment', optionalStringAt(object, 'comment', path));
  const verdictProblem = pairVerdictProblem(pair);
  if (verdictProblem)
    throw new ReadingSchemaError(
      verdictProblem.key ? joinPath(path, verdictProblem.key) : path,
      verdictProblem.problem,
    );
  return pair;
}

/**
 * Whether a pair's method and verdict fit the sides it has: a pair with both findings is
 * `agree` or `disagree` (method `distance`, `overlap` or `manual`); a first finding alone is
 * `not-confirmed-by-second`, a second finding alone `missed-by-first` (method `unmatched`).
 * @returns the offending key and problem, or undefined when the pair is consistent
 */
export function pairVerdictProblem(
  pair: Pick<FindingPair, 'firstFindingId' | 'secondFindingId' | 'method' | 'verdict'>,
): { key: string; problem: string } | undefined {
  const hasFirst = pair.firstFindingId !== undefined;
  const hasSecond = pair.secondFindingId !== undefined;
  if (!hasFirst && !hasSecond) return { key: '', problem: 'must name a firstFindingId, a secondFindingId or both' };
  if (hasFirst && hasSecond) {
    if (pair.method === 'unmatched')
      return { key: 'method', problem: 'cannot be unmatched for a pair of two findings' };
    if (pair.verdict !== 'agree' && pair.verdict !== 'disagree') {
      return { key: 'verdict', problem: `must be agree or disagree for a pair of two findings, got "${pair.verdict}"` };
    }
    return undefined;
  }
  if (pair.method !== 'unmatched')
    return { key: 'method', problem: 'must be unmatched for a finding without counterpart' };
  const expected = hasFirst ? 'not-confirmed-by-second' : 'missed-by-first';
  if (pair.verdict !== expected) {
    return {
      key: 'verdict',
      problem: `must be ${expected} for a finding only the ${hasFirst ? 'first' : 'second'} reader reported, got "${pair.verdict}"`,
    };
  }
  return undefined;
}

function parseConcordance(value: unknown, path: string): Concordance {
  const object = objectAt(value, path, [
    'firstReadingId',
    'secondReadingId',
    'pairs',
    'matchThresholdMm',
    'radpeer',
    'peerLearningComment',
  ]);
  const pairsPath = joinPath(path, 'pairs');
  const matchThresholdMm = numberAt(object, 'matchThresholdMm', path, 0);
  if (matchThresholdMm === undefined) throw new ReadingSchemaError(joinPath(path, 'matchThresholdMm'), 'is required');
  const concordance: Mutable<Concordance> = {
    firstReadingId: stringAt(object, 'firstReadingId', path),
    secondReadingId: stringAt(object, 'secondReadingId', path, { nonEmpty: true }),
    pairs: arrayAt(object, 'pairs', path).map((item, index) => parsePair(item, `${pairsPath}[${index}]`)),
    matchThresholdMm,
  };
  if (object.radpeer !== undefined) {
    const problem = radpeerProblem(object.radpeer);
    if (problem !== undefined) throw new ReadingSchemaError(joinPath(path, 'radpeer'), problem);
    concordance.radpeer = object.radpeer as RadpeerScore;
  }
  setIfDefined(concordance, 'peerLearningComment', optionalStringAt(object, 'peerLearningComment', path));
  return concordance;
}

function parseBlinding(value: unknown, path: string): Blinding {
  const object = objectAt(value, path, ['blinded', 'startedAt', 'unblindedAt']);
  if (typeof object.blinded !== 'boolean') {
    throw new ReadingSchemaError(
      joinPath(path, 'blinded'),
      object.blinded === undefined ? 'is required' : 'must be true or false',
    );
  }
  const blinding: Mutable<Blinding> = {
    blinded: object.blinded,
    startedAt: timestampAt(object, 'startedAt', path) as string,
  };
  const unblindedAt = timestampAt(object, 'unblindedAt', path, true);
  if (unblindedAt !== undefined) {
    if (!blinding.blinded)
      throw new ReadingSchemaError(joinPath(path, 'unblindedAt'), 'is only allowed when blinded is true');
    if (Date.parse(unblindedAt) < Date.parse(blinding.startedAt)) {
      throw new ReadingSchemaError(joinPath(path, 'unblindedAt'), 'must not be earlier than startedAt');
    }
    blinding.unblindedAt = unblindedAt;
  }
  return blinding;
}

/** Checks that the concordance names the readings and covers each of their findings exactly once. */
function checkConcordance(readings: readonly Reading[], concordance: Concordance): void {
  const roleIndex = (role: 'first' | 'second'): number[] =>
    readings.flatMap((reading, index) => (reading.role === role ? [index] : []));
  const seconds = roleIndex('second');
  const firsts = roleIndex('first');
  if (seconds.length !== 1) {
    throw new ReadingSchemaError('readings', `must hold exactly one reading with role second, found ${seconds.length}`);
  }
  if (firsts.length > 1) {
    throw new ReadingSchemaError('readings', `must hold at most one reading with role first, found ${firsts.length}`);
  }
  const second = readings[seconds[0] as number] as Reading;
  const first = firsts.length ? readings[firsts[0] as number] : undefined;
  if (concordance.secondReadingId !== second.id) {
    throw new ReadingSchemaError('concordance.secondReadingId', 'must be the id of the reading with role second');
  }
  if (concordance.firstReadingId !== (first?.id ?? '')) {
    throw new ReadingSchemaError(
      'concordance.firstReadingId',
      first ? 'must be the id of the reading with role first' : 'must be empty when there is no first reading',
    );
  }
  const sides = [
    { key: 'firstFindingId', ids: new Set(first?.findings.map((f) => f.id) ?? []), used: new Set<string>() },
    { key: 'secondFindingId', ids: new Set(second.findings.map((f) => f.id)), used: new Set<string>() },
  ] as const;
  concordance.pairs.forEach((pair, index) => {
    for (const side of sides) {
      const id = side.key === 'firstFindingId' ? pair.firstFindingId : pair.secondFindingId;
      if (id === undefined) continue;
      const at = `concordance.pairs[${index}].${side.key}`;
      if (!side.ids.has(id))
        throw new ReadingSchemaError(at, `names no finding of the ${side.key.slice(0, -9)} reading`);
      if (side.used.has(id)) throw new ReadingSchemaError(at, 'is already in an earlier pair');
      side.used.add(id);
    }
  });
  if (first) {
    for (const side of sides) {
      for (const id of side.ids) {
        if (!side.used.has(id)) {
          throw new ReadingSchemaError(
            'concordance.pairs',
            `must list every finding of both readings; finding ${JSON.stringify(id)} of the ${side.key.slice(0, -9)} reading is missing`,
          );
        }
      }
    }
  } else if (concordance.pairs.length > 0) {
    throw new ReadingSchemaError('concordance.pairs', 'must be empty when there is no first reading');
  }
}

const OPINION_KEYS = [
  'schema',
  'version',
  'id',
  'studyUid',
  'readings',
  'concordance',
  'blinding',
  'createdAt',
  'updatedAt',
  'submittedAt',
] as const;

/**
 * Reads a second-opinion document (the parsed JSON value, or its text) and returns a validated
 * copy. Every field is checked: unknown keys, enums, ISO timestamps, RADPEER scores, the
 * measurements of every finding, and the links between the concordance and the readings. The
 * first problem throws, with its path (e.g. `readings[1].findings[0].location.measurements[0].points`).
 * `parseSecondOpinion(serializeSecondOpinion(x))` deep-equals `x`.
 * @throws ReadingSchemaError
 */
export function parseSecondOpinion(json: unknown): SecondOpinion {
  const object = objectAt(jsonValue(json), '', OPINION_KEYS);
  if (object.schema !== SECOND_OPINION_SCHEMA_ID) {
    throw new ReadingSchemaError(
      'schema',
      `must be "${SECOND_OPINION_SCHEMA_ID}", got ${describeJsonValue(object.schema)}`,
    );
  }
  if (typeof object.version !== 'string' || !SUPPORTED_SECOND_OPINION_SCHEMA_VERSIONS.includes(object.version)) {
    throw new ReadingSchemaError(
      'version',
      `${describeJsonValue(object.version)} is not a supported version (${SUPPORTED_SECOND_OPINION_SCHEMA_VERSIONS.join(', ')})`,
    );
  }
  const studyUid = stringAt(object, 'studyUid', '', { nonEmpty: true });
  const readingIds = new Set<string>();
  const readings = arrayAt(object, 'readings', '').map((item, index) => {
    const reading = parseReadingAt(item, `readings[${index}]`);
    if (readingIds.has(reading.id)) {
      throw new ReadingSchemaError(`readings[${index}].id`, 'duplicates the id of an earlier reading');
    }
    readingIds.add(reading.id);
    if (reading.studyUid !== studyUid) {
      throw new ReadingSchemaError(`readings[${index}].studyUid`, 'must be the studyUid of the second opinion');
    }
    return reading;
  });
  const concordance = parseConcordance(object.concordance, 'concordance');
  checkConcordance(readings, concordance);
  const opinion: Mutable<SecondOpinion> = {
    schema: SECOND_OPINION_SCHEMA_ID,
    version: object.version,
    id: stringAt(object, 'id', '', { nonEmpty: true }),
    studyUid,
    readings,
    concordance,
    createdAt: timestampAt(object, 'createdAt', '') as string,
    updatedAt: timestampAt(object, 'updatedAt', '') as string,
  };
  if (object.blinding !== undefined) opinion.blinding = parseBlinding(object.blinding, 'blinding');
  setIfDefined(opinion, 'submittedAt', timestampAt(object, 'submittedAt', '', true));
  return opinion;
}

/**
 * The JSON text of a second opinion, for saving or sending. It is validated first, as
 * {@link parseSecondOpinion} would, so that what is written can always be read back.
 * @throws ReadingSchemaError when the opinion is invalid
 */
export function serializeSecondOpinion(opinion: SecondOpinion): string {
  return JSON.stringify(parseSecondOpinion(opinion));
}
