import { api } from 'dicomweb-client';
import { errorCodeForHttpStatus, toViewerError, ViewerError } from './errors.js';
import {
  instanceFromDicomJson,
  patientFromDicomJson,
  studyInfoFromDicomJson,
  type DicomJson,
  type InstanceInfo,
} from './instance.js';
import { multipartBoundary, readMultipart } from './multipart.js';
import { buildSeriesModel, type SeriesModel } from './series.js';
import { isUnderRoot, requireUid } from './uid.js';
import {
  DEFAULT_RETRY_POLICY,
  noAnswerMessage,
  readBodyWithStallTimeout,
  watchStall,
  withRetry,
  type RetryPolicy,
} from './retry.js';

/** Where and how to reach a DICOMweb server. */
export interface DicomwebOptions {
  /** Root URL of the DICOMweb service, e.g. `/dicom-web` or `https://pacs.example/dicom-web`. */
  readonly root: string;
  /** Headers sent with every request (e.g. `Authorization: Bearer …`). Never put tokens in URLs. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * How long to wait for a server's answer, and for the next byte of an answer under way,
   * before the attempt fails with `network`, ms. Default 30 000.
   */
  readonly timeoutMs?: number;
  /**
   * Retries of failed requests (network failures, timeouts, 5xx, 408, 429), with exponential
   * backoff: see {@link RetryPolicy}. Defaults: {@link DEFAULT_RETRY_POLICY}.
   */
  readonly retry?: Partial<Omit<RetryPolicy, 'timeoutMs'>>;
}

/** Options of {@link DicomwebSource.fetchFrame}. */
export interface FetchFrameOptions {
  /** Ask for Explicit VR Little Endian (raw pixels), falling back to the stored syntax. */
  readonly uncompressed?: boolean;
  /** Cancels this frame's request (and its retries) alone. */
  readonly signal?: AbortSignal;
  /** Retries of this request; defaults to the source's policy (0 = one attempt). */
  readonly retries?: number;
}

/** One image frame as the server sent it. */
export interface FrameData {
  readonly bytes: Uint8Array;
  /** Transfer syntax of `bytes`; Explicit VR Little Endian when the server did not say. */
  readonly transferSyntaxUid: string;
}

const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

interface FailedRequest {
  status?: number;
}

function isFailedRequest(error: unknown): error is Error & FailedRequest {
  return error instanceof Error && typeof (error as FailedRequest).status === 'number';
}

/**
 * A DICOMweb study/series source: QIDO-RS and series metadata through `dicomweb-client`,
 * frames and whole-series retrieves through streaming `fetch`, all abortable, every
 * failure a {@link ViewerError}.
 */
export class DicomwebSource {
  readonly root: string;
  /** Headers sent with every request. */
  readonly headers: Readonly<Record<string, string>>;
  private readonly timeoutMs: number;
  /** The timeout and retry policy every request of this source follows. */
  readonly retryPolicy: RetryPolicy;
  private readonly client: api.DICOMwebClient;
  private readonly controller = new AbortController();
  private readonly openRequests = new Set<XMLHttpRequest>();

  constructor(options: DicomwebOptions) {
    this.root = options.root.replace(/\/+$/, '');
    this.headers = options.headers ?? {};
    this.timeoutMs = options.timeoutMs ?? DEFAULT_RETRY_POLICY.timeoutMs;
    this.retryPolicy = Object.freeze({ ...DEFAULT_RETRY_POLICY, ...options.retry, timeoutMs: this.timeoutMs });
    this.client = new api.DICOMwebClient({
      url: this.root,
      headers: { ...this.headers },
      verbose: false,
      singlepart: false,
      requestHooks: [
        (request: XMLHttpRequest, metadata: { url?: string }) => {
          // The headers (credentials) go to URLs under the root only; the request is never sent.
          if (!isUnderRoot(String(metadata?.url ?? ''), this.root)) throw outsideRootError();
          request.timeout = this.timeoutMs;
          this.openRequests.add(request);
          request.addEventListener('loadend', () => this.openRequests.delete(request));
          return request;
        },
      ],
    });
  }

