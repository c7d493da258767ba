/**
 * The PACS calls of `<opinion-report>`: the second opinion stored as a DICOM SR (STOW-RS), the
 * first reading found among the study's reports (QIDO-RS) and retrieved (WADO-RS). `@secondread/standards`
 * (dcmjs) is loaded only when one of them runs.
 */
import type { Reading, SecondOpinion } from '@secondread/core';
import type { SecondOpinionSrExportOptions } from '@secondread/standards';
import type { ReportStoreDetail } from './events.js';
import type { FirstReadingDocument } from './first-reading-document.js';

/** Where the PACS answers, and how to authenticate (headers never go into URLs). */
export interface PacsTarget {
  readonly root: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The DICOMweb target for a root and optional headers. */
export function pacsTarget(root: string, headers?: Readonly<Record<string, string>>): PacsTarget {
  return { root, ...(headers ? { headers } : {}) };
}

/** Stores a submitted second opinion as a DICOM SR (TID 1500); resolves with what the server confirmed. */
export async function storeOpinionSr(
  target: PacsTarget,
  opinion: SecondOpinion,
  options: SecondOpinionSrExportOptions = {},
): Promise<ReportStoreDetail> {
  const standards = await import('@secondread/standards');
  const sr = standards.exportSecondOpinionSr(opinion, options);
  return standards.storeSr(target, sr.buffer);
}

/** The visible sentence for a failed store (the draft is kept either way). */
export function storeFailureMessage(failure: { readonly code: string; readonly message: string }): string {
  return failure.code === 'store-unavailable'
    ? `Storing is not available on this image server: ${failure.message} Your report is kept in this browser.`
    : `Not stored on the image server: ${failure.message} Your report is kept in this browser; press Submit to try again.`;
}

/**
 * The study's first reading among its reports (QIDO-RS, modality SR and DOC; `findFirstReading`
 * of `@secondread/standards`): a TID 1500 measurement SR preferred, else the newest TID 2000 text
 * report, else the newest Encapsulated PDF, whose bytes come back as `document`. Null when there
 * is none.
 */
export async function loadFirstReading(
  target: PacsTarget,
  studyUid: string,
): Promise<{ reading: Reading; document?: FirstReadingDocument } | null> {
  const standards = await import('@secondread/standards');
  const found = await standards.findFirstReading(target, studyUid);
  if (!found) return null;
  return found.kind === 'pdf' ? { reading: found.reading, document: found.document } : { reading: found.reading };
}
