/**
 * ACR Lung-RADS v2022 category suggestion for screening CT. The thresholds are in one table,
 * {@link LUNG_RADS_RULES}, each row quoting the rule of the ACR "Lung-RADS v2022" summary
 * (American College of Radiology, Lung-RADS® v2022, released November 2022,
 * https://www.acr.org/Clinical-Resources/Reporting-and-Data-Systems/Lung-Rads). The
 * suggestion is only that: the reader confirms or overrides it, and both are kept
 * ({@link LungRadsAssessment}).
 *
 * Sizes are mean diameters rounded to 0.1 mm (`lungRadsMeanDiameterMm`). Volumes are shown but
 * not used for the category. "Growth" is an increase in mean diameter of more than 1.5 mm
 * within 12 months ({@link LUNG_RADS_GROWTH}).
 */
import type { AirwayLevel, CystFeatures, NoduleDescription, NoduleType } from './nodule.js';
import { roundToTenthMm } from './nodule.js';

/** Lung-RADS v2022 categories, lowest to highest suspicion. `S` is a modifier, kept apart ({@link LungRadsAssessment.significantOtherFindings}). */
export const LUNG_RADS_CATEGORIES = ['0', '1', '2', '3', '4A', '4B', '4X'] as const;
export type LungRadsCategory = (typeof LUNG_RADS_CATEGORIES)[number];

/**
 * Management of each category, as the ACR Lung-RADS v2022 summary words it (column
 * "Management").
 */
export const LUNG_RADS_MANAGEMENT: Readonly<Record<LungRadsCategory, string>> = {
  '0': 'Comparison to prior chest CT examination(s); 1–3 month LDCT for findings suggestive of an inflammatory or infectious process',
  '1': '12-month screening LDCT',
  '2': '12-month screening LDCT',
  '3': '6-month LDCT',
  '4A': '3-month LDCT; PET/CT may be considered if there is a ≥ 8 mm (≥ 268 mm³) solid nodule or solid component',
  '4B': 'Diagnostic chest CT with or without contrast; PET/CT may be considered if there is a ≥ 8 mm (≥ 268 mm³) solid nodule or solid component; tissue sampling; and/or referral for further clinical evaluation',
  '4X': 'Diagnostic chest CT with or without contrast; PET/CT may be considered if there is a ≥ 8 mm (≥ 268 mm³) solid nodule or solid component; tissue sampling; and/or referral for further clinical evaluation',
};

/** The management in a few words, for discrepancy lines such as `3 → 4A: 6-month LDCT → 3-month LDCT`. */
export const LUNG_RADS_MANAGEMENT_SHORT: Readonly<Record<LungRadsCategory, string>> = {
  '0': 'comparison / 1–3-month LDCT',
  '1': '12-month LDCT',
  '2': '12-month LDCT',
  '3': '6-month LDCT',
  '4A': '3-month LDCT',
  '4B': 'diagnostic CT, PET/CT or tissue sampling',
  '4X': 'diagnostic CT, PET/CT or tissue sampling',
};

/** Category descriptors of the v2022 summary. */
export const LUNG_RADS_DESCRIPTORS: Readonly<Record<LungRadsCategory, string>> = {
  '0': 'Incomplete',
  '1': 'Negative',
  '2': 'Benign',
  '3': 'Probably benign',
  '4A': 'Suspicious',
  '4B': 'Very suspicious',
  '4X': 'Very suspicious',
};

/**
 * "Growth: an increase in mean diameter size > 1.5 mm … within a 12-month period" (Lung-RADS
 * v2022 summary, notes). 12 months is taken as 365 days (366 allowed for a leap year).
 */
export const LUNG_RADS_GROWTH = { increaseAboveMm: 1.5, withinDays: 366 } as const;

/**
 * Whether a change of mean diameter is growth in the Lung-RADS sense: more than 1.5 mm (on
 * diameters rounded to 0.1 mm) within 12 months.
 */
