/**
 * What the benchmark pages publish on `window.__bench`, and the small helpers both pages use.
 * Imported by the pages (browser) and, for the types only, by `scripts/bench/` (Node).
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
  /** `--scenario measurements`: set once the page is ready for the runner's pointer moves. */
  ready?: boolean;
  /** `--scenario measurements`: where to draw (page CSS pixels of the image area). */
  drawArea?: { left: number; top: number; width: number; height: number };
  /** `--scenario measurements`: what the page measured while the runner drew. */
  pointer?: PointerMoveTimings;
}

/**
 * Pointer-move handling measured by the `measurement-tools` page (see bench/measurement-tools/main.ts):
 * one entry per `mousemove` dispatched while the runner drags a length.
 */
export interface PointerMoveTimings {
  /** Measurements shown on the slice. */
  count: number;
  /**
   * Annotations Cornerstone drew for them before the drag: distinct ids in the SVG layer (only
   * annotations with a text box carry their id there, so this is a lower bound).
   */
  drawnAnnotations: number;
  /**
   * Handler time per move, ms: from a capturing listener on `window` (runs first) to a
   * bubbling listener on `window` (runs last), so every synchronous handler in between —
   * Cornerstone's tools, our element — is inside. `performance.now()` resolution.
   */
  handlerMs: number[];
  /**
   * Input to the end of the next frame's work, ms: from the event's `timeStamp` to a task
   * posted from the next `requestAnimationFrame` (Cornerstone draws annotations in rAF).
   */
  frameMs: number[];
  /** Event Timing entries for `mousemove`/`pointermove` (only those ≥ 16 ms are reported by the API). */
  slowEvents: { name: string; duration: number; processingMs: number }[];
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
