/**
 * The public result and option types of the SR import ({@link importSr}, {@link importSecondOpinionSr}).
 */
import type { CodedConcept, Concordance, Reading, SecondOpinion } from '@secondread/core';
import type { OpinionAttributes } from './sr-export.js';

/** A content item the import could not map, kept as it was (dcmjs naturalized form, JSON-safe). */
export interface SrUnknownContent {
  /** Concept names from the root to the item's parent, e.g. `["Imaging Measurements", "Measurement Group"]`. */
  readonly path: readonly string[];
  readonly relationshipType?: string;
  readonly valueType?: string;
  readonly concept?: CodedConcept;
  /** The whole content item, children included. */
  readonly item: unknown;
}

/** A NUM of a measurement group, as read (also those that did not map to {@link MeasurementValues}). */
export interface SrNumericValue {
  readonly concept: CodedConcept;
  readonly value: number;
  readonly unit?: CodedConcept;
  /** Concept modifiers (Derivation, Measurement Method...) as `name → value`. */
  readonly modifiers: readonly { readonly name: CodedConcept; readonly value: CodedConcept }[];
  /** The measurement it went into, when it mapped to one. */
  readonly measurementId?: string;
}

/** The result of {@link importSr}. */
export interface SrImport {
  readonly reading: Reading;
  /** Same as `reading.source.unknownContent` (empty when everything mapped). */
  readonly unknownContent: readonly SrUnknownContent[];
  /** Human-readable notes: unknown content kept, values that did not map, normalisations. */
  readonly warnings: readonly string[];
  /** Every NUM of each finding, by finding id (third-party values that are not in the model are here). */
  readonly findingValues: Readonly<Record<string, readonly SrNumericValue[]>>;
  readonly procedureReported?: CodedConcept;
  /** The concordance part, when the SR is a SecondRead second opinion. */
  readonly secondOpinion?: SecondOpinionSrPart;
}

/** What a second opinion SR carries beyond the second reading. */
export interface SecondOpinionSrPart {
  readonly concordance: Concordance;
  readonly opinion: OpinionAttributes;
  /** The first reading's SR, from the Pertinent Other Evidence Sequence. */
  readonly firstReadingSr?: { readonly studyUid: string; readonly seriesUid: string; readonly sopInstanceUid: string };
}

/** The result of {@link importSecondOpinionSr}. */
export interface SecondOpinionSrImport extends SrImport {
  readonly secondOpinion: SecondOpinionSrPart;
  /** The whole second opinion, when the first reading was given. */
  readonly opinion?: SecondOpinion;
}

/** Options of {@link importSr}. */
export interface SrImportOptions {
  /**
   * Headers of the referenced images (naturalized: SOPInstanceUID, SeriesInstanceUID,
   * FrameOfReferenceUID, ImagePositionPatient, ImageOrientationPatient, PixelSpacing). With them,
   * 2D SCOORD regions (pixel coordinates, as OHIF and most viewers write them) become
   * measurements in patient coordinates; without them their values stay in `findingValues`.
   */
  readonly imageHeaders?: readonly Readonly<Record<string, unknown>>[];
}
