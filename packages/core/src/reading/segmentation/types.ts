/**
 * The shapes of a parsed DICOM SEG ({@link SegmentationData}, its segments and frames) and the
 * {@link SegmentationError} every step of reading one throws.
 */
import { ViewerError, type ErrorCode } from '../../errors.js';
import type { Orientation, Vec3 } from '../../geometry.js';
import type { CodedConcept } from '../types.js';

/** SOP Class UID of Segmentation Storage. */
export const SEGMENTATION_STORAGE_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.66.4';

/**
 * Why a SEG could not be read ({@link SegmentationError}'s `reason`: the
 * {@link DICOM_FILE_ERROR_CODES} that apply to a SEG, plus `missing-reference`), and the viewer
 * `code` it comes with:
 *
 * | reason | viewer `code` | meaning |
 * | --- | --- | --- |
 * | `not-dicom` | `not-dicom` | the bytes are not a DICOM Part 10 file |
 * | `truncated` | `corrupt` | the file ends early (an element, a sequence or the pixel data is cut off) |
 * | `malformed` | `corrupt` | complete, but its structure or a required attribute is missing or inconsistent |
 * | `not-a-segmentation` | `corrupt` | valid DICOM, but not a Segmentation (e.g. a CT image) |
 * | `unsupported` | `unsupported-transfer-syntax` | a SEG this reader does not decode (compressed pixel data, big endian, ...) |
 * | `missing-reference` | `corrupt` | a frame does not say which image it segments, or the referenced series is unknown |
 */
export const SEGMENTATION_ERROR_REASONS = [
  'not-dicom',
  'truncated',
  'not-a-segmentation',
  'unsupported',
  'malformed',
  'missing-reference',
] as const;
export type SegmentationErrorReason = (typeof SEGMENTATION_ERROR_REASONS)[number];

const CODE_FOR_REASON: Readonly<Record<SegmentationErrorReason, ErrorCode>> = {
  'not-dicom': 'not-dicom',
  truncated: 'corrupt',
  'not-a-segmentation': 'corrupt',
  unsupported: 'unsupported-transfer-syntax',
  malformed: 'corrupt',
  'missing-reference': 'corrupt',
};

/**
 * A SEG that cannot be read or turned into a reading. A {@link ViewerError} (so hosts handle it
 * like any other load failure) with a finer {@link SegmentationErrorReason}. Nothing is returned
 * when it is thrown: never a partial segmentation.
 */
export class SegmentationError extends ViewerError {
  constructor(
    readonly reason: SegmentationErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(CODE_FOR_REASON[reason], message, undefined, options);
  }
}

/** One segment of the Segment Sequence (0062,0002). */
export interface SegmentDefinition {
  /** Segment Number (0062,0004), 1-based. */
  readonly segmentNumber: number;
  /** Segment Label (0062,0005). */
  readonly label: string;
  readonly description?: string;
  /** `AUTOMATIC`, `SEMIAUTOMATIC` or `MANUAL`. */
  readonly algorithmType?: string;
  /** Segmented Property Category (e.g. "Morphologically Altered Structure"). */
  readonly category?: CodedConcept;
  /** Segmented Property Type (e.g. "Nodule"). */
  readonly type?: CodedConcept;
  /** Anatomic Region (e.g. "Lung"). */
  readonly anatomicRegion?: CodedConcept;
  readonly trackingId?: string;
  readonly trackingUid?: string;
}

/** One frame of the SEG: the mask of one segment on one plane. */
export interface SegmentationFrame {
  /** 1-based frame number in the SEG. */
  readonly frameNumber: number;
  readonly segmentNumber: number;
  /** Position of the first (top-left) pixel's centre, patient mm. */
  readonly imagePositionPatient: Vec3;
  readonly imageOrientationPatient: Orientation;
  /** PixelSpacing: [between rows, between columns], mm. */
  readonly pixelSpacingMm: readonly [number, number];
  /** The image this frame segments (Derivation Image → Source Image), when the SEG says. */
  readonly referencedSopInstanceUid?: string;
  readonly referencedSopClassUid?: string;
  /** `rows × columns` values, row by row: 1 inside the segment, 0 outside. */
  readonly mask: Uint8Array;
  /** Number of 1s in {@link mask}. */
  readonly pixelCount: number;
}

/** A parsed DICOM SEG: geometry, segments and per-frame masks. No patient identity. */
export interface SegmentationData {
  readonly sopInstanceUid: string;
  readonly studyUid: string;
  /** The SEG's own series. */
  readonly seriesUid: string;
  readonly frameOfReferenceUid: string;
  /** The series the SEG segments (Referenced Series Sequence), when it names exactly one. */
  readonly referencedSeriesUid?: string;
  readonly segmentationType: 'BINARY' | 'FRACTIONAL';
  readonly rows: number;
  readonly columns: number;
  /** Spacing between the segmented planes, mm (Spacing Between Slices, else from the plane positions, else Slice Thickness). */
  readonly sliceSpacingMm?: number;
  readonly segments: readonly SegmentDefinition[];
  readonly frames: readonly SegmentationFrame[];
  /** Content Date/Time as ISO 8601 (UTC when the SEG gives no Timezone Offset From UTC). */
  readonly contentDateTime?: string;
  /** Content Creator's Name: the reader who drew the segmentation (not the patient). */
  readonly contentCreatorName?: string;
  readonly seriesDescription?: string;
}

/** Throws a {@link SegmentationError}. */
export function fail(reason: SegmentationErrorReason, message: string, cause?: unknown): never {
  throw new SegmentationError(reason, message, cause === undefined ? undefined : { cause });
}

/** Drops undefined properties, so the result round-trips through JSON unchanged. */
export function definedOnly<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
