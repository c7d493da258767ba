import type { DataSet } from 'dicom-parser';
import type { Orientation, SliceGeometry, Vec3 } from './geometry.js';

/** SOP classes that hold single-frame images the viewer displays. */
export const IMAGE_SOP_CLASSES: Readonly<Record<string, string>> = {
  '1.2.840.10008.5.1.4.1.1.2': 'CT Image Storage',
  '1.2.840.10008.5.1.4.1.1.4': 'MR Image Storage',
  '1.2.840.10008.5.1.4.1.1.128': 'PET Image Storage',
  '1.2.840.10008.5.1.4.1.1.7': 'Secondary Capture Image Storage',
};

/** Transfer syntaxes the viewer's codecs decode. */
export const SUPPORTED_TRANSFER_SYNTAXES: Readonly<Record<string, string>> = {
  '1.2.840.10008.1.2': 'Implicit VR Little Endian',
  '1.2.840.10008.1.2.1': 'Explicit VR Little Endian',
  '1.2.840.10008.1.2.1.99': 'Deflated Explicit VR Little Endian',
  '1.2.840.10008.1.2.2': 'Explicit VR Big Endian',
  '1.2.840.10008.1.2.5': 'RLE Lossless',
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline (Process 1)',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended (Process 2 & 4)',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless (Process 14)',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.4.201': 'HTJ2K Lossless',
  '1.2.840.10008.1.2.4.202': 'HTJ2K Lossless RPCL',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
};

/** Everything the viewer needs to know about one image instance. No patient identity here. */
export interface InstanceInfo extends SliceGeometry {
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly modality: string;
  readonly rows: number;
  readonly columns: number;
  /** DICOM PixelSpacing: [between rows, between columns], mm. */
  readonly pixelSpacingMm: readonly [number, number] | null;
  readonly sliceThicknessMm: number | null;
  readonly frameOfReferenceUid: string | null;
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
  readonly windowCenter: number | null;
  readonly windowWidth: number | null;
  readonly transferSyntaxUid: string | null;
  readonly numberOfFrames: number;
  /**
   * The frame (1-based) of a multi-frame object this entry shows: a series lists every frame of a
   * multi-frame image (e.g. a colour cine capture) as a slice of its own. Absent for single frames.
   */
  readonly frameNumber?: number;
  readonly hasPixelData: boolean;
  readonly bitsAllocated: number;
  /** 0 unsigned, 1 signed (two's complement). */
  readonly pixelRepresentation: number;
  readonly samplesPerPixel: number;
  readonly photometricInterpretation: string;
  readonly imagePositionPatient: Vec3 | null;
  readonly imageOrientationPatient: Orientation | null;
  readonly instanceNumber: number | null;
}

/** Descriptive study information that is not patient identity. */
export interface StudyInfo {
  readonly studyDescription: string;
  readonly seriesDescription: string;
  /** DICOM DA, YYYYMMDD. */
  readonly studyDate: string;
  readonly institution: string;
}

/** Patient identity: shown, emitted or exported only when the host opts in. */
export interface PatientIdentity {
  readonly name: string;
  readonly id: string;
  readonly birthDate: string;
  readonly accessionNumber: string;
}

/** A DICOM JSON attribute (PS3.18 F.2). */
export interface DicomJsonAttribute {
  vr?: string;
  Value?: unknown[];
  BulkDataURI?: string;
  InlineBinary?: string;
}
export type DicomJson = Record<string, DicomJsonAttribute>;

const jsonValues = (json: DicomJson, tag: string): unknown[] => json[tag]?.Value ?? [];

function jsonString(json: DicomJson, tag: string): string {
  const value = jsonValues(json, tag)[0];
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && 'Alphabetic' in value) {
    return String((value as { Alphabetic?: string }).Alphabetic ?? '');
  }
  return String(value);
}

function jsonNumbers(json: DicomJson, tag: string): number[] {
  return jsonValues(json, tag)
    .map((v) => Number(v))
    .filter((v) => Number.isFinite(v));
}

const first = (values: number[]): number | null => (values.length ? values[0]! : null);
const vec3 = (values: number[]): Vec3 | null => (values.length >= 3 ? [values[0]!, values[1]!, values[2]!] : null);
const orientation = (values: number[]): Orientation | null =>
  values.length >= 6 ? [values[0]!, values[1]!, values[2]!, values[3]!, values[4]!, values[5]!] : null;
