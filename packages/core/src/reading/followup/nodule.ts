/**
 * A lung nodule as the follow-up assistance sees it: its type (chosen by the reader), its size
 * (long axis, short axis, mean diameter, volume) and how that size is read from a finding's
 * measurements. The one home of the rounding rules of Lung-RADS v2022 and Fleischner 2017.
 */
import type { Vec3 } from '../../vec3.js';
import type { Finding } from '../types.js';

/**
 * Nodule types a reader picks for a finding (ACR Lung-RADS v2022 vocabulary):
 *
 * | type | meaning |
 * | --- | --- |
 * | `solid` | solid nodule |
 * | `part-solid` | part-solid (mixed) nodule: give the solid component's mean diameter too |
 * | `non-solid` | non-solid, ground-glass nodule (GGN) |
 * | `juxtapleural` | juxtapleural nodule: solid, smooth margins, oval/lentiform/triangular, on the costal, mediastinal or paravertebral pleura |
 * | `perifissural` | perifissural nodule: the juxtapleural morphology on a fissure |
 * | `airway` | endobronchial/airway nodule (give its level: {@link AIRWAY_LEVELS}) |
 * | `cyst` | atypical pulmonary cyst (give its wall and change: {@link CystFeatures}) |
 * | `calcified` | benign features: complete, central, popcorn or concentric-ring calcification, or fat |
 */
export const NODULE_TYPES = [
  'solid',
  'part-solid',
  'non-solid',
  'juxtapleural',
  'perifissural',
  'airway',
  'cyst',
  'calcified',
] as const;
export type NoduleType = (typeof NODULE_TYPES)[number];

/** Where an airway nodule is: `subsegmental`, or `segmental` (segmental or more proximal). */
export const AIRWAY_LEVELS = ['subsegmental', 'segmental'] as const;
export type AirwayLevel = (typeof AIRWAY_LEVELS)[number];

/** How an atypical pulmonary cyst looks and changed (Lung-RADS v2022 "atypical pulmonary cyst" rows). */
export interface CystFeatures {
  /** `thin` (< 2 mm, uniform) or `thick` (≥ 2 mm, or asymmetric/nodular) wall. */
  readonly wall: 'thin' | 'thick';
  readonly multilocular: boolean;
  /**
   * At follow-up: `growing` (the cystic component's mean diameter grew), `became-multilocular`,
   * `wall-growing` (wall thickness or nodularity grew), `more-loculation-or-opacity` (increased
   * loculation, or new/increased nodular, ground-glass or consolidative opacity). Absent at
   * baseline and when unchanged.
   */
  readonly change?: 'growing' | 'became-multilocular' | 'wall-growing' | 'more-loculation-or-opacity';
}

/** What a reader says about a nodule finding, beyond its measurements (stored on the {@link Finding}). */
export interface NoduleDescription {
  readonly type: NoduleType;
  /** Mean diameter of the solid component of a part-solid nodule (mm). */
  readonly solidComponentMm?: number;
  readonly airwayLevel?: AirwayLevel;
  readonly cyst?: CystFeatures;
  /** Lung-RADS 4X: additional features or imaging findings that increase the suspicion of lung cancer. */
  readonly suspiciousFeatures?: boolean;
}

/**
 * Lung-RADS v2022 measures to the nearest tenth of a millimetre: "Measurements should be
 * rounded to the nearest tenth of a millimeter" (ACR Lung-RADS v2022 summary, notes). Halves
 * round up; the tiny epsilon keeps 7.25 from turning into 7.2 through binary floating point.
 */
export function roundToTenthMm(valueMm: number): number {
  return Math.round(valueMm * 10 + 1e-9) / 10;
}

/**
 * Lung-RADS v2022 mean diameter: the mean of the long and short axis, measured on the same
 * image, rounded to 0.1 mm ({@link roundToTenthMm}).
 */
export function lungRadsMeanDiameterMm(longAxisMm: number, shortAxisMm: number): number {
  return roundToTenthMm((longAxisMm + shortAxisMm) / 2);
}

/**
 * Fleischner 2017 size: "Dimensions are average of long and short axes, rounded to the nearest
 * millimeter" (MacMahon et al., Radiology 2017;284:228–243, table 1 footnote).
 */
export function fleischnerSizeMm(longAxisMm: number, shortAxisMm: number): number {
  return Math.round((longAxisMm + shortAxisMm) / 2 + 1e-9);
}

/** How a nodule's size was read from a finding. */
export const NODULE_SIZE_BASES = ['bidirectional', 'length', 'segment'] as const;
export type NoduleSizeBasis = (typeof NODULE_SIZE_BASES)[number];

/** A nodule's size on one study. */
export interface NoduleSize {
  readonly longAxisMm: number;
  /** Absent when only a long axis was measured. */
  readonly shortAxisMm?: number;
  /**
   * Mean of long and short axis rounded to 0.1 mm ({@link lungRadsMeanDiameterMm}); with only
   * a long axis, the long axis itself (`basis: 'length'` says so).
   */
  readonly meanDiameterMm: number;
  /** From the finding's segment (SEG), when it has one. */
  readonly volumeMm3?: number;
  readonly basis: NoduleSizeBasis;
}

/**
 * The size of a nodule finding: its largest `bidirectional` measurement (long × short axis);
 * without one, its longest `length`; without lines, the diameter of a sphere with its segment's
 * volume. The volume comes from the segment (`location.segment.volumeMm3`). Undefined when the
 * finding has none of these.
 */
export function noduleSize(finding: Finding): NoduleSize | undefined {
  const measurements = finding.location.measurements;
  const volumeMm3 = finding.location.segment?.volumeMm3;
  const withVolume = <T extends object>(size: T): T & { volumeMm3?: number } =>
    volumeMm3 === undefined ? size : { ...size, volumeMm3 };
  const bidirectional = measurements
    .filter((m) => m.kind === 'bidirectional' && m.values.lengthMm !== undefined)
    .sort((a, b) => (b.values.lengthMm as number) - (a.values.lengthMm as number))[0];
  if (bidirectional) {
    const longAxisMm = bidirectional.values.lengthMm as number;
    const shortAxisMm = bidirectional.values.shortAxisMm ?? 0;
    return withVolume({
      longAxisMm,
      shortAxisMm,
      meanDiameterMm: lungRadsMeanDiameterMm(longAxisMm, shortAxisMm),
      basis: 'bidirectional' as const,
    });
  }
  const lengths = measurements.filter((m) => m.kind === 'length' && m.values.lengthMm !== undefined);
  if (lengths.length) {
    const longAxisMm = Math.max(...lengths.map((m) => m.values.lengthMm as number));
    return withVolume({ longAxisMm, meanDiameterMm: roundToTenthMm(longAxisMm), basis: 'length' as const });
  }
  if (volumeMm3 !== undefined && volumeMm3 > 0) {
    const diameter = Math.cbrt((6 * volumeMm3) / Math.PI);
    return { longAxisMm: diameter, meanDiameterMm: roundToTenthMm(diameter), volumeMm3, basis: 'segment' };
  }
  return undefined;
}

/** A translation applied to points (mm). */
export type OffsetMm = Vec3;
