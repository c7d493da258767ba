/**
 * {@link SecondOpinionModel}: the second reader's working state, framework-free. The
 * `<opinion-report>` element binds to it: it reads {@link SecondOpinionModel.opinion} (an
 * immutable snapshot, a new object after every change) and calls the mutation methods; every
 * mutation re-runs the automatic matching (keeping the reader's confirmed pairs) and notifies
 * subscribers synchronously, once.
 */
import { isSameJson } from '../json-schema.js';
import type { Measurement } from '../measurements/types.js';
import { ReadingError } from './errors.js';
import {
  applyEdit,
  checkFirstReading,
  deepFreeze,
  defaultDescription,
  initialOpinion,
  syncFindings,
  withoutUndefined,
  type Edit,
  type Mutable,
} from './opinion/snapshot.js';
import type { FindingInput, OpinionChange, OpinionModelInit } from './opinion/types.js';
import {
  pairVerdictProblem,
  parseFinding,
  parseMeasurementForReading,
  parseSecondOpinion,
  toRadpeerScore,
} from './schema.js';
import {
  FINDING_CATEGORY_CODES,
  VERDICTS,
  type Blinding,
  type Concordance,
  type Finding,
  type FindingCategory,
  type FindingPair,
  type RadpeerScore,
  type Reading,
  type SecondOpinion,
  type Verdict,
} from './types.js';

export type { FindingInput, OpinionChange, OpinionModelInit } from './opinion/types.js';

/**
 * The second reader's side of a second opinion, as a framework-free model: their own reading
 * (findings, impression, recommendations), the first reading under review, the concordance
 * between the two (automatic pairs the reader can confirm or override, verdicts, RADPEER), the
 * blinding record and submission.
 *
 * Rules:
 * - Every mutation updates `updatedAt`, re-runs {@link matchFindings} (confirmed pairs are kept),
 *   makes a new frozen snapshot and notifies subscribers synchronously, once. A call that
 *   changes nothing (same text, same measurements) notifies nobody.
 * - Snapshots are never mutated; each is valid for `parseSecondOpinion`.
 * - Blinded: the first reading is held (`first`) but the UI must not show it; `pair`, `unpair`,
 *   `setVerdict`, `setRadpeer` and `setPeerLearningComment` throw `blinded` until
 *   {@link unblind}, which records `blinding.unblindedAt`.
 * - {@link submit} needs the first reading unblinded, and a RADPEER score. It sets the second
 *   reading `final` (`finalizedAt`) and `submittedAt`. Submitting again returns the same
 *   snapshot and notifies nobody.
 * - An edit after submission is an amendment: the second reading becomes `amended` (its
 *   `finalizedAt` stays the first submission's) and `submittedAt` is removed, so
 *   {@link submitted} is false until the amended opinion is submitted again (with a new
 *   `submittedAt`).
 */
export class SecondOpinionModel {
  private current: SecondOpinion;
  private readonly listeners = new Set<(opinion: SecondOpinion, change: OpinionChange) => void>();
  private readonly now: () => Date;

  constructor(init: OpinionModelInit) {
    this.now = init.now ?? (() => new Date());
    this.current = initialOpinion(init, this.timestamp());
  }

  /**
   * A model restored from a saved second opinion (e.g. an autosaved draft), validated with
   * `parseSecondOpinion`. Its snapshot deep-equals the document until the first change.
   * @throws ReadingSchemaError when the document is invalid
   */
  static fromJSON(doc: unknown, options: { now?: () => Date } = {}): SecondOpinionModel {
    const opinion = parseSecondOpinion(doc);
    const second = opinion.readings.find((r) => r.id === opinion.concordance.secondReadingId) as Reading;
    const model = new SecondOpinionModel({
      studyUid: opinion.studyUid,
      reader: second.reader,
      ...(options.now ? { now: options.now } : {}),
    });
    model.current = deepFreeze(opinion);
    return model;
  }

  /** The current second opinion: an immutable snapshot, replaced (never changed) by every mutation. */
  get opinion(): SecondOpinion {
    return this.current;
  }