const pair = (values: number[]): readonly [number, number] | null =>
  values.length >= 2 ? [values[0]!, values[1]!] : null;

/** Reads an instance from DICOM JSON (e.g. a WADO-RS series metadata entry). */
export function instanceFromDicomJson(json: DicomJson): InstanceInfo {
  return {
    sopInstanceUid: jsonString(json, '00080018'),
    sopClassUid: jsonString(json, '00080016'),
    studyUid: jsonString(json, '0020000D'),
    seriesUid: jsonString(json, '0020000E'),
    modality: jsonString(json, '00080060'),
    rows: first(jsonNumbers(json, '00280010')) ?? 0,
    columns: first(jsonNumbers(json, '00280011')) ?? 0,
    pixelSpacingMm: pair(jsonNumbers(json, '00280030')),
    sliceThicknessMm: first(jsonNumbers(json, '00180050')),
    frameOfReferenceUid: jsonString(json, '00200052') || null,
    rescaleSlope: first(jsonNumbers(json, '00281053')) ?? 1,
    rescaleIntercept: first(jsonNumbers(json, '00281052')) ?? 0,
    windowCenter: first(jsonNumbers(json, '00281050')),
    windowWidth: first(jsonNumbers(json, '00281051')),
    transferSyntaxUid: jsonString(json, '00020010') || jsonString(json, '00083002') || null,
    numberOfFrames: first(jsonNumbers(json, '00280008')) ?? 1,
    hasPixelData: '7FE00010' in json || '7fe00010' in json,
    bitsAllocated: first(jsonNumbers(json, '00280100')) ?? 16,
    pixelRepresentation: first(jsonNumbers(json, '00280103')) ?? 0,
    samplesPerPixel: first(jsonNumbers(json, '00280002')) ?? 1,
    photometricInterpretation: jsonString(json, '00280004') || 'MONOCHROME2',
    imagePositionPatient: vec3(jsonNumbers(json, '00200032')),
    imageOrientationPatient: orientation(jsonNumbers(json, '00200037')),
    instanceNumber: first(jsonNumbers(json, '00200013')),
  };
}

export function studyInfoFromDicomJson(json: DicomJson): StudyInfo {
  return {
    studyDescription: jsonString(json, '00081030'),
    seriesDescription: jsonString(json, '0008103E'),
    studyDate: jsonString(json, '00080020'),
    institution: jsonString(json, '00080080'),
  };
}

export function patientFromDicomJson(json: DicomJson): PatientIdentity {
  return {
    name: jsonString(json, '00100010').replace(/\^/g, ' ').trim(),
    id: jsonString(json, '00100020'),
    birthDate: jsonString(json, '00100030'),
    accessionNumber: jsonString(json, '00080050'),
  };
}

const dsNumbers = (ds: DataSet, tag: string): number[] => {
  const text = ds.string(tag);
  if (!text) return [];
  return text
    .split('\\')
    .map((v) => Number(v))
    .filter((v) => Number.isFinite(v));
};

/** Reads an instance from a dicom-parser data set (a Part 10 file). */
export function instanceFromDataSet(ds: DataSet): InstanceInfo {
  const us = (tag: string): number | null => (ds.elements[tag] ? (ds.uint16(tag) ?? null) : null);
  return {
    sopInstanceUid: ds.string('x00080018') ?? '',
    sopClassUid: ds.string('x00080016') ?? ds.string('x00020002') ?? '',
    studyUid: ds.string('x0020000d') ?? '',
    seriesUid: ds.string('x0020000e') ?? '',
    modality: ds.string('x00080060') ?? '',
    rows: us('x00280010') ?? 0,
    columns: us('x00280011') ?? 0,
    pixelSpacingMm: pair(dsNumbers(ds, 'x00280030')),
    sliceThicknessMm: first(dsNumbers(ds, 'x00180050')),
    frameOfReferenceUid: ds.string('x00200052') ?? null,
    rescaleSlope: first(dsNumbers(ds, 'x00281053')) ?? 1,
    rescaleIntercept: first(dsNumbers(ds, 'x00281052')) ?? 0,
    windowCenter: first(dsNumbers(ds, 'x00281050')),
    windowWidth: first(dsNumbers(ds, 'x00281051')),
    transferSyntaxUid: ds.string('x00020010') ?? null,
    numberOfFrames: first(dsNumbers(ds, 'x00280008')) ?? 1,
    hasPixelData: Boolean(ds.elements['x7fe00010']),
    bitsAllocated: us('x00280100') ?? 16,
    pixelRepresentation: us('x00280103') ?? 0,
    samplesPerPixel: us('x00280002') ?? 1,
    photometricInterpretation: ds.string('x00280004') ?? 'MONOCHROME2',
    imagePositionPatient: vec3(dsNumbers(ds, 'x00200032')),
    imageOrientationPatient: orientation(dsNumbers(ds, 'x00200037')),
    instanceNumber: first(dsNumbers(ds, 'x00200013')),
  };
}

