/**
 * DICOM Segmentation (SEG) objects as a reading layer: {@link parseSegmentation} reads a SEG into
 * plain masks and geometry, {@link segmentationToReading} turns it into a {@link Reading} with one
 * {@link Finding} per segment, each outlined by `freehand-roi` measurements on the referenced CT
 * images. Patient identity (Patient Module, Accession Number, ...) is never read.
 */
import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import { ViewerError, type ErrorCode } from '../errors.js';
import { pixelToPatient, sliceNormal, type Orientation, type Vec3 } from '../geometry.js';
import { computeGeometry } from '../measurements/geometry.js';
import type { Measurement } from '../measurements/types.js';
import { hasPart10Preamble, inflateChecked } from '../part10.js';
import {
  FINDING_CATEGORIES,
  FINDING_CATEGORY_CODES,
  type CodedConcept,
  type Finding,
  type FindingCategory,
  type Reader,
  type Reading,
  type ReadingRole,
  type ReadingStatus,
} from './types.js';

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

const TAG = {
  sopClassUid: 'x00080016',
  sopInstanceUid: 'x00080018',
  contentDate: 'x00080023',
  contentTime: 'x00080033',
  timezoneOffset: 'x00080201',
  seriesDescription: 'x0008103e',
  referencedSeriesSequence: 'x00081115',
  referencedSopClassUid: 'x00081150',
  referencedSopInstanceUid: 'x00081155',
  sourceImageSequence: 'x00082112',
  anatomicRegionSequence: 'x00082218',
  derivationImageSequence: 'x00089124',
  codeValue: 'x00080100',
  codingScheme: 'x00080102',
  codeMeaning: 'x00080104',
  sliceThickness: 'x00180050',
  spacingBetweenSlices: 'x00180088',
  studyUid: 'x0020000d',
  seriesUid: 'x0020000e',
  imagePositionPatient: 'x00200032',
  imageOrientationPatient: 'x00200037',
  frameOfReferenceUid: 'x00200052',
  planePositionSequence: 'x00209113',
  planeOrientationSequence: 'x00209116',
  numberOfFrames: 'x00280008',
  rows: 'x00280010',
  columns: 'x00280011',
  pixelSpacing: 'x00280030',
  bitsAllocated: 'x00280100',
  pixelMeasuresSequence: 'x00289110',
  segmentationType: 'x00620001',
  segmentSequence: 'x00620002',
  segmentedPropertyCategory: 'x00620003',
  segmentNumber: 'x00620004',
  segmentLabel: 'x00620005',
  segmentDescription: 'x00620006',
  segmentAlgorithmType: 'x00620008',
  segmentIdentificationSequence: 'x0062000a',
  referencedSegmentNumber: 'x0062000b',
  maximumFractionalValue: 'x0062000e',
  segmentedPropertyType: 'x0062000f',
  trackingId: 'x00620020',
  trackingUid: 'x00620021',
  contentCreatorName: 'x00700084',
  sharedFunctionalGroups: 'x52009229',
  perFrameFunctionalGroups: 'x52009230',
  pixelData: 'x7fe00010',
} as const;

const BIG_ENDIAN = '1.2.840.10008.1.2.2';
const UNCOMPRESSED = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', BIG_ENDIAN, '1.2.840.10008.1.2.1.99']);

function fail(reason: SegmentationErrorReason, message: string, cause?: unknown): never {
  throw new SegmentationError(reason, message, cause === undefined ? undefined : { cause });
}

function items(dataSet: DataSet, tag: string): DataSet[] {
  return (dataSet.elements[tag]?.items ?? []).flatMap((item) => (item.dataSet ? [item.dataSet] : []));
}

function firstItem(dataSet: DataSet | undefined, tag: string): DataSet | undefined {
  return dataSet ? items(dataSet, tag)[0] : undefined;
}

function text(dataSet: DataSet | undefined, tag: string): string | undefined {
  const value = dataSet?.string(tag)?.trim();
  return value ? value : undefined;
}

