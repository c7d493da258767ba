/**
 * Fleischner Society 2017 guideline for incidental pulmonary nodules on CT in adults (MacMahon
 * H, Naidich DP, Goo JM, et al. "Guidelines for Management of Incidental Pulmonary Nodules
 * Detected on CT Images: From the Fleischner Society 2017". Radiology 2017;284(1):228–243,
 * table 1). Not for lung cancer screening (use Lung-RADS), patients younger than 35, patients
 * with a known cancer or immunosuppression. The rows are in {@link FLEISCHNER_RULES}; sizes are
 * the mean of long and short axis rounded to the nearest millimetre (`fleischnerSizeMm`).
 */
import type { NoduleType } from './nodule.js';

/** Fleischner 2017 nodule classes: solid, or subsolid as ground glass or part solid. */
export const FLEISCHNER_NODULE_TYPES = ['solid', 'ground-glass', 'part-solid'] as const;
export type FleischnerNoduleType = (typeof FLEISCHNER_NODULE_TYPES)[number];

/** Patient risk as the guideline defines it (low: < 5 % cancer risk, high: ≥ 5 %, per ACCP). */
export const FLEISCHNER_RISKS = ['low', 'high'] as const;
export type FleischnerRisk = (typeof FLEISCHNER_RISKS)[number];

/** Size bands of table 1, on the size rounded to whole mm: `<6`, `6-8`, `>8` (subsolid: `<6`, `>=6`). */
export const FLEISCHNER_SIZE_BANDS = ['<6', '6-8', '>8', '>=6'] as const;
export type FleischnerSizeBand = (typeof FLEISCHNER_SIZE_BANDS)[number];

/** One row of {@link FLEISCHNER_RULES}. */
export interface FleischnerRule {
  readonly id: string;
  readonly types: readonly FleischnerNoduleType[];
  readonly multiple: boolean;
  readonly band: FleischnerSizeBand;
  /** Absent where the recommendation is the same for both risks. */
  readonly risk?: FleischnerRisk;
  readonly recommendation: string;
}

/** Fleischner 2017 table 1, row by row (volumes in the table: < 100 mm³, 100–250 mm³, > 250 mm³). */
export const FLEISCHNER_RULES: readonly FleischnerRule[] = [
  {
    id: 'solid-single-lt6-low',
    types: ['solid'],
    multiple: false,
    band: '<6',
    risk: 'low',
    recommendation: 'No routine follow-up',
  },
  {
    id: 'solid-single-lt6-high',
    types: ['solid'],
    multiple: false,
    band: '<6',
    risk: 'high',
    recommendation: 'Optional CT at 12 months',
  },
  {
    id: 'solid-single-6-8-low',
    types: ['solid'],
    multiple: false,
    band: '6-8',
    risk: 'low',
    recommendation: 'CT at 6–12 months, then consider CT at 18–24 months',
  },
  {
    id: 'solid-single-6-8-high',
    types: ['solid'],
    multiple: false,
    band: '6-8',
    risk: 'high',
    recommendation: 'CT at 6–12 months, then CT at 18–24 months',
  },
  {
    id: 'solid-single-gt8',
    types: ['solid'],
    multiple: false,
    band: '>8',
    recommendation: 'Consider CT at 3 months, PET/CT, or tissue sampling',
  },
  {
    id: 'solid-multiple-lt6-low',
    types: ['solid'],
    multiple: true,
    band: '<6',
    risk: 'low',
    recommendation: 'No routine follow-up',
  },
  {
    id: 'solid-multiple-lt6-high',
    types: ['solid'],
    multiple: true,
    band: '<6',
    risk: 'high',
    recommendation: 'Optional CT at 12 months',
  },
  {
    id: 'solid-multiple-6-8-low',
    types: ['solid'],
    multiple: true,
    band: '6-8',
    risk: 'low',
    recommendation: 'CT at 3–6 months, then consider CT at 18–24 months',
  },
  {
    id: 'solid-multiple-6-8-high',
    types: ['solid'],
    multiple: true,
    band: '6-8',
    risk: 'high',
    recommendation: 'CT at 3–6 months, then at 18–24 months',
  },
  {
    id: 'solid-multiple-gt8',
    types: ['solid'],
    multiple: true,
    band: '>8',
    recommendation: 'CT at 3–6 months, then consider CT at 18–24 months',
  },
  {
    id: 'ground-glass-single-lt6',
    types: ['ground-glass'],
    multiple: false,
    band: '<6',
    recommendation: 'No routine follow-up',
  },
  {
    id: 'ground-glass-single-ge6',
    types: ['ground-glass'],
    multiple: false,
    band: '>=6',
    recommendation: 'CT at 6–12 months to confirm persistence, then CT every 2 years until 5 years',
  },
  {
    id: 'part-solid-single-lt6',
    types: ['part-solid'],
    multiple: false,
    band: '<6',
    recommendation: 'No routine follow-up',
  },
  {
    id: 'part-solid-single-ge6',
    types: ['part-solid'],
    multiple: false,
    band: '>=6',
    recommendation:
      'CT at 3–6 months to confirm persistence. If unchanged and solid component remains < 6 mm, annual CT should be performed for 5 years',
  },
  {
    id: 'subsolid-multiple-lt6',
    types: ['ground-glass', 'part-solid'],
    multiple: true,
    band: '<6',
    recommendation: 'CT at 3–6 months. If stable, consider CT at 2 and 4 years',
  },
  {
    id: 'subsolid-multiple-ge6',
    types: ['ground-glass', 'part-solid'],
    multiple: true,
    band: '>=6',
    recommendation: 'CT at 3–6 months. Subsequent management based on the most suspicious nodule(s)',
  },
];

