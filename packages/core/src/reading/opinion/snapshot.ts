/**
 * The pure half of {@link SecondOpinionModel}: how a snapshot follows from an edit
 * ({@link applyEdit}), how findings follow from the reader's measurements ({@link syncFindings}),
 * the snapshot it starts from ({@link initialOpinion}) and the small helpers they use. No state:
 * the model calls these and notifies.
 */
import type { Mutable } from '../../mutable.js';
import { isSameJson } from '../../json-schema.js';
import type { Measurement } from '../../measurements/types.js';
import { ReadingError } from '../errors.js';
import { describeMeasurement } from '../from-measurements.js';
import { DEFAULT_MATCH_THRESHOLD_MM, findingSizeMm, matchFindings } from '../matching.js';
import {
  SECOND_OPINION_SCHEMA_ID,
  SECOND_OPINION_SCHEMA_VERSION,
  parseReading,
  parseSecondOpinion,
} from '../schema.js';
import {
  FINDING_CATEGORY_CODES,
  type Blinding,
  type Concordance,
  type Finding,
  type FindingCategory,
  type FindingPair,
  type RadpeerScore,
  type Reading,
  type SecondOpinion,
} from '../types.js';
import type { OpinionChange, OpinionModelInit } from './types.js';

export type { Mutable } from '../../mutable.js';

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Removes the keys that hold `undefined`, so that optional fields are absent rather than undefined. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The default description of a finding: its category's name and its size when measured. */
export function defaultDescription(category: FindingCategory, finding: Pick<Finding, 'location'>): string {
  const size = findingSizeMm({ id: '', description: '', category, location: finding.location });
  const name = FINDING_CATEGORY_CODES[category].meaning;
  return size === undefined ? name : `${name}, ${size.toFixed(1)} mm`;
}

/** What a mutation changes; the rest stays as it is. */
export interface Edit {
  second?: Reading;
  first?: Reading;
  pairs?: readonly FindingPair[];
  radpeer?: RadpeerScore;
  peerLearningComment?: string;
  blinding?: Blinding;
  submit?: boolean;
}

/**
 * The next snapshot after an edit: timestamps, amendment (an edit after submission), rematch
 * (keeping the confirmed pairs), everything else as in `previous`. Frozen.
 */
export function applyEdit(
  previous: SecondOpinion,
  previousFirst: Reading | undefined,
  previousSecond: Reading,
  edit: Edit,
  timestamp: string,
): SecondOpinion {
  let second: Mutable<Reading> = { ...(edit.second ?? previousSecond) };
  let submittedAt = previous.submittedAt;
  if (edit.submit) {
    submittedAt = timestamp;
    if (second.status === 'draft') second = { ...second, status: 'final', finalizedAt: timestamp };
  } else if (submittedAt !== undefined) {
    submittedAt = undefined;
    if (second.status === 'final') second.status = 'amended';
  }
  if (edit.second || second.status !== previousSecond.status) second.updatedAt = timestamp;
  const first = edit.first ?? previousFirst;
  const concordance: Mutable<Concordance> = {
    firstReadingId: first?.id ?? '',
    secondReadingId: second.id,
    pairs: first
      ? matchFindings(first, second, {
          thresholdMm: previous.concordance.matchThresholdMm,
          keep: edit.pairs ?? previous.concordance.pairs,
        })
      : [],
    matchThresholdMm: previous.concordance.matchThresholdMm,
  };
  const radpeer = edit.radpeer ?? previous.concordance.radpeer;
  if (radpeer !== undefined) concordance.radpeer = radpeer;
  const comment = edit.peerLearningComment ?? previous.concordance.peerLearningComment;
  if (comment) concordance.peerLearningComment = comment;

  const readings = previous.readings.map((reading) =>
    reading.id === previousSecond.id
      ? second
      : previousFirst && reading.id === previousFirst.id && first
        ? first
        : reading,
  );
  if (first && !previousFirst) readings.unshift(first);
  const opinion: Mutable<SecondOpinion> = {
    ...previous,
    readings,
    concordance,
    updatedAt: timestamp,
  };
  if (edit.blinding) opinion.blinding = edit.blinding;
  if (submittedAt === undefined) delete opinion.submittedAt;
  else opinion.submittedAt = submittedAt;
  return deepFreeze(opinion);
}

/**
 * The findings of a second reading after {@link SecondOpinionModel.syncMeasurements} with the
 * `incoming` measurements (by id, those of the first reading left out), and what changed.
 */
