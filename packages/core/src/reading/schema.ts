/**
 * The versioned JSON form of readings and second opinions (documented in
 * `packages/core/docs/reading-schema.md`). Parsing validates every field and either returns the
 * whole thing or throws a {@link ReadingSchemaError} naming the first offending value: never a
 * half-loaded reading. Measurements inside findings are validated by the measurement schema
 * (`parseMeasurement`).
 */
import type { Vec3 } from '../geometry.js';
import { MeasurementSchemaError } from '../measurements/errors.js';
import { describeJsonValue, joinPath, jsonFieldReaders } from '../json-schema.js';
import { parseMeasurement } from '../measurements/schema.js';
import type { Measurement } from '../measurements/types.js';
import { ReadingError, ReadingSchemaError } from './errors.js';
import {
  FINDING_CATEGORIES,
  FINDING_SEVERITIES,
  MATCH_METHODS,
  RADPEER_SCORES,
  READING_ROLES,
  READING_SOURCE_KINDS,
  READING_STATUSES,
  VERDICTS,
  type Blinding,
  type CodedConcept,
  type Concordance,
  type Finding,
  type FindingLocation,
  type FindingPair,
  type ImageReference,
  type KeyImage,
  type RadpeerScore,
  type Reader,
  type Reading,
  type ReadingDocument,
  type ReadingSource,
  type SecondOpinion,
  type SegmentReference,
} from './types.js';

/** The `schema` member of every second-opinion document. */
export const SECOND_OPINION_SCHEMA_ID = 'secondread/second-opinion';

/** The version this code writes. */
export const SECOND_OPINION_SCHEMA_VERSION = '1.0';

/** The versions this code reads. */
export const SUPPORTED_SECOND_OPINION_SCHEMA_VERSIONS: readonly string[] = [SECOND_OPINION_SCHEMA_VERSION];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const { objectAt, stringAt, optionalStringAt, timestampAt, enumAt, arrayAt, positiveIntegerAt, numberAt, numbersAt } =
  jsonFieldReaders((path, problem) => new ReadingSchemaError(path, problem));

/** Copies `source[key]` to `target[key]` unless it is undefined (optional fields stay absent). */
function setIfDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

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

// ---------------------------------------------------------------------------------------------
// Parts

function parseReader(value: unknown, path: string): Reader {
  const object = objectAt(value, path, ['name', 'id', 'institution']);
  const reader: Mutable<Reader> = { name: stringAt(object, 'name', path, { nonEmpty: true }) };
  setIfDefined(reader, 'id', optionalStringAt(object, 'id', path));
  setIfDefined(reader, 'institution', optionalStringAt(object, 'institution', path));
  return reader;
}

function parseCodedConcept(value: unknown, path: string): CodedConcept {
  const object = objectAt(value, path, ['value', 'scheme', 'meaning']);
  return {
    value: stringAt(object, 'value', path, { nonEmpty: true }),
    scheme: stringAt(object, 'scheme', path, { nonEmpty: true }),
    meaning: stringAt(object, 'meaning', path),
  };
}

function parseImageReference(value: unknown, path: string): ImageReference {
  const object = objectAt(value, path, ['studyUid', 'seriesUid', 'sopInstanceUid', 'frame']);
  const image: Mutable<ImageReference> = {
    studyUid: stringAt(object, 'studyUid', path),
    seriesUid: stringAt(object, 'seriesUid', path),
    sopInstanceUid: stringAt(object, 'sopInstanceUid', path, { nonEmpty: true }),
  };
  if (object.frame !== undefined) image.frame = positiveIntegerAt(object, 'frame', path);
  return image;
}

function parseKeyImage(value: unknown, path: string): KeyImage {
  const object = objectAt(value, path, ['image', 'dataUrl', 'capturedAt', 'caption']);
  const dataUrl = stringAt(object, 'dataUrl', path);
  if (!dataUrl.startsWith('data:image/')) {
    throw new ReadingSchemaError(
      joinPath(path, 'dataUrl'),
      'must be a data: URL of an image (data:image/png;base64,...)',
    );
  }
  const keyImage: Mutable<KeyImage> = {
    image: parseImageReference(object.image, joinPath(path, 'image')),
    dataUrl,
    capturedAt: timestampAt(object, 'capturedAt', path) as string,
  };
  setIfDefined(keyImage, 'caption', optionalStringAt(object, 'caption', path));
  return keyImage;
}

function parseVec3(value: unknown, path: string): Vec3 {
  return numbersAt(value, path, 3, 'a point [x, y, z] in mm') as unknown as Vec3;
}

