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
 * `measurementsScenario` in scripts/bench/scenario-measurements.ts and bench/measurement-tools/main.ts for the method).
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
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { loadDefaultStudies } from '../test/support/load-studies.ts';
import { isOrthancAvailable, startOrthanc, type OrthancHandle } from '../test/support/orthanc.ts';
import { repoRoot } from '../test/support/paths.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/support/chromium.ts';
import {
  PAGES,
  type PageName,
  type ResourceEntry,
  type ResourceProfile,
  type RunRecord,
  type Summary,
  type PixelCheck,
  type BenchReport,
} from './bench/types.ts';
import { parseOptions, TARGETS, RESULTS_DIR } from './bench/options.ts';
import { buildPage, type Site, startSite } from './bench/site.ts';
import { PageFailure, loadOnce, checkPixels } from './bench/measure.ts';
import { summarize, medianOrNull, ms, table, timeline } from './bench/report.ts';
import { measurementsScenario } from './bench/scenario-measurements.ts';

export * from './bench/types.ts';
export { profileOf } from './bench/measure.ts';

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

process.exitCode = await main();
process.exit();
