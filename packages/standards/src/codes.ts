/**
 * The coded concepts SecondRead writes in (and reads from) DICOM SR and FHIR. Standard codes are
 * those of DICOM PS3.16 (DCM), SNOMED CT (SCT), LOINC (LN) and UCUM as TID 1500 and dcmqi use
 * them (dcmqi's `doc/` examples and highdicom's `sr/coding` list the same codes); private ones
 * use the coding scheme `99SECONDREAD`, documented in `docs/sr-mapping.md`.
 */
import type { CodedConcept, MatchMethod, RadpeerScore, ReadingRole, Verdict } from '@secondread/core';

const code = (value: string, scheme: string, meaning: string): CodedConcept => ({ value, scheme, meaning });

/** Designator of SecondRead's private coding scheme (PS3.16 8.2: private schemes start with `99`). */
export const SECONDREAD_SCHEME = '99SECONDREAD';

/** Coding Scheme Identification Sequence item declaring {@link SECONDREAD_SCHEME}. */
export const SECONDREAD_SCHEME_IDENTIFICATION = {
  CodingSchemeDesignator: SECONDREAD_SCHEME,
  CodingSchemeName: 'SecondRead private codes',
  CodingSchemeVersion: '1',
  CodingSchemeResponsibleOrganization: 'SecondRead open-source project',
} as const;

/** Standard concepts of TID 1500 and the templates it includes. */
export const SR_CODES = {
  imagingMeasurementReport: code('126000', 'DCM', 'Imaging Measurement Report'),
  languageOfContent: code('121049', 'DCM', 'Language of Content Item and Descendants'),
  englishUs: code('en-US', 'RFC5646', 'English (United States)'),
  observerType: code('121005', 'DCM', 'Observer Type'),
  person: code('121006', 'DCM', 'Person'),
  personObserverName: code('121008', 'DCM', 'Person Observer Name'),
  personObserverOrganization: code('121009', 'DCM', "Person Observer's Organization Name"),
  personObserverRoleInProcedure: code('121011', 'DCM', "Person Observer's Role in this Procedure"),
  identifierWithinRole: code('128775', 'DCM', "Identifier within Person Observer's Role"),
  procedureReported: code('121058', 'DCM', 'Procedure reported'),
  ctUnspecified: code('25045-6', 'LN', 'CT unspecified body region'),
  imageLibrary: code('111028', 'DCM', 'Image Library'),
  imageLibraryGroup: code('126200', 'DCM', 'Image Library Group'),
  modality: code('121139', 'DCM', 'Modality'),
  ctModality: code('CT', 'DCM', 'Computed Tomography'),
  frameOfReferenceUid: code('112227', 'DCM', 'Frame of Reference UID'),
  imagingMeasurements: code('126010', 'DCM', 'Imaging Measurements'),
  measurementGroup: code('125007', 'DCM', 'Measurement Group'),
  trackingIdentifier: code('112039', 'DCM', 'Tracking Identifier'),
  trackingUniqueIdentifier: code('112040', 'DCM', 'Tracking Unique Identifier'),
  finding: code('121071', 'DCM', 'Finding'),
  findingSite: code('363698007', 'SCT', 'Finding Site'),
  imageRegion: code('111030', 'DCM', 'Image Region'),
  sourceImage: code('121112', 'DCM', 'Source of Measurement'),
  derivation: code('121401', 'DCM', 'Derivation'),
  comment: code('121106', 'DCM', 'Comment'),
  qualitativeEvaluations: code('C0034375', 'UMLS', 'Qualitative Evaluations'),
  findings: code('121070', 'DCM', 'Findings'),
  impression: code('121073', 'DCM', 'Impression'),
  recommendation: code('121075', 'DCM', 'Recommendation'),
  referencedSegment: code('121191', 'DCM', 'Referenced Segment'),
  yes: code('373066001', 'SCT', 'Yes'),
  no: code('373067005', 'SCT', 'No'),
} as const;

/**
 * Concepts of TID 2000 "Basic Diagnostic Imaging Report" text reports: the root title (CID 7000)
 * and the section headings (CID 7001, in their DCM and LOINC forms) that the text import reads.
 */
