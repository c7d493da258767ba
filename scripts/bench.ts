/**
 * `pnpm bench`: time to first image and time to full series, `<ct-viewer>` against a plain
 * Cornerstone3D 5.14 page (../bench/plain-cornerstone), on the same Orthanc series, in the same
 * run, interleaved, cold loads only. A benchmark, not a test: it exits 0 whatever the figures,
 * and non-zero only when a page fails to load.
 *
 * ```
 * pnpm bench [--rounds N] [--warmup N] [--data lidc|phantom] [--trace] [--no-minify]
 * pnpm bench --scenario measurements [--rounds N] [--warmup N] [--data lidc|phantom] [--count N] [--trace]
 * ```
 *
 * `--scenario measurements` measures something else: pointer-move handling while a reader draws
 * a length with `<measurement-tools>` on a slice that already shows `--count` measurements
 * (default 200), against the same page with 0 measurements, interleaved in the same run (see
 * `measurementsScenario` below and bench/measurement-tools/main.ts for the method).
 *
 * - Starts a throw-away Orthanc, uploads the default studies and measures LIDC-IDRI-0001 (133
 *   slices) when the shared data is present, else the phantom baseline (`--data` forces one).
 * - Builds both pages with `vite build` (production, the root vite.config.ts, base './') into
 *   `.cache/bench-dist/<page>/`, and serves them with the DICOMweb proxy on one origin.
 * - Each round loads both pages, the order alternating between rounds, each load in a fresh
 *   incognito browser context with the HTTP cache disabled. `--warmup` rounds (default 1) are run
 *   first and left out of the statistics (they pay for Chromium's GPU process and Orthanc's
 *   first reads of the files).
 * - Checks once per page that the first image is a real CT slice (> 20 % non-black pixels in a
 *   screenshot of the viewport canvas; the screenshots are kept in bench-results/).
 * - Prints medians (min–max), the ct-viewer/plain ratios against the targets (first image
 *   ≤ 0.6x, full series ≤ 0.5x) and a resource-timing profile of both pages; writes everything
 *   to `bench-results/latest.json`.
 * - `--trace`: after the rounds, one more (uncounted) load per page recorded as a Chrome trace,
 *   `bench-results/<page>.trace.json`, for DevTools' Performance panel. `--no-minify` builds
 *   the pages unminified, so that function names in traces are readable (figures then differ).
 *   With `--scenario measurements`: one more drag on the page with `--count` measurements,
 *   `bench-results/measurements-<count>.trace.json` (from mouse down to mouse up), and a
 *   screenshot from the middle of that drag, `measurements-<count>-drag.png`.
 *
 * Environment: `CHROME_PATH` (default /usr/bin/chromium), plus those of test/support/orthanc.ts.
 */
import { createReadStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { build } from 'vite';
import type { BenchPageResult, PointerMoveTimings } from '../bench/shared/page.ts';
import { loadDefaultStudies, type LoadedSeries } from '../test/support/load-studies.ts';
import { isOrthancAvailable, startOrthanc, type OrthancHandle } from '../test/support/orthanc.ts';
import { repoRoot, cacheDir } from '../test/support/paths.ts';
import { createDicomwebProxyMiddleware, type DicomwebProxyMiddleware } from '../test/support/proxy.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/support/chromium.ts';

// ---------------------------------------------------------------------------------------------
// Types

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

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  scenario: 'load' | 'measurements';
  /** `--scenario measurements`: measurements on the slice. */
  count: number;
  rounds: number;
  warmup: number;
  data: 'auto' | 'lidc' | 'phantom';
  /** One extra, uncounted load per page recorded as a Chrome trace in bench-results/. */
  trace: boolean;
  /** Build without minification (readable function names in traces; not for quoted figures). */
  minify: boolean;
}

const USAGE =
  'usage: pnpm bench [--scenario load|measurements] [--rounds N (default 7)] [--warmup N (default 1)] [--data lidc|phantom] [--count N (measurements, default 200)] [--trace] [--no-minify]';

