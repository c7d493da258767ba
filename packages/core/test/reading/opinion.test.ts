/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit parsed JSON freely to make it invalid */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PHANTOM_NODULES } from '@secondread/phantom';
import {
  ReadingSchemaError,
  SecondOpinionModel,
  findingCentre,
  findingSizeMm,
  parseSecondOpinion,
  readingFromMeasurements,
  serializeSecondOpinion,
  type OpinionChange,
  type SecondOpinion,
  type Vec3,
} from '../../src/index.ts';
import {
  STUDY,
  NODULE,
  FIRST_READER,
  SECOND_READER,
  tickingClock,
  measurement,
  line,
  ellipse,
  scriptedFirst,
  expectSchemaError,
  expectReadingError,
  richOpinion,
  type FindingPair,
} from './fixtures.ts';

describe('SecondOpinionModel', () => {
  function setUp(options: { blinded?: boolean; first?: boolean } = {}) {
    const model = new SecondOpinionModel({
      studyUid: STUDY,
      reader: SECOND_READER,
      ...(options.first === false ? {} : { first: scriptedFirst() }),
      blinded: options.blinded ?? false,
      now: tickingClock(),
    });
    const changes: OpinionChange[] = [];
    const snapshots: SecondOpinion[] = [];
    model.subscribe((opinion, change) => {
      changes.push(change);
      snapshots.push(opinion);
    });
    return { model, changes, snapshots };
  }

  it('builds the second reading, matches it with the first and notifies once per change', () => {
    const { model, changes, snapshots } = setUp();
    const before = model.opinion;
    assert.equal(model.second.role, 'second');
    assert.equal(model.second.status, 'draft');
    assert.equal(model.first!.id, 'first-1');
    assert.deepEqual(
      model.concordance.pairs.map((p) => p.verdict),
      ['not-confirmed-by-second'],
    );
    const grown = model.addFinding({ category: 'nodule', measurements: [line([-53, -10, 20], 16)] });
    assert.equal(grown.description, 'Nodule, 16.0 mm');
    const missed = model.addFinding({ category: 'nodule', measurements: [line([25, -10, 20], 5)] });
    assert.equal(changes.length, 2);
    assert.deepEqual(changes[0], { kind: 'finding-add', findingId: grown.id });
    assert.equal(snapshots[1], model.opinion);
    const [pair, missedPair] = model.concordance.pairs;
    assert.equal(pair!.secondFindingId, grown.id);
    assert.ok(Math.abs(pair!.sizeDeltaMm! - 4) < 1e-9);
    assert.equal(pair!.sizeDeltaPercent!.toFixed(1), '33.3');
    assert.equal(missedPair!.secondFindingId, missed.id);
    assert.equal(missedPair!.verdict, 'missed-by-first');
    // Snapshots are new, frozen and never changed.
    assert.notEqual(before, model.opinion);
    assert.deepEqual(before.readings[1]!.findings, []);
    assert.ok(
      Object.isFrozen(model.opinion) && Object.isFrozen(model.second.findings[0]!.location.measurements[0]!.points),
    );
    assert.throws(() => {
      (model.opinion.concordance.pairs as FindingPair[]).push(pair!);
    }, TypeError);
    assert.ok(model.opinion.updatedAt > before.updatedAt);
    assert.deepEqual(parseSecondOpinion(model.opinion), model.opinion);
    // No change, no notification.
    model.setImpression('');
    assert.equal(changes.length, 2);
    model.setImpression('Nodule grown to 16 mm.');
    assert.deepEqual(changes[2], { kind: 'text' });
    assert.equal(model.second.impression, 'Nodule grown to 16 mm.');
    // Unsubscribing stops the calls.
    let heard = 0;
    const stop = model.subscribe(() => heard++);
    model.setRecommendations('CT in 3 months.');
    stop();
    model.setRecommendations('CT in 6 months.');
    assert.equal(heard, 1);
    assert.equal(changes.length, 5);
  });

  it('updates and removes findings, validating them', () => {
    const { model, changes } = setUp();
    const added = model.addFinding({ category: 'other', description: 'Rib lesion', severity: 'minor' });
    const updated = model.updateFinding(added.id, { category: 'fracture', severity: undefined, text: 'Old fracture' });
    assert.equal(updated.category, 'fracture');
    assert.equal('severity' in updated, false);
    assert.equal(updated.text, 'Old fracture');
    assert.equal(changes.at(-1)!.kind, 'finding-change');
    expectSchemaError(() => model.updateFinding(added.id, { category: 'tumour' as never }), 'category');
    expectSchemaError(
      () => model.addFinding({ category: 'nodule', measurements: [{ ...line(NODULE, 5), points: [] }] }),
      'location.measurements[0].points',
    );
    expectReadingError(() => model.updateFinding('nope', {}), 'not-found');
    expectReadingError(() => model.removeFinding('nope'), 'not-found');
    const count = changes.length;
    model.removeFinding(added.id);
    assert.equal(changes.length, count + 1);
    assert.deepEqual(changes.at(-1), { kind: 'finding-remove', findingId: added.id });
    assert.equal(model.second.findings.length, 0);
  });

  it('keeps the second reading in step with the reader’s measurements', () => {
    const { model, changes } = setUp();
    const nodule = line([-53, -10, 20], 16, { label: 'RUL nodule' });
    const probe = measurement('probe', [[0, 60, 20]], { values: { hu: 400 } });
    model.syncMeasurements([nodule, probe], { category: 'nodule' });
    assert.equal(changes.length, 1);
    assert.equal(changes[0]!.kind, 'finding-change');
    assert.deepEqual(
      model.second.findings.map((f) => [f.description, f.category, f.createdFromMeasurement]),
      [
        ['RUL nodule: 16.0 mm', 'nodule', true],
        ['Probe: 400 HU', 'nodule', true],
      ],
    );
    const noduleFinding = model.findingOfMeasurement(nodule.id)!;
    assert.equal(model.concordance.pairs[0]!.secondFindingId, noduleFinding.id);
    // Same list: nothing happens.
    model.syncMeasurements([nodule, probe]);
    assert.equal(changes.length, 1);
    // Touched but not changed (a toolbar re-announcing it with a new updatedAt): still nothing.
    model.syncMeasurements([{ ...nodule, updatedAt: '2026-11-28T12:00:00.000Z' }, probe]);
    assert.equal(changes.length, 1);
    // A moved measurement updates its finding (and its generated description).
    const longer = {
      ...nodule,
      points: [
        [-63, -10, 20],
        [-45, -10, 20],
      ] as Vec3[],
      values: { lengthMm: 18 },
    };
    model.syncMeasurements([longer, probe]);
    assert.deepEqual(changes.at(-1), { kind: 'finding-change', findingId: noduleFinding.id });
    assert.equal(model.findingOfMeasurement(nodule.id)!.description, 'RUL nodule: 18.0 mm');
    assert.ok(Math.abs(model.concordance.pairs[0]!.sizeDeltaMm! - 6) < 1e-9);
    // A finding the reader worded is theirs: it stays when its measurement goes.
    model.updateFinding(noduleFinding.id, { description: 'Growing nodule' });
    const probeFinding = model.findingOfMeasurement(probe.id)!;
    model.syncMeasurements([]);
    assert.equal(changes.at(-1)!.kind, 'finding-change');
    assert.deepEqual(
      model.second.findings.map((f) => [f.id, f.location.measurements.length]),
      [[noduleFinding.id, 0]],
    );
    assert.equal(model.findingOfMeasurement(probe.id), undefined);
    assert.ok(!model.second.findings.some((f) => f.id === probeFinding.id));
    // The first reader's measurements are found too, and ignored when they come with the list.
    const firstMeasurement = model.first!.findings[0]!.location.measurements[0]!;
    assert.equal(model.findingOfMeasurement(firstMeasurement.id)!.id, model.first!.findings[0]!.id);
    const count = changes.length;
    model.syncMeasurements([firstMeasurement]);
    assert.equal(changes.length, count);
    assert.equal(model.second.findings.length, 1);
    expectSchemaError(() => model.syncMeasurements([{ ...probe, kind: 'dot' as never }]), 'measurements[0].kind');
  });

  it('keeps manual pairs and unpairings across rematches', () => {
    const { model, changes } = setUp();
    const firstFinding = model.first!.findings[0]!;
    const far = model.addFinding({ category: 'nodule', measurements: [line([25, -10, 20], 5)] });
    model.pair(firstFinding.id, far.id);
    assert.deepEqual(changes.at(-1), { kind: 'pair', findingId: far.id });
    const near = model.addFinding({ category: 'nodule', measurements: [line([-53, -10, 20], 16)] });
    const manual = model.concordance.pairs.find((p) => p.firstFindingId === firstFinding.id)!;
    assert.equal(manual.secondFindingId, far.id, 'the manual pair survives a closer candidate');
    assert.equal(manual.method, 'manual');
    assert.equal(manual.confirmed, true);
    assert.equal(model.concordance.pairs.find((p) => p.secondFindingId === near.id)!.verdict, 'missed-by-first');
    // Unpair: both alone, and automatic matching leaves them apart.
    model.unpair(far.id);
    model.removeFinding(near.id);
    const near2 = model.addFinding({ category: 'nodule', measurements: [line([-55, -10, 20], 12)] });
    assert.equal(model.concordance.pairs.find((p) => p.firstFindingId === firstFinding.id)!.method, 'unmatched');
    assert.equal(model.concordance.pairs.find((p) => p.secondFindingId === near2.id)!.method, 'unmatched');
    // Pairing again with the near one.
    model.pair(firstFinding.id, near2.id);
    const repaired = model.concordance.pairs.find((p) => p.firstFindingId === firstFinding.id)!;
    assert.equal(repaired.secondFindingId, near2.id);
    assert.equal(repaired.distanceMm, 0);
    assert.equal(repaired.sizeDeltaMm, 0);
    expectReadingError(() => model.pair('nope', near2.id), 'not-found');
    expectReadingError(() => model.unpair('nope'), 'not-found');
  });

  it('sets verdicts on either side of a pair, and only verdicts that fit', () => {
    const { model, changes } = setUp();
    const grown = model.addFinding({ category: 'nodule', measurements: [line([-53, -10, 20], 16)] });
    const missed = model.addFinding({ category: 'fracture', measurements: [line([25, -10, 20], 5)] });
    model.setVerdict(model.first!.findings[0]!.id, 'disagree', 'Under-measured');
    assert.deepEqual(changes.at(-1), { kind: 'verdict', findingId: model.first!.findings[0]!.id });
    let pair = model.concordance.pairs[0]!;
    assert.deepEqual(
      [pair.verdict, pair.confirmed, pair.comment, pair.method],
      ['disagree', true, 'Under-measured', 'distance'],
    );
    model.setVerdict(grown.id, 'agree');
    pair = model.concordance.pairs[0]!;
    assert.deepEqual([pair.verdict, pair.comment], ['agree', 'Under-measured']);
    model.setVerdict(grown.id, 'agree', '');
    assert.equal('comment' in model.concordance.pairs[0]!, false);
    expectReadingError(() => model.setVerdict(grown.id, 'missed-by-first'), 'invalid-verdict', /agree or disagree/);
    expectReadingError(() => model.setVerdict(missed.id, 'agree'), 'invalid-verdict', /missed-by-first/);
    expectReadingError(() => model.setVerdict(grown.id, 'maybe' as never), 'invalid-verdict');
    model.setVerdict(missed.id, 'missed-by-first', 'Rib fracture not reported');
    assert.equal(model.concordance.pairs[1]!.confirmed, true);
  });

  it('refuses RADPEER 2 and 3 without modifier, and other non-scores', () => {
    const { model, changes } = setUp();
    expectReadingError(() => model.setRadpeer('2'), 'invalid-radpeer', /2a .*2b/);
    expectReadingError(() => model.setRadpeer('3'), 'invalid-radpeer', /clinical-significance modifier: 3a/);
    expectReadingError(() => model.setRadpeer('x'), 'invalid-radpeer', /one of 1, 2a, 2b, 3a, 3b/);
    assert.equal(changes.length, 0);
    assert.equal(model.concordance.radpeer, undefined);
    model.setRadpeer(' 2B');
    assert.equal(model.concordance.radpeer, '2b');
    assert.deepEqual(changes, [{ kind: 'radpeer' }]);
    model.setPeerLearningComment('Measure the long axis.');
    assert.equal(model.concordance.peerLearningComment, 'Measure the long axis.');
    model.setPeerLearningComment('');
    assert.equal('peerLearningComment' in model.concordance, false);
  });

  it('enforces the blinded workflow and records when the reader unblinded', () => {
    const { model, changes } = setUp({ blinded: true });
    assert.equal(model.blinded, true);
    assert.equal(model.first!.id, 'first-1', 'the first reading is held while blinded');
    const own = model.addFinding({ category: 'nodule', measurements: [line([-53, -10, 20], 16)] });
    const firstId = model.first!.findings[0]!.id;
    expectReadingError(() => model.pair(firstId, own.id), 'blinded');
    expectReadingError(() => model.unpair(own.id), 'blinded');
    expectReadingError(() => model.setVerdict(own.id, 'agree'), 'blinded');
    expectReadingError(() => model.setRadpeer('1'), 'blinded');
    expectReadingError(() => model.setPeerLearningComment('x'), 'blinded');
    expectReadingError(() => model.submit(), 'blinded', /[Uu]nblind/);
    assert.equal(model.opinion.blinding!.unblindedAt, undefined);
    const startedAt = model.opinion.blinding!.startedAt;
    model.unblind();
    assert.deepEqual(changes.at(-1), { kind: 'unblind' });
    assert.equal(model.blinded, false);
    assert.equal(model.opinion.blinding!.blinded, true, 'the record says the reading was blinded');
    assert.ok(model.opinion.blinding!.unblindedAt! > startedAt);
    const count = changes.length;
    model.unblind();
    assert.equal(changes.length, count);
    model.setRadpeer('1');
    model.setVerdict(own.id, 'agree');
    assert.deepEqual(parseSecondOpinion(serializeSecondOpinion(model.opinion)), model.opinion);
  });

  it('submits once: a second submit returns the same opinion without notifying', () => {
    const { model, changes } = setUp();
    model.addFinding({ category: 'nodule', measurements: [line([-53, -10, 20], 16)] });
    expectReadingError(() => model.submit(), 'missing-radpeer', /RADPEER/);
    model.setRadpeer('2a');
    const before = changes.length;
    const submitted = model.submit();
    assert.equal(changes.length, before + 1);
    assert.deepEqual(changes.at(-1), { kind: 'submit' });
    assert.equal(model.submitted, true);
    assert.equal(submitted.readings.find((r) => r.role === 'second')!.status, 'final');
    assert.equal(model.second.finalizedAt, submitted.submittedAt);
    const again = model.submit();
    assert.equal(again, submitted);
    assert.equal(again.submittedAt, submitted.submittedAt);
    assert.equal(changes.length, before + 1);
    // An edit after submission is an amendment, to be submitted again.
    model.setRecommendations('Follow-up CT in 3 months.');
    assert.equal(model.submitted, false);
    assert.equal(model.second.status, 'amended');
    assert.equal(model.second.finalizedAt, submitted.submittedAt);
    assert.equal(submitted.readings.find((r) => r.role === 'second')!.status, 'final', 'old snapshot unchanged');
    const resubmitted = model.submit();
    assert.notEqual(resubmitted, submitted);
    assert.ok(resubmitted.submittedAt! > submitted.submittedAt!);
    assert.equal(model.second.status, 'amended');
    assert.deepEqual(parseSecondOpinion(serializeSecondOpinion(resubmitted)), resubmitted);
  });

  it('needs a first reading to compare and submit, and takes one later', () => {
    const { model, changes } = setUp({ first: false });
    assert.equal(model.first, undefined);
    assert.equal(model.concordance.firstReadingId, '');
    const own = model.addFinding({ category: 'nodule', measurements: [line([-53, -10, 20], 16)] });
    assert.deepEqual(model.concordance.pairs, []);
    expectReadingError(() => model.setRadpeer('1'), 'no-first-reading');
    expectReadingError(() => model.submit(), 'no-first-reading');
    expectReadingError(
      () => model.setFirstReading({ ...scriptedFirst(), studyUid: '1.2.3' }),
      'invalid-input',
      /another study/,
    );
    expectSchemaError(() => model.setFirstReading({ ...scriptedFirst(), status: 'done' as never }), 'first.status');
    model.setFirstReading({ ...scriptedFirst(), role: 'cad' });
    assert.deepEqual(changes.at(-1), { kind: 'first' });
    assert.equal(model.first!.role, 'first');
    assert.equal(model.opinion.readings[0]!.id, model.first!.id);
    assert.equal(model.opinion.concordance.pairs[0]!.secondFindingId, own.id);
    assert.deepEqual(parseSecondOpinion(model.opinion), model.opinion);
  });

  it('restores from JSON exactly, and load() refuses a bad document without half-loading', () => {
    const opinion = richOpinion();
    const restored = SecondOpinionModel.fromJSON(JSON.parse(serializeSecondOpinion(opinion)));
    assert.deepEqual(restored.opinion, opinion);
    assert.deepEqual(JSON.parse(JSON.stringify(restored)), JSON.parse(serializeSecondOpinion(opinion)));
    assert.equal(restored.submitted, true);
    assert.equal(restored.blinded, false);
    assert.equal(restored.second.reader.name, 'Dr Second');
    const { model, changes } = setUp();
    const before = model.opinion;
    const bad = structuredClone(opinion) as any;
    bad.readings[1].findings[0].location.measurements[0].points = [];
    assert.throws(() => model.load(bad), ReadingSchemaError);
    assert.equal(model.opinion, before);
    assert.equal(changes.length, 0);
    model.load(opinion);
    assert.deepEqual(changes, [{ kind: 'load' }]);
    assert.deepEqual(model.opinion, opinion);
    assert.throws(() => SecondOpinionModel.fromJSON('{"schema":"secondread/second-opinion"}'), ReadingSchemaError);
  });
});