export function isLungRadsGrowth(priorMeanMm: number, currentMeanMm: number, intervalDays: number): boolean {
  const increase = roundToTenthMm(roundToTenthMm(currentMeanMm) - roundToTenthMm(priorMeanMm));
  return increase > LUNG_RADS_GROWTH.increaseAboveMm && intervalDays <= LUNG_RADS_GROWTH.withinDays;
}

/**
 * When a nodule is seen: on the `baseline` screening, `new` since the prior screening, or
 * present before and now `growing` or `stable` (not growing).
 */
export const LUNG_RADS_TIMINGS = ['baseline', 'new', 'growing', 'stable'] as const;
export type LungRadsTiming = (typeof LUNG_RADS_TIMINGS)[number];

/**
 * One row of {@link LUNG_RADS_RULES}. A nodule matches when its type, timing and sizes fit:
 * `minMm` ≤ size < `belowMm` on the measure named by `measure` (`mean`: the mean diameter,
 * `solid`: the solid component of a part-solid nodule), and `totalMinMm` ≤ mean diameter for
 * part-solid rows that also bound the total size.
 */
export interface LungRadsRule {
  readonly id: string;
  readonly category: LungRadsCategory;
  readonly types: readonly NoduleType[];
  readonly timings: readonly LungRadsTiming[];
  readonly measure: 'mean' | 'solid' | 'none';
  readonly minMm?: number;
  readonly belowMm?: number;
  readonly totalMinMm?: number;
  readonly totalBelowMm?: number;
  readonly airwayLevel?: AirwayLevel;
  /** For cysts: the features that make the row fire (any of the listed alternatives). */
  readonly cyst?: readonly Partial<CystFeatures>[];
  /** The rule as the ACR Lung-RADS v2022 summary words it (category, then criterion). */
  readonly source: string;
}

const SOLID_LIKE: readonly NoduleType[] = ['solid', 'juxtapleural', 'perifissural'];

/**
 * The Lung-RADS v2022 nodule rules, checked in this order; the first that matches gives the
 * suggestion. Stable nodules first get the "stepped management" of {@link LUNG_RADS_STEP_DOWN}
 * when their prior category is known, otherwise the baseline rows by size.
 */
