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

/** An SR the PACS confirmed: where it is, and its Instance Number in its series. */
export interface StoredSr {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly sopInstanceUid: string;
  readonly instanceNumber: number;
}

/** What storing an opinion gave: the SR the server confirmed, and what the SR could not hold as given. */
export interface StoreResult {
  readonly stored: StoredSr;
  /** From the exporter (e.g. a reader name cut to the 64 bytes of a DICOM person name); name no person. */
  readonly warnings: readonly string[];
}

/**
 * Stores a submitted second opinion as a DICOM SR (TID 1500); resolves with what the server
 * confirmed. With `amends` (the SR stored before for this opinion, which the reader then
 * changed) the new SR is a new instance in that SR's series, Instance Number + 1, whose
 * Predecessor Documents Sequence (0040,A360) names it: the DICOM way to supersede a report
 * without deleting it.
 */
export async function storeOpinionSr(
  target: PacsTarget,
  opinion: SecondOpinion,
  options: SecondOpinionSrExportOptions = {},
  amends?: StoredSr,
): Promise<StoreResult> {
  const standards = await import('@secondread/standards');
  // A draft kept before the series was recorded cannot name its predecessor (series is type 1).
  amends = amends?.seriesUid ? amends : undefined;
  const instanceNumber = amends ? amends.instanceNumber + 1 : (options.instanceNumber ?? 1);
  // A host's fixed SOP Instance UID names the first SR only: an amendment is always a new instance.
  const { sopInstanceUid, ...rest } = options;
  const sr = standards.exportSecondOpinionSr(opinion, {
    ...rest,
    ...(sopInstanceUid && !amends ? { sopInstanceUid } : {}),
    instanceNumber,
    ...(amends
      ? {
          seriesInstanceUid: amends.seriesUid,
          predecessorDocuments: [
            { studyUid: amends.studyUid, seriesUid: amends.seriesUid, sopInstanceUid: amends.sopInstanceUid },
          ],
        }
      : {}),
  });
  const stored: ReportStoreDetail = await standards.storeSr(target, sr.buffer);
  return { stored: { ...stored, instanceNumber }, warnings: sr.warnings };
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
