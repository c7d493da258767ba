/**
 * The series loader of `<ct-viewer>`: from what the host set (a DICOMweb study, local files or
 * WADO-URI URLs) to a series ready for the engine. A plain async function: no element, no
 * rendering engine, no state of its own; the element's `@lit/task` calls it with the task's
 * AbortSignal, and an aborted load stops its requests (fetches and the DICOMweb source).
 */
import {
  collectPart10Series,
  DicomwebSource,
  dicomJsonOf,
  errorCodeForHttpStatus,
  initialSliceIndex,
  toViewerError,
  ViewerError,
  type DicomwebOptions,
  type FrameData,
  type Part10Input,
  type Part10Series,
  type SeriesModel,
  type SeriesPixels,
} from '@secondread/core';

/** The three kinds of source a viewer can be given. */
export type SeriesSourceKind = 'files' | 'urls' | 'dicomweb';

/** Where a series comes from: the element's source attributes and properties. */
export interface SeriesRequest {
  readonly dicomwebRoot?: string;
  readonly studyUid?: string;
  /** Without it, the study's first CT image series (QIDO-RS). */
  readonly seriesUid?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly files?: readonly File[] | FileList;
  readonly urls?: readonly string[];
  /** Per-request timeout of the DICOMweb source, ms. */
  readonly timeoutMs?: number;
  /** Retries of failed requests (see `RetryPolicy` in `@secondread/core`). */
  readonly retry?: DicomwebOptions['retry'];
  /** Which of several image series found in local files to show (index, largest first). */
  readonly localChoice?: number;
  /**
   * The source the host set last: it wins over the others when it names something to load.
   * Without it (or when it names nothing), files come first, then URLs, then DICOMweb.
   */
  readonly preferred?: SeriesSourceKind;
}

/** A loaded series and where its pixels come from. */
export interface LoadedSeries {
  readonly model: SeriesModel;
  readonly pixels: SeriesPixels;
  /** The slice to open at (the middle one). */
  readonly initialIndex: number;
  /** Image series found (local files can hold several). */
  readonly seriesCount: number;
  /** Files or objects left out (non-image DICOM, non-DICOM files, other series). */
  readonly skipped: number;
  /** Every image series found in local files, largest first (empty for DICOMweb). */
  readonly localSeries: readonly Part10Series[];
  /** The DICOMweb source the engine streams the pixels from (null for files and URLs). */
  readonly source: DicomwebSource | null;
}

/** What the loader tells its caller before it is done. */
export interface SeriesLoaderHooks {
  /**
   * The raw first frame of a DICOMweb series has arrived (before the engine is needed), for an
   * instant preview. Not called for files and URLs, which the engine shows at once.
   */
  readonly onFirstFrame?: (frame: FrameData, model: SeriesModel, index: number) => void;
}

/** True when `request` names something to load (files, URLs, or a DICOMweb root and study). */
export function hasSeriesSource(request: SeriesRequest): boolean {
  return chosenSource(request) !== null;
}

/** The source `request` loads from: the preferred one if it is set, else files, URLs, DICOMweb. */
export function chosenSource(request: SeriesRequest): SeriesSourceKind | null {
  const available = (kind: SeriesSourceKind): boolean =>
    kind === 'files'
      ? !!request.files?.length
      : kind === 'urls'
        ? !!request.urls?.length
        : !!(request.dicomwebRoot && request.studyUid);
  if (request.preferred && available(request.preferred)) return request.preferred;
  return (['files', 'urls', 'dicomweb'] as const).find(available) ?? null;
}

/**
 * Loads the series `request` names: local files and URLs are parsed and sorted into series (the
 * `localChoice`-th is chosen), a DICOMweb study is asked for its metadata and its first frame.
 *
 * @throws ViewerError with a code of `ERROR_CODES` (e.g. `network`, `unauthorized`, `not-dicom`),
 *   or the signal's reason when aborted.
 */
export async function loadSeries(
  request: SeriesRequest,
  signal: AbortSignal,
  hooks: SeriesLoaderHooks = {},
): Promise<LoadedSeries> {
  signal.throwIfAborted();
  const kind = chosenSource(request);
  if (kind === 'files' || kind === 'urls') {
    const files = kind === 'files' ? [...request.files!] : [];
    const inputs: Part10Input[] = files.length
      ? await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })))
      : await fetchPart10Urls(request.urls!, request.headers, signal);
    signal.throwIfAborted();
    const collection = collectPart10Series(inputs);
    const chosen = collection.series[Math.max(0, Math.min(request.localChoice ?? 0, collection.series.length - 1))]!;
    return {
      model: chosen.model,
      pixels: { kind: 'part10', objects: chosen.objects },
      initialIndex: initialSliceIndex(chosen.model),
      seriesCount: collection.series.length,
      skipped: collection.skipped.length + chosen.model.skipped,
      localSeries: collection.series,
      source: null,
    };
  }
  if (kind !== 'dicomweb' || !request.dicomwebRoot || !request.studyUid) {
    throw new ViewerError('empty-series', 'No series is chosen: set files, urls, or dicomweb-root and study-uid.');
  }
  const studyUid = request.studyUid;
  const source = new DicomwebSource({
    root: request.dicomwebRoot,
    headers: request.headers,
    timeoutMs: request.timeoutMs,
    retry: request.retry,
  });
  // The source outlives the load (the engine streams from it): the signal stops it at any time.
  signal.addEventListener('abort', () => source.abort(), { once: true });
  const seriesUid = request.seriesUid || (await source.findFirstImageSeries(studyUid));
  const model = await source.loadSeries(studyUid, seriesUid);
  signal.throwIfAborted();
  const initialIndex = initialSliceIndex(model);
  const firstInstance = model.instances[initialIndex]!;
  // The slice's own frame (a multi-frame image lists each of its frames as a slice).
  const first: Promise<FrameData> = source.fetchFrame(firstInstance, firstInstance.frameNumber ?? 1, {
    uncompressed: true,
  });
  first.catch(() => undefined);
  if (hooks.onFirstFrame) {
    const onFirstFrame = hooks.onFirstFrame;
    void first
      .then((frame) => {
        if (!signal.aborted) onFirstFrame(frame, model, initialIndex);
      })
      .catch(() => undefined);
  }
  return {
    model,
    pixels: { kind: 'dicomweb', source, metadata: dicomJsonOf(model)!, prefetched: new Map([[initialIndex, first]]) },
    initialIndex,
    seriesCount: 1,
    skipped: model.skipped,
    localSeries: [],
    source,
  };
}

/** Fetches DICOM Part 10 files (WADO-URI) with `headers`; HTTP failures become typed errors. */
export async function fetchPart10Urls(
  urls: readonly string[],
  headers: Readonly<Record<string, string>> | undefined,
  signal: AbortSignal,
): Promise<Part10Input[]> {
  return Promise.all(
    urls.map(async (url) => {
      let response: Response;
      try {
        response = await fetch(url, { headers: { ...headers }, signal });
      } catch (error) {
        throw toViewerError(error, 'network');
      }
      if (!response.ok) {
        throw new ViewerError(
          errorCodeForHttpStatus(response.status),
          `The server answered ${response.status} for an image file.`,
          response.status,
        );
      }
      return {
        name: new URL(url, globalThis.location?.href).pathname.split('/').pop() ?? 'file',
        bytes: new Uint8Array(await response.arrayBuffer()),
      };
    }),
  );
}