export const LUNG_RADS_RULES: readonly LungRadsRule[] = [
  {
    id: 'calcified',
    category: '1',
    types: ['calcified'],
    timings: ['baseline', 'new', 'growing', 'stable'],
    measure: 'none',
    source:
      'Category 1: Nodule(s) with specific calcifications: complete, central, popcorn, concentric rings and fat-containing nodules',
  },
  {
    id: 'juxtapleural-lt10',
    category: '2',
    types: ['juxtapleural', 'perifissural'],
    timings: ['baseline', 'new'],
    measure: 'mean',
    belowMm: 10,
    source:
      'Category 2: Juxtapleural nodule(s): < 10 mm (524 mm³) mean diameter at baseline or new, solid, smooth margins, oval, lentiform or triangular',
  },
  {
    id: 'solid-baseline-lt6',
    category: '2',
    types: SOLID_LIKE,
    timings: ['baseline'],
    measure: 'mean',
    belowMm: 6,
    source: 'Category 2: Solid nodule(s): < 6 mm (< 113 mm³) at baseline',
  },
  {
    id: 'solid-new-lt4',
    category: '2',
    types: SOLID_LIKE,
    timings: ['new'],
    measure: 'mean',
    belowMm: 4,
    source: 'Category 2: Solid nodule(s): new < 4 mm (< 34 mm³)',
  },
  {
    id: 'solid-baseline-6-8',
    category: '3',
    types: SOLID_LIKE,
    timings: ['baseline'],
    measure: 'mean',
    minMm: 6,
    belowMm: 8,
    source: 'Category 3: Solid nodule(s): ≥ 6 to < 8 mm (≥ 113 to < 268 mm³) at baseline',
  },
  {
    id: 'solid-new-4-6',
    category: '3',
    types: SOLID_LIKE,
    timings: ['new'],
    measure: 'mean',
    minMm: 4,
    belowMm: 6,
    source: 'Category 3: Solid nodule(s): new 4 mm to < 6 mm (34 to < 113 mm³)',
  },
  {
    id: 'solid-baseline-8-15',
    category: '4A',
    types: SOLID_LIKE,
    timings: ['baseline'],
    measure: 'mean',
    minMm: 8,
    belowMm: 15,
    source: 'Category 4A: Solid nodule(s): ≥ 8 to < 15 mm (≥ 268 to < 1767 mm³) at baseline',
  },
  {
    id: 'solid-growing-lt8',
    category: '4A',
    types: SOLID_LIKE,
    timings: ['growing'],
    measure: 'mean',
    belowMm: 8,
    source: 'Category 4A: Solid nodule(s): growing < 8 mm (< 268 mm³)',
  },
  {
    id: 'solid-new-6-8',
    category: '4A',
    types: SOLID_LIKE,
    timings: ['new'],
    measure: 'mean',
    minMm: 6,
    belowMm: 8,
    source: 'Category 4A: Solid nodule(s): new 6 to < 8 mm (113 to < 268 mm³)',
  },
  {
    id: 'solid-baseline-ge15',
    category: '4B',
    types: SOLID_LIKE,
    timings: ['baseline'],
    measure: 'mean',
    minMm: 15,
    source: 'Category 4B: Solid nodule(s): ≥ 15 mm (≥ 1767 mm³) at baseline',
  },
  {
    id: 'solid-new-growing-ge8',
    category: '4B',
    types: SOLID_LIKE,
    timings: ['new', 'growing'],
    measure: 'mean',
    minMm: 8,
    source: 'Category 4B: Solid nodule(s): new or growing ≥ 8 mm (≥ 268 mm³)',
  },
  {
    id: 'part-solid-baseline-lt6',
    category: '2',
    types: ['part-solid'],
    timings: ['baseline'],
    measure: 'mean',
    belowMm: 6,
    source: 'Category 2: Part solid nodule(s): < 6 mm total mean diameter (< 113 mm³) at baseline',
  },
  {
    id: 'part-solid-new-total-lt6',
    category: '3',
    types: ['part-solid'],
    timings: ['new'],
    measure: 'mean',
    belowMm: 6,
    source: 'Category 3: Part solid nodule(s): new < 6 mm total mean diameter (< 113 mm³)',
  },
  {
    id: 'part-solid-baseline-solid-lt6',
    category: '3',
    types: ['part-solid'],
    timings: ['baseline'],
    measure: 'solid',
    belowMm: 6,
    totalMinMm: 6,
    source:
      'Category 3: Part solid nodule(s): ≥ 6 mm total mean diameter (≥ 113 mm³) with solid component < 6 mm (< 113 mm³) at baseline',
  },
  {
    id: 'part-solid-baseline-solid-6-8',
    category: '4A',
    types: ['part-solid'],
    timings: ['baseline'],
    measure: 'solid',
    minMm: 6,
    belowMm: 8,
    totalMinMm: 6,
    source:
      'Category 4A: Part solid nodule(s): ≥ 6 mm total mean diameter (≥ 113 mm³) with solid component ≥ 6 mm to < 8 mm (≥ 113 to < 268 mm³) at baseline',
  },
  {
    id: 'part-solid-new-growing-solid-lt4',
    category: '4A',
    types: ['part-solid'],
    timings: ['new', 'growing'],
    measure: 'solid',
    belowMm: 4,
    source: 'Category 4A: Part solid nodule(s): new or growing < 4 mm solid component (< 34 mm³)',
  },
  {
    id: 'part-solid-baseline-solid-ge8',
    category: '4B',
    types: ['part-solid'],
    timings: ['baseline'],
    measure: 'solid',
    minMm: 8,
    source: 'Category 4B: Part solid nodule(s): solid component ≥ 8 mm (≥ 268 mm³) at baseline',
  },
  {
    id: 'part-solid-new-growing-solid-ge4',
    category: '4B',
    types: ['part-solid'],
    timings: ['new', 'growing'],
    measure: 'solid',
    minMm: 4,
    source: 'Category 4B: Part solid nodule(s): new or growing ≥ 4 mm solid component (≥ 34 mm³)',
  },
  {
    id: 'non-solid-lt30',
    category: '2',
    types: ['non-solid'],
    timings: ['baseline', 'new', 'growing', 'stable'],
    measure: 'mean',
    belowMm: 30,
    source: 'Category 2: Non solid nodule(s) (GGN): < 30 mm (< 14137 mm³) at baseline, new, or growing',
  },
  {
    id: 'non-solid-ge30-stable-growing',
    category: '2',
    types: ['non-solid'],
    timings: ['growing', 'stable'],
    measure: 'mean',
    minMm: 30,
    source: 'Category 2: Non solid nodule(s) (GGN): ≥ 30 mm (≥ 14137 mm³) stable or slowly growing',
  },
  {
    id: 'non-solid-ge30-baseline-new',
    category: '3',
    types: ['non-solid'],
    timings: ['baseline', 'new'],
    measure: 'mean',
    minMm: 30,
    source: 'Category 3: Non solid nodule(s) (GGN): ≥ 30 mm (≥ 14137 mm³) at baseline or new',
  },
  {
    id: 'airway-subsegmental',
    category: '2',
    types: ['airway'],
    timings: ['baseline', 'new', 'stable'],
    measure: 'none',
    airwayLevel: 'subsegmental',
    source: 'Category 2: Airway nodule(s): subsegmental at baseline, new, or stable',
  },
  {
    id: 'airway-segmental-baseline-new',
    category: '4A',
    types: ['airway'],
    timings: ['baseline', 'new'],
    measure: 'none',
    airwayLevel: 'segmental',
    source: 'Category 4A: Airway nodule(s): segmental or more proximal at baseline or new',
  },
  {
    id: 'airway-segmental-stable-growing',
    category: '4B',
    types: ['airway'],
    timings: ['stable', 'growing'],
    measure: 'none',
    airwayLevel: 'segmental',
    source: 'Category 4B: Airway nodule(s): segmental or more proximal, stable or growing',
  },
  {
    id: 'cyst-thin-growing',
    category: '3',
    types: ['cyst'],
    timings: ['baseline', 'new', 'growing', 'stable'],
    measure: 'none',
    cyst: [{ wall: 'thin', multilocular: false, change: 'growing' }],
    source: 'Category 3: Atypical pulmonary cyst: growing cystic component (mean diameter) of a thin-walled cyst',
  },
  {
    id: 'cyst-thick-multilocular-worse',
    category: '4B',
    types: ['cyst'],
    timings: ['baseline', 'new', 'growing', 'stable'],
    measure: 'none',
    cyst: [
      { wall: 'thick', change: 'wall-growing' },
      { multilocular: true, change: 'growing' },
      { multilocular: true, change: 'more-loculation-or-opacity' },
    ],
    source:
      'Category 4B: Atypical pulmonary cyst: thick-walled cyst with growing wall thickness/nodularity, or growing multilocular cyst (mean diameter), or multilocular cyst with increased loculation or new/increased opacity (nodular, ground glass or consolidation)',
  },
  {
    id: 'cyst-becomes-multilocular',
    category: '4A',
    types: ['cyst'],
    timings: ['baseline', 'new', 'growing', 'stable'],
    measure: 'none',
    cyst: [{ change: 'became-multilocular' }],
    source: 'Category 4A: Atypical pulmonary cyst: thin- or thick-walled cyst that becomes multilocular',
  },
  {
    id: 'cyst-thick-or-multilocular',
    category: '4A',
    types: ['cyst'],
    timings: ['baseline', 'new', 'growing'],
    measure: 'none',
    cyst: [{ wall: 'thick' }, { multilocular: true }],
    source: 'Category 4A: Atypical pulmonary cyst: thick-walled cyst, or multilocular cyst at baseline',
  },
];

