/**
 * Readings on a DICOMweb server, through `dicomweb-client`: store an SR (STOW-RS), find a
 * study's readings (QIDO-RS, modality SR) or any of its first-reader reports (modality SR or DOC:
 * TID 1500, TID 2000 text reports, Encapsulated PDFs), retrieve one (WADO-RS) and import it. Failures are
 * {@link ViewerError}s, like the rest of SecondRead's DICOMweb access, so hosts show them the
 * same way (`ct-error`).
 */
import { api } from 'dicomweb-client';
import { errorCodeForHttpStatus, isUnderRoot, isValidUid, requireUid, ViewerError } from '@secondread/core';
import { readPart10, stringValue } from './dicom.js';
import { ENCAPSULATED_PDF_SOP_CLASS_UID, importFirstReading, type FirstReadingImport } from './report-import.js';
import { SrImportError } from './sr-import-errors.js';
import { TEXT_SR_SOP_CLASS_UIDS } from './sr-import-text.js';
import type { SrImportOptions } from './sr-import-types.js';
import { importSr, type SrImport } from './sr-import.js';

/** Where the DICOMweb server is: its root (QIDO/WADO/STOW share it) and headers (e.g. Authorization). */
export interface DicomwebTarget {
  readonly root: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One SR instance of a study, as QIDO-RS lists it. */
export interface ReadingSrSummary {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly seriesDescription?: string;
  readonly seriesNumber?: number;
  readonly instanceNumber?: number;
  /** DICOM DA `YYYYMMDD`, when the server returns it. */
  readonly contentDate?: string;
  /** DICOM TM `HHMMSS`, when the server returns it. */
  readonly contentTime?: string;
  /** The series' modality (`SR` or `DOC`), in {@link findReports}' answers. */
  readonly modality?: string;
}

/** SR storage SOP classes that can hold a TID 1500 report. */
const SR_SOP_CLASSES = new Set([
  '1.2.840.10008.5.1.4.1.1.88.22',
  '1.2.840.10008.5.1.4.1.1.88.33',
  '1.2.840.10008.5.1.4.1.1.88.34',
  '1.2.840.10008.5.1.4.1.1.88.35',
]);

type DicomJson = Record<string, { vr?: string; Value?: unknown[] } | undefined>;

const first = (json: DicomJson, tag: string): string | undefined => {
  const value = json[tag]?.Value?.[0];
  return value == null ? undefined : String(value);
};

function clientFor(target: DicomwebTarget): api.DICOMwebClient {
  const root = target.root.replace(/\/+$/, '');
  return new api.DICOMwebClient({
    url: root,
    headers: { ...(target.headers ?? {}) },
    verbose: false,
    singlepart: false,
    requestHooks: [
      (request: XMLHttpRequest, metadata: { url?: string }) => {
        // Credentials go only to URLs under the root: anything else is refused before it is sent.
        if (!isUnderRoot(String(metadata?.url ?? ''), root)) {
          throw new ViewerError('not-found', 'A request outside the DICOMweb root was refused; nothing was sent.');
        }
        return request;
      },
    ],
  });
}

function toError(error: unknown, what: string): ViewerError {
  if (error instanceof ViewerError) return error;
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number') {
    if (status === 0) return new ViewerError('network', `No answer from the image server while ${what}.`, 0);
    return new ViewerError(
      errorCodeForHttpStatus(status),
      `The image server answered ${status} while ${what}.`,
      status,
    );
  }
  return new ViewerError('corrupt', `${what}: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * Stores a Part 10 SR with STOW-RS into its study. Resolves once the server confirmed it; rejects
 * with a {@link ViewerError} when the request fails or the server lists the instance as failed,
 * with code `store-unavailable` when the server has no STOW-RS (404, 405 or 501 on the POST).
 */
export async function storeSr(
  target: DicomwebTarget,
  buffer: ArrayBuffer,
): Promise<{ studyUid: string; seriesUid: string; sopInstanceUid: string }> {
  const dataset = readPart10(buffer);
  const studyUid = stringValue(dataset.StudyInstanceUID) ?? '';
  const seriesUid = stringValue(dataset.SeriesInstanceUID) ?? '';
  const sopInstanceUid = stringValue(dataset.SOPInstanceUID) ?? '';
  if (studyUid) requireUid(studyUid, 'study', 'corrupt');
  let response: unknown;
  try {
    response = await clientFor(target).storeInstances({ datasets: [buffer], studyInstanceUID: studyUid });
  } catch (error) {
    const status = (error as { status?: unknown } | null)?.status;
    // No STOW-RS on this server (a static DICOMweb tree, a read-only gateway): say so, once.
    if (status === 404 || status === 405 || status === 501) {
      throw new ViewerError(
        'store-unavailable',
        `The image server does not accept stored reports (STOW-RS answered ${status}).`,
        status,
      );
    }
    throw toError(error, 'storing the report');
  }
  const json = parseStowResponse(response);
  const failed = json?.['00081198']?.Value;
  if (Array.isArray(failed) && failed.length) {
    throw new ViewerError('http-status', 'The image server refused to store the report (STOW-RS failed SOP).');
  }
  return { studyUid, seriesUid, sopInstanceUid };
}

function parseStowResponse(response: unknown): DicomJson | undefined {
  try {
    const value: unknown =
      typeof response === 'string'
        ? JSON.parse(response)
        : response instanceof ArrayBuffer
          ? JSON.parse(new TextDecoder().decode(response))
          : response;
    return value && typeof value === 'object' ? (value as DicomJson) : undefined;
  } catch {
    return undefined; // an XML or empty answer: the HTTP status already said it worked
  }
}

/** The SR instances of a study that can hold a TID 1500 report (QIDO-RS: series with modality SR, then their instances). */
export async function findReadings(target: DicomwebTarget, studyUid: string): Promise<ReadingSrSummary[]> {
  return listInstances(target, studyUid, ['SR'], SR_SOP_CLASSES);
}

/** SOP classes of first-reader reports: every SR that can hold TID 1500 or TID 2000, and Encapsulated PDF. */
const REPORT_SOP_CLASSES = new Set([...SR_SOP_CLASSES, ...TEXT_SR_SOP_CLASS_UIDS, ENCAPSULATED_PDF_SOP_CLASS_UID]);

/**
 * Every report instance of a study a first reading can come from (QIDO-RS: series with modality
 * SR or DOC, then their instances): TID 1500 and TID 2000 SRs (Basic Text SR included) and
 * Encapsulated PDFs.
 */
export async function findReports(target: DicomwebTarget, studyUid: string): Promise<ReadingSrSummary[]> {
  return listInstances(target, studyUid, ['SR', 'DOC'], REPORT_SOP_CLASSES);
}

/** A first reading found on the server, with where it was found. */
export type FoundFirstReading = FirstReadingImport & { readonly reference: ReadingSrSummary };

const newestFirst = (a: ReadingSrSummary, b: ReadingSrSummary): number =>
  `${b.contentDate ?? ''}${b.contentTime ?? ''}`.localeCompare(`${a.contentDate ?? ''}${a.contentTime ?? ''}`) ||
  (b.instanceNumber ?? 0) - (a.instanceNumber ?? 0);

/**
 * Finds the study's first reading among its reports ({@link findReports}) and imports it with
 * `importFirstReading`: a TID 1500 measurement SR whose reading is `first` is preferred (the one
 * with the newest content), else the newest TID 2000 text report, else the newest Encapsulated
 * PDF by Content Date (PDFs are retrieved only when no SR qualifies, newest first). Reports of another study, SecondRead second opinions and files the
 * imports refuse (`SrImportError`, e.g. a CAD SR) are skipped. Resolves with null when none is left.
 *
 * @throws ViewerError when the server fails (QIDO-RS or WADO-RS)
 */
export async function findFirstReading(
  target: DicomwebTarget,
  studyUid: string,
  options: SrImportOptions = {},
): Promise<FoundFirstReading | null> {
  const reports = (await findReports(target, studyUid)).sort(newestFirst);
  const srs = reports.filter((r) => r.sopClassUid !== ENCAPSULATED_PDF_SOP_CLASS_UID);
  const pdfs = reports.filter((r) => r.sopClassUid === ENCAPSULATED_PDF_SOP_CLASS_UID);
  const load = async (reference: ReadingSrSummary): Promise<FoundFirstReading | undefined> => {
    const bytes = await retrieveSr(target, reference);
    try {
      const imported = importFirstReading(bytes, options);
      if (imported.reading.role !== 'first' || imported.reading.studyUid !== studyUid) return undefined;
      return { ...imported, reference };
    } catch (error) {
      if (error instanceof SrImportError) return undefined;
      throw error;
    }
  };
  // SRs are small: all are read, and the newest of a kind is the one whose content is newest.
  const loaded: FoundFirstReading[] = [];
  for (const reference of srs) {
    const found = await load(reference);
    if (found) loaded.push(found);
  }
  const newest = (kind: FoundFirstReading['kind']): FoundFirstReading | undefined =>
    loaded
      .filter((found) => found.kind === kind)
      .sort((a, b) => b.reading.createdAt.localeCompare(a.reading.createdAt))[0];
  const sr = newest('sr') ?? newest('text-sr');
  if (sr) return sr;
  for (const reference of pdfs) {
    const found = await load(reference);
    if (found) return found;
  }
  return null;
}

async function listInstances(
  target: DicomwebTarget,
  studyUid: string,
  modalities: readonly string[],
  sopClasses: ReadonlySet<string>,
): Promise<ReadingSrSummary[]> {
  requireUid(studyUid, 'study');
  const client = clientFor(target);
  const series: DicomJson[] = [];
  for (const modality of modalities) {
    try {
      // dicomweb-client's typings say `any[]`; at run time it returns a Promise.
      const found = (await Promise.resolve(
        client.searchForSeries({ studyInstanceUID: studyUid, queryParams: { Modality: modality } }),
      )) as DicomJson[];
      if (Array.isArray(found)) series.push(...found);
    } catch (error) {
      throw toError(error, 'searching the study for reports');
    }
  }
  const summaries: ReadingSrSummary[] = [];
  const seen = new Set<string>();
  for (const s of series) {
    const seriesUid = first(s, '0020000E');
    // A UID that is not one would build a URL outside the study: such entries are skipped.
    // A server without QIDO filtering (a static tree) lists every series: the modality is checked here.
    const modality = first(s, '00080060') ?? modalities[0]!;
    if (!isValidUid(seriesUid) || !modalities.includes(modality) || seen.has(seriesUid)) continue;
    seen.add(seriesUid);
    let instances: DicomJson[];
    try {
      instances = (await Promise.resolve(
        client.searchForInstances({
          studyInstanceUID: studyUid,
          seriesInstanceUID: seriesUid,
          // Content Date is not among QIDO-RS' default instance attributes (Orthanc leaves it out). One
          // field only: dicomweb-client encodes a comma as %2C, which Orthanc does not split on.
          queryParams: { includefield: '00080023' },
        }),
      )) as DicomJson[];
    } catch (error) {
      throw toError(error, 'listing the reports of a series');
    }
    for (const instance of Array.isArray(instances) ? instances : []) {
      const sopInstanceUid = first(instance, '00080018');
      const sopClassUid = first(instance, '00080016') ?? '';
      if (!isValidUid(sopInstanceUid) || (sopClassUid && !sopClasses.has(sopClassUid))) continue;
      const seriesDescription = first(s, '0008103E');
      const seriesNumber = first(s, '00200011');
      const instanceNumber = first(instance, '00200013');
      const contentDate = first(instance, '00080023');
      const contentTime = first(instance, '00080033');
      summaries.push({
        studyUid,
        seriesUid,
        sopInstanceUid,
        sopClassUid,
        ...(modalities.length > 1 ? { modality } : {}),
        ...(seriesDescription ? { seriesDescription } : {}),
        ...(seriesNumber ? { seriesNumber: Number(seriesNumber) } : {}),
        ...(instanceNumber ? { instanceNumber: Number(instanceNumber) } : {}),
        ...(contentDate ? { contentDate } : {}),
        ...(contentTime ? { contentTime } : {}),
      });
    }
  }
  return summaries;
}

/** Retrieves an SR (or any report instance, e.g. an Encapsulated PDF) with WADO-RS as Part 10 bytes. */
export async function retrieveSr(
  target: DicomwebTarget,
  reference: { readonly studyUid: string; readonly seriesUid: string; readonly sopInstanceUid: string },
): Promise<ArrayBuffer> {
  requireUid(reference.studyUid, 'study');
  requireUid(reference.seriesUid, 'series');
  requireUid(reference.sopInstanceUid, 'instance');
  try {
    // dicomweb-client's typings mark `mediaTypes` and `request` as required; both are optional at run time.
    const options = {
      studyInstanceUID: reference.studyUid,
      seriesInstanceUID: reference.seriesUid,
      sopInstanceUID: reference.sopInstanceUid,
    } as Parameters<api.DICOMwebClient['retrieveInstance']>[0];
    return await clientFor(target).retrieveInstance(options);
  } catch (error) {
    throw toError(error, 'retrieving the report');
  }
}

/** Retrieves an SR instance and imports it ({@link importSr}), e.g. to load it as the first reading. */
export async function loadReadingSr(
  target: DicomwebTarget,
  reference: { readonly studyUid: string; readonly seriesUid: string; readonly sopInstanceUid: string },
): Promise<SrImport> {
  return importSr(await retrieveSr(target, reference));
}