  /** Cancels every request of this source. */
  abort(): void {
    this.controller.abort();
    for (const request of this.openRequests) request.abort();
    this.openRequests.clear();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private mapClientError(error: unknown, what: string): ViewerError {
    if (isFailedRequest(error)) {
      const status = error.status ?? 0;
      if (status === 0) {
        return new ViewerError('network', `No answer from the image server while loading ${what}.`, 0);
      }
      return new ViewerError(
        errorCodeForHttpStatus(status),
        `The image server answered ${status} while loading ${what}.`,
        status,
      );
    }
    if (error instanceof SyntaxError) {
      return new ViewerError('corrupt', `The image server sent a malformed answer while loading ${what}.`);
    }
    return toViewerError(error, 'corrupt');
  }

  /** Runs one dicomweb-client request under the retry policy (its failures mapped first). */
  private retrying<T>(run: () => Promise<T>, what: string): Promise<T> {
    return withRetry(
      this.retryPolicy,
      async () => {
        try {
          return await run();
        } catch (error) {
          throw this.mapClientError(error, what);
        }
      },
      { signal: this.controller.signal },
    );
  }

  /**
   * The first CT image series of a study (QIDO-RS), else its first series with images.
   * @throws ViewerError `not-found` when the study has no image series.
   */
  async findFirstImageSeries(studyUid: string): Promise<string> {
    requireUid(studyUid, 'study');
    let series: DicomJson[];
    try {
      // dicomweb-client's typings say `any[]`; at run time it returns a Promise.
      series = await this.retrying(
        async () => (await Promise.resolve(this.client.searchForSeries({ studyInstanceUID: studyUid }))) as DicomJson[],
        'the study',
      );
    } catch (error) {
      throw this.mapClientError(error, 'the study');
    }
    if (!Array.isArray(series)) throw new ViewerError('corrupt', 'The image server sent a malformed series list.');
    const described = series.map((s) => ({
      uid: String(s['0020000E']?.Value?.[0] ?? ''),
      modality: String(s['00080060']?.Value?.[0] ?? ''),
      count: Number(s['00201209']?.Value?.[0] ?? 0),
    }));
    const pick =
      described.find((s) => s.modality === 'CT' && s.count !== 1) ??
      described.find((s) => s.modality === 'CT') ??
      described.find((s) => !['SR', 'SEG', 'KO', 'PR', 'RTSTRUCT', 'DOC'].includes(s.modality));
    if (!pick?.uid) throw new ViewerError('not-found', 'The study has no image series.');
    return requireUid(pick.uid, 'series', 'corrupt');
  }

  /**
   * Series metadata (WADO-RS), turned into a sorted {@link SeriesModel}.
   * @throws ViewerError for HTTP failures, malformed answers and series without images.
   */
  async loadSeries(studyUid: string, seriesUid: string): Promise<SeriesModel> {
    requireUid(studyUid, 'study');
    requireUid(seriesUid, 'series');
    let json: DicomJson[];
    try {
      // dicomweb-client's typings mark `request` as required; it is optional at run time.
      const options = { studyInstanceUID: studyUid, seriesInstanceUID: seriesUid } as Parameters<
        api.DICOMwebClient['retrieveSeriesMetadata']
      >[0];
      json = await this.retrying(
        async () => (await this.client.retrieveSeriesMetadata(options)) as DicomJson[],
        'the series',
      );
    } catch (error) {
      throw this.mapClientError(error, 'the series');
    }
    if (!Array.isArray(json)) throw new ViewerError('corrupt', 'The image server sent malformed series metadata.');
    const instances = json.map(instanceFromDicomJson);
    const metadataByUid = new Map(instances.map((instance, i) => [instance.sopInstanceUid, json[i]!]));
    const model = buildSeriesModel(
      instances,
      json[0]
        ? studyInfoFromDicomJson(json[0])
        : { studyDescription: '', seriesDescription: '', studyDate: '', institution: '' },
      json[0] ? patientFromDicomJson(json[0]) : { name: '', id: '', birthDate: '', accessionNumber: '' },
    );
    seriesMetadata.set(
      model,
      model.instances.map((instance) => metadataByUid.get(instance.sopInstanceUid)!),
    );
    return model;
  }

  /**
   * URL of an instance, for engines that address instances by URL (wadors image ids).
   * @throws ViewerError `corrupt` when a UID is not a valid DICOM UID (see {@link requireUid}).
   */
  instanceUrl(instance: Pick<InstanceInfo, 'studyUid' | 'seriesUid' | 'sopInstanceUid'>): string {
    return `${this.seriesUrl(instance.studyUid, instance.seriesUid, 'corrupt')}/instances/${requireUid(instance.sopInstanceUid, 'instance', 'corrupt')}`;
  }

  /** URL of a series; every UID is checked first, so the URL always lies under {@link root}. */
  private seriesUrl(studyUid: string, seriesUid: string, code: 'not-found' | 'corrupt' = 'not-found'): string {
    return `${this.root}/studies/${requireUid(studyUid, 'study', code)}/series/${requireUid(seriesUid, 'series', code)}`;
  }

  /**
   * One GET: fails with `network` when no answer (status and headers) came within the
   * timeout, with `http-status`/`unauthorized`/`not-found` for an HTTP failure.
   */
  private async request(url: string, accept: string, signal?: AbortSignal): Promise<Response> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { ...this.headers, Accept: accept },
        signal: AbortSignal.any([this.controller.signal, timeout.signal, ...(signal ? [signal] : [])]),
      });
    } catch (error) {
      if (timeout.signal.aborted) throw new ViewerError('network', noAnswerMessage(this.timeoutMs), 0);
      if (signal?.aborted) throw signal.reason;
      throw toViewerError(error, 'network');
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      void response.body?.cancel().catch(() => undefined);
      throw new ViewerError(
        errorCodeForHttpStatus(response.status),
        `The image server answered ${response.status} ${response.statusText}.`.trim(),
        response.status,
      );
    }
    return response;
  }

  /**
   * One frame (WADO-RS frames), in whatever transfer syntax the server stores. Each attempt
   * has the source's timeout, for the answer and for every byte of it (a stalled answer is a
   * `network` failure); failures worth another attempt are retried with backoff.
   */
  async fetchFrame(instance: InstanceInfo, frame = 1, options: FetchFrameOptions = {}): Promise<FrameData> {
    if (!Number.isInteger(frame) || frame < 1) throw new ViewerError('not-found', 'A frame number must be 1 or more.');
    const url = `${this.instanceUrl(instance)}/frames/${frame}`;
    const policy = options.retries === undefined ? this.retryPolicy : { ...this.retryPolicy, retries: options.retries };
    const signal = options.signal ? AbortSignal.any([this.controller.signal, options.signal]) : this.controller.signal;
    return withRetry(policy, (attemptSignal) => this.fetchFrameOnce(url, instance, options, attemptSignal), { signal });
  }

  private async fetchFrameOnce(
    url: string,
    instance: InstanceInfo,
    options: FetchFrameOptions,
    signal: AbortSignal,
  ): Promise<FrameData> {
    let response: Response;
    if (options.uncompressed) {
      // Raw pixels can be shown before any codec has loaded; servers that cannot transcode
      // answer 406 (or 400), and then the stored syntax is asked for.
      try {
        response = await this.request(
          url,
          `multipart/related; type="application/octet-stream"; transfer-syntax=${EXPLICIT_VR_LITTLE_ENDIAN}`,
          signal,
        );
      } catch (error) {
        if (!(error instanceof ViewerError) || (error.status !== 406 && error.status !== 400)) throw error;
        response = await this.request(
          url,
          'multipart/related; type="application/octet-stream"; transfer-syntax=*',
          signal,
        );
      }
    } else {
      response = await this.request(
        url,
        'multipart/related; type="application/octet-stream"; transfer-syntax=*',
        signal,
      );
    }
    const contentType = response.headers.get('content-type');
    if (!response.body) throw new ViewerError('corrupt', 'The image server sent an empty frame.');
    const bytes = await readBodyWithStallTimeout(
      response.body,
      this.timeoutMs,
      AbortSignal.any([this.controller.signal, signal]),
    );
    // Object storage serving a static DICOMweb tree labels frames `multipart/related` without
    // the boundary: the body's first line gives it.
    const boundary =
      multipartBoundary(contentType) ?? (/^multipart\//i.test(contentType ?? '') ? boundaryOfBody(bytes) : null);
    if (!boundary) return { bytes, transferSyntaxUid: instance.transferSyntaxUid ?? EXPLICIT_VR_LITTLE_ENDIAN };
    try {
      for await (const part of readMultipart(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream(), boundary)) {
        const syntax = /transfer-syntax\s*=\s*"?([\d.]+)/i.exec(part.headers['content-type'] ?? '')?.[1];
        return { bytes: part.body, transferSyntaxUid: syntax ?? EXPLICIT_VR_LITTLE_ENDIAN };
      }
    } catch (error) {
      throw toViewerError(error, 'corrupt');
    }
    throw new ViewerError('corrupt', 'The image server sent no frame.');
  }

  /**
   * Streams a whole series in one request (WADO-RS series retrieve), yielding each
   * instance as Part 10 bytes as soon as it has arrived.
   */
  async *streamSeries(
    studyUid: string,
    seriesUid: string,
    options: { readonly signal?: AbortSignal } = {},
  ): AsyncGenerator<Uint8Array> {
    const response = await this.request(
      this.seriesUrl(studyUid, seriesUid),
      'multipart/related; type="application/dicom"; transfer-syntax=*',
      options.signal,
    );
    const boundary = multipartBoundary(response.headers.get('content-type'));
    if (!boundary || !response.body) {
      throw new ViewerError('corrupt', 'The image server did not send a multipart series.');
    }
    try {
      // A stalled retrieve (no byte for the timeout) fails as `network`.
      const signal = options.signal
        ? AbortSignal.any([this.controller.signal, options.signal])
        : this.controller.signal;
      const body = streamOf(watchStall(response.body, this.timeoutMs, signal));
      for await (const part of readMultipart(body, boundary)) yield part.body;
    } catch (error) {
      if (this.controller.signal.aborted) return;
      throw toViewerError(error, 'corrupt');
    }
  }
}

/** A stream of an async generator's chunks (ReadableStream.from is not in every browser). */
function streamOf(chunks: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

function outsideRootError(): ViewerError {
  return new ViewerError('not-found', 'A request outside the DICOMweb root was refused; nothing was sent.');
}

/** The boundary of a multipart body that starts with `--boundary` CRLF, or null. */
function boundaryOfBody(bytes: Uint8Array): string | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  return /^--([^\r\n]{1,70})\r\n/.exec(head)?.[1] ?? null;
}

const seriesMetadata = new WeakMap<SeriesModel, DicomJson[]>();

/** The DICOM JSON metadata of each instance of a series loaded by {@link DicomwebSource}, in series order. */
export function dicomJsonOf(series: SeriesModel): readonly DicomJson[] | undefined {
  return seriesMetadata.get(series);
}

export { CT_IMAGE_STORAGE };
