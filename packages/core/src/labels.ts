/**
 * The one home of the words SecondRead shows for its codes: verdicts, finding categories,
 * RADPEER scores, match methods, reading roles, measurement kinds and value names. The elements
 * and the printable report import them from here, so the screen and the paper say the same.
 * (English; translated catalogues come through the elements' `locale`.)
 */
import type { MeasurementKind, MeasurementValueKey } from './measurements/types.js';
import type {
  FindingCategory,
  FindingSeverity,
  MatchMethod,
  RadpeerScore,
  ReadingRole,
  Verdict,
} from './reading/types.js';

/**
 * ACR RADPEER scores in words (ACR RADPEER scoring, 2016 revision):
 *
 * | score | interpretation | significance |
 * | --- | --- | --- |
 * | `1` | Concur with interpretation | |
 * | `2a` | Discrepancy in interpretation, not ordinarily expected to be made (understandable miss) | Unlikely to be clinically significant |
 * | `2b` | the same | Likely to be clinically significant |
 * | `3a` | Discrepancy in interpretation, should be made most of the time | Unlikely to be clinically significant |
 * | `3b` | the same | Likely to be clinically significant |
 */
export const RADPEER_MEANINGS: Readonly<
  Record<RadpeerScore, { readonly interpretation: string; readonly significance?: string }>
> = {
  '1': { interpretation: 'Concur with interpretation' },
  '2a': {
    interpretation: 'Discrepancy in interpretation, not ordinarily expected to be made (understandable miss)',
    significance: 'Unlikely to be clinically significant',
  },
  '2b': {
    interpretation: 'Discrepancy in interpretation, not ordinarily expected to be made (understandable miss)',
    significance: 'Likely to be clinically significant',
  },
  '3a': {
    interpretation: 'Discrepancy in interpretation, should be made most of the time',
    significance: 'Unlikely to be clinically significant',
  },
  '3b': {
    interpretation: 'Discrepancy in interpretation, should be made most of the time',
    significance: 'Likely to be clinically significant',
  },
};

/** RADPEER scores in a few words, as a picker shows them. */
export const RADPEER_DESCRIPTIONS: Readonly<Record<RadpeerScore, string>> = {
  '1': 'Concur with interpretation',
  '2a': 'Discrepancy: understandable miss, unlikely to be clinically significant',
  '2b': 'Discrepancy: understandable miss, likely to be clinically significant',
  '3a': 'Discrepancy: should be made most of the time, unlikely to be clinically significant',
  '3b': 'Discrepancy: should be made most of the time, likely to be clinically significant',
};

/** The second reader's verdicts in words. */
export const VERDICT_LABELS: Readonly<Record<Verdict, string>> = {
  agree: 'Agree',
  disagree: 'Disagree',
  'missed-by-first': 'Missed by first reader',
  'not-confirmed-by-second': 'Not confirmed by second reader',
};

/** Finding categories in words. */
export const CATEGORY_LABELS: Readonly<Record<FindingCategory, string>> = {
  nodule: 'Nodule',
  mass: 'Mass',
  lymphadenopathy: 'Lymphadenopathy',
  consolidation: 'Consolidation',
  emphysema: 'Emphysema',
  effusion: 'Pleural effusion',
  pneumothorax: 'Pneumothorax',
  fracture: 'Fracture',
  haemorrhage: 'Haemorrhage',
  other: 'Other',
};

/** Finding severities in words. */
export const SEVERITY_LABELS: Readonly<Record<FindingSeverity, string>> = {
  minor: 'Minor',
  moderate: 'Moderate',
  major: 'Major',
  critical: 'Critical',
};

/** How two findings were paired, in words. */
export const MATCH_METHOD_LABELS: Readonly<Record<MatchMethod, string>> = {
  distance: '3D distance',
  overlap: 'ROI overlap',
  manual: 'Manual',
  unmatched: 'Unmatched',
};

/** Reading roles in words, as headings. */
export const ROLE_LABELS: Readonly<Record<ReadingRole, string>> = {
  first: 'First reading (under review)',
  second: 'Second opinion',
  cad: 'CAD / AI result',
  additional: 'Additional reading',
};

/** Measurement kinds in words (a measurement's default name). */
export const MEASUREMENT_KIND_LABELS: Readonly<Record<MeasurementKind, string>> = {
  length: 'Length',
  angle: 'Angle',
  'cobb-angle': 'Cobb angle',
  bidirectional: 'Bidirectional (RECIST)',
  'ellipse-roi': 'Ellipse ROI',
  'rectangle-roi': 'Rectangle ROI',
  'freehand-roi': 'Freehand ROI',
  probe: 'Probe (HU)',
  arrow: 'Arrow with text',
  label: 'Label',
};

/** Measurement tools in words: the kinds, and `none` (navigate). */
export const TOOL_LABELS: Readonly<Record<MeasurementKind | 'none', string>> = {
  none: 'Navigate',
  ...MEASUREMENT_KIND_LABELS,
};

/** Each measured value: its name, unit and the digits shown. */
export const VALUE_FORMATS: Readonly<
  Record<MeasurementValueKey, { readonly label: string; readonly unit: string; readonly digits: number }>
> = {
  lengthMm: { label: 'Length', unit: 'mm', digits: 1 },
  shortAxisMm: { label: 'Short axis', unit: 'mm', digits: 1 },
  angleDeg: { label: 'Angle', unit: '°', digits: 1 },
  areaMm2: { label: 'Area', unit: 'mm²', digits: 1 },
  meanHu: { label: 'Mean', unit: 'HU', digits: 0 },
  stdHu: { label: 'SD', unit: 'HU', digits: 0 },
  minHu: { label: 'Min', unit: 'HU', digits: 0 },
  maxHu: { label: 'Max', unit: 'HU', digits: 0 },
  hu: { label: 'Density', unit: 'HU', digits: 0 },
  pixelCount: { label: 'Pixels', unit: '', digits: 0 },
};
