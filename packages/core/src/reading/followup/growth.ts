/**
 * Nodule growth between a prior and a current study: the interval, the change of long axis,
 * short axis, mean diameter and volume, and the volume doubling time.
 *
 * `VDT = interval · ln 2 / ln(V2 / V1)`; without volumes it is taken from the mean diameters,
 * assuming a sphere (V ∝ d³): `VDT = interval · ln 2 / (3 · ln(d2 / d1))`, and says so
 * (`vdtBasis: 'diameter'`).
 */
import { ReadingError } from '../errors.js';
import { isLungRadsGrowth } from './lung-rads.js';
import { roundToTenthMm, type NoduleSize } from './nodule.js';

const DAY_MS = 86_400_000;

/**
 * Days from one DICOM date (`YYYYMMDD`, or ISO `YYYY-MM-DD`) to another; negative when the
 * "current" one is earlier.
 * @throws ReadingError `invalid-input` for a date that is not a real calendar date
 */
export function intervalDaysBetween(priorDate: string, currentDate: string): number {
  return Math.round((dayNumber(currentDate) - dayNumber(priorDate)) / DAY_MS);
}

function dayNumber(date: string): number {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(date.trim());
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [NaN, NaN, NaN];
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (!match || check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new ReadingError('invalid-input', `not a date (YYYYMMDD): ${JSON.stringify(date)}`);
  }
  return time;
}

/**
 * Volume doubling time (days) from two volumes `interval` days apart; negative when the volume
 * shrinks, undefined when it is unchanged or a volume is not positive.
 */
export function volumeDoublingTimeDays(
  intervalDays: number,
  priorVolume: number,
  currentVolume: number,
): number | undefined {
  if (!(priorVolume > 0) || !(currentVolume > 0) || priorVolume === currentVolume) return undefined;
  return (intervalDays * Math.LN2) / Math.log(currentVolume / priorVolume);
}

/** The same from two diameters, for a sphere (V ∝ d³). */
export function volumeDoublingTimeFromDiametersDays(
  intervalDays: number,
  priorDiameterMm: number,
  currentDiameterMm: number,
): number | undefined {
  if (!(priorDiameterMm > 0) || !(currentDiameterMm > 0) || priorDiameterMm === currentDiameterMm) return undefined;
  return (intervalDays * Math.LN2) / (3 * Math.log(currentDiameterMm / priorDiameterMm));
}

/** How a nodule changed: `new`, `resolved`, `growing` (Lung-RADS growth), `stable` or `shrinking`. */
export const GROWTH_STATUSES = ['new', 'resolved', 'growing', 'stable', 'shrinking'] as const;
export type GrowthStatus = (typeof GROWTH_STATUSES)[number];

/** The change of one nodule between two studies. */
export interface NoduleGrowth {
  readonly status: GrowthStatus;
  readonly intervalDays: number;
  readonly prior?: NoduleSize;
  readonly current?: NoduleSize;
  readonly longAxisChangeMm?: number;
  readonly shortAxisChangeMm?: number;
  /** Current minus prior mean diameter, both rounded to 0.1 mm, the difference too. */
  readonly meanDiameterChangeMm?: number;
  readonly meanDiameterChangePercent?: number;
  readonly volumeChangeMm3?: number;
  readonly volumeChangePercent?: number;
  readonly volumeDoublingTimeDays?: number;
  /** What the VDT was computed from: segment `volume`s, or mean `diameter`s (sphere). */
  readonly vdtBasis?: 'volume' | 'diameter';
}

/**
 * The growth of a nodule measured on both studies (or only on one: `new`, `resolved`).
 * `growing` follows Lung-RADS v2022 (mean diameter up by more than 1.5 mm within 12 months);
 * `shrinking` is a decrease of more than 1.5 mm; anything else is `stable`.
 */
export function noduleGrowth(
  prior: NoduleSize | undefined,
  current: NoduleSize | undefined,
  intervalDays: number,
): NoduleGrowth {
  if (!prior && !current) throw new ReadingError('invalid-input', 'noduleGrowth needs a prior or a current size');
  if (!prior) return { status: 'new', intervalDays, current: current };
  if (!current) return { status: 'resolved', intervalDays, prior };
  const meanChange = roundToTenthMm(current.meanDiameterMm - prior.meanDiameterMm);
  const growth: {
    -readonly [K in keyof NoduleGrowth]: NoduleGrowth[K];
  } = {
    status: isLungRadsGrowth(prior.meanDiameterMm, current.meanDiameterMm, intervalDays)
      ? 'growing'
      : meanChange < -1.5
        ? 'shrinking'
        : 'stable',
    intervalDays,
    prior,
    current,
    longAxisChangeMm: current.longAxisMm - prior.longAxisMm,
    meanDiameterChangeMm: meanChange,
  };
  if (prior.shortAxisMm !== undefined && current.shortAxisMm !== undefined) {
    growth.shortAxisChangeMm = current.shortAxisMm - prior.shortAxisMm;
  }
  if (prior.meanDiameterMm > 0) growth.meanDiameterChangePercent = (meanChange / prior.meanDiameterMm) * 100;
  if (prior.volumeMm3 !== undefined && current.volumeMm3 !== undefined) {
    growth.volumeChangeMm3 = current.volumeMm3 - prior.volumeMm3;
    if (prior.volumeMm3 > 0) growth.volumeChangePercent = (growth.volumeChangeMm3 / prior.volumeMm3) * 100;
    const vdt = volumeDoublingTimeDays(intervalDays, prior.volumeMm3, current.volumeMm3);
    if (vdt !== undefined) {
      growth.volumeDoublingTimeDays = vdt;
      growth.vdtBasis = 'volume';
    }
  } else {
    const vdt = volumeDoublingTimeFromDiametersDays(intervalDays, prior.meanDiameterMm, current.meanDiameterMm);
    if (vdt !== undefined) {
      growth.volumeDoublingTimeDays = vdt;
      growth.vdtBasis = 'diameter';
    }
  }
  return growth;
}