export function studyInfoFromDataSet(ds: DataSet): StudyInfo {
  return {
    studyDescription: ds.string('x00081030') ?? '',
    seriesDescription: ds.string('x0008103e') ?? '',
    studyDate: ds.string('x00080020') ?? '',
    institution: ds.string('x00080080') ?? '',
  };
}

export function patientFromDataSet(ds: DataSet): PatientIdentity {
  return {
    name: (ds.string('x00100010') ?? '').replace(/\^/g, ' ').trim(),
    id: ds.string('x00100020') ?? '',
    birthDate: ds.string('x00100030') ?? '',
    accessionNumber: ds.string('x00080050') ?? '',
  };
}

/** Photometric interpretations of colour images the viewer shows in their own colours. */
export const COLOUR_PHOTOMETRIC_INTERPRETATIONS = [
  'RGB',
  'YBR_FULL',
  'YBR_FULL_422',
  'YBR_ICT',
  'YBR_RCT',
  'PALETTE COLOR',
] as const;

/** Transfer syntaxes whose pixel data is stored as it is (no codec). */
const NATIVE_TRANSFER_SYNTAXES = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2']);

/**
 * True for an image shown in colour (three samples per pixel, or a palette): no window, no HU;
 * the pixel value is an RGB triple.
 */
export function isColourImage(instance: Pick<InstanceInfo, 'samplesPerPixel' | 'photometricInterpretation'>): boolean {
  return (
    instance.samplesPerPixel === 3 ||
    (COLOUR_PHOTOMETRIC_INTERPRETATIONS as readonly string[]).includes(instance.photometricInterpretation)
  );
}

/**
 * Why the viewer cannot display an image's pixel format, or null when it can. Supported: one
 * sample per pixel (MONOCHROME1/2, PALETTE COLOR) of 8 or 16 bits; three samples (RGB, YBR_FULL,
 * YBR_FULL_422, YBR_ICT, YBR_RCT) of 8 bits in any supported transfer syntax, or RGB of 16 bits
 * uncompressed (shown with 8 bits per channel). Everything else (32 bits per sample, 1-bit,
 * 16-bit colour in a compressed syntax, other sample counts) is refused as `unsupported`.
 */
export function unsupportedPixelFormat(
  instance: Pick<InstanceInfo, 'samplesPerPixel' | 'photometricInterpretation' | 'bitsAllocated' | 'transferSyntaxUid'>,
): string | null {
  const { samplesPerPixel, photometricInterpretation: pi, bitsAllocated } = instance;
  const format = `${samplesPerPixel} sample(s) per pixel of ${bitsAllocated} bits (${pi})`;
  if (samplesPerPixel === 1) {
    if (!['MONOCHROME1', 'MONOCHROME2', 'PALETTE COLOR'].includes(pi))
      return `${format}: unknown photometric interpretation`;
    return bitsAllocated === 8 || bitsAllocated === 16 ? null : `${format}: only 8 or 16 bits are displayed`;
  }
  if (samplesPerPixel === 3) {
    if (!(COLOUR_PHOTOMETRIC_INTERPRETATIONS as readonly string[]).includes(pi))
      return `${format}: unknown colour model`;
    if (bitsAllocated === 8) return null;
    const native = !instance.transferSyntaxUid || NATIVE_TRANSFER_SYNTAXES.has(instance.transferSyntaxUid);
    if (bitsAllocated === 16 && pi === 'RGB' && native) return null;
    return `${format}: colour is displayed with 8 bits per sample, or 16-bit RGB uncompressed`;
  }
  return `${format}: only 1 or 3 samples per pixel are displayed`;
}

/** True when the instance is a single-frame image this viewer can display. */
export function isDisplayableImage(instance: InstanceInfo): boolean {
  if (instance.sopClassUid && !(instance.sopClassUid in IMAGE_SOP_CLASSES)) return false;
  return instance.rows > 0 && instance.columns > 0;
}
