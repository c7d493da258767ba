/**
 * What the benchmark pages publish on `window.__bench`, and the small helpers both pages use.
 * Imported by the pages (browser) and, for the types only, by `scripts/bench.ts` (Node).
 *
 * All times are `performance.now()` values: milliseconds since the page's navigation started.
 */

/** The result a benchmark page publishes once it is done (or has failed). */
export interface BenchPageResult {
  /** When the first (middle) slice was on screen. */
  firstImageMs?: number;
  /** When every image of the series was loaded and decoded. */
  fullSeriesMs?: number;
  /** Number of images in the series. */
  total?: number;
  /** Index of the slice shown first. */
  initialIndex?: number;
  /** Named moments of the page's own timeline (module start, metadata, …). */
  marks: Record<string, number>;
  /** `[ms, loaded]` whenever the loaded count grew. */
  progress: [number, number][];
  /** Set when the page failed; the benchmark then stops with a non-zero exit code. */
  error?: string;
}

declare global {
  interface Window {
    __bench?: BenchPageResult;
  }
}

/** Where the series is, from the page's query string: `?root=…&study=…&series=…`. */
export interface SeriesLocation {
  /** Absolute DICOMweb root URL (no trailing slash). */
  root: string;
  studyUid: string;
  seriesUid: string;
}

/** Reads `root`, `study` and `series` from the query string (root defaults to `/dicom-web`). */
export function seriesFromQuery(): SeriesLocation {
  const query = new URLSearchParams(location.search);
  const root = new URL(query.get('root') ?? '/dicom-web', location.href).href.replace(/\/+$/, '');
  const studyUid = query.get('study') ?? '';
  const seriesUid = query.get('series') ?? '';
  if (!studyUid || !seriesUid) throw new Error('The page needs ?study=…&series=… in its URL.');
  return { root, studyUid, seriesUid };
}

/**
 * Records a named moment in `bench.marks` (returns it), and as a User Timing mark `bench:<name>`
 * so that it shows in a Chrome trace (`pnpm bench --trace`).
 */
export function mark(bench: BenchPageResult, name: string): number {
  const now = performance.now();
  bench.marks[name] = now;
  performance.mark(`bench:${name}`, { startTime: now });
  return now;
}

/** Creates `window.__bench` and records the `main` mark (when the page's module started running). */
export function startBench(): BenchPageResult {
  const result: BenchPageResult = { marks: {}, progress: [] };
  mark(result, 'main');
  window.__bench = result;
  const fail = (message: string): void => {
    result.error ??= message;
  };
  window.addEventListener('error', (event) => fail(`error: ${event.message}`));
  window.addEventListener('unhandledrejection', (event) => fail(`unhandled rejection: ${String(event.reason)}`));
  return result;
}