/**
 * Stepped management of stable nodules at follow-up (Lung-RADS v2022): the prior category that
 * steps down, and to what.
 */
export const LUNG_RADS_STEP_DOWN: readonly {
  readonly from: LungRadsCategory;
  readonly to: LungRadsCategory;
  readonly source: string;
}[] = [
  {
    from: '3',
    to: '2',
    source: 'Category 2: Category 3 lesion that is stable or decreased in size at 6-month follow-up CT',
  },
  {
    from: '4A',
    to: '3',
    source:
      'Category 3: Category 4A lesion that is stable or decreased in size at 3-month follow-up CT (excluding airway nodules)',
  },
];

/** Lung-RADS 4X: "Category 3 or 4 nodules with additional features or imaging findings that increase the suspicion of lung cancer". */
export const LUNG_RADS_4X_SOURCE =
  'Category 4X: Category 3 or 4 nodules with additional features or imaging findings that increase the suspicion of lung cancer';

/** What {@link suggestLungRads} needs about one nodule. */
export interface LungRadsNoduleInput extends NoduleDescription {
  /** Mean diameter (mm); rounded to 0.1 mm here. Not needed for `calcified`, `airway` and `cyst`. */
  readonly meanDiameterMm?: number;
  readonly timing: LungRadsTiming;
  /** For `stable` nodules: the category of the prior screening, for stepped management. */
  readonly priorCategory?: LungRadsCategory;
}