  /** The first reading, when there is one. While {@link blinded}, the UI must not show it. */
  get first(): Reading | undefined {
    const id = this.current.concordance.firstReadingId;
    return id ? this.current.readings.find((r) => r.id === id) : undefined;
  }

  /** The second reader's own reading. */
  get second(): Reading {
    const id = this.current.concordance.secondReadingId;
    return this.current.readings.find((r) => r.id === id) as Reading;
  }

  /** The pairs of findings, verdicts and RADPEER score. */
  get concordance(): Concordance {
    return this.current.concordance;
  }

  /** True while the first reading must stay hidden (read blinded and not yet unblinded). */
  get blinded(): boolean {
    const blinding = this.current.blinding;
    return Boolean(blinding?.blinded && blinding.unblindedAt === undefined);
  }

  /** True once submitted, until an amendment. */
  get submitted(): boolean {
    return this.current.submittedAt !== undefined;
  }

  /** The distance for automatic pairs (mm). */
  get matchThresholdMm(): number {
    return this.current.concordance.matchThresholdMm;
  }

  /**
   * Calls `listener` with the new snapshot and what changed after every change (not now).
   * @returns a function that unsubscribes
   */
  subscribe(listener: (opinion: SecondOpinion, change: OpinionChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Replaces the whole state with a saved second opinion (e.g. a draft restored after a
   * reload) and notifies `load`.
   * @throws ReadingSchemaError when the document is invalid (the model is left as it was)
   */
  load(doc: unknown): void {
    this.current = deepFreeze(parseSecondOpinion(doc));
    this.notify({ kind: 'load' });
  }

  /**
   * Sets (or replaces) the first reading, validated, with its role forced to `first`, and
   * rematches. Allowed while blinded (the host hands it over before the reader unblinds).
   * @throws ReadingSchemaError when the reading is invalid; ReadingError `invalid-input` when it is of another study
   */
  setFirstReading(reading: Reading): void {
    this.commit(
      { kind: 'first' },
      { first: checkFirstReading(reading, this.current.studyUid, this.current.concordance.secondReadingId) },
    );
  }

  /**
   * Adds a finding to the second reading. Its measurements are validated and copied; their ids
   * must not be in another finding of the second reading.
   * @returns the new finding
   * @throws ReadingSchemaError (e.g. path `category`, `location.measurements[0].points`); ReadingError `invalid-input` for a measurement id already used
   */
  addFinding(input: FindingInput): Finding {
    const location = withoutUndefined({
      measurements: input.measurements ?? [],
      images: input.images ?? [],
      site: input.site,
    });
    const finding = parseFinding(
      withoutUndefined({
        id: crypto.randomUUID(),
        description:
          input.description ??
          (typeof input.category === 'string' && input.category in FINDING_CATEGORY_CODES
            ? defaultDescription(input.category, { location })
            : ''),
        category: input.category,
        location,
        severity: input.severity,
        text: input.text,
      }),
    );
    this.checkMeasurementIdsFree(finding);
    this.commit(
      { kind: 'finding-add', findingId: finding.id },
      { second: this.withFindings([...this.second.findings, finding]) },
    );
    return this.findSecond(finding.id).finding;
  }

  /**
   * Changes a finding of the second reading. A key of `patch` that holds `undefined` removes that
   * optional field. Editing the description, category, severity, text or site of a finding made
   * by {@link syncMeasurements} makes it the reader's own (it no longer goes away with its
   * measurements).
   * @returns the updated finding
   * @throws ReadingError `not-found`; ReadingSchemaError when the result is invalid
   */
  updateFinding(id: string, patch: Partial<Omit<Finding, 'id'>>): Finding {
    const { finding: previous, index } = this.findSecond(id);
    const merged: Mutable<Finding> = withoutUndefined({ ...previous, ...patch, id });
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) delete (merged as unknown as Record<string, unknown>)[key];
    }
    const reworded =
      ['description', 'category', 'severity', 'text'].some(
        (key) => key in patch && !isSameJson(patch[key as keyof typeof patch], previous[key as keyof Finding]),
      ) ||
      (patch.location !== undefined && !isSameJson(patch.location.site, previous.location.site));
    if (reworded && !('createdFromMeasurement' in patch)) delete merged.createdFromMeasurement;
    const finding = parseFinding(merged);
    if (isSameJson(finding, previous)) return previous;
    this.checkMeasurementIdsFree(finding, id);
    const findings = [...this.second.findings];
    findings[index] = finding;
    this.commit({ kind: 'finding-change', findingId: id }, { second: this.withFindings(findings) });
    return this.findSecond(id).finding;
  }