function numbers(dataSet: DataSet | undefined, tag: string): number[] {
  const raw = dataSet?.string(tag);
  if (!raw) return [];
  return raw.split('\\').map((part) => Number(part));
}

function codedConcept(dataSet: DataSet, tag: string): CodedConcept | undefined {
  const item = firstItem(dataSet, tag);
  const value = text(item, TAG.codeValue);
  const scheme = text(item, TAG.codingScheme);
  if (!value || !scheme) return undefined;
  return { value, scheme, meaning: text(item, TAG.codeMeaning) ?? '' };
}

/** A functional group of one frame: its per-frame item first, else the shared one. */
function functionalGroup(perFrame: DataSet | undefined, shared: DataSet | undefined, tag: string): DataSet | undefined {
  return firstItem(perFrame, tag) ?? firstItem(shared, tag);
}

function parseDataSet(buffer: ArrayBuffer): DataSet {
  if (!buffer || buffer.byteLength === 0) fail('not-dicom', 'The segmentation is empty.');
  let bytes: Uint8Array = new Uint8Array(buffer);
  if (!hasPart10Preamble(bytes)) fail('not-dicom', 'The segmentation is not a DICOM Part 10 file.');
  bytes = inflateChecked(bytes, (reason, cause) =>
    fail(
      reason,
      reason === 'not-dicom'
        ? 'The segmentation is not a DICOM Part 10 file.'
        : reason === 'truncated'
          ? 'The segmentation file is truncated: it ends before its last element is complete.'
          : 'The segmentation file is damaged: its DICOM structure is invalid.',
      cause,
    ),
  );
  try {
    return dicomParser.parseDicom(bytes);
  } catch (cause) {
    fail('malformed', 'The segmentation file is damaged: it cannot be read as DICOM.', cause);
  }
}

/** Pixel data shorter than the frames need: cut off by the end of the file, or declared too short. */
function shortPixelData(element: Element, fileLength: number, available: number, needed: number): never {
  const cut = element.dataOffset + element.length > fileLength;
  fail(
    cut ? 'truncated' : 'malformed',
    cut
      ? `The segmentation pixel data is truncated (${available} of ${needed} bytes).`
      : `The segmentation pixel data is shorter than its frames need (${available} of ${needed} bytes).`,
  );
}

