/**
 * Lung-RADS v2022, row by row: the expected categories below are written from the ACR
 * Lung-RADS v2022 summary table (not from LUNG_RADS_RULES), with values just below and at every
 * threshold. Every row of LUNG_RADS_RULES must fire for at least one case.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  LUNG_RADS_CATEGORIES,
  LUNG_RADS_MANAGEMENT,
  LUNG_RADS_RULES,
  assessLungRads,
  compareLungRads,
  isLungRadsGrowth,
  lungRadsDiscrepancy,
  lungRadsExamCategory,
  lungRadsMeanDiameterMm,
  suggestLungRads,
  type LungRadsCategory,
  type LungRadsNoduleInput,
} from '../../../src/index.ts';

type Case = [label: string, input: LungRadsNoduleInput, expected: LungRadsCategory | undefined];

const solid = (timing: LungRadsNoduleInput['timing'], meanDiameterMm: number): LungRadsNoduleInput => ({
  type: 'solid',
  timing,
  meanDiameterMm,
});
const partSolid = (
  timing: LungRadsNoduleInput['timing'],
  meanDiameterMm: number,
  solidComponentMm: number,
): LungRadsNoduleInput => ({ type: 'part-solid', timing, meanDiameterMm, solidComponentMm });

const CASES: Case[] = [
  // Solid, baseline: < 6 → 2; 6 to < 8 → 3; 8 to < 15 → 4A; ≥ 15 → 4B.
  ['solid baseline 5.9', solid('baseline', 5.9), '2'],
  ['solid baseline 6.0', solid('baseline', 6), '3'],
  ['solid baseline 7.9', solid('baseline', 7.9), '3'],
  ['solid baseline 8.0', solid('baseline', 8), '4A'],
  ['solid baseline 14.9', solid('baseline', 14.9), '4A'],
  ['solid baseline 15.0', solid('baseline', 15), '4B'],
  // Solid, new: < 4 → 2; 4 to < 6 → 3; 6 to < 8 → 4A; ≥ 8 → 4B.
  ['solid new 3.9', solid('new', 3.9), '2'],
  ['solid new 4.0', solid('new', 4), '3'],
  ['solid new 5.9', solid('new', 5.9), '3'],
  ['solid new 6.0', solid('new', 6), '4A'],
  ['solid new 7.9', solid('new', 7.9), '4A'],
  ['solid new 8.0', solid('new', 8), '4B'],
  // Solid, growing: < 8 → 4A; ≥ 8 → 4B.
  ['solid growing 7.9', solid('growing', 7.9), '4A'],
  ['solid growing 8.0', solid('growing', 8), '4B'],
  ['solid growing 3.0', solid('growing', 3), '4A'],
  // Stable: category 3 at 6 months → 2; 4A at 3 months → 3; 1/2 stay; no prior: by size.
  ['solid stable 7.0, prior 3', { ...solid('stable', 7), priorCategory: '3' }, '2'],
  ['solid stable 10.0, prior 4A', { ...solid('stable', 10), priorCategory: '4A' }, '3'],
  ['solid stable 5.0, prior 2', { ...solid('stable', 5), priorCategory: '2' }, '2'],
  ['solid stable 7.0, no prior', solid('stable', 7), '3'],
  ['solid stable 5.9, no prior', solid('stable', 5.9), '2'],
  // Juxtapleural / perifissural: < 10 at baseline or new → 2; otherwise as solid.
  ['juxtapleural baseline 9.9', { type: 'juxtapleural', timing: 'baseline', meanDiameterMm: 9.9 }, '2'],
  ['juxtapleural baseline 10.0', { type: 'juxtapleural', timing: 'baseline', meanDiameterMm: 10 }, '4A'],
  ['perifissural new 9.9', { type: 'perifissural', timing: 'new', meanDiameterMm: 9.9 }, '2'],
  ['perifissural new 10.0', { type: 'perifissural', timing: 'new', meanDiameterMm: 10 }, '4B'],
  ['juxtapleural growing 6.0', { type: 'juxtapleural', timing: 'growing', meanDiameterMm: 6 }, '4A'],
  // Part solid, baseline: total < 6 → 2; total ≥ 6 with solid < 6 → 3; solid 6 to < 8 → 4A; solid ≥ 8 → 4B.
  ['part-solid baseline 5.9 / 3', partSolid('baseline', 5.9, 3), '2'],
  ['part-solid baseline 6.0 / 3', partSolid('baseline', 6, 3), '3'],
  ['part-solid baseline 9 / 5.9', partSolid('baseline', 9, 5.9), '3'],
  ['part-solid baseline 9 / 6.0', partSolid('baseline', 9, 6), '4A'],
  ['part-solid baseline 12 / 7.9', partSolid('baseline', 12, 7.9), '4A'],
  ['part-solid baseline 12 / 8.0', partSolid('baseline', 12, 8), '4B'],
  // Part solid, new: total < 6 → 3; solid < 4 → 4A; solid ≥ 4 → 4B. Growing: solid < 4 → 4A, ≥ 4 → 4B.
  ['part-solid new 5.9 / 2', partSolid('new', 5.9, 2), '3'],
  ['part-solid new 6.0 / 3.9', partSolid('new', 6, 3.9), '4A'],
  ['part-solid new 6.0 / 4.0', partSolid('new', 6, 4), '4B'],
  ['part-solid growing 10 / 3.9', partSolid('growing', 10, 3.9), '4A'],
  ['part-solid growing 10 / 4.0', partSolid('growing', 10, 4), '4B'],
  ['part-solid stable 10 / 3, prior 3', { ...partSolid('stable', 10, 3), priorCategory: '3' }, '2'],
  // Non-solid: < 30 → 2 (baseline, new, growing); ≥ 30 at baseline or new → 3; ≥ 30 stable or growing → 2.
  ['non-solid baseline 29.9', { type: 'non-solid', timing: 'baseline', meanDiameterMm: 29.9 }, '2'],
  ['non-solid baseline 30.0', { type: 'non-solid', timing: 'baseline', meanDiameterMm: 30 }, '3'],
  ['non-solid new 30.0', { type: 'non-solid', timing: 'new', meanDiameterMm: 30 }, '3'],
  ['non-solid growing 29.9', { type: 'non-solid', timing: 'growing', meanDiameterMm: 29.9 }, '2'],
  ['non-solid growing 30.0', { type: 'non-solid', timing: 'growing', meanDiameterMm: 30 }, '2'],
  ['non-solid stable 35', { type: 'non-solid', timing: 'stable', meanDiameterMm: 35 }, '2'],
  // Airway: subsegmental → 2; segmental or proximal at baseline/new → 4A, stable/growing → 4B.
  ['airway subsegmental baseline', { type: 'airway', timing: 'baseline', airwayLevel: 'subsegmental' }, '2'],
  ['airway subsegmental stable', { type: 'airway', timing: 'stable', airwayLevel: 'subsegmental' }, '2'],
  ['airway segmental new', { type: 'airway', timing: 'new', airwayLevel: 'segmental' }, '4A'],
  [
    'airway segmental stable',
    { type: 'airway', timing: 'stable', airwayLevel: 'segmental', priorCategory: '4A' },
    '4B',
  ],
  ['airway segmental growing', { type: 'airway', timing: 'growing', airwayLevel: 'segmental' }, '4B'],
  // Atypical cysts.
  [
    'cyst thin growing',
    { type: 'cyst', timing: 'growing', cyst: { wall: 'thin', multilocular: false, change: 'growing' } },
    '3',
  ],
  ['cyst thick baseline', { type: 'cyst', timing: 'baseline', cyst: { wall: 'thick', multilocular: false } }, '4A'],
  [
    'cyst multilocular baseline',
    { type: 'cyst', timing: 'baseline', cyst: { wall: 'thin', multilocular: true } },
    '4A',
  ],
  [
    'cyst becomes multilocular',
    { type: 'cyst', timing: 'stable', cyst: { wall: 'thin', multilocular: true, change: 'became-multilocular' } },
    '4A',
  ],
  [
    'cyst thick, wall growing',
    { type: 'cyst', timing: 'stable', cyst: { wall: 'thick', multilocular: false, change: 'wall-growing' } },
    '4B',
  ],
  [
    'cyst multilocular growing',
    { type: 'cyst', timing: 'growing', cyst: { wall: 'thin', multilocular: true, change: 'growing' } },
    '4B',
  ],
  [
    'cyst multilocular, new opacity',
    {
      type: 'cyst',
      timing: 'stable',
      cyst: { wall: 'thin', multilocular: true, change: 'more-loculation-or-opacity' },
    },
    '4B',
  ],
  [
    'cyst thin, unchanged: no rule',
    { type: 'cyst', timing: 'baseline', cyst: { wall: 'thin', multilocular: false } },
    undefined,
  ],
  // Benign calcification or fat → 1, whatever the size.
  ['calcified 20 mm baseline', { type: 'calcified', timing: 'baseline', meanDiameterMm: 20 }, '1'],
  // 4X: a 3, 4A or 4B with suspicious features; a 2 stays 2.
  ['solid baseline 9 with features', { ...solid('baseline', 9), suspiciousFeatures: true }, '4X'],
  ['solid baseline 6 with features', { ...solid('baseline', 6), suspiciousFeatures: true }, '4X'],
  ['solid baseline 5 with features', { ...solid('baseline', 5), suspiciousFeatures: true }, '2'],
  // Missing data: no category.
  [
    'part-solid baseline 9 without solid component',
    { type: 'part-solid', timing: 'baseline', meanDiameterMm: 9 },
    undefined,
  ],
  ['solid baseline without size', { type: 'solid', timing: 'baseline' }, undefined],
];

describe('Lung-RADS v2022 suggestion', () => {
  for (const [label, input, expected] of CASES) {
    it(`${label} → ${expected ?? 'no category'}`, () => {
      const s = suggestLungRads(input);
      assert.equal(s.category, expected, s.rule);
      if (expected) {
        assert.equal(s.management, LUNG_RADS_MANAGEMENT[expected]);
        assert.ok(s.rule.endsWith(`→ ${expected}`), s.rule);
        assert.ok(s.source?.includes(`Category `), s.source);
      } else {
        assert.equal(s.management, undefined);
      }
    });
  }

  it('every row of the table fires for at least one case', () => {
    const fired = new Set(CASES.map(([, input]) => suggestLungRads(input).ruleId?.replace('+4X', '')));
    for (const rule of LUNG_RADS_RULES) assert.ok(fired.has(rule.id), `row ${rule.id} never fired`);
  });

  it('says the rule in words', () => {
    assert.equal(suggestLungRads(solid('baseline', 9.2)).rule, 'solid, 9.2 mm, baseline → 4A');
    assert.equal(
      suggestLungRads(partSolid('baseline', 9, 3)).rule,
      'part-solid, 9.0 mm, solid component 3.0 mm, baseline → 3',
    );
    assert.match(
      suggestLungRads({ type: 'part-solid', timing: 'baseline', meanDiameterMm: 9 }).rule,
      /needs the solid component size/,
    );
  });

  it('rounds the mean diameter to 0.1 mm before comparing', () => {
    assert.equal(lungRadsMeanDiameterMm(6.4, 5.5), 6); // 5.95 → 6.0
    assert.equal(suggestLungRads(solid('baseline', 5.95)).category, '3');
    assert.equal(suggestLungRads(solid('baseline', 5.94)).category, '2');
    assert.equal(lungRadsMeanDiameterMm(8, 6.5), 7.3); // 7.25 → 7.3
    assert.equal(lungRadsMeanDiameterMm(12, 10), 11);
  });

  it('calls growth an increase of more than 1.5 mm within 12 months', () => {
    assert.equal(isLungRadsGrowth(6, 7.5, 180), false);
    assert.equal(isLungRadsGrowth(6, 7.6, 180), true);
    assert.equal(isLungRadsGrowth(6, 7.6, 366), true);
    assert.equal(isLungRadsGrowth(6, 7.6, 367), false);
    assert.equal(isLungRadsGrowth(6, 2, 180), false);
  });

  it('takes the most suspicious nodule for the exam, 1 without nodules', () => {
    const exam = lungRadsExamCategory([
      suggestLungRads(solid('baseline', 5)),
      suggestLungRads(solid('baseline', 9.2)),
      suggestLungRads(solid('baseline', 7)),
    ]);
    assert.equal(exam.category, '4A');
    assert.equal(exam.noduleIndex, 1);
    assert.equal(lungRadsExamCategory([]).category, '1');
    assert.equal(lungRadsExamCategory([suggestLungRads({ type: 'solid', timing: 'baseline' })]).category, undefined);
  });

  it('orders categories and words the management consequence of a discrepancy', () => {
    assert.deepEqual([...LUNG_RADS_CATEGORIES].sort(compareLungRads), [...LUNG_RADS_CATEGORIES]);
    assert.ok(compareLungRads('4A', '3') > 0);
    assert.equal(lungRadsDiscrepancy('3', '4A'), '3 → 4A: 6-month LDCT → 3-month LDCT');
    assert.equal(lungRadsDiscrepancy('1', '2'), undefined);
    assert.equal(lungRadsDiscrepancy('4A', '4A'), undefined);
  });

  it('keeps both the suggestion and the reader’s category', () => {
    const suggestion = suggestLungRads(solid('baseline', 9.2));
    assert.deepEqual(assessLungRads(suggestion), {
      suggested: '4A',
      suggestedRule: 'solid, 9.2 mm, baseline → 4A',
      category: '4A',
      overridden: false,
    });
    assert.deepEqual(assessLungRads(suggestion, '4B', true), {
      suggested: '4A',
      suggestedRule: 'solid, 9.2 mm, baseline → 4A',
      category: '4B',
      overridden: true,
      significantOtherFindings: true,
    });
    assert.equal(assessLungRads(suggestLungRads({ type: 'solid', timing: 'baseline' })), undefined);
    assert.equal(assessLungRads(suggestLungRads({ type: 'solid', timing: 'baseline' }), '0')?.overridden, true);
  });
});
