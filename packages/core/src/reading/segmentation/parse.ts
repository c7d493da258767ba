/**
 * Reads a DICOM SEG (Part 10 bytes) into plain masks and geometry: {@link parseSegmentation}.
 * Patient identity (Patient Module, Accession Number, ...) is never read.
 */
import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import { sliceNormal, type Orientation, type Vec3 } from '../../geometry.js';
import { hasPart10Preamble, inflateChecked } from '../../part10.js';
import type { CodedConcept } from '../types.js';
import {
  SEGMENTATION_STORAGE_SOP_CLASS,
  SegmentationError,
  definedOnly,
  fail,
  type SegmentDefinition,
  type SegmentationData,
  type SegmentationFrame,
} from './types.js';

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
