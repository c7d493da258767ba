/**
 * First readings from any report a PACS holds: an Encapsulated PDF report
 * ({@link importEncapsulatedPdf}), and {@link importFirstReading}, which picks the import by SOP
 * Class: TID 1500 measurement SRs (`importSr`), TID 2000 text reports (`importTextSr`) and
 * Encapsulated PDFs.
 */
import type { Reading } from '@secondread/core';
import { dicomDateTimeToIso, stringValue, type NaturalDataset } from './dicom.js';
import { SrImportError, readSrPart10 } from './sr-import-errors.js';
import {
  checkedReading,
  importTextSr,
  isTextReport,
  TEXT_SR_SOP_CLASS_UIDS,
  type TextSrImport,
} from './sr-import-text.js';
import type { SrImport, SrImportOptions } from './sr-import-types.js';
import { UNKNOWN_READER_NAME, importSr } from './sr-import.js';
import { SR_CODES, sameCode } from './codes.js';
import { conceptOf } from './sr-content.js';

/** Encapsulated PDF Storage. */
export const ENCAPSULATED_PDF_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.104.1';

/** The other Encapsulated Document storage classes (refused as `unsupported`). */
const OTHER_ENCAPSULATED_DOCUMENTS: Readonly<Record<string, string>> = {
  '1.2.840.10008.5.1.4.1.1.104.2': 'an Encapsulated CDA document',
  '1.2.840.10008.5.1.4.1.1.104.3': 'an Encapsulated STL model',
  '1.2.840.10008.5.1.4.1.1.104.4': 'an Encapsulated OBJ model',
  '1.2.840.10008.5.1.4.1.1.104.5': 'an Encapsulated MTL file',
};

/** A report document read from a DICOM object: the bytes to show, never put into a reading. */
export interface ReportDocument {
  readonly mediaType: 'application/pdf';
  /** The document, without DICOM's even-length padding. */
  readonly bytes: Uint8Array;
  /** Document Title, when the object has one. */
  readonly title?: string;
}

/** The result of {@link importEncapsulatedPdf}. */
export interface EncapsulatedPdfImport {
  /**
   * A `first` reading without findings (`source.kind` `pdf`, `source.document` describing the
   * PDF): the second reader reads the PDF and pairs nothing automatically.
   */
  readonly reading: Reading;
  /** The PDF, for a viewer panel. */
  readonly document: ReportDocument;
  readonly warnings: readonly string[];
}

/**
 * Reads an Encapsulated PDF report (Part 10 bytes or a naturalized dataset) into a `first`
 * {@link Reading} with no findings, whose `source.document` names the media type, title and size
 * of the PDF; the PDF bytes are returned beside it in `document` (readings travel in events and
 * drafts, megabytes of PDF do not). The object names no reader: the reader is "Unknown reader"
 * (with a warning). A stored report is `final`, at its Content Date/Time (else its Acquisition
 * Date/Time, else its Instance Creation Date/Time). Patient attributes are never read.
 *
 * @throws SrImportError `not-dicom`, `truncated`, `malformed` (also when the document is missing
 * or is no PDF), `unsupported` for any other DICOM object (e.g. an Encapsulated CDA).
 */
export function importEncapsulatedPdf(input: ArrayBuffer | Uint8Array | NaturalDataset): EncapsulatedPdfImport {
  const dataset = input instanceof ArrayBuffer || input instanceof Uint8Array ? readSrPart10(input, 'report') : input;
  const sopClass = stringValue(dataset.SOPClassUID);
  if (!sopClass) throw new SrImportError('malformed', 'The DICOM file has no SOP Class UID.');
  if (sopClass !== ENCAPSULATED_PDF_SOP_CLASS_UID) {
    const what = OTHER_ENCAPSULATED_DOCUMENTS[sopClass];
    throw new SrImportError(
      'unsupported',
      what
        ? `The file is ${what}: only Encapsulated PDF reports can be read.`
        : `Not an Encapsulated PDF (SOP Class UID ${sopClass}).`,
    );
  }
  const mediaType = stringValue(dataset.MIMETypeOfEncapsulatedDocument);
  if (mediaType && mediaType.trim().toLowerCase() !== 'application/pdf') {
    throw new SrImportError('malformed', `The Encapsulated PDF declares the media type ${mediaType.trim()}.`);
  }
  const bytes = documentBytes(dataset.EncapsulatedDocument, dataset.EncapsulatedDocumentLength);
  if (!bytes) throw new SrImportError('malformed', 'The Encapsulated PDF holds no document.');
  if (new TextDecoder('latin1').decode(bytes.subarray(0, 5)) !== '%PDF-') {
    throw new SrImportError('malformed', 'The Encapsulated PDF does not hold a PDF (no "%PDF-" header).');
  }
  const warnings = [`An Encapsulated PDF names no reader: the reader is "${UNKNOWN_READER_NAME}".`];
  const time =
    dicomDateTimeToIso(`${stringValue(dataset.ContentDate) ?? ''}${stringValue(dataset.ContentTime) ?? ''}`) ??
    dicomDateTimeToIso(stringValue(dataset.AcquisitionDateTime)) ??
    dicomDateTimeToIso(
      `${stringValue(dataset.InstanceCreationDate) ?? ''}${stringValue(dataset.InstanceCreationTime) ?? ''}`,
    );
  if (!time) warnings.push('The Encapsulated PDF has no content or creation date: it is dated 1970-01-01.');
  const at = time ?? new Date(0).toISOString();
  const title = stringValue(dataset.DocumentTitle)?.trim() || undefined;
  const studyUid = stringValue(dataset.StudyInstanceUID) ?? '';
  const seriesUid = stringValue(dataset.SeriesInstanceUID) ?? '';
  const sopInstanceUid = stringValue(dataset.SOPInstanceUID) ?? '';
  const reading: Reading = {
    id: sopInstanceUid,
    role: 'first',
    reader: { name: UNKNOWN_READER_NAME },
    studyUid,
    findings: [],
    impression: '',
    recommendations: '',
    status: 'final',
    createdAt: at,
    updatedAt: at,
    finalizedAt: at,
    source: {
      kind: 'pdf',
      studyUid,
      seriesUid,
      sopInstanceUid,
      document: { mediaType: 'application/pdf', ...(title ? { title } : {}), byteLength: bytes.byteLength },
    },
  };
  return {
    reading: checkedReading(reading, 'Encapsulated PDF'),
    document: { mediaType: 'application/pdf', bytes, ...(title ? { title } : {}) },
    warnings,
  };
}