function contentDateTime(dataSet: DataSet): string | undefined {
  const date = text(dataSet, TAG.contentDate);
  if (!date || !/^\d{8}$/.test(date)) return undefined;
  const time = text(dataSet, TAG.contentTime) ?? '';
  const match = /^(\d{2})(\d{2})?(\d{2})?(?:\.(\d{1,6}))?$/.exec(time);
  const [hh, mm, ss, fraction] = match ? [match[1], match[2], match[3], match[4]] : [];
  const milliseconds = fraction ? `.${fraction.padEnd(3, '0').slice(0, 3)}` : '';
  const offset = text(dataSet, TAG.timezoneOffset);
  const zone = offset && /^[+-]\d{4}$/.test(offset) ? `${offset.slice(0, 3)}:${offset.slice(3)}` : 'Z';
  const iso =
    `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}` +
    `T${hh ?? '00'}:${mm ?? '00'}:${ss ?? '00'}${milliseconds}${zone}`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

function parseSegments(dataSet: DataSet): SegmentDefinition[] {
  const sequence = items(dataSet, TAG.segmentSequence);
  if (sequence.length === 0) fail('malformed', 'The segmentation has no Segment Sequence.');
  const seen = new Set<number>();
  return sequence.map((item) => {
    const segmentNumber = item.uint16(TAG.segmentNumber);
    if (segmentNumber === undefined || segmentNumber < 1 || seen.has(segmentNumber)) {
      fail('malformed', 'A segment has no valid, unique Segment Number.');
    }
    seen.add(segmentNumber);
    const optional = {
      description: text(item, TAG.segmentDescription),
      algorithmType: text(item, TAG.segmentAlgorithmType),
      category: codedConcept(item, TAG.segmentedPropertyCategory),
      type: codedConcept(item, TAG.segmentedPropertyType),
      anatomicRegion: codedConcept(item, TAG.anatomicRegionSequence),
      trackingId: text(item, TAG.trackingId),
      trackingUid: text(item, TAG.trackingUid),
    };
    return {
      segmentNumber,
      label: text(item, TAG.segmentLabel) ?? `Segment ${segmentNumber}`,
      ...definedOnly(optional),
    };
  });
}

/** Drops undefined properties, so the result round-trips through JSON unchanged. */
function definedOnly<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function vec3(values: number[], what: string, frameNumber: number): Vec3 {
  if (values.length !== 3 || values.some((v) => !Number.isFinite(v))) {
    fail('malformed', `Frame ${frameNumber} has no valid ${what}.`);
  }
  return [values[0]!, values[1]!, values[2]!];
}

/** Reads the pixel data into one 0/1 mask per frame. */
function frameMasks(
  dataSet: DataSet,
  element: Element,
  segmentationType: 'BINARY' | 'FRACTIONAL',
  frameCount: number,
  pixelsPerFrame: number,
): Uint8Array[] {
  if (element.encapsulatedPixelData || element.hadUndefinedLength) {
    fail('unsupported', 'The segmentation pixel data is compressed; only uncompressed SEGs are read.');
  }
  const bytes = dataSet.byteArray;
  const start = element.dataOffset;
  const available = Math.min(element.length, bytes.length - start);
  const bitsAllocated = dataSet.uint16(TAG.bitsAllocated);
  const masks: Uint8Array[] = [];
  if (segmentationType === 'BINARY') {
    if (bitsAllocated !== 1)
      fail('malformed', `A BINARY segmentation must have 1 bit allocated, not ${bitsAllocated}.`);
    // Frames are bit-packed back to back, least significant bit first, with no padding between frames.
    const needed = Math.ceil((frameCount * pixelsPerFrame) / 8);
    if (available < needed) shortPixelData(element, bytes.length, available, needed);
    for (let frame = 0; frame < frameCount; frame++) {
      const mask = new Uint8Array(pixelsPerFrame);
      const firstBit = frame * pixelsPerFrame;
      for (let i = 0; i < pixelsPerFrame; i++) {
        const bit = firstBit + i;
        mask[i] = (bytes[start + (bit >> 3)]! >> (bit & 7)) & 1;
      }
      masks.push(mask);
    }
    return masks;
  }
  if (bitsAllocated !== 8)
    fail('malformed', `A FRACTIONAL segmentation must have 8 bits allocated, not ${bitsAllocated}.`);
  const needed = frameCount * pixelsPerFrame;
  if (available < needed) shortPixelData(element, bytes.length, available, needed);
  // A fractional (probability or occupancy) mask counts as inside from half its maximum value.
  const maximum = dataSet.uint16(TAG.maximumFractionalValue) ?? 255;
  for (let frame = 0; frame < frameCount; frame++) {
    const mask = new Uint8Array(pixelsPerFrame);
    const offset = start + frame * pixelsPerFrame;
    for (let i = 0; i < pixelsPerFrame; i++)
      mask[i] = bytes[offset + i]! * 2 >= maximum && bytes[offset + i]! > 0 ? 1 : 0;
    masks.push(mask);
  }
  return masks;
}

function sliceSpacing(dataSet: DataSet, frames: readonly SegmentationFrame[]): number | undefined {
  const shared = firstItem(dataSet, TAG.sharedFunctionalGroups);
  const measures = firstItem(shared, TAG.pixelMeasuresSequence);
  const declared = numbers(measures, TAG.spacingBetweenSlices)[0];
  if (declared !== undefined && Number.isFinite(declared) && declared > 0) return declared;
  const first = frames[0];
  if (first) {
    const normal = sliceNormal(first.imageOrientationPatient);
    const positions = [
      ...new Set(
        frames.map((f) =>
          Math.round(
            (f.imagePositionPatient[0] * normal[0] +
              f.imagePositionPatient[1] * normal[1] +
              f.imagePositionPatient[2] * normal[2]) *
              1e4,
          ),
        ),
      ),
    ].sort((a, b) => a - b);
    let smallest = Infinity;
    for (let i = 1; i < positions.length; i++) smallest = Math.min(smallest, (positions[i]! - positions[i - 1]!) / 1e4);
    if (Number.isFinite(smallest)) return smallest;
  }
  const thickness = numbers(measures, TAG.sliceThickness)[0];
  return thickness !== undefined && Number.isFinite(thickness) && thickness > 0 ? thickness : undefined;
}

/**
 * Parses a DICOM Segmentation (Part 10, uncompressed; BINARY bit-packed or FRACTIONAL frames)
 * into per-frame masks with their geometry (Plane Position, Plane Orientation, Pixel Measures
 * from the per-frame or shared functional groups), the image each frame segments (Derivation
 * Image → Source Image) and the Segment Sequence. Patient identity is not read.
 * @throws SegmentationError when the bytes are not a readable SEG (never a partial result, never a
 * parser's own error): `not-dicom`, `truncated`, `malformed`, `not-a-segmentation` or `unsupported`
 */
export function parseSegmentation(buffer: ArrayBuffer): SegmentationData {
  try {
    return readSegmentation(buffer);
  } catch (error) {
    if (error instanceof SegmentationError) throw error;
    throw new SegmentationError('malformed', 'The segmentation file is damaged: a value cannot be read.', {
      cause: error,
    });
  }
}

function readSegmentation(buffer: ArrayBuffer): SegmentationData {
  const dataSet = parseDataSet(buffer);
  const sopClassUid = text(dataSet, TAG.sopClassUid);
  if (sopClassUid !== SEGMENTATION_STORAGE_SOP_CLASS) {
    fail('not-a-segmentation', `The DICOM object is not a Segmentation (SOP Class ${sopClassUid ?? 'missing'}).`);
  }
  const transferSyntax = text(dataSet, 'x00020010') ?? '1.2.840.10008.1.2';
  if (!UNCOMPRESSED.has(transferSyntax) || transferSyntax === BIG_ENDIAN) {
    fail('unsupported', `Segmentations in transfer syntax ${transferSyntax} are not supported.`);
  }
  const sopInstanceUid = text(dataSet, TAG.sopInstanceUid);
  const studyUid = text(dataSet, TAG.studyUid);
  const seriesUid = text(dataSet, TAG.seriesUid);
  if (!sopInstanceUid || !studyUid || !seriesUid)
    fail('malformed', 'The segmentation lacks its study, series or instance UID.');
  const typeText = text(dataSet, TAG.segmentationType);
  if (typeText !== 'BINARY' && typeText !== 'FRACTIONAL') {
    fail('malformed', `Unknown Segmentation Type ${typeText ?? '(missing)'}.`);
  }
  const rows = dataSet.uint16(TAG.rows) ?? 0;
  const columns = dataSet.uint16(TAG.columns) ?? 0;
  const frameCount = Number(text(dataSet, TAG.numberOfFrames) ?? '1');
  if (rows < 1 || columns < 1 || !Number.isInteger(frameCount) || frameCount < 1) {
    fail('malformed', 'The segmentation has no valid Rows, Columns or Number of Frames.');
  }
  const segments = parseSegments(dataSet);
  const segmentNumbers = new Set(segments.map((s) => s.segmentNumber));
  const shared = firstItem(dataSet, TAG.sharedFunctionalGroups);
  const perFrame = items(dataSet, TAG.perFrameFunctionalGroups);
  if (perFrame.length !== frameCount) {
    fail('malformed', `The segmentation has ${perFrame.length} per-frame functional groups for ${frameCount} frames.`);
  }
  const pixelData = dataSet.elements[TAG.pixelData];
  if (!pixelData) fail('malformed', 'The segmentation has no pixel data.');
  const masks = frameMasks(dataSet, pixelData, typeText, frameCount, rows * columns);

  const frames = perFrame.map((group, index): SegmentationFrame => {
    const frameNumber = index + 1;
    const segmentNumber =
      firstItem(group, TAG.segmentIdentificationSequence)?.uint16(TAG.referencedSegmentNumber) ??
      firstItem(shared, TAG.segmentIdentificationSequence)?.uint16(TAG.referencedSegmentNumber);
    if (segmentNumber === undefined || !segmentNumbers.has(segmentNumber)) {
      fail('malformed', `Frame ${frameNumber} refers to no segment of the Segment Sequence.`);
    }
    const position = vec3(
      numbers(functionalGroup(group, shared, TAG.planePositionSequence), TAG.imagePositionPatient),
      'Image Position (Patient)',
      frameNumber,
    );
    const orientationValues = numbers(
      functionalGroup(group, shared, TAG.planeOrientationSequence),
      TAG.imageOrientationPatient,
    );
    if (orientationValues.length !== 6 || orientationValues.some((v) => !Number.isFinite(v))) {
      fail('malformed', `Frame ${frameNumber} has no valid Image Orientation (Patient).`);
    }
    const spacing = numbers(functionalGroup(group, shared, TAG.pixelMeasuresSequence), TAG.pixelSpacing);
    if (spacing.length !== 2 || spacing.some((v) => !(v > 0)))
      fail('malformed', `Frame ${frameNumber} has no valid Pixel Spacing.`);
    const source = firstItem(firstItem(group, TAG.derivationImageSequence), TAG.sourceImageSequence);
    const mask = masks[index]!;
    let pixelCount = 0;
    for (let i = 0; i < mask.length; i++) pixelCount += mask[i]!;
    return {
      frameNumber,
      segmentNumber,
      imagePositionPatient: position,
      imageOrientationPatient: orientationValues as unknown as Orientation,
      pixelSpacingMm: [spacing[0]!, spacing[1]!],
      ...definedOnly({
        referencedSopInstanceUid: text(source, TAG.referencedSopInstanceUid),
        referencedSopClassUid: text(source, TAG.referencedSopClassUid),
      }),
      mask,
      pixelCount,
    };
  });

  const referencedSeries = items(dataSet, TAG.referencedSeriesSequence)
    .map((item) => text(item, TAG.seriesUid))
    .filter((uid): uid is string => !!uid);
  return {
    sopInstanceUid,
    studyUid,
    seriesUid,
    frameOfReferenceUid: text(dataSet, TAG.frameOfReferenceUid) ?? '',
    ...definedOnly({
      referencedSeriesUid: new Set(referencedSeries).size === 1 ? referencedSeries[0] : undefined,
      sliceSpacingMm: sliceSpacing(dataSet, frames),
    }),
    segmentationType: typeText,
    rows,
    columns,
    segments,
    frames,
    ...definedOnly({
      contentDateTime: contentDateTime(dataSet),
      contentCreatorName: text(dataSet, TAG.contentCreatorName),
      seriesDescription: text(dataSet, TAG.seriesDescription),
    }),
  };
}

/** Vertex on pixel edges: `x` from 0 (left edge of column 0) to `columns`, `y` likewise for rows. */
export interface EdgePoint {
  readonly x: number;
  readonly y: number;
}

/** The outline of one connected region of a mask. */
export interface MaskOutline {
  /** Corners of the outer boundary on pixel edges, clockwise on screen, collinear points removed. */
  readonly vertices: readonly EdgePoint[];
  /** Pixels of the region (4-connected). */
  readonly pixelCount: number;
  /** Pixels the outline encloses: the region plus any holes in it (the outline area in pixels). */
  readonly enclosedPixelCount: number;
}

/** Pixels of the largest 4-connected region of a mask, as a 0/1 mask of the same size, and its size. */
function largestRegion(mask: Uint8Array, columns: number, rows: number): { region: Uint8Array; pixelCount: number } {
  const labels = new Int32Array(mask.length);
  const stack: number[] = [];
  let best = 0;
  let bestLabel = 0;
  let label = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    label++;
    let size = 0;
    labels[start] = label;
    stack.push(start);
    while (stack.length) {
      const index = stack.pop()!;
      size++;
      const x = index % columns;
      const y = (index - x) / columns;
      const neighbours = [
        x > 0 ? index - 1 : -1,
        x < columns - 1 ? index + 1 : -1,
        y > 0 ? index - columns : -1,
        y < rows - 1 ? index + columns : -1,
      ];
      for (const n of neighbours) {
        if (n >= 0 && mask[n] && !labels[n]) {
          labels[n] = label;
          stack.push(n);
        }
      }
    }
    if (size > best) {
      best = size;
      bestLabel = label;
    }
  }
  const region = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) region[i] = labels[i] === bestLabel && bestLabel ? 1 : 0;
  return { region, pixelCount: best };
}