function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    scenario: 'load',
    count: 200,
    rounds: 7,
    warmup: 1,
    data: 'auto',
    trace: false,
    minify: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.split('=', 2) as [string, string | undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
      return next;
    };
    const count = (min: number): number => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < min) throw new Error(`${name} needs an integer ≥ ${min}\n${USAGE}`);
      return n;
    };
    if (name === '--') continue;
    else if (name === '--rounds') options.rounds = count(1);
    else if (name === '--warmup') options.warmup = count(0);
    else if (name === '--trace') options.trace = true;
    else if (name === '--no-minify') options.minify = false;
    else if (name === '--count') options.count = count(1);
    else if (name === '--scenario') {
      const scenario = value();
      if (scenario !== 'load' && scenario !== 'measurements') {
        throw new Error(`--scenario is load or measurements\n${USAGE}`);
      }
      options.scenario = scenario;
    } else if (name === '--data') {
      const data = value();
      if (data !== 'lidc' && data !== 'phantom') throw new Error(`--data is lidc or phantom\n${USAGE}`);
      options.data = data;
    } else if (name === '--help' || name === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// Constants

const TARGETS = { firstImageRatio: 0.6, fullSeriesRatio: 0.5 } as const;
const LOAD_TIMEOUT_MS = 60_000;
const DIST_DIR = join(cacheDir, 'bench-dist');
const RESULTS_DIR = join(repoRoot, 'bench-results');
const MIN_NON_BLACK = 0.2;
/** What `--trace` records: main-thread tasks, script evaluation, network, user timing, V8 samples. */
const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink.user_timing',
  'loading',
  'v8.execute',
  'disabled-by-default-v8.cpu_profiler',
  'toplevel',
];

// ---------------------------------------------------------------------------------------------
// Build and serve