/** The Encapsulated Document value (OB), cut to Encapsulated Document Length when given. */
function documentBytes(value: unknown, length: unknown): Uint8Array | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  const bytes =
    first instanceof ArrayBuffer
      ? new Uint8Array(first)
      : ArrayBuffer.isView(first)
        ? new Uint8Array(first.buffer, first.byteOffset, first.byteLength)
        : undefined;
  if (!bytes?.byteLength) return undefined;
  const declared = Number(Array.isArray(length) ? length[0] : length);
  return Number.isInteger(declared) && declared > 0 && declared <= bytes.byteLength
    ? bytes.slice(0, declared)
    : bytes.slice();
}

/** What {@link importFirstReading} read, by kind (the reading's `source.kind`). */
export type FirstReadingImport =
  | {
      readonly kind: 'sr';
      readonly reading: Reading;
      readonly warnings: readonly string[];
      /** The whole TID 1500 import (finding values, unknown content...). */
      readonly sr: SrImport;
    }
  | {
      readonly kind: 'text-sr';
      readonly reading: Reading;
      readonly warnings: readonly string[];
      readonly textSr: TextSrImport;
    }
  | {
      readonly kind: 'pdf';
      readonly reading: Reading;
      readonly warnings: readonly string[];
      /** The PDF, for a viewer panel. */
      readonly document: ReportDocument;
    };

/**
 * Reads any first-reader report (Part 10 bytes or a naturalized dataset) into a first reading,
 * choosing the import by SOP Class and SR template: a TID 1500 "Imaging Measurement Report" goes
 * to `importSr` (with `options`), a TID 2000 text report (Basic Text, Enhanced or Comprehensive
 * SR) to `importTextSr`, an Encapsulated PDF to {@link importEncapsulatedPdf}.
 *
 * @throws SrImportError `not-dicom`, `truncated`, `malformed` for damaged files, `not-an-sr` for
 * DICOM objects that are no report (an image, a SEG), `unsupported` for an SR of another template
 * (e.g. a CAD SR) or another encapsulated document.
 */
export function importFirstReading(
  input: ArrayBuffer | Uint8Array | NaturalDataset,
  options: SrImportOptions = {},
): FirstReadingImport {
  const dataset = input instanceof ArrayBuffer || input instanceof Uint8Array ? readSrPart10(input, 'report') : input;
  const sopClass = stringValue(dataset.SOPClassUID);
  if (!sopClass) throw new SrImportError('malformed', 'The DICOM file has no SOP Class UID.');
  if (sopClass === ENCAPSULATED_PDF_SOP_CLASS_UID || OTHER_ENCAPSULATED_DOCUMENTS[sopClass]) {
    const pdf = importEncapsulatedPdf(dataset);
    return { kind: 'pdf', reading: pdf.reading, warnings: pdf.warnings, document: pdf.document };
  }
  if (!TEXT_SR_SOP_CLASS_UIDS.includes(sopClass)) {
    throw new SrImportError(
      'not-an-sr',
      `Not a report: neither a structured report nor an Encapsulated PDF (SOP Class UID ${sopClass}).`,
    );
  }
  if (sameCode(conceptOf(dataset.ConceptNameCodeSequence), SR_CODES.imagingMeasurementReport)) {
    const sr = importSr(dataset, options);
    return { kind: 'sr', reading: sr.reading, warnings: sr.warnings, sr };
  }
  if (isTextReport(dataset)) {
    const textSr = importTextSr(dataset);
    return { kind: 'text-sr', reading: textSr.reading, warnings: textSr.warnings, textSr };
  }
  const root = conceptOf(dataset.ConceptNameCodeSequence);
  throw new SrImportError(
    'unsupported',
    `This SR is neither a TID 1500 measurement report nor a TID 2000 text report (its root is "${root?.meaning ?? 'unnamed'}").`,
  );
}