// Directions of boundary edges: right, down, left, up (screen coordinates, y down).
const DX = [1, 0, -1, 0] as const;
const DY = [0, 1, 0, -1] as const;

/**
 * Traces the outer boundary of the largest 4-connected region of a 0/1 mask along pixel edges
 * (contour following on the pixel grid): the polygon's area is exactly the region's pixel count
 * plus any holes, in pixels. Where two pixels of the region touch only at a corner, the outline
 * turns tightly (4-connectivity), so it never crosses itself. Returns `undefined` for an empty mask.
 */
export function traceLargestOutline(mask: Uint8Array, columns: number, rows: number): MaskOutline | undefined {
  const { region, pixelCount } = largestRegion(mask, columns, rows);
  if (pixelCount === 0) return undefined;
  const inside = (x: number, y: number): boolean =>
    x >= 0 && y >= 0 && x < columns && y < rows && region[y * columns + x] === 1;
  // Boundary edges, directed so that the region is on the right (clockwise on screen). Keyed by start vertex.
  const width = columns + 1;
  const outgoing = new Map<number, number[]>();
  const addEdge = (x: number, y: number, direction: number): void => {
    const key = y * width + x;
    const list = outgoing.get(key);
    if (list) list.push(direction);
    else outgoing.set(key, [direction]);
  };
  let startKey = -1;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      if (!inside(x, y)) continue;
      if (!inside(x, y - 1)) addEdge(x, y, 0);
      if (!inside(x + 1, y)) addEdge(x + 1, y, 1);
      if (!inside(x, y + 1)) addEdge(x + 1, y + 1, 2);
      if (!inside(x - 1, y)) addEdge(x, y + 1, 3);
      if (startKey < 0) startKey = y * width + x; // top-left pixel: its top edge lies on the outer boundary
    }
  }
  const path: EdgePoint[] = [];
  let x = startKey % width;
  let y = (startKey - x) / width;
  let direction = 0;
  const startX = x;
  const startY = y;
  const guard = 4 * pixelCount + 4;
  for (let step = 0; step <= guard; step++) {
    path.push({ x, y });
    const key = y * width + x;
    const options = outgoing.get(key) ?? [];
    // Prefer a right turn, then straight on, then a left turn: keeps corner-touching pixels apart.
    const next = [(direction + 1) % 4, direction, (direction + 3) % 4].find((d) => options.includes(d));
    if (next === undefined) fail('malformed', 'A segment outline could not be traced.');
    options.splice(options.indexOf(next), 1);
    direction = next;
    x += DX[direction]!;
    y += DY[direction]!;
    if (x === startX && y === startY) break;
  }
  const vertices = path.filter((point, i) => {
    const previous = path[(i + path.length - 1) % path.length]!;
    const following = path[(i + 1) % path.length]!;
    const ax = point.x - previous.x;
    const ay = point.y - previous.y;
    const bx = following.x - point.x;
    const by = following.y - point.y;
    return ax * by - ay * bx !== 0;
  });
  let twiceArea = 0;
  for (let i = 0; i < vertices.length; i++) {
    const a = vertices[i]!;
    const b = vertices[(i + 1) % vertices.length]!;
    twiceArea += a.x * b.y - b.x * a.y;
  }
  return { vertices, pixelCount, enclosedPixelCount: Math.abs(twiceArea) / 2 };
}