/** A suggested category, the rule that fired (in words) and what it means for management. */
export interface LungRadsSuggestion {
  /** Absent when no rule covers the nodule (the reader decides; {@link rule} says why). */
  readonly category?: LungRadsCategory;
  /** The id of the row of {@link LUNG_RADS_RULES} (or `step-down-3`, `step-down-4A`). */
  readonly ruleId?: string;
  /** What fired, in words: `solid, 9.2 mm, baseline → 4A`. */
  readonly rule: string;
  /** The published criterion quoted. */
  readonly source?: string;
  readonly management?: string;
}

/** The words for each nodule type in rule lines. */
export const NODULE_TYPE_LABELS: Readonly<Record<NoduleType, string>> = {
  solid: 'solid',
  'part-solid': 'part-solid',
  'non-solid': 'non-solid (ground glass)',
  juxtapleural: 'juxtapleural',
  perifissural: 'perifissural',
  airway: 'airway',
  cyst: 'atypical cyst',
  calcified: 'benign calcification/fat',
};

const inRange = (value: number | undefined, min?: number, below?: number): boolean =>
  value !== undefined && (min === undefined || value >= min) && (below === undefined || value < below);

function cystMatches(rule: LungRadsRule, cyst: CystFeatures | undefined): boolean {
  if (!rule.cyst) return true;
  if (!cyst) return false;
  return rule.cyst.some((alternative) =>
    (Object.keys(alternative) as (keyof CystFeatures)[]).every((key) => alternative[key] === cyst[key]),
  );
}

function ruleMatches(rule: LungRadsRule, input: LungRadsNoduleInput, timing: LungRadsTiming): boolean {
  if (!rule.types.includes(input.type) || !rule.timings.includes(timing)) return false;
  if (rule.airwayLevel !== undefined && rule.airwayLevel !== input.airwayLevel) return false;
  if (!cystMatches(rule, input.cyst)) return false;
  const mean = input.meanDiameterMm === undefined ? undefined : roundToTenthMm(input.meanDiameterMm);
  const solid = input.solidComponentMm === undefined ? undefined : roundToTenthMm(input.solidComponentMm);
  if (rule.totalMinMm !== undefined || rule.totalBelowMm !== undefined) {
    if (!inRange(mean, rule.totalMinMm, rule.totalBelowMm)) return false;
  }
  if (rule.measure === 'mean') return inRange(mean, rule.minMm, rule.belowMm);
  if (rule.measure === 'solid') return inRange(solid, rule.minMm, rule.belowMm);
  return true;
}