describe('the phantom workflow', () => {
  it('pairs the phantom nodule read at baseline and follow-up size, and finds the nodule the first reader missed', () => {
    const [n1, n2] = [PHANTOM_NODULES.find((n) => n.id === 'N1')!, PHANTOM_NODULES.find((n) => n.id === 'N2')!];
    const first = readingFromMeasurements([line(n1.centerMm, n1.diameterMm.baseline, { readerId: 'r1' })], {
      role: 'first',
      reader: FIRST_READER,
      studyUid: STUDY,
      category: 'nodule',
    });
    const model = new SecondOpinionModel({
      studyUid: STUDY,
      reader: SECOND_READER,
      first,
      blinded: true,
      now: tickingClock(),
    });
    const shifted: Vec3 = [n1.centerMm[0] + 1.2, n1.centerMm[1] - 1.6, n1.centerMm[2]];
    model.syncMeasurements(
      [
        line(shifted, n1.diameterMm.followup),
        ellipse(n2.centerMm, n2.diameterMm.followup / 2, n2.diameterMm.followup / 2),
      ],
      {
        category: 'nodule',
      },
    );
    model.unblind();
    const [pair, missed] = model.concordance.pairs;
    assert.equal(pair!.method, 'distance');
    assert.ok(Math.abs(pair!.distanceMm! - 2) < 1e-9);
    assert.equal(pair!.sizeDeltaMm, n1.diameterMm.followup - n1.diameterMm.baseline);
    assert.ok(Math.abs(pair!.sizeDeltaPercent! - 100 / 3) < 1e-9);
    assert.equal(missed!.verdict, 'missed-by-first');
    assert.deepEqual(findingCentre(model.second.findings[1]!), n2.centerMm);
    assert.ok(Math.abs(findingSizeMm(model.second.findings[1]!)! - n2.diameterMm.followup) < 1e-9);
    expectReadingError(() => model.setRadpeer('2'), 'invalid-radpeer');
    model.setRadpeer('2a');
    const submitted = model.submit();
    assert.deepEqual(parseSecondOpinion(serializeSecondOpinion(submitted)), submitted);
  });
});
