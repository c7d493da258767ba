/**
 * One reader's follow-up comparison in one object: the prior reading paired with the reader's
 * current reading, the growth of every nodule, the Lung-RADS v2022 suggestion per nodule and for
 * the exam (screening) or the Fleischner 2017 recommendation (incidental), and the reader's
 * chosen category beside the suggestion. {@link summarizeFollowUp} does it for the first and the
 * second reader and words the management consequence when their categories differ. Intervals,
 * never dates: events and exports carry no identifying dates.
 */
import type { Vec3 } from '../../vec3.js';
import { ReadingError } from '../errors.js';
import type { Finding, Reading } from '../types.js';
import {
  fleischnerTypeOf,
  recommendFleischner,
  type FleischnerRecommendation,
  type FleischnerRisk,
} from './fleischner.js';
import { noduleGrowth, type NoduleGrowth } from './growth.js';
import {
  assessLungRads,
  compareLungRads,
  lungRadsDiscrepancy,
  lungRadsExamCategory,
  suggestLungRads,
  type LungRadsAssessment,
  type LungRadsCategory,
  type LungRadsExamSuggestion,
  type LungRadsSuggestion,
  type LungRadsTiming,
} from './lung-rads.js';
import { noduleSize, type NoduleDescription } from './nodule.js';
import { pairAcrossStudies, type FollowUpPair } from './pairing.js';

/** `screening` (Lung-RADS v2022) or `incidental` (Fleischner 2017), as the reader picks. */
export const FOLLOW_UP_CONTEXTS = ['screening', 'incidental'] as const;
export type FollowUpContext = (typeof FOLLOW_UP_CONTEXTS)[number];

/** What a follow-up comparison starts from (set by the host, edited by the reader). */
export interface FollowUpSetup {
  /** The reading of the prior study (its findings in the prior study's coordinates). */
  readonly prior: Reading;
  /** Days from the prior to the current study (the host or the element computes it from the study dates). */
  readonly intervalDays: number;
  /** A point `p` of the prior study is at `p + linkOffsetMm` in the current one; `[0, 0, 0]` by default. */
  readonly linkOffsetMm?: Vec3;
  readonly context: FollowUpContext;
  /** Fleischner risk (incidental context); `low` by default. */
  readonly risk?: FleischnerRisk;
  /** The nodule type etc. of current findings, by finding id; `solid` when not given. */
  readonly nodules?: Readonly<Record<string, NoduleDescription>>;
  /** The Lung-RADS category of the prior screening, for stepped management of stable nodules. */
  readonly priorCategory?: LungRadsCategory;
  /** The readers' own pairing (confirmed pairs are kept), per reader. */
  readonly pairs?: Partial<Record<FollowUpReaderRole, readonly FollowUpPair[]>>;
  /** The category each reader chose (the first reader's from their report; the second's in the element). */
  readonly categories?: Partial<Record<FollowUpReaderRole, LungRadsCategory>>;
  /** The Lung-RADS S modifier, per reader. */
  readonly significantOtherFindings?: Partial<Record<FollowUpReaderRole, boolean>>;
}

export type FollowUpReaderRole = 'first' | 'second';

/** One line of a reader's growth table. */
export interface FollowUpRow {
  readonly pair: FollowUpPair;
  readonly growth: NoduleGrowth;
  /** The current finding's description, or the prior's for a resolved nodule. */
  readonly description: string;
  readonly nodule?: NoduleDescription;
  readonly lungRads?: LungRadsSuggestion;
}

/** One reader's follow-up comparison. */
export interface ReaderFollowUp {
  readonly role: FollowUpReaderRole;
  readonly rows: readonly FollowUpRow[];
  /** Screening: the exam's suggested category (the most suspicious nodule). */
  readonly suggestion?: LungRadsExamSuggestion;
  /** Screening: the suggestion and the reader's category, both kept. */
  readonly assessment?: LungRadsAssessment;
  /** Incidental: the recommendation for the most suspicious (largest) nodule. */
  readonly fleischner?: FleischnerRecommendation;
}

/** The follow-up comparison of both readers. */
export interface FollowUpSummary {
  readonly context: FollowUpContext;
  readonly intervalDays: number;
  readonly linkOffsetMm: Vec3;
  readonly readers: readonly ReaderFollowUp[];
  /** When the readers' categories differ in management: `3 → 4A: 6-month LDCT → 3-month LDCT`. */
  readonly discrepancy?: string;
}

const isNodule = (finding: Finding): boolean => finding.category === 'nodule';

function timingOf(growth: NoduleGrowth, baseline: boolean): LungRadsTiming {
  if (baseline) return 'baseline';
  if (growth.status === 'new') return 'new';
  return growth.status === 'growing' ? 'growing' : 'stable';
}