/** Options of {@link segmentationToReading}. */
export interface SegmentationToReadingOptions {
  readonly role: ReadingRole;
  /** The reader the segmentation belongs to (e.g. from the SEG's Content Creator's Name). */
  readonly reader: Reader;
  /** The CT series the SEG segments, when the SEG does not name exactly one. */
  readonly referencedSeriesUid?: string;
  /** Reading id; defaults to `seg-<SEG SOP Instance UID>`. */
  readonly id?: string;
  readonly impression?: string;
  readonly recommendations?: string;
  /** Defaults to `final`: a stored SEG is a finished annotation. */
  readonly status?: ReadingStatus;
  /** Timestamp when the SEG has no Content Date; defaults to now. */
  readonly createdAt?: string;
}

const LEGACY_CATEGORY_CODES: Readonly<Record<string, FindingCategory>> = {
  // SNOMED RT (SRT) codes that older SEGs (dcmqi, LIDC conversions) use.
  'SRT:M-03010': 'nodule',
  'SRT:M-03000': 'mass',
  'SRT:M-12000': 'fracture',
  'SRT:M-37000': 'haemorrhage',
};

/**
 * The finding category of a segment's Segmented Property Type: by SNOMED CT code, by a legacy
 * SNOMED RT code, or by code meaning; `other` when it maps to none.
 */