export const TEXT_REPORT_CODES = {
  diagnosticImagingReport: code('18748-4', 'LN', 'Diagnostic Imaging Report'),
  /** Section headings whose items become findings. */
  findingsSections: [
    code('121070', 'DCM', 'Findings'),
    code('59776-5', 'LN', 'Procedure Findings'),
    code('18782-3', 'LN', 'Radiology Study observation (narrative)'),
  ],
  /** Section headings whose items make the impression. */
  impressionSections: [
    code('121072', 'DCM', 'Impressions'),
    code('19005-8', 'LN', 'Radiology Impression (narrative)'),
    code('121076', 'DCM', 'Conclusions'),
    code('55110-1', 'LN', 'Conclusions'),
  ],
  /** Section headings whose items make the recommendations. */
  recommendationSections: [
    code('121074', 'DCM', 'Recommendations'),
    code('18783-1', 'LN', 'Radiology Study recommendation (narrative)'),
  ],
  finding: code('121071', 'DCM', 'Finding'),
  impression: code('121073', 'DCM', 'Impression'),
  conclusion: code('121077', 'DCM', 'Conclusion'),
  recommendation: code('121075', 'DCM', 'Recommendation'),
} as const;

/** Measurement concept names (SCT as dcmqi and the Cornerstone adapters write them). */
export const MEASUREMENT_CODES = {
  length: code('410668003', 'SCT', 'Length'),
  longAxis: code('103339001', 'SCT', 'Long Axis'),
  shortAxis: code('103340004', 'SCT', 'Short Axis'),
  angle: code('1483009', 'SCT', 'Angle'),
  cobbAngle: code('285285000', 'SCT', 'Cobb angle'),
  area: code('42798000', 'SCT', 'Area'),
  attenuationCoefficient: code('112031', 'DCM', 'Attenuation Coefficient'),
  mean: code('373098007', 'SCT', 'Mean'),
  standardDeviation: code('386136009', 'SCT', 'Standard Deviation'),
  minimum: code('255605001', 'SCT', 'Minimum'),
  maximum: code('56851009', 'SCT', 'Maximum'),
  pixelCount: code('PIXEL-COUNT', SECONDREAD_SCHEME, 'Number of pixels in ROI'),
} as const;

/** UCUM units of the values. */
export const UNIT_CODES = {
  mm: code('mm', 'UCUM', 'millimeter'),
  mm2: code('mm2', 'UCUM', 'square millimeter'),
  deg: code('deg', 'UCUM', 'degree'),
  hu: code("[hnsf'U]", 'UCUM', 'Hounsfield unit'),
  pixels: code('{pixels}', 'UCUM', 'pixels'),
  percent: code('%', 'UCUM', 'percent'),
  ratio: code('1', 'UCUM', 'no units'),
  day: code('d', 'UCUM', 'day'),
} as const;