export function syncFindings(
  current: readonly Finding[],
  incoming: ReadonlyMap<string, Measurement>,
  category: FindingCategory,
): { findings: Finding[]; changes: OpinionChange[] } {
  const placed = new Set<string>();
  const changes: OpinionChange[] = [];
  const findings: Finding[] = [];
  for (const finding of current) {
    const kept = finding.location.measurements.flatMap((m) => {
      const update = incoming.get(m.id);
      if (update) placed.add(m.id);
      // A toolbar re-announces measurements it merely touched (a new `updatedAt` once pixel
      // statistics arrive): only a change of content is an edit, e.g. of a submitted report.
      return update ? [isSameJson({ ...update, updatedAt: m.updatedAt }, m) ? m : update] : [];
    });
    if (isSameJson(kept, finding.location.measurements)) {
      findings.push(finding);
      continue;
    }
    const location = finding.location;
    if (
      finding.createdFromMeasurement &&
      kept.length === 0 &&
      location.images.length === 0 &&
      location.segment === undefined
    ) {
      changes.push({ kind: 'finding-remove', findingId: finding.id });
      continue;
    }
    const [only] = kept;
    findings.push({
      ...finding,
      ...(finding.createdFromMeasurement && only && kept.length === 1
        ? { description: describeMeasurement(only) }
        : {}),
      location: { ...location, measurements: kept },
    });
    changes.push({ kind: 'finding-change', findingId: finding.id });
  }
  for (const measurement of incoming.values()) {
    if (placed.has(measurement.id)) continue;
    const finding: Finding = {
      id: crypto.randomUUID(),
      description: describeMeasurement(measurement),
      category,
      location: { measurements: [measurement], images: [] },
      createdFromMeasurement: true,
    };
    findings.push(finding);
    changes.push({ kind: 'finding-add', findingId: finding.id });
  }
  return { findings, changes };
}

/**
 * A reading as the first reading of a second opinion on `studyUid` (its role forced to `first`).
 * @throws ReadingSchemaError when invalid; ReadingError `invalid-input` for another study or the id of the second reading
 */
export function checkFirstReading(reading: Reading, studyUid: string, secondReadingId?: string): Reading {
  const first = parseReading({ ...reading, role: 'first' }, 'first');
  if (first.studyUid !== studyUid) {
    throw new ReadingError('invalid-input', 'The first reading is of another study than the second opinion.');
  }
  if (secondReadingId !== undefined && first.id === secondReadingId) {
    throw new ReadingError('invalid-input', 'The first reading has the id of the second reading.');
  }
  return first;
}

/** The snapshot a new {@link SecondOpinionModel} starts from: an empty draft second reading. */
export function initialOpinion(init: OpinionModelInit, timestamp: string): SecondOpinion {
  if (!init.studyUid) throw new ReadingError('invalid-input', 'A second opinion needs the studyUid of its study.');
  const matchThresholdMm = init.matchThresholdMm ?? DEFAULT_MATCH_THRESHOLD_MM;
  if (!(Number.isFinite(matchThresholdMm) && matchThresholdMm >= 0)) {
    throw new ReadingError('invalid-input', 'matchThresholdMm must be a finite number of mm, at least 0.');
  }
  const second = parseReading(
    {
      id: crypto.randomUUID(),
      role: 'second',
      reader: init.reader,
      studyUid: init.studyUid,
      findings: [],
      impression: '',
      recommendations: '',
      status: 'draft',
      createdAt: timestamp,
      updatedAt: timestamp,
    },
    'second',
  );
  const first = init.first ? checkFirstReading(init.first, init.studyUid) : undefined;
  return deepFreeze(
    parseSecondOpinion({
      schema: SECOND_OPINION_SCHEMA_ID,
      version: SECOND_OPINION_SCHEMA_VERSION,
      id: init.id ?? crypto.randomUUID(),
      studyUid: init.studyUid,
      readings: first ? [first, second] : [second],
      concordance: {
        firstReadingId: first?.id ?? '',
        secondReadingId: second.id,
        pairs: first ? matchFindings(first, second, { thresholdMm: matchThresholdMm }) : [],
        matchThresholdMm,
      },
      blinding: { blinded: init.blinded ?? false, startedAt: timestamp },
      createdAt: timestamp,
      updatedAt: timestamp,
    }),
  );
}
