/**
 * The reading model: what a reader concluded about a study, and how a second reading compares
 * with a first. Plain data (JSON as it is; see `serializeSecondOpinion` / `parseSecondOpinion`),
 * no DOM. Patient identity never appears here: a `Reader` is the radiologist, not the patient.
 *
 * Leave optional fields out rather than setting them to `undefined`, so that a JSON round trip
 * gives an equal object.
 */
import type { Vec3 } from '../geometry.js';
import type { Measurement } from '../measurements/types.js';

/**
 * Who a reading belongs to in the comparison. `first` is the reading under review, `second` the
 * second opinion; `cad` is an AI/CAD result and `additional` any further human reader, shown
 * beside the others but not scored.
 */
export const READING_ROLES = ['first', 'second', 'cad', 'additional'] as const;
export type ReadingRole = (typeof READING_ROLES)[number];

/** `draft` while being written, `final` once submitted, `amended` when changed after that. */
export const READING_STATUSES = ['draft', 'final', 'amended'] as const;
export type ReadingStatus = (typeof READING_STATUSES)[number];

/** A coded concept (DICOM / SNOMED CT / UCUM style triplet). */
export interface CodedConcept {
  /** Code value, e.g. `27925004`. */
  readonly value: string;
  /** Coding scheme designator, e.g. `SCT`, `DCM`, `UCUM`. */
  readonly scheme: string;
  /** Human-readable meaning, e.g. `Nodule`. */
  readonly meaning: string;
}

/**
 * The categories a finding may have, each with the SNOMED CT concept written as its DICOM SR
 * "Finding" code (TID 1500 row "Finding"). Loop over this list in pickers.
 *
 * | category | SNOMED CT | meaning |
 * | --- | --- | --- |
 * | `nodule` | 27925004 | Nodule |
 * | `mass` | 4147007 | Mass |
 * | `lymphadenopathy` | 30746006 | Lymphadenopathy |
 * | `consolidation` | 95436008 | Lung consolidation |
 * | `emphysema` | 87433001 | Pulmonary emphysema |
 * | `effusion` | 60046008 | Pleural effusion |
 * | `pneumothorax` | 36118008 | Pneumothorax |
 * | `fracture` | 72704001 | Fracture |
 * | `haemorrhage` | 50960005 | Hemorrhage |
 * | `other` | 404684003 | Clinical finding |
 */
export const FINDING_CATEGORIES = [
  'nodule',
  'mass',
  'lymphadenopathy',
  'consolidation',
  'emphysema',
  'effusion',
  'pneumothorax',
  'fracture',
  'haemorrhage',
  'other',
] as const;
export type FindingCategory = (typeof FINDING_CATEGORIES)[number];

/** The SNOMED CT concept of each {@link FindingCategory} (see the table there). */
export const FINDING_CATEGORY_CODES: Readonly<Record<FindingCategory, CodedConcept>> = {
  nodule: { value: '27925004', scheme: 'SCT', meaning: 'Nodule' },
  mass: { value: '4147007', scheme: 'SCT', meaning: 'Mass' },
  lymphadenopathy: { value: '30746006', scheme: 'SCT', meaning: 'Lymphadenopathy' },
  consolidation: { value: '95436008', scheme: 'SCT', meaning: 'Lung consolidation' },
  emphysema: { value: '87433001', scheme: 'SCT', meaning: 'Pulmonary emphysema' },
  effusion: { value: '60046008', scheme: 'SCT', meaning: 'Pleural effusion' },
  pneumothorax: { value: '36118008', scheme: 'SCT', meaning: 'Pneumothorax' },
  fracture: { value: '72704001', scheme: 'SCT', meaning: 'Fracture' },
  haemorrhage: { value: '50960005', scheme: 'SCT', meaning: 'Hemorrhage' },
  other: { value: '404684003', scheme: 'SCT', meaning: 'Clinical finding' },
};