export function categoryForSegment(segment: SegmentDefinition): FindingCategory {
  const type = segment.type;
  if (!type) return 'other';
  const legacy = LEGACY_CATEGORY_CODES[`${type.scheme.toUpperCase()}:${type.value}`];
  if (legacy) return legacy;
  const meaning = type.meaning.trim().toLowerCase();
  for (const category of FINDING_CATEGORIES) {
    if (category === 'other') continue;
    const code = FINDING_CATEGORY_CODES[category];
    const sameCode = ['SCT', 'SNM', 'SNOMED'].includes(type.scheme.toUpperCase()) && type.value === code.value;
    if (sameCode || meaning === code.meaning.toLowerCase() || meaning === category) return category;
  }
  return 'other';
}

function segmentFinding(
  seg: SegmentationData,
  segment: SegmentDefinition,
  seriesUid: string,
  readerId: string,
  timestamp: string,
): Finding {
  const frames = seg.frames.filter((f) => f.segmentNumber === segment.segmentNumber);
  const measurements: Measurement[] = [];
  let voxels = 0;
  const sum: [number, number, number] = [0, 0, 0];
  for (const frame of frames) {
    const { imagePositionPatient: position, imageOrientationPatient: orientation, pixelSpacingMm: spacing } = frame;
    // Voxel centres: sum pixel indices per row/column, then map once (the mapping is affine).
    let count = 0;
    let columnSum = 0;
    let rowSum = 0;
    for (let i = 0; i < frame.mask.length; i++) {
      if (!frame.mask[i]) continue;
      const column = i % seg.columns;
      count++;
      columnSum += column;
      rowSum += (i - column) / seg.columns;
    }
    if (count === 0) continue;
    const centre = pixelToPatient(position, orientation, spacing, columnSum / count, rowSum / count);
    for (let axis = 0; axis < 3; axis++) sum[axis]! += centre[axis]! * count;
    voxels += count;

    const outline = traceLargestOutline(frame.mask, seg.columns, seg.rows);
    if (!outline || outline.vertices.length < 3) continue;
    if (!frame.referencedSopInstanceUid) {
      fail('missing-reference', `Frame ${frame.frameNumber} does not say which image it segments.`);
    }
    // Pixel-edge corner (x, y) is half a pixel up and left of pixel centre (x, y).
    const points = outline.vertices.map((v) => pixelToPatient(position, orientation, spacing, v.x - 0.5, v.y - 0.5));
    measurements.push({
      id: `seg-${segment.segmentNumber}-frame-${frame.frameNumber}`,
      kind: 'freehand-roi',
      points,
      studyUid: seg.studyUid,
      seriesUid,
      sopInstanceUid: frame.referencedSopInstanceUid,
      frameOfReferenceUid: seg.frameOfReferenceUid,
      values: computeGeometry('freehand-roi', points, orientation),
      label: segment.label,
      readerId,
      createdAt: timestamp,
      updatedAt: timestamp,
      locked: true,
      imageOrientationPatient: orientation,
    });
  }
  const first = frames[0];
  const pixelAreaMm2 = first ? first.pixelSpacingMm[0] * first.pixelSpacingMm[1] : 0;
  const centroid: Vec3 | undefined = voxels ? [sum[0] / voxels, sum[1] / voxels, sum[2] / voxels] : undefined;
  const volumeMm3 = seg.sliceSpacingMm !== undefined ? voxels * pixelAreaMm2 * seg.sliceSpacingMm : undefined;
  const description = segment.label;
  return {
    id: `seg-${segment.segmentNumber}`,
    description,
    category: categoryForSegment(segment),
    location: {
      measurements,
      images: [],
      ...definedOnly({ site: segment.anatomicRegion }),
      segment: {
        seriesUid: seg.seriesUid,
        sopInstanceUid: seg.sopInstanceUid,
        segmentNumber: segment.segmentNumber,
        label: segment.label,
        ...definedOnly({ centroid, volumeMm3 }),
      },
    },
    ...definedOnly({
      text: segment.description && segment.description !== description ? segment.description : undefined,
      trackingUid: segment.trackingUid,
    }),
  };
}