/** Private concept names: attributes of the reading model that TID 1500 has no row for. */
export const PRIVATE_CODES = {
  readingAttributes: code('READING-ATTR', SECONDREAD_SCHEME, 'SecondRead reading attributes'),
  personObserverFullName: code('OBSERVER-NAME', SECONDREAD_SCHEME, 'Person Observer full name'),
  findingAttributes: code('FINDING-ATTR', SECONDREAD_SCHEME, 'SecondRead finding attributes'),
  measurement: code('MEASUREMENT', SECONDREAD_SCHEME, 'SecondRead measurement'),
  concordance: code('CONCORDANCE', SECONDREAD_SCHEME, 'Second opinion concordance'),
  opinionAttributes: code('OPINION-ATTR', SECONDREAD_SCHEME, 'SecondRead second opinion attributes'),
  firstReadingReport: code('READING-1-SR', SECONDREAD_SCHEME, 'First reading report'),
  firstReadingId: code('READING-1-ID', SECONDREAD_SCHEME, 'First reading identifier'),
  secondReadingId: code('READING-2-ID', SECONDREAD_SCHEME, 'Second reading identifier'),
  matchThreshold: code('MATCH-THRESHOLD', SECONDREAD_SCHEME, 'Match distance threshold'),
  radpeerScore: code('RADPEER', SECONDREAD_SCHEME, 'RADPEER score'),
  peerLearningComment: code('PEER-LEARNING', SECONDREAD_SCHEME, 'Peer learning comment'),
  findingPair: code('FINDING-PAIR', SECONDREAD_SCHEME, 'Finding pair'),
  firstFindingId: code('FINDING-1-ID', SECONDREAD_SCHEME, 'First reading finding identifier'),
  secondFindingId: code('FINDING-2-ID', SECONDREAD_SCHEME, 'Second reading finding identifier'),
  firstFindingTrackingUid: code('FINDING-1-UID', SECONDREAD_SCHEME, 'First reading finding tracking UID'),
  secondFindingTrackingUid: code('FINDING-2-UID', SECONDREAD_SCHEME, 'Second reading finding tracking UID'),
  matchMethod: code('MATCH-METHOD', SECONDREAD_SCHEME, 'Match method'),
  verdict: code('VERDICT', SECONDREAD_SCHEME, 'Second reader verdict'),
  distance: code('DISTANCE', SECONDREAD_SCHEME, 'Distance between finding centres'),
  overlap: code('OVERLAP', SECONDREAD_SCHEME, 'ROI overlap (Dice)'),
  sizeDelta: code('SIZE-DELTA', SECONDREAD_SCHEME, 'Size difference, second minus first'),
  sizeDeltaPercent: code('SIZE-DELTA-PCT', SECONDREAD_SCHEME, 'Size difference relative to first'),
  confirmed: code('CONFIRMED', SECONDREAD_SCHEME, 'Confirmed by reader'),
  pairComment: code('PAIR-COMMENT', SECONDREAD_SCHEME, 'Pair comment'),
  /**
   * Follow-up (issue #11). Private on purpose: no LOINC / SNOMED CT / DCM code for "Lung-RADS
   * v2022 assessment category" or its parts was verified for this release, so none is claimed.
   */
  lungRadsCategory: code('LUNG-RADS', SECONDREAD_SCHEME, 'Lung-RADS v2022 assessment category'),
  lungRadsSuggested: code('LUNG-RADS-SUGGESTED', SECONDREAD_SCHEME, 'Lung-RADS v2022 category suggested by the rules'),
  lungRadsRule: code('LUNG-RADS-RULE', SECONDREAD_SCHEME, 'Lung-RADS v2022 rule that fired'),
  lungRadsSModifier: code('LUNG-RADS-S', SECONDREAD_SCHEME, 'Lung-RADS S modifier'),
  fleischnerRecommendation: code('FLEISCHNER-2017', SECONDREAD_SCHEME, 'Fleischner 2017 recommendation'),
  readerRole: code('READER-ROLE', SECONDREAD_SCHEME, 'Reader role'),
  followUpInterval: code('FOLLOW-UP-INTERVAL', SECONDREAD_SCHEME, 'Interval since the prior study'),
  noduleGrowth: code('NODULE-GROWTH', SECONDREAD_SCHEME, 'Nodule growth since the prior study'),
  growthStatus: code('GROWTH-STATUS', SECONDREAD_SCHEME, 'Growth status (new, resolved, growing, stable, shrinking)'),
  priorMeanDiameter: code('MEAN-DIAMETER-PRIOR', SECONDREAD_SCHEME, 'Mean diameter on the prior study'),
  currentMeanDiameter: code('MEAN-DIAMETER-CURRENT', SECONDREAD_SCHEME, 'Mean diameter on the current study'),
  meanDiameterChange: code('MEAN-DIAMETER-CHANGE', SECONDREAD_SCHEME, 'Change of mean diameter'),
  volumeDoublingTime: code('VDT', SECONDREAD_SCHEME, 'Volume doubling time'),
  followUpDiscrepancy: code(
    'CATEGORY-DISCREPANCY',
    SECONDREAD_SCHEME,
    'Readers category discrepancy and management consequence',
  ),
} as const;