function describeInput(input: LungRadsNoduleInput, timing: LungRadsTiming): string {
  const parts = [NODULE_TYPE_LABELS[input.type]];
  if (input.type === 'airway' && input.airwayLevel) parts.push(input.airwayLevel);
  if (input.meanDiameterMm !== undefined && input.type !== 'airway' && input.type !== 'calcified') {
    parts.push(`${roundToTenthMm(input.meanDiameterMm).toFixed(1)} mm`);
  }
  if (input.type === 'part-solid' && input.solidComponentMm !== undefined) {
    parts.push(`solid component ${roundToTenthMm(input.solidComponentMm).toFixed(1)} mm`);
  }
  parts.push(timing);
  return parts.join(', ');
}

const RANK: Readonly<Record<LungRadsCategory, number>> = { '0': 0, '1': 1, '2': 2, '3': 3, '4A': 4, '4B': 5, '4X': 6 };

/** Orders categories by suspicion (`0` lowest, `4X` highest); a negative number when `a` is less suspicious. */
export function compareLungRads(a: LungRadsCategory, b: LungRadsCategory): number {
  return RANK[a] - RANK[b];
}

function suggestion(
  category: LungRadsCategory,
  ruleId: string,
  words: string,
  source: string,
  input: LungRadsNoduleInput,
): LungRadsSuggestion {
  if (input.suspiciousFeatures && (category === '3' || category === '4A' || category === '4B')) {
    return {
      category: '4X',
      ruleId: `${ruleId}+4X`,
      rule: `${words} → ${category}, with suspicious features → 4X`,
      source: `${source}; ${LUNG_RADS_4X_SOURCE}`,
      management: LUNG_RADS_MANAGEMENT['4X'],
    };
  }
  return { category, ruleId, rule: `${words} → ${category}`, source, management: LUNG_RADS_MANAGEMENT[category] };
}

/**
 * The Lung-RADS v2022 category suggested for one nodule: the first row of
 * {@link LUNG_RADS_RULES} that fits. A `stable` nodule with a known prior category of 3 or 4A
 * (not an airway nodule) steps down ({@link LUNG_RADS_STEP_DOWN}); another stable nodule keeps
 * its prior category 1 or 2, and without a prior category it is sized as at baseline. With
 * `suspiciousFeatures`, a 3, 4A or 4B becomes 4X. When no row fits (a part-solid nodule of
 * 6 mm or more without its solid component, a subsegmental airway nodule that grows, a
 * thin-walled unilocular cyst that does not grow), there is no category and `rule` says why.
 */
export function suggestLungRads(input: LungRadsNoduleInput): LungRadsSuggestion {
  const timing = input.timing;
  const words = describeInput(input, timing);
  // Rows naming the timing itself; for `stable`, only the rows that say "stable" (calcified,
  // non-solid, airway, cyst changes): the others go through stepped management below.
  const explicit = LUNG_RADS_RULES.find((rule) => ruleMatches(rule, input, timing));
  if (explicit) {
    return suggestion(explicit.category, explicit.id, words, explicit.source, input);
  }
  if (timing === 'stable') {
    const prior = input.priorCategory;
    const step = LUNG_RADS_STEP_DOWN.find((s) => s.from === prior);
    if (step && input.type !== 'airway') {
      return suggestion(step.to, `step-down-${step.from}`, `${words}, prior ${step.from}`, step.source, input);
    }
    if (prior === '1' || prior === '2') {
      return suggestion(prior, 'stable-unchanged', `${words}, prior ${prior}`, `Category ${prior}, unchanged`, input);
    }
    const asBaseline = LUNG_RADS_RULES.find((rule) => ruleMatches(rule, input, 'baseline'));
    if (asBaseline) {
      return suggestion(
        asBaseline.category,
        asBaseline.id,
        `${words}${prior ? `, prior ${prior}` : ', no prior category'}, sized as at baseline`,
        asBaseline.source,
        input,
      );
    }
  }
  const why =
    input.type === 'part-solid' && input.solidComponentMm === undefined
      ? 'needs the solid component size'
      : input.meanDiameterMm === undefined && input.type !== 'airway' && input.type !== 'cyst'
        ? 'needs a size'
        : 'no Lung-RADS v2022 rule covers it: the reader decides';
  return { rule: `${words}: ${why}` };
}