  /**
   * Removes a finding of the second reading (its pair goes with it).
   * @throws ReadingError `not-found`
   */
  removeFinding(id: string): void {
    this.findSecond(id);
    this.commit(
      { kind: 'finding-remove', findingId: id },
      { second: this.withFindings(this.second.findings.filter((f) => f.id !== id)) },
    );
  }

  /**
   * Keeps the second reader's reading in step with their measurements (the full list from
   * `<measurement-tools>`; measurements of the first reading in it are ignored):
   * - a measurement already in a finding is updated there (a finding made from a single
   *   measurement by this method also gets a fresh description);
   * - a new one makes a new finding: category `other` unless `options.category`, description
   *   from its label or kind and its values ({@link describeMeasurement}), marked
   *   `createdFromMeasurement`;
   * - a measurement of a finding that is no longer in the list leaves its finding; a finding
   *   that then has nothing left (no measurement, image or segment) and was made by this method
   *   is removed.
   *
   * Notifies once when anything changed (`finding-add`, `finding-change` or `finding-remove`
   * with the finding's id when only one finding changed, `finding-change` without id otherwise).
   * @throws ReadingSchemaError when a measurement is invalid (nothing changes); ReadingError `invalid-input` for duplicate ids
   */
  syncMeasurements(measurements: readonly Measurement[], options: { category?: FindingCategory } = {}): void {
    const category = options.category ?? 'other';
    if (!(category in FINDING_CATEGORY_CODES)) {
      throw new ReadingError('invalid-input', `Unknown finding category ${JSON.stringify(category)}.`);
    }
    const firstReaders = new Set(this.first?.findings.flatMap((f) => f.location.measurements.map((m) => m.id)) ?? []);
    const incoming = new Map<string, Measurement>();
    measurements.forEach((value, index) => {
      const measurement = parseMeasurementForReading(value, `measurements[${index}]`);
      if (incoming.has(measurement.id)) {
        throw new ReadingError('invalid-input', `Measurement ${index} repeats the id of an earlier measurement.`);
      }
      if (!firstReaders.has(measurement.id)) incoming.set(measurement.id, measurement);
    });
    const { findings, changes } = syncFindings(this.second.findings, incoming, category);
    if (changes.length === 0) return;
    const change: OpinionChange = changes.length === 1 ? (changes[0] as OpinionChange) : { kind: 'finding-change' };
    this.commit(change, { second: this.withFindings(findings) });
  }

  /** The finding holding that measurement: in the second reading, else in the first. */
  findingOfMeasurement(measurementId: string): Finding | undefined {
    for (const reading of [this.second, this.first]) {
      const found = reading?.findings.find((f) => f.location.measurements.some((m) => m.id === measurementId));
      if (found) return found;
    }
    return undefined;
  }

  /** Sets the second reader's impression (notifies `text` when it changed). */
  setImpression(text: string): void {
    this.setText('impression', text);
  }

  /** Sets the second reader's recommendations (notifies `text` when it changed). */
  setRecommendations(text: string): void {
    this.setText('recommendations', text);
  }