/** Builds one page with the repository's Vite configuration (production, relative base). */
async function buildPage(page: PageName | 'measurement-tools', minify: boolean): Promise<string> {
  const outDir = join(DIST_DIR, page);
  await build({
    configFile: join(repoRoot, 'vite.config.ts'),
    root: join(repoRoot, 'bench', page),
    base: './',
    mode: 'production',
    // The codecs' Node-only imports ("fs", "path") are externalized harmlessly; only errors matter here.
    logLevel: 'error',
    build: {
      outDir,
      emptyOutDir: true,
      minify,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 10_000,
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
  });
  return outDir;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves `/<page>/…` from the built pages, never cached, and nothing outside them. */
function serveBuilt(req: IncomingMessage, res: ServerResponse, dirs: ReadonlyMap<string, string>): void {
  const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
  const [, page = '', ...rest] = path.split('/');
  const dir = dirs.get(page);
  let file = dir ? resolve(dir, rest.join('/') || 'index.html') : '';
  if (file && dir && !file.startsWith(resolve(dir) + sep)) file = '';
  let size = -1;
  try {
    const stat = file ? statSync(file) : null;
    if (stat?.isDirectory()) file = join(file, 'index.html');
    size = file ? statSync(file).size : -1;
  } catch {
    size = -1;
  }
  if (size < 0) {
    res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
    res.end('Not found\n');
    return;
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': String(size),
    'cache-control': 'no-store',
  });
  createReadStream(file).pipe(res);
}

interface Site {
  url: string;
  server: Server;
  proxy: DicomwebProxyMiddleware;
}

/** One origin for both pages and the DICOMweb proxy, on a free loopback port. */
async function startSite(orthanc: OrthancHandle, dirs: ReadonlyMap<string, string>): Promise<Site> {
  const proxy = createDicomwebProxyMiddleware(orthanc.url, { faultsPrefix: false });
  const server = createServer((req, res) => {
    if (proxy.matches(req.url)) proxy(req, res);
    else serveBuilt(req, res, dirs);
  });
  await new Promise<void>((done, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, proxy };
}

// ---------------------------------------------------------------------------------------------
// Measuring

function kindOf(url: string): ResourceKind {
  const path = url.split('?')[0]!;
  if (path.includes('/dicom-web/')) return 'dicomweb';
  if (/\.m?js$/.test(path)) return 'js';
  if (path.endsWith('.wasm')) return 'wasm';
  return 'other';
}

const minOf = (values: number[]): number | null => (values.length ? Math.min(...values) : null);
const maxOf = (values: number[]): number | null => (values.length ? Math.max(...values) : null);

/** Reduces a page's resource timeline to the moments that matter. */
export function profileOf(entries: readonly ResourceEntry[]): ResourceProfile {
  const dicomweb = entries.filter((e) => e.kind === 'dicomweb');
  const js = entries.filter((e) => e.kind === 'js');
  const wasm = entries.filter((e) => e.kind === 'wasm');
  const path = (e: ResourceEntry): string => e.url.split('?')[0]!;
  const metadata = dicomweb.find((e) => path(e).endsWith('/metadata'));
  const frames = dicomweb.filter((e) => /\/frames\/\d+$/.test(path(e))).sort((a, b) => a.startTime - b.startTime);
  const retrieve = dicomweb.find((e) => /\/series\/[\d.]+$/.test(path(e)));
  const firstRequestStart = minOf(dicomweb.map((e) => e.startTime));
  const firstFrame = frames[0];
  return {
    jsFiles: js.length,
    jsBytes: js.reduce((sum, e) => sum + e.encodedBodySize, 0),
    jsBeforeFirstRequestEnd: maxOf(
      js.filter((e) => firstRequestStart === null || e.startTime < firstRequestStart).map((e) => e.responseEnd),
    ),
    lastJsEnd: maxOf(js.map((e) => e.responseEnd)),
    wasmFiles: wasm.length,
    firstWasmStart: minOf(wasm.map((e) => e.startTime)),
    firstRequestStart,
    metadataStart: metadata?.startTime ?? null,
    metadataEnd: metadata?.responseEnd ?? null,
    firstFrameStart: firstFrame?.startTime ?? null,
    firstFrameResponseStart: firstFrame?.responseStart ?? null,
    firstFrameEnd: firstFrame?.responseEnd ?? null,
    seriesRetrieveStart: retrieve?.startTime ?? null,
    seriesRetrieveResponseStart: retrieve?.responseStart ?? null,
    seriesRetrieveEnd: retrieve?.responseEnd ?? null,
    frameRequests: frames.length,
    lastDicomwebEnd: maxOf(dicomweb.map((e) => e.responseEnd)),
    dicomwebRequests: dicomweb.length,
    dicomwebBytes: dicomweb.reduce((sum, e) => sum + e.encodedBodySize, 0),
  };
}

function quartiles(progress: readonly [number, number][], total: number): (number | null)[] {
  return [0.25, 0.5, 0.75, 1].map((q) => progress.find(([, loaded]) => loaded >= Math.ceil(q * total))?.[0] ?? null);
}

class PageFailure extends Error {}

/** Loads one page cold, waits for the full series, returns what it measured. */
async function loadOnce(
  browser: Browser,
  pageUrl: string,
  page: PageName,
  round: number,
  warmup: boolean,
  pixelCheck: ((page: Page) => Promise<void>) | null,
  tracePath?: string,
): Promise<{ record: RunRecord; resources: ResourceEntry[] }> {
  const context = await browser.createBrowserContext();
  const log: string[] = [];
  try {
    const tab = await context.newPage();
    await tab.setCacheEnabled(false);
    await tab.setViewport({ width: 640, height: 640 });
    tab.on('console', (m) => log.push(`[console.${m.type()}] ${m.text()}`));
    tab.on('pageerror', (e) => log.push(`[pageerror] ${String(e)}`));
    tab.on('requestfailed', (r) => log.push(`[requestfailed] ${r.url()} ${r.failure()?.errorText ?? ''}`));
    tab.on('response', (r) => {
      if (r.status() >= 400) log.push(`[http ${r.status()}] ${r.url()}`);
    });
    if (tracePath) await tab.tracing.start({ path: tracePath, screenshots: false, categories: TRACE_CATEGORIES });
    await tab.goto(pageUrl, { waitUntil: 'domcontentloaded', timeout: LOAD_TIMEOUT_MS });
    try {
      await tab.waitForFunction(() => window.__bench?.fullSeriesMs !== undefined || window.__bench?.error, {
        timeout: LOAD_TIMEOUT_MS,
        polling: 100,
      });
    } catch {
      throw new PageFailure(`${page} did not load the full series within ${LOAD_TIMEOUT_MS / 1000} s`);
    }
    const { bench, resources } = await tab.evaluate(() => ({
      bench: window.__bench as BenchPageResult,
      resources: performance.getEntriesByType('resource').map((entry) => {
        const e = entry as PerformanceResourceTiming;
        const url = new URL(e.name);
        return {
          url: url.origin === location.origin ? url.pathname + url.search : e.name,
          initiatorType: e.initiatorType,
          startTime: e.startTime,
          requestStart: e.requestStart,
          responseStart: e.responseStart,
          responseEnd: e.responseEnd,
          encodedBodySize: e.encodedBodySize,
          decodedBodySize: e.decodedBodySize,
        };
      }),
    }));
    if (tracePath) await tab.tracing.stop();
    if (bench.error) throw new PageFailure(`${page}: ${bench.error}`);
    if (bench.firstImageMs === undefined || bench.fullSeriesMs === undefined || !bench.total) {
      throw new PageFailure(`${page} published incomplete results: ${JSON.stringify(bench)}`);
    }
    if (pixelCheck) await pixelCheck(tab);
    const entries: ResourceEntry[] = resources.map((r) => ({ ...r, kind: kindOf(r.url) }));
    return {
      record: {
        page,
        round,
        warmup,
        firstImageMs: bench.firstImageMs,
        fullSeriesMs: bench.fullSeriesMs,
        total: bench.total,
        initialIndex: bench.initialIndex ?? null,
        marks: bench.marks,
        progressQuartilesMs: quartiles(bench.progress, bench.total),
        progress: bench.progress.map(([t, n]) => [Math.round(t), n]),
        profile: profileOf(entries),
      },
      resources: entries,
    };
  } catch (error) {
    if (log.length) console.error(`--- ${page} page log ---\n${log.slice(-40).join('\n')}`);
    throw error;
  } finally {
    await context.close().catch(() => undefined);
  }
}

/** Screenshots the viewport canvas and checks that it shows an image, not a blank. */
async function checkPixels(tab: Page, page: PageName, checks: PixelCheck[]): Promise<void> {
  const canvas = await tab.evaluateHandle((name) => {
    const scope = name === 'ct-viewer' ? document.querySelector('ct-viewer')?.shadowRoot : document;
    return scope?.querySelector('canvas') ?? null;
  }, page);
  const element = canvas.asElement() as ElementHandle<HTMLCanvasElement> | null;
  if (!element) throw new PageFailure(`${page}: no viewport canvas found for the pixel check`);
  const screenshot = join(RESULTS_DIR, `${page}.png`);
  const png = await element.screenshot({ path: screenshot as `${string}.png` });
  const stats = await tab.evaluate(async (base64: string) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const scratch = document.createElement('canvas');
    scratch.width = image.naturalWidth;
    scratch.height = image.naturalHeight;
    const context = scratch.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, scratch.width, scratch.height);
    let nonBlack = 0;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) {
      const luminance = 0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!;
      sum += luminance;
      if (luminance > 10) nonBlack++;
    }
    const pixels = data.length / 4;
    return {
      width: scratch.width,
      height: scratch.height,
      nonBlackRatio: nonBlack / pixels,
      meanLuminance: sum / pixels,
    };
  }, Buffer.from(png).toString('base64'));
  const check: PixelCheck = { page, ...stats, ok: stats.nonBlackRatio > MIN_NON_BLACK, screenshot };
  checks.push(check);
  if (!check.ok) {
    throw new PageFailure(
      `${page}: the viewport looks blank (${(100 * check.nonBlackRatio).toFixed(1)} % non-black pixels, ` +
        `need > ${100 * MIN_NON_BLACK} %); see ${screenshot}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics and output

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summarize(values: number[]): Summary {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), values };
}

function medianOrNull(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? median(present) : null;
}

const ms = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${Math.round(v)}`);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '))
    .join('\n');
}