/** A category for the whole exam: the most suspicious nodule's, or 1 (negative) without nodules. */
export interface LungRadsExamSuggestion extends LungRadsSuggestion {
  /** Index (into the list given) of the nodule that sets the category. */
  readonly noduleIndex?: number;
}

/**
 * The exam's category: the highest of the nodules' suggestions ("the most suspicious
 * nodule"); `1` ("No lung nodules") when there are none. Nodules without a suggestion are
 * ignored; when no nodule has one, there is no exam category either.
 */
export function lungRadsExamCategory(suggestions: readonly LungRadsSuggestion[]): LungRadsExamSuggestion {
  if (!suggestions.length) {
    return {
      category: '1',
      ruleId: 'no-nodules',
      rule: 'no lung nodules → 1',
      source: 'Category 1: No lung nodules',
      management: LUNG_RADS_MANAGEMENT['1'],
    };
  }
  let best: number | undefined;
  suggestions.forEach((s, index) => {
    if (s.category === undefined) return;
    if (best === undefined || compareLungRads(s.category, suggestions[best]?.category as LungRadsCategory) > 0)
      best = index;
  });
  if (best === undefined) return { rule: 'no nodule has a suggested category: the reader decides' };
  return { ...(suggestions[best] as LungRadsSuggestion), noduleIndex: best };
}

/**
 * What a reader decided: the suggestion, the category they chose (the same or an override)
 * and the S modifier. Both are kept: the suggestion documents what the rules said.
 */
export interface LungRadsAssessment {
  readonly suggested?: LungRadsCategory;
  readonly suggestedRule?: string;
  readonly category: LungRadsCategory;
  /** True when the reader chose another category than the suggestion. */
  readonly overridden: boolean;
  /** Lung-RADS "S" modifier: clinically significant or potentially significant non-lung-cancer findings. */
  readonly significantOtherFindings?: boolean;
}

/** The reader's {@link LungRadsAssessment}: their `category` (by default the suggested one). */
export function assessLungRads(
  suggestion: LungRadsSuggestion,
  chosen?: LungRadsCategory,
  significantOtherFindings?: boolean,
): LungRadsAssessment | undefined {
  const category = chosen ?? suggestion.category;
  if (category === undefined) return undefined;
  return {
    ...(suggestion.category === undefined ? {} : { suggested: suggestion.category, suggestedRule: suggestion.rule }),
    category,
    overridden: suggestion.category !== category,
    ...(significantOtherFindings === undefined ? {} : { significantOtherFindings }),
  };
}

/**
 * The management consequence of two readers' categories, e.g. `3 → 4A: 6-month LDCT →
 * 3-month LDCT`; undefined when they agree or lead to the same management (1 and 2, 4B and 4X).
 */
export function lungRadsDiscrepancy(first: LungRadsCategory, second: LungRadsCategory): string | undefined {
  if (first === second) return undefined;
  const a = LUNG_RADS_MANAGEMENT_SHORT[first];
  const b = LUNG_RADS_MANAGEMENT_SHORT[second];
  if (a === b) return undefined;
  return `${first} → ${second}: ${a} → ${b}`;
}