/** What {@link recommendFleischner} needs. */
export interface FleischnerInput {
  readonly type: FleischnerNoduleType;
  /** Mean of long and short axis (mm, unrounded or rounded: it is rounded to whole mm here). */
  readonly meanDiameterMm: number;
  readonly multiple: boolean;
  readonly risk: FleischnerRisk;
}

/** A recommendation, the row that gave it and the rule in words (`solid, single, 7 mm, low risk`). */
export interface FleischnerRecommendation {
  readonly ruleId: string;
  readonly band: FleischnerSizeBand;
  /** The size the band was taken from: the mean diameter rounded to whole mm. */
  readonly sizeMm: number;
  readonly recommendation: string;
  readonly rule: string;
}

/** The size band of a rounded size: solid `<6` (≤ 5), `6-8`, `>8` (≥ 9); subsolid `<6`, `>=6`. */
export function fleischnerBand(type: FleischnerNoduleType, sizeMm: number): FleischnerSizeBand {
  if (sizeMm < 6) return '<6';
  if (type !== 'solid') return '>=6';
  return sizeMm <= 8 ? '6-8' : '>8';
}

/**
 * The Fleischner 2017 recommendation for an incidental nodule (the most suspicious one when
 * there are several: `multiple`). Risk only matters for solid nodules.
 */
export function recommendFleischner(input: FleischnerInput): FleischnerRecommendation {
  const sizeMm = Math.round(input.meanDiameterMm + 1e-9);
  const band = fleischnerBand(input.type, sizeMm);
  const rule = FLEISCHNER_RULES.find(
    (r) =>
      r.types.includes(input.type) &&
      r.multiple === input.multiple &&
      r.band === band &&
      (r.risk === undefined || r.risk === input.risk),
  ) as FleischnerRule;
  const words = [input.type, input.multiple ? 'multiple' : 'single', `${sizeMm} mm`];
  if (rule.risk) words.push(`${rule.risk} risk`);
  return { ruleId: rule.id, band, sizeMm, recommendation: rule.recommendation, rule: words.join(', ') };
}

/**
 * The Fleischner class of a nodule type: solid-looking types are `solid`, `non-solid` is
 * `ground-glass`; `calcified` (benign), `perifissural` (typical perifissural nodules need no
 * follow-up even above 6 mm, per the 2017 guideline), `airway` and `cyst` are outside table 1.
 */
export function fleischnerTypeOf(type: NoduleType): FleischnerNoduleType | undefined {
  if (type === 'solid' || type === 'juxtapleural') return 'solid';
  if (type === 'non-solid') return 'ground-glass';
  if (type === 'part-solid') return 'part-solid';
  return undefined;
}
