/**
 * Readings on a DICOMweb server, through `dicomweb-client`: store an SR (STOW-RS), find a
 * study's readings (QIDO-RS, modality SR), retrieve one (WADO-RS) and import it. Failures are
 * {@link ViewerError}s, like the rest of SecondRead's DICOMweb access, so hosts show them the
 * same way (`ct-error`).
 */
import { api } from 'dicomweb-client';
import { errorCodeForHttpStatus, isUnderRoot, isValidUid, requireUid, ViewerError } from '@secondread/core';
import { readPart10, stringValue } from './dicom.js';
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

/** The SR instances of a study (QIDO-RS: series with modality SR, then their instances). */
export async function findReadings(target: DicomwebTarget, studyUid: string): Promise<ReadingSrSummary[]> {
  requireUid(studyUid, 'study');
  const client = clientFor(target);
  let series: DicomJson[];
  try {
    // dicomweb-client's typings say `any[]`; at run time it returns a Promise.
    series = (await Promise.resolve(
      client.searchForSeries({ studyInstanceUID: studyUid, queryParams: { Modality: 'SR' } }),
    )) as DicomJson[];
  } catch (error) {
    throw toError(error, 'searching the study for reports');
  }
  const summaries: ReadingSrSummary[] = [];
  for (const s of Array.isArray(series) ? series : []) {
    const seriesUid = first(s, '0020000E');
    // A UID that is not one would build a URL outside the study: such entries are skipped.
    if (!isValidUid(seriesUid) || (first(s, '00080060') ?? 'SR') !== 'SR') continue;
    let instances: DicomJson[];
    try {
      instances = (await Promise.resolve(
        client.searchForInstances({ studyInstanceUID: studyUid, seriesInstanceUID: seriesUid }),
      )) as DicomJson[];
    } catch (error) {
      throw toError(error, 'listing the reports of a series');
    }
    for (const instance of Array.isArray(instances) ? instances : []) {
      const sopInstanceUid = first(instance, '00080018');
      const sopClassUid = first(instance, '00080016') ?? '';
      if (!isValidUid(sopInstanceUid) || (sopClassUid && !SR_SOP_CLASSES.has(sopClassUid))) continue;
      const seriesDescription = first(s, '0008103E');
      const seriesNumber = first(s, '00200011');
      const instanceNumber = first(instance, '00200013');
      const contentDate = first(instance, '00080023');
      summaries.push({
        studyUid,
        seriesUid,
        sopInstanceUid,
        sopClassUid,
        ...(seriesDescription ? { seriesDescription } : {}),
        ...(seriesNumber ? { seriesNumber: Number(seriesNumber) } : {}),
        ...(instanceNumber ? { instanceNumber: Number(instanceNumber) } : {}),
        ...(contentDate ? { contentDate } : {}),
      });
    }
  }
  return summaries;
}

/** Retrieves an SR instance (WADO-RS) as Part 10 bytes. */
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