/** Lists the resources of one run as a timeline (frames aggregated), for the profile. */
function timeline(entries: readonly ResourceEntry[]): string {
  const rows: string[][] = [['resource', 'start', 'response', 'end', 'KB']];
  const frames = entries.filter((e) => /\/frames\/\d+$/.test(e.url.split('?')[0]!));
  const short = (url: string): string => {
    const path = url.split('?')[0]!;
    const name = path.includes('/dicom-web/')
      ? path.replace(/\/dicom-web\/studies\/[\d.]+/, '…').replace(/\/series\/[\d.]+/, '/series/S')
      : path.split('/').pop()!;
    return name.length > 48 ? `${name.slice(0, 45)}…` : name;
  };
  for (const e of [...entries].sort((a, b) => a.startTime - b.startTime)) {
    if (frames.includes(e) && e !== frames[0]) continue;
    // Worker scripts can report response times that precede their start (another clock): omit them.
    const sane = e.responseEnd >= e.startTime;
    rows.push([
      `${e.kind.padEnd(8)} ${short(e.url)}`,
      ms(e.startTime),
      sane ? ms(e.responseStart) : '—',
      sane ? ms(e.responseEnd) : '—',
      (e.encodedBodySize / 1024).toFixed(0),
    ]);
  }
  if (frames.length > 1) {
    rows.push([
      `dicomweb ${frames.length - 1} more frame requests`,
      ms(minOf(frames.slice(1).map((f) => f.startTime))),
      '',
      ms(maxOf(frames.map((f) => f.responseEnd))),
      (frames.slice(1).reduce((s, f) => s + f.encodedBodySize, 0) / 1024).toFixed(0),
    ]);
  }
  return table(rows);
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options.scenario === 'measurements') return measurementsScenario(options);
  if (options.rounds < 5) console.warn(`note: ${options.rounds} rounds; use at least 5 for figures worth quoting`);
  if (!isOrthancAvailable()) {
    console.error('pnpm bench needs Orthanc with its DICOMweb plugin (apt-get install -y orthanc orthanc-dicomweb)');
    return 1;
  }
  mkdirSync(RESULTS_DIR, { recursive: true });

  let orthanc: OrthancHandle | null = null;
  let site: Site | null = null;
  let browser: Browser | null = null;
  const cleanup = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    if (site) {
      site.proxy.closeAll();
      site.server.closeAllConnections();
      await new Promise<void>((done) => site!.server.close(() => done()));
    }
    await orthanc?.stop();
  };
  const interrupt = (): void => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  try {
    console.log('Starting Orthanc and building the pages (vite build) …');
    const started = performance.now();
    const [studies, dirs] = await Promise.all([
      (async () => {
        orthanc = await startOrthanc();
        return loadDefaultStudies(orthanc, { includeShared: options.data !== 'phantom' });
      })(),
      (async () => {
        const dirs = new Map<string, string>();
        for (const page of PAGES) dirs.set(page, await buildPage(page, options.minify));
        return dirs;
      })(),
    ]);
    const lidc = studies.find((s) => s.source === 'lidc-ct');
    const phantom = studies.find((s) => s.source === 'phantom-baseline')!;
    if (options.data === 'lidc' && !lidc) throw new Error('--data lidc: the shared LIDC-IDRI-0001 data is not here');
    const series = lidc ?? phantom;
    console.log(
      `Ready in ${((performance.now() - started) / 1000).toFixed(1)} s. Series: ${
        series.source === 'lidc-ct'
          ? 'LIDC-IDRI-0001 CT'
          : `phantom baseline (${options.data === 'phantom' ? '--data phantom' : 'LIDC-IDRI-0001 not present'})`
      }, ${series.instanceCount} slices.`,
    );

    site = await startSite(orthanc!, dirs);
    browser = await puppeteer.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
    const chromium = await browser.version();
    const loadBefore = loadavg()[0]!;
    const query = new URLSearchParams({
      root: `${site.url}/dicom-web`,
      study: series.studyUid,
      series: series.seriesUid,
    });
    const urlOf = (page: PageName): string => `${site!.url}/${page}/index.html?${query}`;

    const runs: RunRecord[] = [];
    const medianRunResources = new Map<PageName, ResourceEntry[][]>(PAGES.map((p) => [p, []]));
    const pixelChecks: PixelCheck[] = [];
    const totalRounds = options.warmup + options.rounds;
    for (let round = 0; round < totalRounds; round++) {
      const warmup = round < options.warmup;
      const order = round % 2 === 0 ? PAGES : ([...PAGES].reverse() as PageName[]);
      const line: string[] = [];
      for (const page of order) {
        const check =
          !warmup && !pixelChecks.some((c) => c.page === page)
            ? (tab: Page) => checkPixels(tab, page, pixelChecks)
            : null;
        const { record, resources } = await loadOnce(browser, urlOf(page), page, round, warmup, check);
        runs.push(record);
        if (!warmup) medianRunResources.get(page)!.push(resources);
        line.push(`${page} ${ms(record.firstImageMs)} / ${ms(record.fullSeriesMs)} ms`);
      }
      console.log(
        `${warmup ? 'warm-up' : `round ${round - options.warmup + 1}/${options.rounds}`}: ${line.join(', ')}`,
      );
    }

    if (options.trace) {
      for (const page of PAGES) {
        const tracePath = join(RESULTS_DIR, `${page}.trace.json`);
        await loadOnce(browser, urlOf(page), page, totalRounds, true, null, tracePath);
        console.log(`trace: ${tracePath.slice(repoRoot.length + 1)} (open in Chrome DevTools › Performance)`);
      }
    }

    // Statistics
    const measured = runs.filter((r) => !r.warmup);
    const pages = {} as BenchReport['pages'];
    for (const page of PAGES) {
      const own = measured.filter((r) => r.page === page);
      const profile = {} as Record<keyof ResourceProfile, number | null>;
      for (const key of Object.keys(own[0]!.profile) as (keyof ResourceProfile)[]) {
        profile[key] = medianOrNull(own.map((r) => r.profile[key]));
      }
      const marks: Record<string, number> = {};
      for (const key of new Set(own.flatMap((r) => Object.keys(r.marks)))) {
        const value = medianOrNull(own.map((r) => r.marks[key] ?? null));
        if (value !== null) marks[key] = value;
      }
      pages[page] = {
        firstImageMs: summarize(own.map((r) => r.firstImageMs)),
        fullSeriesMs: summarize(own.map((r) => r.fullSeriesMs)),
        profile,
        marks,
      };
    }
    const firstImage = pages['ct-viewer'].firstImageMs.median / pages['plain-cornerstone'].firstImageMs.median;
    const rendered = pages['ct-viewer'].marks.engineRendered;
    const firstImageRendered =
      rendered === undefined ? null : rendered / pages['plain-cornerstone'].firstImageMs.median;
    const fullSeries = pages['ct-viewer'].fullSeriesMs.median / pages['plain-cornerstone'].fullSeriesMs.median;
    const report: BenchReport = {
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? '',
        node: process.version,
        chromium,
        loadAverage: [loadBefore, loadavg()[0]!],
      },
      series: {
        source: series.source,
        studyUid: series.studyUid,
        seriesUid: series.seriesUid,
        instanceCount: series.instanceCount,
      },
      rounds: options.rounds,
      warmupRounds: options.warmup,
      targets: TARGETS,
      pages,
      ratios: {
        firstImage,
        fullSeries,
        firstImageMet: firstImage <= TARGETS.firstImageRatio,
        fullSeriesMet: fullSeries <= TARGETS.fullSeriesRatio,
        firstImageRendered,
      },
      pixelChecks,
      runs,
    };
    writeFileSync(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);

    // Output
    const range = (s: Summary): string => `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})`;
    console.log(
      `\n${series.source === 'lidc-ct' ? 'LIDC-IDRI-0001' : 'Phantom baseline'}, ${series.instanceCount} slices, ` +
        `${options.rounds} cold loads per page (+${options.warmup} warm-up), ${chromium}, ${cpus().length} CPUs\n`,
    );
    console.log(
      table([
        ['page', 'first image ms: median (min–max)', 'full series ms: median (min–max)'],
        ...PAGES.map((p) => [p, range(pages[p].firstImageMs), range(pages[p].fullSeriesMs)]),
      ]),
    );
    const verdict = (ratio: number, target: number): string =>
      `${ratio.toFixed(2)}x (target ≤ ${target}x: ${ratio <= target ? 'met' : 'MISSED'})`;
    console.log(`\nct-viewer / plain, first image: ${verdict(firstImage, TARGETS.firstImageRatio)}`);
    console.log(`ct-viewer / plain, full series: ${verdict(fullSeries, TARGETS.fullSeriesRatio)}`);
    if (firstImageRendered !== null) {
      console.log(
        `(first image = the instant preview; the engine's own first draw in ct-viewer is at ` +
          `${ms(rendered)} ms, ${firstImageRendered.toFixed(2)}x plain's first image)`,
      );
    }
    const [before, after] = report.machine.loadAverage;
    if (Math.max(before, after) > cpus().length) {
      console.log(
        `note: load average ${before.toFixed(1)} → ${after.toFixed(1)} on ${cpus().length} CPUs: figures are noisy`,
      );
    }
    for (const check of pixelChecks) {
      console.log(
        `pixel check ${check.page}: ${(100 * check.nonBlackRatio).toFixed(0)} % non-black ` +
          `(${check.width}x${check.height}) → ${check.screenshot.slice(repoRoot.length + 1)}`,
      );
    }

    console.log('\nProfile (medians, ms since navigation start):');
    const profileRows: [string, (p: PageName) => string][] = [
      ['JS files / KB', (p) => `${pages[p].profile.jsFiles} / ${((pages[p].profile.jsBytes ?? 0) / 1024).toFixed(0)}`],
      ['last JS before 1st DICOMweb request', (p) => ms(pages[p].profile.jsBeforeFirstRequestEnd)],
      ['page module started (mark main)', (p) => ms(pages[p].marks.main)],
      ['first DICOMweb request sent', (p) => ms(pages[p].profile.firstRequestStart)],
      [
        'series metadata: start → end',
        (p) => `${ms(pages[p].profile.metadataStart)} → ${ms(pages[p].profile.metadataEnd)}`,
      ],
      [
        'first frame: start → end',
        (p) => `${ms(pages[p].profile.firstFrameStart)} → ${ms(pages[p].profile.firstFrameEnd)}`,
      ],
      ['last JS loaded (lazy chunks too)', (p) => ms(pages[p].profile.lastJsEnd)],
      ['first WASM requested', (p) => ms(pages[p].profile.firstWasmStart)],
      ['first image', (p) => ms(pages[p].firstImageMs.median)],
      [
        'series retrieve: start → 1st byte → end',
        (p) =>
          `${ms(pages[p].profile.seriesRetrieveStart)} → ${ms(pages[p].profile.seriesRetrieveResponseStart)} → ${ms(pages[p].profile.seriesRetrieveEnd)}`,
      ],
      ['frame requests', (p) => String(pages[p].profile.frameRequests)],
      ['last DICOMweb byte', (p) => ms(pages[p].profile.lastDicomwebEnd)],
      [
        'DICOMweb requests / MB',
        (p) => `${pages[p].profile.dicomwebRequests} / ${((pages[p].profile.dicomwebBytes ?? 0) / 2 ** 20).toFixed(1)}`,
      ],
      ['full series', (p) => ms(pages[p].fullSeriesMs.median)],
      [
        'decode tail (full series − last byte)',
        (p) => ms(pages[p].fullSeriesMs.median - (pages[p].profile.lastDicomwebEnd ?? pages[p].fullSeriesMs.median)),
      ],
    ];
    console.log(table([['', ...PAGES], ...profileRows.map(([label, f]) => [label, ...PAGES.map(f)])]));
    for (const page of PAGES) {
      const marks = Object.entries(pages[page].marks)
        .sort(([, a], [, b]) => a - b)
        .map(([k, v]) => `${k} ${ms(v)}`)
        .join(', ');
      console.log(`marks ${page}: ${marks}`);
    }
    for (const page of PAGES) {
      // The run whose full-series time is the median one.
      const own = measured.filter((r) => r.page === page);
      const target = pages[page].fullSeriesMs.median;
      const index = own.reduce(
        (best, r, i) => (Math.abs(r.fullSeriesMs - target) < Math.abs(own[best]!.fullSeriesMs - target) ? i : best),
        0,
      );
      console.log(
        `\nResource timeline of a median ${page} run (ms):\n${timeline(medianRunResources.get(page)![index]!)}`,
      );
    }
    console.log(`\nWrote ${join(RESULTS_DIR, 'latest.json').slice(repoRoot.length + 1)}`);
    return 0;
  } catch (error) {
    console.error(error instanceof PageFailure ? `FAILED: ${error.message}` : error);
    return 1;
  } finally {
    await cleanup();
  }
}

