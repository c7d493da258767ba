/** One cold load of a page: resource timeline, first image, full series, pixel check. */
import { join } from 'node:path';
import { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import type { BenchPageResult } from '../../bench/shared/page.ts';
import {
  type PageName,
  type ResourceKind,
  type ResourceEntry,
  type ResourceProfile,
  type RunRecord,
  type PixelCheck,
} from './types.ts';
import { LOAD_TIMEOUT_MS, RESULTS_DIR, MIN_NON_BLACK, TRACE_CATEGORIES } from './options.ts';

export function kindOf(url: string): ResourceKind {
  const path = url.split('?')[0]!;
  if (path.includes('/dicom-web/')) return 'dicomweb';
  if (/\.m?js$/.test(path)) return 'js';
  if (path.endsWith('.wasm')) return 'wasm';
  return 'other';
}

export const minOf = (values: number[]): number | null => (values.length ? Math.min(...values) : null);
export const maxOf = (values: number[]): number | null => (values.length ? Math.max(...values) : null);

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

export function quartiles(progress: readonly [number, number][], total: number): (number | null)[] {
  return [0.25, 0.5, 0.75, 1].map((q) => progress.find(([, loaded]) => loaded >= Math.ceil(q * total))?.[0] ?? null);
}

export class PageFailure extends Error {}

/** Loads one page cold, waits for the full series, returns what it measured. */
export async function loadOnce(
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
export async function checkPixels(tab: Page, page: PageName, checks: PixelCheck[]): Promise<void> {
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
