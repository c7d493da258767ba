/**
 * The second opinion part of a SecondRead SR: the concordance container (finding pairs, match
 * threshold, RADPEER score, peer-learning comment) and the reference to the first reading's SR.
 */
import type { Concordance, FindingPair, Reading } from '@secondread/core';
import {
  MATCH_METHOD_CODES,
  PRIVATE_CODES,
  RADPEER_CODES,
  SR_CODES,
  VERDICT_CODES,
  keyOfCode,
  sameCode,
} from './codes.js';
import { sequenceItems, stringValue, type NaturalDataset } from './dicom.js';
import { childrenOf, conceptOf, nameOf, numValueOf } from './sr-content.js';
import type { OpinionAttributes } from './sr-export.js';
import { keep, parseJson, type Context } from './sr-import-context.js';
import type { SecondOpinionSrPart } from './sr-import-types.js';

export function readConcordance(
  container: NaturalDataset,
  dataset: NaturalDataset,
  second: Reading,
  context: Context,
): SecondOpinionSrPart | undefined {
  const path = ['Second opinion concordance'];
  let opinion: OpinionAttributes | undefined;
  let firstReadingId = '';
  let secondReadingId = second.id;
  let matchThresholdMm = 0;
  let radpeer: Concordance['radpeer'];
  let peerLearningComment: string | undefined;
  const pairs: FindingPair[] = [];
  for (const child of childrenOf(container)) {
    const name = nameOf(child);
    if (sameCode(name, PRIVATE_CODES.opinionAttributes)) opinion = parseJson<OpinionAttributes>(child, context, path);
    else if (sameCode(name, PRIVATE_CODES.firstReadingId)) firstReadingId = stringValue(child.TextValue) ?? '';
    else if (sameCode(name, PRIVATE_CODES.secondReadingId)) secondReadingId = stringValue(child.TextValue) ?? '';
    else if (sameCode(name, PRIVATE_CODES.firstReadingReport)) continue;
    else if (sameCode(name, PRIVATE_CODES.matchThreshold)) matchThresholdMm = numValueOf(child)?.value ?? 0;
    else if (sameCode(name, PRIVATE_CODES.radpeerScore))
      radpeer = keyOfCode(RADPEER_CODES, conceptOf(child.ConceptCodeSequence));
    else if (sameCode(name, PRIVATE_CODES.peerLearningComment)) peerLearningComment = stringValue(child.TextValue);
    else if (sameCode(name, PRIVATE_CODES.findingPair)) {
      const pair = readPair(child, context);
      if (pair) pairs.push(pair);
    } else keep(child, path, context);
  }
  if (!opinion) return undefined;
  const [pertinent] = sequenceItems(dataset.PertinentOtherEvidenceSequence);
  const [series] = sequenceItems(pertinent?.ReferencedSeriesSequence);
  const [sop] = sequenceItems(series?.ReferencedSOPSequence);
  const firstSopUid = stringValue(sop?.ReferencedSOPInstanceUID);
  const concordance: Concordance = {
    firstReadingId: firstReadingId || opinion.firstReadingId,
    secondReadingId,
    pairs,
    matchThresholdMm,
    ...(radpeer ? { radpeer } : {}),
    ...(peerLearningComment !== undefined ? { peerLearningComment } : {}),
  };
  return {
    concordance,
    opinion,
    ...(firstSopUid
      ? {
          firstReadingSr: {
            studyUid: stringValue(pertinent?.StudyInstanceUID) ?? '',
            seriesUid: stringValue(series?.SeriesInstanceUID) ?? '',
            sopInstanceUid: firstSopUid,
          },
        }
      : {}),
  };
}

export function readPair(container: NaturalDataset, context: Context): FindingPair | undefined {
  const pair: {
    -readonly [K in keyof FindingPair]?: FindingPair[K];
  } = {};
  for (const child of childrenOf(container)) {
    const name = nameOf(child);
    const code = conceptOf(child.ConceptCodeSequence);
    if (sameCode(name, PRIVATE_CODES.firstFindingId)) pair.firstFindingId = stringValue(child.TextValue) ?? '';
    else if (sameCode(name, PRIVATE_CODES.secondFindingId)) pair.secondFindingId = stringValue(child.TextValue) ?? '';
    else if (
      sameCode(name, PRIVATE_CODES.firstFindingTrackingUid) ||
      sameCode(name, PRIVATE_CODES.secondFindingTrackingUid)
    )
      continue;
    else if (sameCode(name, PRIVATE_CODES.matchMethod)) pair.method = keyOfCode(MATCH_METHOD_CODES, code);
    else if (sameCode(name, PRIVATE_CODES.verdict)) pair.verdict = keyOfCode(VERDICT_CODES, code);
    else if (sameCode(name, PRIVATE_CODES.distance)) pair.distanceMm = numValueOf(child)?.value;
    else if (sameCode(name, PRIVATE_CODES.overlap)) pair.overlap = numValueOf(child)?.value;
    else if (sameCode(name, PRIVATE_CODES.sizeDelta)) pair.sizeDeltaMm = numValueOf(child)?.value;
    else if (sameCode(name, PRIVATE_CODES.sizeDeltaPercent)) pair.sizeDeltaPercent = numValueOf(child)?.value;
    else if (sameCode(name, PRIVATE_CODES.confirmed)) pair.confirmed = sameCode(code, SR_CODES.yes);
    else if (sameCode(name, PRIVATE_CODES.pairComment)) pair.comment = stringValue(child.TextValue) ?? '';
    else keep(child, ['Second opinion concordance', 'Finding pair'], context);
  }
  if (!pair.method || !pair.verdict) {
    context.warnings.push('A finding pair without method or verdict was kept as unknown content.');
    keep(container, ['Second opinion concordance'], context);
    return undefined;
  }
  const defined = Object.fromEntries(Object.entries(pair).filter(([, v]) => v !== undefined));
  return { confirmed: false, ...defined } as FindingPair;
}
