/**
 * The PACS calls of `<opinion-report>`: the second opinion stored as a DICOM SR (STOW-RS), the
 * first reading found among the study's SRs (QIDO-RS) and retrieved (WADO-RS). `@secondread/standards`
 * (dcmjs) is loaded only when one of them runs.
 */
import type { Reading, SecondOpinion } from '@secondread/core';
import type { SecondOpinionSrExportOptions } from '@secondread/standards';
import type { ReportStoreDetail } from './events.js';

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
 * The study's newest first reading among its DICOM SRs (QIDO-RS, newest content date and
 * instance number first), imported; null when there is none.
 */
export async function loadFirstReading(target: PacsTarget, studyUid: string): Promise<Reading | null> {
  const standards = await import('@secondread/standards');
  const candidates = (await standards.findReadings(target, studyUid)).sort(
    (a, b) =>
      (b.contentDate ?? '').localeCompare(a.contentDate ?? '') || (b.instanceNumber ?? 0) - (a.instanceNumber ?? 0),
  );
  for (const candidate of candidates) {
    const imported = await standards.loadReadingSr(target, candidate);
    if (imported.reading.role === 'first' && imported.reading.studyUid === studyUid) return imported.reading;
  }
  return null;
}