/** One reader's comparison of their current reading with the prior. */
export function followUpForReader(setup: FollowUpSetup, role: FollowUpReaderRole, current: Reading): ReaderFollowUp {
  if (!Number.isFinite(setup.intervalDays) || setup.intervalDays < 0) {
    throw new ReadingError(
      'invalid-input',
      `intervalDays must be a number of days ≥ 0, got ${String(setup.intervalDays)}`,
    );
  }
  const prior = { ...setup.prior, findings: setup.prior.findings.filter(isNodule) };
  const currentNodules = { ...current, findings: current.findings.filter(isNodule) };
  const baseline = prior.findings.length === 0 && setup.priorCategory === undefined;
  const pairs = pairAcrossStudies(prior, currentNodules, {
    ...(setup.linkOffsetMm ? { offsetMm: setup.linkOffsetMm } : {}),
    ...(setup.pairs?.[role] ? { keep: setup.pairs[role] } : {}),
  });
  const priorById = new Map(prior.findings.map((f) => [f.id, f]));
  const currentById = new Map(currentNodules.findings.map((f) => [f.id, f]));
  const rows: FollowUpRow[] = [];
  for (const pair of pairs) {
    const before = pair.priorFindingId === undefined ? undefined : priorById.get(pair.priorFindingId);
    const now = pair.currentFindingId === undefined ? undefined : currentById.get(pair.currentFindingId);
    const sizeBefore = before && noduleSize(before);
    const sizeNow = now && noduleSize(now);
    if (!sizeBefore && !sizeNow) continue;
    const growth = noduleGrowth(sizeBefore, sizeNow, setup.intervalDays);
    const nodule: NoduleDescription | undefined = now ? (setup.nodules?.[now.id] ?? { type: 'solid' }) : undefined;
    const row: { -readonly [K in keyof FollowUpRow]: FollowUpRow[K] } = {
      pair,
      growth,
      description: (now ?? before)?.description ?? '',
    };
    if (nodule) row.nodule = nodule;
    if (nodule && sizeNow && setup.context === 'screening') {
      row.lungRads = suggestLungRads({
        ...nodule,
        meanDiameterMm: sizeNow.meanDiameterMm,
        timing: timingOf(growth, baseline),
        ...(setup.priorCategory ? { priorCategory: setup.priorCategory } : {}),
      });
    }
    rows.push(row);
  }
  const result: { -readonly [K in keyof ReaderFollowUp]: ReaderFollowUp[K] } = { role, rows };
  if (setup.context === 'screening') {
    const suggestion = lungRadsExamCategory(rows.flatMap((r) => (r.lungRads ? [r.lungRads] : [])));
    result.suggestion = suggestion;
    const assessment = assessLungRads(suggestion, setup.categories?.[role], setup.significantOtherFindings?.[role]);
    if (assessment) result.assessment = assessment;
  } else {
    const candidates = rows.flatMap((r) => {
      const type = r.nodule && fleischnerTypeOf(r.nodule.type);
      const size = r.growth.current;
      return type && size ? [{ type, size: size.meanDiameterMm }] : [];
    });
    const largest = candidates.sort((a, b) => b.size - a.size)[0];
    if (largest) {
      result.fleischner = recommendFleischner({
        type: largest.type,
        meanDiameterMm: largest.size,
        multiple: candidates.length > 1,
        risk: setup.risk ?? 'low',
      });
    }
  }
  return result;
}

/**
 * Both readers' follow-up comparison: the second reader always, the first when given. In the
 * screening context, `discrepancy` words the management consequence when their final
 * categories differ (`lungRadsDiscrepancy`).
 */
export function summarizeFollowUp(
  setup: FollowUpSetup,
  readings: { readonly first?: Reading; readonly second: Reading },
): FollowUpSummary {
  const readers = [
    ...(readings.first ? [followUpForReader(setup, 'first', readings.first)] : []),
    followUpForReader(setup, 'second', readings.second),
  ];
  const summary: { -readonly [K in keyof FollowUpSummary]: FollowUpSummary[K] } = {
    context: setup.context,
    intervalDays: setup.intervalDays,
    linkOffsetMm: setup.linkOffsetMm ?? [0, 0, 0],
    readers,
  };
  const [a, b] = readers;
  const first = readers.length === 2 ? a?.assessment?.category : undefined;
  const second = b?.assessment?.category;
  if (first && second && compareLungRads(first, second) !== 0) {
    const discrepancy = lungRadsDiscrepancy(first, second);
    if (discrepancy) summary.discrepancy = discrepancy;
  }
  return summary;
}
