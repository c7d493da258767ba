/** Scenario "measurements": pointer-move handling while drawing, with many measurements shown. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import type { PointerMoveTimings } from '../../bench/shared/page.ts';
import { loadDefaultStudies } from '../../test/support/load-studies.ts';
import { isOrthancAvailable, startOrthanc, type OrthancHandle } from '../../test/support/orthanc.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/support/chromium.ts';
import { type Options, LOAD_TIMEOUT_MS, RESULTS_DIR, TRACE_CATEGORIES } from './options.ts';
import { buildPage, type Site, startSite } from './site.ts';
import { PageFailure } from './measure.ts';
import { table } from './report.ts';

/** Pointer moves per drag (each one a CDP `Input.dispatchMouseEvent`, awaited). */
export const DRAG_MOVES = 120;

/** Percentiles of a sample: nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface PointerSummary {
  samples: number;
  p50: number;
  p95: number;
  max: number;
}

export function pointerSummary(values: readonly number[]): PointerSummary {
  return {
    samples: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    max: values.length ? Math.max(...values) : Number.NaN,
  };
}

/** Loads the page with `count` measurements, drags a length across the slice, returns the timings. */
export async function dragOnce(
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

export async function measurementsScenario(options: Options): Promise<number> {
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