function parseSegmentReference(value: unknown, path: string): SegmentReference {
  const object = objectAt(value, path, [
    'seriesUid',
    'sopInstanceUid',
    'segmentNumber',
    'label',
    'centroid',
    'volumeMm3',
  ]);
  const segment: Mutable<SegmentReference> = {
    seriesUid: stringAt(object, 'seriesUid', path),
    sopInstanceUid: stringAt(object, 'sopInstanceUid', path),
    segmentNumber: positiveIntegerAt(object, 'segmentNumber', path),
  };
  setIfDefined(segment, 'label', optionalStringAt(object, 'label', path));
  if (object.centroid !== undefined) segment.centroid = parseVec3(object.centroid, joinPath(path, 'centroid'));
  setIfDefined(segment, 'volumeMm3', numberAt(object, 'volumeMm3', path, 0));
  return segment;
}

/**
 * Validates a measurement of a finding with the measurement schema (`parseMeasurement`) and
 * returns a clean copy; a problem is thrown as a {@link ReadingSchemaError} with its full path.
 * @throws ReadingSchemaError
 */
export function parseMeasurementForReading(value: unknown, path = ''): Measurement {
  try {
    return parseMeasurement(value, path);
  } catch (error) {
    if (error instanceof MeasurementSchemaError) {
      const prefix = `${error.path || 'document'}: `;
      const problem = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
      throw new ReadingSchemaError(error.path, problem, { cause: error });
    }
    throw error;
  }
}

function parseLocation(value: unknown, path: string): FindingLocation {
  const object = objectAt(value, path, ['measurements', 'images', 'site', 'segment']);
  const measurementsPath = joinPath(path, 'measurements');
  const seen = new Set<string>();
  const measurements = arrayAt(object, 'measurements', path).map((item, index) => {
    const measurement = parseMeasurementForReading(item, `${measurementsPath}[${index}]`);
    if (seen.has(measurement.id)) {
      throw new ReadingSchemaError(`${measurementsPath}[${index}].id`, 'duplicates the id of an earlier measurement');
    }
    seen.add(measurement.id);
    return measurement;
  });
  const imagesPath = joinPath(path, 'images');
  const images = arrayAt(object, 'images', path).map((item, index) =>
    parseImageReference(item, `${imagesPath}[${index}]`),
  );
  const location: Mutable<FindingLocation> = { measurements, images };
  if (object.site !== undefined) {
    location.site =
      typeof object.site === 'string' ? object.site : parseCodedConcept(object.site, joinPath(path, 'site'));
  }
  if (object.segment !== undefined) location.segment = parseSegmentReference(object.segment, joinPath(path, 'segment'));
  return location;
}

const FINDING_KEYS = [
  'id',
  'description',
  'category',
  'location',
  'severity',
  'text',
  'trackingUid',
  'keyImages',
  'createdFromMeasurement',
] as const;

/**
 * Validates one finding and returns a clean copy (only schema fields, fresh arrays).
 * `path` prefixes the paths of errors, e.g. `readings[0].findings[2]`.
 * @throws ReadingSchemaError naming the first offending field
 */
export function parseFinding(value: unknown, path = ''): Finding {
  const object = objectAt(value, path, FINDING_KEYS);
  const finding: Mutable<Finding> = {
    id: stringAt(object, 'id', path, { nonEmpty: true }),
    description: stringAt(object, 'description', path),
    category: enumAt(object, 'category', path, FINDING_CATEGORIES),
    location: parseLocation(object.location, joinPath(path, 'location')),
  };
  if (object.severity !== undefined) finding.severity = enumAt(object, 'severity', path, FINDING_SEVERITIES);
  setIfDefined(finding, 'text', optionalStringAt(object, 'text', path));
  setIfDefined(finding, 'trackingUid', optionalStringAt(object, 'trackingUid', path));
  if (object.keyImages !== undefined) {
    const keyImagesPath = joinPath(path, 'keyImages');
    finding.keyImages = arrayAt(object, 'keyImages', path).map((item, index) =>
      parseKeyImage(item, `${keyImagesPath}[${index}]`),
    );
  }
  if (object.createdFromMeasurement !== undefined) {
    if (typeof object.createdFromMeasurement !== 'boolean') {
      throw new ReadingSchemaError(joinPath(path, 'createdFromMeasurement'), 'must be true or false');
    }
    finding.createdFromMeasurement = object.createdFromMeasurement;
  }
  return finding;
}