/**
 * Turns a parsed SEG into a {@link Reading}: one finding per segment, with the segment's
 * category (from its Segmented Property Type; `other` when it maps to no category), its label as
 * description, a {@link SegmentReference} (centroid in patient mm, volume = voxels × pixel area ×
 * slice spacing) and one locked `freehand-roi` per frame outlining the largest connected region
 * of the mask on the referenced CT image. Timestamps come from the SEG's Content Date/Time.
 * @throws SegmentationError `missing-reference` when the CT series or a frame's image is unknown
 */
export function segmentationToReading(seg: SegmentationData, options: SegmentationToReadingOptions): Reading {
  const seriesUid = options.referencedSeriesUid ?? seg.referencedSeriesUid;
  if (!seriesUid) {
    fail('missing-reference', 'The segmentation does not name one referenced series; pass referencedSeriesUid.');
  }
  const timestamp = seg.contentDateTime ?? options.createdAt ?? new Date().toISOString();
  const readerId = options.reader.id ?? options.reader.name;
  const findings = seg.segments.map((segment) => segmentFinding(seg, segment, seriesUid, readerId, timestamp));
  const status = options.status ?? 'final';
  return {
    id: options.id ?? `seg-${seg.sopInstanceUid}`,
    role: options.role,
    reader: options.reader,
    studyUid: seg.studyUid,
    findings,
    impression: options.impression ?? '',
    recommendations: options.recommendations ?? '',
    status,
    createdAt: timestamp,
    updatedAt: timestamp,
    ...(status === 'draft' ? {} : { finalizedAt: timestamp }),
    source: { kind: 'seg', studyUid: seg.studyUid, seriesUid: seg.seriesUid, sopInstanceUid: seg.sopInstanceUid },
  };
}