  /**
   * Pairs a first finding with a second finding by hand (`manual`, confirmed). Their earlier
   * partners become free for automatic matching. The verdict starts as `agree` when the
   * categories are the same, `disagree` otherwise.
   * @throws ReadingError `blinded`, `no-first-reading`, `not-found`
   */
  pair(firstFindingId: string, secondFindingId: string): void {
    const first = this.requireComparable();
    const firstFinding = first.findings.find((f) => f.id === firstFindingId);
    if (!firstFinding) throw new ReadingError('not-found', `The first reading has no finding ${firstFindingId}.`);
    const secondFinding = this.findSecond(secondFindingId).finding;
    const pairs = this.current.concordance.pairs.filter(
      (p) => p.firstFindingId !== firstFindingId && p.secondFindingId !== secondFindingId,
    );
    pairs.push({
      firstFindingId,
      secondFindingId,
      method: 'manual',
      verdict: firstFinding.category === secondFinding.category ? 'agree' : 'disagree',
      confirmed: true,
    });
    this.commit({ kind: 'pair', findingId: secondFindingId }, { pairs });
  }

  /**
   * Separates the pair a finding (of either reading) is in: both findings become unmatched,
   * confirmed, so that automatic matching leaves them apart.
   * @throws ReadingError `blinded`, `no-first-reading`, `not-found`
   */
  unpair(findingId: string): void {
    this.requireComparable();
    const { pair, index } = this.pairOf(findingId);
    const pairs = [...this.current.concordance.pairs];
    if (pair.firstFindingId !== undefined && pair.secondFindingId !== undefined) {
      pairs.splice(
        index,
        1,
        {
          firstFindingId: pair.firstFindingId,
          method: 'unmatched',
          verdict: 'not-confirmed-by-second',
          confirmed: true,
        },
        { secondFindingId: pair.secondFindingId, method: 'unmatched', verdict: 'missed-by-first', confirmed: true },
      );
    } else if (pair.confirmed) {
      return;
    } else {
      pairs[index] = { ...pair, confirmed: true };
    }
    this.commit({ kind: 'pair', findingId }, { pairs });
  }

  /**
   * Sets the verdict of the pair a finding (of either reading) is in, and confirms the pair. A
   * pair of two findings takes `agree` or `disagree`; a finding alone keeps the only verdict
   * that fits it. `comment` replaces the pair's comment when given (`''` removes it).
   * @throws ReadingError `blinded`, `no-first-reading`, `not-found`, `invalid-verdict`
   */
  setVerdict(findingId: string, verdict: Verdict, comment?: string): void {
    this.requireComparable();
    if (!(VERDICTS as readonly string[]).includes(verdict)) {
      throw new ReadingError('invalid-verdict', `${JSON.stringify(verdict)} is not one of ${VERDICTS.join(', ')}.`);
    }
    const { pair, index } = this.pairOf(findingId);
    const problem = pairVerdictProblem({ ...pair, verdict });
    if (problem) throw new ReadingError('invalid-verdict', `Verdict ${problem.problem}.`);
    const next: Mutable<FindingPair> = { ...pair, verdict, confirmed: true };
    if (comment !== undefined) {
      if (comment) next.comment = comment;
      else delete next.comment;
    }
    const pairs = [...this.current.concordance.pairs];
    pairs[index] = next;
    this.commit({ kind: 'verdict', findingId }, { pairs });
  }

  /**
   * Sets the RADPEER score of the first reading. Spaces and case are forgiven (`' 2B'`).
   * @throws ReadingError `invalid-radpeer` for anything but 1, 2a, 2b, 3a, 3b (a bare `2` or `3` is
   * refused, naming the missing modifier); `blinded`, `no-first-reading`
   */
  setRadpeer(score: RadpeerScore | string): void {
    this.requireComparable();
    const radpeer = toRadpeerScore(score);
    if (radpeer === this.current.concordance.radpeer) return;
    this.commit({ kind: 'radpeer' }, { radpeer });
  }

  /**
   * Sets the peer-learning comment on the first reading (`''` removes it); notifies `radpeer`.
   * @throws ReadingError `blinded`, `no-first-reading`
   */
  setPeerLearningComment(text: string): void {
    this.requireComparable();
    if (text === (this.current.concordance.peerLearningComment ?? '')) return;
    this.commit({ kind: 'radpeer' }, { peerLearningComment: text });
  }