// ---------------------------------------------------------------------------------------------
// Scenario "measurements": pointer-move handling while drawing, with many measurements shown

/** Pointer moves per drag (each one a CDP `Input.dispatchMouseEvent`, awaited). */
const DRAG_MOVES = 120;

/** Percentiles of a sample: nearest rank. */
function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface PointerSummary {
  samples: number;
  p50: number;
  p95: number;
  max: number;
}

function pointerSummary(values: readonly number[]): PointerSummary {
  return {
    samples: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    max: values.length ? Math.max(...values) : Number.NaN,
  };
}

/** Loads the page with `count` measurements, drags a length across the slice, returns the timings. */
async function dragOnce(
  browser: Browser,
  url: string,
  screenshotPath?: string,
  tracePath?: string,
  dragScreenshotPath?: string,
): Promise<PointerMoveTimings> {
  const context = await browser.createBrowserContext();
  try {
    const tab = await context.newPage();
    await tab.setViewport({ width: 900, height: 600 });
    await tab.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
    await tab.waitForFunction(() => window.__bench?.ready === true || window.__bench?.error !== undefined, {
      timeout: LOAD_TIMEOUT_MS,
    });
    const error = await tab.evaluate(() => window.__bench?.error);
    if (error) throw new PageFailure(error);
    const area = (await tab.evaluate(() => window.__bench!.drawArea))!;
    // From the top-left margin of the image (the shown measurements start at 10 %) to its middle.
    const from = [area.left + area.width * 0.05, area.top + area.height * 0.05] as const;
    const to = [area.left + area.width * 0.6, area.top + area.height * 0.55] as const;
    await tab.mouse.move(from[0], from[1]);
    if (tracePath) await tab.tracing.start({ path: tracePath, screenshots: false, categories: TRACE_CATEGORIES });
    await tab.mouse.down();
    for (let i = 1; i <= DRAG_MOVES; i++) {
      const t = i / DRAG_MOVES;
      await tab.mouse.move(from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t);
      if (dragScreenshotPath && i === DRAG_MOVES / 2) {
        await tab.screenshot({ path: dragScreenshotPath as `${string}.png` });
      }
    }
    await tab.mouse.up();
    if (tracePath) await tab.tracing.stop();
    await tab
      .waitForFunction(() => window.__bench?.marks.lengthDrawn !== undefined, { timeout: 10_000 })
      .catch(() => {
        throw new PageFailure('the dragged length was not added (ct-measurement-add)');
      });
    await new Promise((done) => setTimeout(done, 300));
    if (screenshotPath) await tab.screenshot({ path: screenshotPath as `${string}.png` });
    return (await tab.evaluate(() => window.__bench!.pointer))!;
  } finally {
    await context.close();
  }
}