/** How much a finding matters clinically, as the reader judges it. */
export const FINDING_SEVERITIES = ['minor', 'moderate', 'major', 'critical'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** The radiologist (or CAD system) who made a reading. Never the patient. */
export interface Reader {
  /** Display name, e.g. `Dr A. Reader`. */
  readonly name: string;
  /** Optional identifier in the host's system (a login, an NPI...). */
  readonly id?: string;
  readonly institution?: string;
}

/** An image a finding points at, without a measurement on it (e.g. a key image). */
export interface ImageReference {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly sopInstanceUid: string;
  /** 1-based frame number in a multi-frame instance. */
  readonly frame?: number;
}

/** A PNG of the viewport with its annotations, attached to a finding (`<ct-viewer>.captureImage`). */
export interface KeyImage {
  readonly image: ImageReference;
  /** `data:image/png;base64,...` */
  readonly dataUrl: string;
  readonly capturedAt: string;
  readonly caption?: string;
}

/**
 * A segmentation a finding comes from (e.g. a DICOM SEG segment). The outline itself travels as
 * `freehand-roi` measurements in {@link FindingLocation.measurements}, one per image.
 */
export interface SegmentReference {
  readonly seriesUid: string;
  readonly sopInstanceUid: string;
  readonly segmentNumber: number;
  readonly label?: string;
  /** Centre of the segment in patient coordinates (mm). */
  readonly centroid?: Vec3;
  /** Volume of the segment (mm³). */
  readonly volumeMm3?: number;
}

/** Where a finding is: measurements and/or image references, and an optional anatomic site. */
export interface FindingLocation {
  readonly measurements: readonly Measurement[];
  readonly images: readonly ImageReference[];
  /** Anatomic site: a code (SNOMED CT body structure) or free text. */
  readonly site?: CodedConcept | string;
  readonly segment?: SegmentReference;
}

export interface Finding {
  /** Unique within its reading. */
  readonly id: string;
  readonly description: string;
  readonly category: FindingCategory;
  readonly location: FindingLocation;
  readonly severity?: FindingSeverity;
  /** Free text. */
  readonly text?: string;
  /** DICOM tracking UID (TID 1500 "Tracking Unique Identifier"), kept across SR round trips. */
  readonly trackingUid?: string;
  readonly keyImages?: readonly KeyImage[];
  /**
   * True when `SecondOpinionModel.syncMeasurements` made the finding from one of the reader's
   * measurements: it is removed with its last measurement. Cleared once the reader edits the
   * finding's description, category, severity, text or site.
   */
  readonly createdFromMeasurement?: boolean;
}

/**
 * What an imported reading was read from:
 *
 * | kind | source |
 * | --- | --- |
 * | `sr` | a TID 1500 measurement SR (`importSr` of `@secondread/standards`) |
 * | `seg` | a DICOM Segmentation (`readingFromSegmentation`) |
 * | `json` | SecondRead's reading JSON |
 * | `text-sr` | a TID 2000 text report: Basic Text SR, Enhanced SR or Comprehensive SR (`importTextSr`) |
 * | `pdf` | an Encapsulated PDF report (`importEncapsulatedPdf`); the PDF itself is not in the reading |
 */
export const READING_SOURCE_KINDS = ['sr', 'seg', 'json', 'text-sr', 'pdf'] as const;
export type ReadingSourceKind = (typeof READING_SOURCE_KINDS)[number];

/**
 * The document a reading was read from, described but not carried: readings travel in events and
 * drafts, so the bytes of a PDF report stay with whoever imported it (`importEncapsulatedPdf`
 * returns them beside the reading).
 */
export interface ReadingDocument {
  /** IANA media type, e.g. `application/pdf`. */
  readonly mediaType: string;
  /** Document Title of the DICOM object, when it has one. */
  readonly title?: string;
  /** Size of the document in bytes. */
  readonly byteLength?: number;
}

/** Where a reading came from, when it was not written here. */
export interface ReadingSource {
  readonly kind: ReadingSourceKind;
  readonly studyUid?: string;
  readonly seriesUid?: string;
  readonly sopInstanceUid?: string;
  /** SR content the import did not understand, kept as it was and reported. */
  readonly unknownContent?: readonly unknown[];
  /** The report document (`pdf` readings): its media type, title and size, never its bytes. */
  readonly document?: ReadingDocument;
}

export interface Reading {
  readonly id: string;
  readonly role: ReadingRole;
  readonly reader: Reader;
  readonly studyUid: string;
  readonly findings: readonly Finding[];
  readonly impression: string;
  readonly recommendations: string;
  readonly status: ReadingStatus;
  /** ISO 8601 timestamps. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finalizedAt?: string;
  readonly source?: ReadingSource;
}

/**
 * The second reader's verdict on one pair of findings:
 *
 * | verdict | meaning |
 * | --- | --- |
 * | `agree` | both readers reported it and the second agrees with the first |
 * | `disagree` | both reported it but differ (size, category, significance) |
 * | `missed-by-first` | only the second reader reported it |
 * | `not-confirmed-by-second` | only the first reader reported it and the second does not confirm it |
 */
export const VERDICTS = ['agree', 'disagree', 'missed-by-first', 'not-confirmed-by-second'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * How a pair was made: `distance` (3D distance between measurements within the threshold),
 * `overlap` (ROIs overlap), `manual` (the reader paired or confirmed it), `unmatched` (no
 * counterpart).
 */
export const MATCH_METHODS = ['distance', 'overlap', 'manual', 'unmatched'] as const;
export type MatchMethod = (typeof MATCH_METHODS)[number];

/** One finding of either reading, with its counterpart in the other (or none). */
export interface FindingPair {
  readonly firstFindingId?: string;
  readonly secondFindingId?: string;
  readonly method: MatchMethod;
  /** Distance between the two findings' centres (mm), when both have measurements in one frame of reference. */
  readonly distanceMm?: number;
  /** Overlap of their ROIs (Dice, 0–1), when both have ROIs on a common image. */
  readonly overlap?: number;
  /** Second reader's size minus first reader's (mm, largest diameter), when both measured it. */
  readonly sizeDeltaMm?: number;
  /** The same as a percentage of the first reader's size. */
  readonly sizeDeltaPercent?: number;
  readonly verdict: Verdict;
  /** True once the reader confirmed or overrode an automatic pair or verdict. */
  readonly confirmed: boolean;
  readonly comment?: string;
}

/**
 * ACR RADPEER scores. `1`: concur with interpretation. `2`: discrepancy in interpretation, not
 * ordinarily expected to be made (understandable miss). `3`: discrepancy that should be made
 * most of the time. Scores 2 and 3 take the clinical-significance modifier: `a` unlikely to be
 * clinically significant, `b` likely to be clinically significant. A bare `2` or `3` is invalid.
 */
export const RADPEER_SCORES = ['1', '2a', '2b', '3a', '3b'] as const;
export type RadpeerScore = (typeof RADPEER_SCORES)[number];

/** How the findings of a first and a second reading compare, and the second reader's score. */
export interface Concordance {
  readonly firstReadingId: string;
  readonly secondReadingId: string;
  readonly pairs: readonly FindingPair[];
  /** The distance under which measurements are paired automatically (mm). */
  readonly matchThresholdMm: number;
  readonly radpeer?: RadpeerScore;
  readonly peerLearningComment?: string;
}

/** Whether the second reader read blinded, and when they unblinded: the order is part of the record. */
export interface Blinding {
  readonly blinded: boolean;
  /** When the second reader started reading. */
  readonly startedAt: string;
  /** When the first reading was revealed (absent while still blinded or when never blinded). */
  readonly unblindedAt?: string;
}

/**
 * The structured second opinion a portal receives (`ct-report-submit`) and autosaves
 * (`ct-report-change`): both readings, how they compare, the score, and when.
 */
export interface SecondOpinion {
  readonly schema: 'secondread/second-opinion';
  readonly version: string;
  readonly id: string;
  readonly studyUid: string;
  /** The first and second readings, and any others (`cad`, `additional`). */
  readonly readings: readonly Reading[];
  readonly concordance: Concordance;
  readonly blinding?: Blinding;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly submittedAt?: string;
}
