/** Types shared by the bench runner, its scenarios and its report. */
import { type LoadedSeries } from '../../test/support/load-studies.ts';

/** The two pages compared. */
export const PAGES = ['plain-cornerstone', 'ct-viewer'] as const;
export type PageName = (typeof PAGES)[number];

/** What a resource of the page is, by its URL. */
export type ResourceKind = 'js' | 'wasm' | 'dicomweb' | 'other';

/** One `PerformanceResourceTiming` entry, reduced to what the profile uses. */
export interface ResourceEntry {
  /** Path and query (same origin), or the full URL. */
  url: string;
  kind: ResourceKind;
  initiatorType: string;
  startTime: number;
  requestStart: number;
  responseStart: number;
  responseEnd: number;
  /** Bytes of the body as sent (after content encoding); 0 when unknown. */
  encodedBodySize: number;
  decodedBodySize: number;
}

/** Where a page's time went, from its resource timeline (ms since navigation start). */
export interface ResourceProfile {
  jsFiles: number;
  jsBytes: number;
  /** End of the last script that was loaded before the first DICOMweb request went out. */
  jsBeforeFirstRequestEnd: number | null;
  /** End of the last script loaded at all (lazy chunks included). */
  lastJsEnd: number | null;
  wasmFiles: number;
  firstWasmStart: number | null;
  /** When the page sent its first DICOMweb request. */
  firstRequestStart: number | null;
  metadataStart: number | null;
  metadataEnd: number | null;
  /** The first frame request (WADO-RS frames) by start time: the slice shown first. */
  firstFrameStart: number | null;
  firstFrameResponseStart: number | null;
  firstFrameEnd: number | null;
  /** The whole-series retrieve (WADO-RS series), when the page makes one. */
  seriesRetrieveStart: number | null;
  seriesRetrieveResponseStart: number | null;
  seriesRetrieveEnd: number | null;
  /** Number of frame requests. */
  frameRequests: number;
  /** When the last DICOMweb response was complete. */
  lastDicomwebEnd: number | null;
  dicomwebRequests: number;
  dicomwebBytes: number;
}

/** One cold load of one page. */
export interface RunRecord {
  page: PageName;
  round: number;
  warmup: boolean;
  firstImageMs: number;
  fullSeriesMs: number;
  total: number;
  initialIndex: number | null;
  marks: Record<string, number>;
  /** Times at which 25/50/75/100 % of the images were loaded. */
  progressQuartilesMs: (number | null)[];
  /** `[ms, loaded]` as the page reported it. */
  progress: [number, number][];
  profile: ResourceProfile;
}

/** median, min and max of a list of numbers. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  values: number[];
}

/** Result of the pixel check of one page. */
export interface PixelCheck {
  page: PageName;
  width: number;
  height: number;
  /** Share of pixels whose luminance is above 10/255. */
  nonBlackRatio: number;
  meanLuminance: number;
  ok: boolean;
  screenshot: string;
}

/** `bench-results/latest.json`. */
export interface BenchReport {
  date: string;
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    chromium: string;
    /** 1-minute load average before and after the rounds (other work on the machine skews figures). */
    loadAverage: [number, number];
  };
  series: { source: LoadedSeries['source']; studyUid: string; seriesUid: string; instanceCount: number };
  rounds: number;
  warmupRounds: number;
  targets: { firstImageRatio: number; fullSeriesRatio: number };
  pages: Record<
    PageName,
    {
      firstImageMs: Summary;
      fullSeriesMs: Summary;
      /** Median of each profile field over the measured runs. */
      profile: Record<keyof ResourceProfile, number | null>;
      /** Median of each page mark over the measured runs. */
      marks: Record<string, number>;
    }
  >;
  ratios: {
    firstImage: number;
    fullSeries: number;
    firstImageMet: boolean;
    fullSeriesMet: boolean;
    /**
     * ct-viewer's first Cornerstone3D IMAGE_RENDERED (mark `engineRendered`) over plain's first
     * image: the same event on both sides. `ct-series-load` fires before that render happens.
     */
    firstImageRendered: number | null;
  };
  pixelChecks: PixelCheck[];
  runs: RunRecord[];
}
