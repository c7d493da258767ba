// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- declares the untyped dcmjs module wherever this file is compiled
/// <reference path="./dcmjs.d.ts" />
/**
 * A narrow, typed façade over dcmjs for writing and reading DICOM Part 10 files.
 *
 * Datasets are "naturalized" dcmjs objects: keyword → value (`PatientName`, `Rows`, ...),
 * with `_vrMap` giving the VR of ambiguous elements such as `PixelData`.
 */
import dcmjsUntyped from 'dcmjs';

/** One DICOM data element in dcmjs' "denaturalized" (DICOM JSON-like) form. */
export interface DenaturalizedElement {
  vr: string;
  Value?: unknown[];
}

/** A dataset keyed by 8-hex-digit tag, as dcmjs reads and writes it. */
export type DenaturalizedDataset = Record<string, DenaturalizedElement>;

/** A dataset keyed by DICOM keyword (dcmjs "naturalized" form). */
export interface NaturalDataset {
  [keyword: string]: unknown;
  _vrMap?: Record<string, string>;
}

interface DicomDictInstance {
  meta: DenaturalizedDataset;
  dict: DenaturalizedDataset;
  write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer;
}

interface DcmjsApi {
  data: {
    DicomDict: new (meta: DenaturalizedDataset) => DicomDictInstance;
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: { untilTag?: string; ignoreErrors?: boolean }): DicomDictInstance;
    };
    DicomMetaDictionary: {
      denaturalizeDataset(dataset: NaturalDataset): DenaturalizedDataset;
      naturalizeDataset(dataset: DenaturalizedDataset): NaturalDataset;
    };
  };
}

const dcmjs = dcmjsUntyped as DcmjsApi;

/** Transfer syntax UID of Explicit VR Little Endian. */
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/** File meta information (group 0002) written in front of every dataset. */
export interface FileMeta {
  mediaStorageSopClassUid: string;
  mediaStorageSopInstanceUid: string;
  /** Defaults to Explicit VR Little Endian, the only syntax dcmjs writes natively. */
  transferSyntaxUid?: string;
  implementationClassUid: string;
  /** At most 16 characters. */
  implementationVersionName?: string;
}

/**
 * Serialises a naturalized dataset as a DICOM Part 10 file (128-byte preamble, `DICM`, file
 * meta group with its group length, then the dataset). Output is byte-for-byte deterministic
 * for a given input.
 */
export function writePart10(dataset: NaturalDataset, meta: FileMeta): Uint8Array {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const naturalMeta: NaturalDataset = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: meta.mediaStorageSopClassUid,
    MediaStorageSOPInstanceUID: meta.mediaStorageSopInstanceUid,
    TransferSyntaxUID: meta.transferSyntaxUid ?? EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: meta.implementationClassUid,
    _vrMap: { FileMetaInformationVersion: 'OB' },
  };
  if (meta.implementationVersionName) {
    naturalMeta.ImplementationVersionName = meta.implementationVersionName;
  }
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(naturalMeta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}

/** A parsed Part 10 file: naturalized file meta and dataset. */
export interface ParsedPart10 {
  meta: NaturalDataset;
  dataset: NaturalDataset;
}

/** Parses a DICOM Part 10 file with dcmjs (any transfer syntax dcmjs understands). */
export function readPart10(bytes: Uint8Array): ParsedPart10 {
  const { DicomMessage, DicomMetaDictionary } = dcmjs.data;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const dict = DicomMessage.readFile(buffer);
  return {
    meta: DicomMetaDictionary.naturalizeDataset(dict.meta),
    dataset: DicomMetaDictionary.naturalizeDataset(dict.dict),
  };
}