async function measurementsScenario(options: Options): Promise<number> {
  if (!isOrthancAvailable()) {
    console.error('pnpm bench needs Orthanc with its DICOMweb plugin (apt-get install -y orthanc orthanc-dicomweb)');
    return 1;
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  let orthanc: OrthancHandle | null = null;
  let site: Site | null = null;
  let browser: Browser | null = null;
  try {
    console.log('Starting Orthanc and building the measurement-tools page (vite build) …');
    const [studies, dir] = await Promise.all([
      (async () => {
        orthanc = await startOrthanc();
        return loadDefaultStudies(orthanc, { includeShared: options.data !== 'phantom' });
      })(),
      buildPage('measurement-tools', options.minify),
    ]);
    const lidc = studies.find((s) => s.source === 'lidc-ct');
    const phantom = studies.find((s) => s.source === 'phantom-baseline')!;
    if (options.data === 'lidc' && !lidc) throw new Error('--data lidc: the shared LIDC-IDRI-0001 data is not here');
    const series = options.data === 'phantom' ? phantom : (lidc ?? phantom);
    site = await startSite(orthanc!, new Map([['measurement-tools', dir]]));
    browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
    const urlOf = (count: number): string =>
      `${site!.url}/measurement-tools/index.html?${new URLSearchParams({
        root: `${site!.url}/dicom-web`,
        study: series.studyUid,
        series: series.seriesUid,
        count: String(count),
      })}`;
    const counts = [0, options.count];
    const samples = new Map(counts.map((c) => [c, { handlerMs: [] as number[], frameMs: [] as number[], slow: 0 }]));
    const totalRounds = options.warmup + options.rounds;
    for (let round = 0; round < totalRounds; round++) {
      const warmup = round < options.warmup;
      const order = round % 2 === 0 ? counts : [...counts].reverse();
      const line: string[] = [];
      for (const count of order) {
        const screenshot = round === options.warmup ? join(RESULTS_DIR, `measurements-${count}.png`) : undefined;
        const timings = await dragOnce(browser, urlOf(count), screenshot);
        if (timings.drawnAnnotations < count * 0.8) {
          throw new PageFailure(`only ${timings.drawnAnnotations} of ${count} measurements were drawn`);
        }
        line.push(
          `${count} (${timings.drawnAnnotations} drawn): p95 handler ${percentile(timings.handlerMs, 95).toFixed(2)} ms, ` +
            `to frame ${percentile(timings.frameMs, 95).toFixed(1)} ms over ${timings.handlerMs.length} moves`,
        );
        if (warmup) continue;
        const into = samples.get(count)!;
        into.handlerMs.push(...timings.handlerMs);
        into.frameMs.push(...timings.frameMs);
        into.slow += timings.slowEvents.length;
      }
      console.log(
        `${warmup ? 'warm-up' : `round ${round - options.warmup + 1}/${options.rounds}`}: ${line.join(', ')}`,
      );
    }
    if (options.trace) {
      const tracePath = join(RESULTS_DIR, `measurements-${options.count}.trace.json`);
      const dragShot = join(RESULTS_DIR, `measurements-${options.count}-drag.png`);
      await dragOnce(browser, urlOf(options.count), undefined, tracePath, dragShot);
      console.log(`trace of one more drag: ${tracePath} (open in Chrome DevTools › Performance)`);
      console.log(`screenshot in the middle of that drag: ${dragShot}`);
    }
    const summaries = counts.map((count) => {
      const s = samples.get(count)!;
      return { count, handler: pointerSummary(s.handlerMs), frame: pointerSummary(s.frameMs), slowEvents: s.slow };
    });
    const [reference, loaded] = summaries as [(typeof summaries)[0], (typeof summaries)[0]];
    const handlerRatio = loaded.handler.p95 / reference.handler.p95;
    const frameRatio = loaded.frame.p95 / reference.frame.p95;
    const f = (n: number): string => n.toFixed(2);
    console.log(
      `\nPointer moves while drawing a length (${series.source === 'lidc-ct' ? 'LIDC-IDRI-0001' : 'phantom'}, ${options.rounds} rounds × ${DRAG_MOVES} moves):\n`,
    );
    console.log(
      table([
        [
          'measurements',
          'moves',
          'handler p50',
          'handler p95',
          'handler max',
          'to frame p50',
          'to frame p95',
          'Event Timing ≥ 16 ms',
        ],
        ...summaries.map((s) => [
          String(s.count),
          String(s.handler.samples),
          `${f(s.handler.p50)} ms`,
          `${f(s.handler.p95)} ms`,
          `${f(s.handler.max)} ms`,
          `${f(s.frame.p50)} ms`,
          `${f(s.frame.p95)} ms`,
          String(s.slowEvents),
        ]),
      ]),
    );
    console.log(
      `\nhandler p95 with ${options.count}: ${f(loaded.handler.p95)} ms (target ≤ 8 ms: ${loaded.handler.p95 <= 8 ? 'met' : 'NOT met'}); ` +
        `ratio to 0 measurements ${f(handlerRatio)}x (to-frame p95 ratio ${f(frameRatio)}x)`,
    );
    const report = {
      date: new Date().toISOString(),
      scenario: 'measurements',
      series: series.source,
      rounds: options.rounds,
      dragMoves: DRAG_MOVES,
      chromium: await browser.version(),
      cpus: cpus().length,
      summaries,
      handlerP95Ratio: handlerRatio,
      frameP95Ratio: frameRatio,
    };
    writeFileSync(join(RESULTS_DIR, 'measurements.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log('written: bench-results/measurements.json');
    return 0;
  } catch (error) {
    console.error(error instanceof PageFailure ? `FAILED: ${error.message}` : error);
    return 1;
  } finally {
    await browser?.close().catch(() => undefined);
    if (site) {
      site.proxy.closeAll();
      site.server.closeAllConnections();
      await new Promise<void>((done) => site!.server.close(() => done()));
    }
    await (orthanc as OrthancHandle | null)?.stop();
  }
}

process.exitCode = await main();
process.exit();
