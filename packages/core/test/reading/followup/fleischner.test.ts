/**
 * Fleischner 2017 table 1 (MacMahon et al., Radiology 2017;284:228–243), row by row, with the
 * expected recommendations written from the published table and sizes on each side of every
 * band edge after rounding to whole millimetres.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  FLEISCHNER_RULES,
  fleischnerSizeMm,
  fleischnerTypeOf,
  recommendFleischner,
  type FleischnerInput,
} from '../../../src/index.ts';

const NO_FOLLOW_UP = 'No routine follow-up';
const OPTIONAL_12 = 'Optional CT at 12 months';

type Case = [
  FleischnerInput['type'],
  multiple: boolean,
  risk: FleischnerInput['risk'],
  sizeMm: number,
  expected: string,
];

const CASES: Case[] = [
  // Solid, single.
  ['solid', false, 'low', 5.4, NO_FOLLOW_UP],
  ['solid', false, 'high', 5.4, OPTIONAL_12],
  ['solid', false, 'low', 5.5, 'CT at 6–12 months, then consider CT at 18–24 months'],
  ['solid', false, 'high', 5.5, 'CT at 6–12 months, then CT at 18–24 months'],
  ['solid', false, 'low', 8.4, 'CT at 6–12 months, then consider CT at 18–24 months'],
  ['solid', false, 'high', 8.4, 'CT at 6–12 months, then CT at 18–24 months'],
  ['solid', false, 'low', 8.5, 'Consider CT at 3 months, PET/CT, or tissue sampling'],
  ['solid', false, 'high', 8.5, 'Consider CT at 3 months, PET/CT, or tissue sampling'],
  // Solid, multiple.
  ['solid', true, 'low', 5.4, NO_FOLLOW_UP],
  ['solid', true, 'high', 5.4, OPTIONAL_12],
  ['solid', true, 'low', 5.5, 'CT at 3–6 months, then consider CT at 18–24 months'],
  ['solid', true, 'high', 8.4, 'CT at 3–6 months, then at 18–24 months'],
  ['solid', true, 'low', 8.5, 'CT at 3–6 months, then consider CT at 18–24 months'],
  ['solid', true, 'high', 8.5, 'CT at 3–6 months, then consider CT at 18–24 months'],
  // Subsolid, single: ground glass, part solid; risk does not matter.
  ['ground-glass', false, 'low', 5.4, NO_FOLLOW_UP],
  ['ground-glass', false, 'high', 5.4, NO_FOLLOW_UP],
  ['ground-glass', false, 'low', 5.5, 'CT at 6–12 months to confirm persistence, then CT every 2 years until 5 years'],
  ['part-solid', false, 'high', 5.4, NO_FOLLOW_UP],
  [
    'part-solid',
    false,
    'low',
    5.5,
    'CT at 3–6 months to confirm persistence. If unchanged and solid component remains < 6 mm, annual CT should be performed for 5 years',
  ],
  // Subsolid, multiple.
  ['ground-glass', true, 'low', 5.4, 'CT at 3–6 months. If stable, consider CT at 2 and 4 years'],
  ['part-solid', true, 'high', 5.4, 'CT at 3–6 months. If stable, consider CT at 2 and 4 years'],
  ['ground-glass', true, 'high', 5.5, 'CT at 3–6 months. Subsequent management based on the most suspicious nodule(s)'],
  ['part-solid', true, 'low', 20, 'CT at 3–6 months. Subsequent management based on the most suspicious nodule(s)'],
];

describe('Fleischner 2017 recommendation', () => {
  for (const [type, multiple, risk, size, expected] of CASES) {
    it(`${type}, ${multiple ? 'multiple' : 'single'}, ${risk} risk, ${size} mm`, () => {
      const r = recommendFleischner({ type, multiple, risk, meanDiameterMm: size });
      assert.equal(r.recommendation, expected);
      assert.equal(r.sizeMm, Math.round(size));
    });
  }

  it('every row of the table fires for at least one case', () => {
    const fired = new Set(
      CASES.map(
        ([type, multiple, risk, meanDiameterMm]) =>
          recommendFleischner({ type, multiple, risk, meanDiameterMm }).ruleId,
      ),
    );
    for (const rule of FLEISCHNER_RULES) assert.ok(fired.has(rule.id), rule.id);
  });

  it('rounds the mean of long and short axis to the nearest millimetre', () => {
    assert.equal(fleischnerSizeMm(9, 7), 8);
    assert.equal(fleischnerSizeMm(9, 8), 9); // 8.5 → 9
    assert.equal(recommendFleischner({ type: 'solid', multiple: false, risk: 'low', meanDiameterMm: 8.5 }).band, '>8');
    assert.equal(
      recommendFleischner({ type: 'solid', multiple: false, risk: 'low', meanDiameterMm: 7 }).rule,
      'solid, single, 7 mm, low risk',
    );
  });

  it('maps nodule types to the guideline classes', () => {
    assert.equal(fleischnerTypeOf('solid'), 'solid');
    assert.equal(fleischnerTypeOf('juxtapleural'), 'solid');
    assert.equal(fleischnerTypeOf('non-solid'), 'ground-glass');
    assert.equal(fleischnerTypeOf('part-solid'), 'part-solid');
    assert.equal(fleischnerTypeOf('calcified'), undefined);
    assert.equal(fleischnerTypeOf('perifissural'), undefined);
  });
});
