/** Errors of the SR import. */
import { SecondReadError, inspectPart10Structure } from '@secondread/core';
import { readPart10, type NaturalDataset } from './dicom.js';

/**
 * Why {@link importSr} or {@link importSecondOpinionSr} refused a file ({@link SrImportError}'s
 * `code`; the DICOM file error codes of `@secondread/core` that apply to an SR):
 *
 * | code | meaning |
 * | --- | --- |
 * | `not-dicom` | the bytes are not a DICOM Part 10 file (no 128-byte preamble and `DICM` prefix) |
 * | `truncated` | the file ends early: an element, item or sequence is cut off by the end of the file |
 * | `malformed` | DICOM and complete, but its structure, a required attribute or the content tree is invalid |
 * | `not-an-sr` | valid DICOM, but not a Structured Report (e.g. a CT image or a SEG); for `importFirstReading`, neither an SR nor an Encapsulated PDF |
 * | `not-tid-1500` | `importSr`: an SR, but its root is not a TID 1500 "Imaging Measurement Report" (e.g. a Basic Text SR) |
 * | `unsupported` | `importSecondOpinionSr`: a TID 1500 SR that carries no SecondRead concordance; `importTextSr`: an SR that is not a TID 2000 text report (a TID 1500 SR, a CAD SR...); `importEncapsulatedPdf`: not an Encapsulated PDF (e.g. an Encapsulated CDA); `importFirstReading`: an SR of neither template |
 */
export const SR_IMPORT_ERROR_CODES = [
  'not-dicom',
  'truncated',
  'malformed',
  'not-an-sr',
  'not-tid-1500',
  'unsupported',
] as const;

export type SrImportErrorCode = (typeof SR_IMPORT_ERROR_CODES)[number];

/**
 * Thrown when a file cannot be imported as a TID 1500 SR; never a partial reading, never a
 * parser's own error (that one is the `cause`). The message can be shown to a user as it is: it
 * carries no patient identity and no parser text.
 */
export class SrImportError extends SecondReadError<SrImportErrorCode> {
  override readonly name = 'SrImportError';
  constructor(code: SrImportErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }

  /** The same as `code`: the name `SegmentationError` and core's `Part10Error` give their file codes. */
  get reason(): SrImportErrorCode {
    return this.code;
  }
}

const structureMessages = (what: string) =>
  ({
    'not-dicom': 'The file is not a DICOM file (it has no DICOM preamble and "DICM" prefix).',
    truncated: `The ${what} file is truncated: it ends before its last element is complete.`,
    malformed: `The ${what} file is damaged: its DICOM structure is invalid.`,
  }) as const;

/**
 * Reads SR (or report document) bytes into a naturalized dataset, checking the structure first (so
 * a damaged file is `truncated` or `malformed`, and no parser allocates by a wrong length).
 * `what` names the file in the messages (`SR`, `report`).
 * @throws SrImportError `not-dicom`, `truncated` or `malformed`
 */
export function readSrPart10(input: ArrayBuffer | Uint8Array, what = 'SR'): NaturalDataset {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const structure = inspectPart10Structure(bytes);
  if (!structure.ok) throw new SrImportError(structure.code, structureMessages(what)[structure.code]);
  try {
    return readPart10(bytes);
  } catch (cause) {
    throw new SrImportError('malformed', `The ${what} file is damaged: it cannot be read as DICOM.`, { cause });
  }
}