function parseSource(value: unknown, path: string): ReadingSource {
  const object = objectAt(value, path, [
    'kind',
    'studyUid',
    'seriesUid',
    'sopInstanceUid',
    'unknownContent',
    'document',
  ]);
  const source: Mutable<ReadingSource> = { kind: enumAt(object, 'kind', path, READING_SOURCE_KINDS) };
  setIfDefined(source, 'studyUid', optionalStringAt(object, 'studyUid', path));
  setIfDefined(source, 'seriesUid', optionalStringAt(object, 'seriesUid', path));
  setIfDefined(source, 'sopInstanceUid', optionalStringAt(object, 'sopInstanceUid', path));
  if (object.unknownContent !== undefined) {
    const list = arrayAt(object, 'unknownContent', path);
    let copy: unknown[];
    try {
      copy = JSON.parse(JSON.stringify(list)) as unknown[];
    } catch {
      throw new ReadingSchemaError(joinPath(path, 'unknownContent'), 'must be plain JSON');
    }
    source.unknownContent = copy;
  }
  if (object.document !== undefined) source.document = parseDocument(object.document, joinPath(path, 'document'));
  return source;
}

function parseDocument(value: unknown, path: string): ReadingDocument {
  const object = objectAt(value, path, ['mediaType', 'title', 'byteLength']);
  const document: Mutable<ReadingDocument> = { mediaType: stringAt(object, 'mediaType', path, { nonEmpty: true }) };
  setIfDefined(document, 'title', optionalStringAt(object, 'title', path));
  if (object.byteLength !== undefined) {
    const byteLength = object.byteLength;
    if (typeof byteLength !== 'number' || !Number.isInteger(byteLength) || byteLength < 0) {
      throw new ReadingSchemaError(joinPath(path, 'byteLength'), 'must be a whole number of bytes (0 or more)');
    }
    document.byteLength = byteLength;
  }
  return document;
}

const READING_KEYS = [
  'id',
  'role',
  'reader',
  'studyUid',
  'findings',
  'impression',
  'recommendations',
  'status',
  'createdAt',
  'updatedAt',
  'finalizedAt',
  'source',
] as const;

function parseReadingAt(value: unknown, path: string): Reading {
  const object = objectAt(value, path, READING_KEYS);
  const findingsPath = joinPath(path, 'findings');
  const findingIds = new Set<string>();
  const measurementIds = new Set<string>();
  const findings = arrayAt(object, 'findings', path).map((item, index) => {
    const at = `${findingsPath}[${index}]`;
    const finding = parseFinding(item, at);
    if (findingIds.has(finding.id)) throw new ReadingSchemaError(`${at}.id`, 'duplicates the id of an earlier finding');
    findingIds.add(finding.id);
    finding.location.measurements.forEach((measurement, measurementIndex) => {
      if (measurementIds.has(measurement.id)) {
        throw new ReadingSchemaError(
          `${at}.location.measurements[${measurementIndex}].id`,
          'is already used by a measurement of another finding of this reading',
        );
      }
      measurementIds.add(measurement.id);
    });
    return finding;
  });
  const reading: Mutable<Reading> = {
    id: stringAt(object, 'id', path, { nonEmpty: true }),
    role: enumAt(object, 'role', path, READING_ROLES),
    reader: parseReader(object.reader, joinPath(path, 'reader')),
    studyUid: stringAt(object, 'studyUid', path, { nonEmpty: true }),
    findings,
    impression: stringAt(object, 'impression', path),
    recommendations: stringAt(object, 'recommendations', path),
    status: enumAt(object, 'status', path, READING_STATUSES),
    createdAt: timestampAt(object, 'createdAt', path) as string,
    updatedAt: timestampAt(object, 'updatedAt', path) as string,
  };
  setIfDefined(reading, 'finalizedAt', timestampAt(object, 'finalizedAt', path, true));
  if (reading.status !== 'draft' && reading.finalizedAt === undefined) {
    throw new ReadingSchemaError(joinPath(path, 'finalizedAt'), `is required when the status is ${reading.status}`);
  }
  if (object.source !== undefined) reading.source = parseSource(object.source, joinPath(path, 'source'));
  return reading;
}

/** Parses text as JSON, or passes a value through. */
function jsonValue(json: unknown): unknown {
  if (typeof json !== 'string') return json;
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    throw new ReadingSchemaError('', `is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * Reads one reading (the parsed JSON value, or its text) and returns a validated copy. Every
 * field is checked, including the measurements of its findings (measurement schema); finding ids
 * and measurement ids must be unique within the reading. `path` prefixes error paths.
 * @throws ReadingSchemaError with the path of the first offending value, e.g. `findings[0].category`
 */
export function parseReading(json: unknown, path = ''): Reading {
  return parseReadingAt(jsonValue(json), path);
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