  /** Reveals the first reading and records when (`blinding.unblindedAt`). Does nothing when not blinded. */
  unblind(): void {
    if (!this.blinded) return;
    const blinding = this.current.blinding as Blinding;
    this.commit({ kind: 'unblind' }, { blinding: { ...blinding, unblindedAt: this.timestamp() } });
  }

  /**
   * Submits the second opinion: the second reading becomes `final` (or stays `amended` when
   * resubmitting an amendment) with `finalizedAt`, and the opinion gets `submittedAt`.
   * Submitting again without a change in between returns the same snapshot and notifies nobody.
   * @returns the submitted second opinion
   * @throws ReadingError `blinded` (unblind first), `no-first-reading`, `missing-radpeer`
   */
  submit(): SecondOpinion {
    if (this.current.submittedAt !== undefined) return this.current;
    if (this.blinded) {
      throw new ReadingError('blinded', 'Unblind and compare with the first reading before submitting.');
    }
    if (!this.first)
      throw new ReadingError('no-first-reading', 'There is no first reading to give a second opinion on.');
    if (this.current.concordance.radpeer === undefined) {
      throw new ReadingError('missing-radpeer', 'Choose a RADPEER score (1, 2a, 2b, 3a or 3b) before submitting.');
    }
    this.commit({ kind: 'submit' }, { submit: true });
    return this.current;
  }

  /** The current second opinion (the same object as {@link opinion}), for `JSON.stringify`. */
  toJSON(): SecondOpinion {
    return this.current;
  }

  // -------------------------------------------------------------------------------------------

  private timestamp(): string {
    return this.now().toISOString();
  }

  private requireComparable(): Reading {
    if (this.blinded) {
      throw new ReadingError('blinded', 'The first reading is still hidden: unblind before comparing or scoring.');
    }
    const first = this.first;
    if (!first) throw new ReadingError('no-first-reading', 'There is no first reading to compare with.');
    return first;
  }

  private findSecond(id: string): { finding: Finding; index: number } {
    const index = this.second.findings.findIndex((f) => f.id === id);
    if (index < 0) throw new ReadingError('not-found', `The second reading has no finding ${id}.`);
    return { finding: this.second.findings[index] as Finding, index };
  }

  private pairOf(findingId: string): { pair: FindingPair; index: number } {
    const index = this.current.concordance.pairs.findIndex(
      (p) => p.firstFindingId === findingId || p.secondFindingId === findingId,
    );
    if (index < 0) throw new ReadingError('not-found', `No finding ${findingId} in the first or second reading.`);
    return { pair: this.current.concordance.pairs[index] as FindingPair, index };
  }

  private checkMeasurementIdsFree(finding: Finding, exceptFindingId?: string): void {
    const used = new Set(
      this.second.findings
        .filter((f) => f.id !== exceptFindingId)
        .flatMap((f) => f.location.measurements.map((m) => m.id)),
    );
    for (const measurement of finding.location.measurements) {
      if (used.has(measurement.id)) {
        throw new ReadingError('invalid-input', `Measurement ${measurement.id} already belongs to another finding.`);
      }
    }
  }

  private withFindings(findings: readonly Finding[]): Reading {
    return { ...this.second, findings };
  }

  private setText(key: 'impression' | 'recommendations', text: string): void {
    if (typeof text !== 'string') throw new ReadingError('invalid-input', `The ${key} must be a string.`);
    if (this.second[key] === text) return;
    this.commit({ kind: 'text' }, { second: { ...this.second, [key]: text } });
  }

  /** Applies an edit: timestamps, amendment, rematch, new frozen snapshot, one notification. */
  private commit(change: OpinionChange, edit: Edit): void {
    this.current = applyEdit(this.current, this.first, this.second, edit, this.timestamp());
    this.notify(change);
  }

  private notify(change: OpinionChange): void {
    const opinion = this.current;
    for (const listener of [...this.listeners]) {
      try {
        listener(opinion, change);
      } catch (error) {
        // One failing listener must not keep the others from hearing of the change.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