/** Private codes for each {@link ReadingRole}, the value of "Person Observer's Role in this Procedure". */
export const ROLE_CODES: Readonly<Record<ReadingRole, CodedConcept>> = {
  first: code('ROLE-FIRST', SECONDREAD_SCHEME, 'First reader'),
  second: code('ROLE-SECOND', SECONDREAD_SCHEME, 'Second reader (second opinion)'),
  cad: code('ROLE-CAD', SECONDREAD_SCHEME, 'CAD / AI reading'),
  additional: code('ROLE-ADDITIONAL', SECONDREAD_SCHEME, 'Additional reader'),
};

/** Private codes for each {@link Verdict}. */
export const VERDICT_CODES: Readonly<Record<Verdict, CodedConcept>> = {
  agree: code('VERDICT-AGREE', SECONDREAD_SCHEME, 'Agree'),
  disagree: code('VERDICT-DISAGREE', SECONDREAD_SCHEME, 'Disagree'),
  'missed-by-first': code('VERDICT-MISSED', SECONDREAD_SCHEME, 'Missed by first reader'),
  'not-confirmed-by-second': code('VERDICT-NOT-CONF', SECONDREAD_SCHEME, 'Not confirmed by second reader'),
};

/** Private codes for each {@link MatchMethod}. */
export const MATCH_METHOD_CODES: Readonly<Record<MatchMethod, CodedConcept>> = {
  distance: code('MATCH-DISTANCE', SECONDREAD_SCHEME, 'Matched by distance'),
  overlap: code('MATCH-OVERLAP', SECONDREAD_SCHEME, 'Matched by ROI overlap'),
  manual: code('MATCH-MANUAL', SECONDREAD_SCHEME, 'Matched by reader'),
  unmatched: code('MATCH-NONE', SECONDREAD_SCHEME, 'No counterpart'),
};

/** Private codes for each {@link RadpeerScore} (ACR RADPEER, with the clinical-significance modifier). */
export const RADPEER_CODES: Readonly<Record<RadpeerScore, CodedConcept>> = {
  '1': code('RADPEER-1', SECONDREAD_SCHEME, 'RADPEER 1: concur with interpretation'),
  '2a': code('RADPEER-2A', SECONDREAD_SCHEME, 'RADPEER 2a: understandable miss, unlikely significant'),
  '2b': code('RADPEER-2B', SECONDREAD_SCHEME, 'RADPEER 2b: understandable miss, likely significant'),
  '3a': code('RADPEER-3A', SECONDREAD_SCHEME, 'RADPEER 3a: should be made, unlikely significant'),
  '3b': code('RADPEER-3B', SECONDREAD_SCHEME, 'RADPEER 3b: should be made, likely significant'),
};

/**
 * Retired SNOMED RT (`SRT`) codes that older SRs (dcmqi before 2019, many PACS) still write, with
 * the SNOMED CT code that replaced each (PS3.16 Annex O lists the mapping).
 */
export const SRT_TO_SCT: Readonly<Record<string, string>> = {
  'G-C0E3': '363698007', // Finding Site
  'G-D7FE': '410668003', // Length
  'G-A185': '103339001', // Long Axis
  'G-A186': '103340004', // Short Axis
  'G-A166': '42798000', // Area
  'R-00317': '373098007', // Mean
  'R-10047': '386136009', // Standard Deviation
  'R-404FB': '255605001', // Minimum
  'G-A437': '56851009', // Maximum
  'F-00E5C': '285285000', // Cobb angle
};

function normalised(concept: CodedConcept): [string, string] {
  if (concept.scheme === 'SRT') return [SRT_TO_SCT[concept.value] ?? concept.value, 'SCT'];
  return [concept.value, concept.scheme];
}

/** True when two concepts are the same code (value and scheme; retired SRT codes equal their SCT successors). */
export function sameCode(a: CodedConcept | undefined, b: CodedConcept | undefined): boolean {
  if (!a || !b) return false;
  const [aValue, aScheme] = normalised(a);
  const [bValue, bScheme] = normalised(b);
  return aValue === bValue && aScheme === bScheme;
}

/** The key of `table` whose code equals `concept`, if any. */
export function keyOfCode<K extends string>(
  table: Readonly<Record<K, CodedConcept>>,
  concept: CodedConcept | undefined,
): K | undefined {
  return (Object.keys(table) as K[]).find((key) => sameCode(table[key], concept));
}
