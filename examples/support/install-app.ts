/**
 * What the install tests under examples/ share: installing packed tarballs with npm into a fresh
 * app, serving a production build with the phantom study as Part 10 files, and checking in
 * Chromium that the viewer shows the CT.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'puppeteer-core';
import { serveFiles } from '../../scripts/serve-files.ts';
import { cacheDir } from '../../test/support/paths.ts';

export { STRICT_CSP, STRICT_CSP_WITHOUT_WASM } from './csp.ts';

/** The four packages the app needs (the elements and what they depend on). */
export const APP_PACKAGES = [
  '@secondread/core',
  '@secondread/cornerstone',
  '@secondread/ct-viewer',
  '@secondread/measurement-tools',
];

/** Runs a command in `cwd`; rejects with its output when it fails. */
export function run(command: string, args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`)),
    );
  });
}

/** `npm install`s `specs` (tarball paths, `name@version`) into `appDir`, with npm's cache in .cache/npm-cache. */
export async function npmInstall(appDir: string, specs: readonly string[]): Promise<void> {
  const npmCache = join(cacheDir, 'npm-cache');
  await mkdir(npmCache, { recursive: true });
  await run(
    'npm',
    ['install', '--cache', npmCache, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs],
    appDir,
  );
}

/** package/package.json and the file list of a tarball. */
export async function tarballContents(tarball: string): Promise<{ pkg: Record<string, unknown>; files: string[] }> {
  const bytes = gunzipSync(await readFile(tarball));
  const files: string[] = [];
  let pkg: Record<string, unknown> | undefined;
  for (let offset = 0; offset + 512 <= bytes.length;) {
    const name = bytes
      .subarray(offset, offset + 100)
      .toString('utf8')
      .replace(/\0.*$/s, '');
    if (!name) break;
    const prefix = bytes
      .subarray(offset + 345, offset + 500)
      .toString('utf8')
      .replace(/\0.*$/s, '');
    const size = parseInt(
      bytes
        .subarray(offset + 124, offset + 136)
        .toString('utf8')
        .trim() || '0',
      8,
    );
    const path = prefix ? `${prefix}/${name}` : name;
    const body = bytes.subarray(offset + 512, offset + 512 + size);
    if (bytes[offset + 156] !== 0x35 /* '5', a directory */) files.push(path.replace(/^package\//, ''));
    if (path === 'package/package.json') pkg = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  if (!pkg) throw new Error(`${tarball} has no package/package.json`);
  return { pkg, files: files.sort() };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** Serves a file of the production build, as any static host does. */
async function serveBuilt(distDir: string, path: string, res: ServerResponse): Promise<void> {
  const file = resolve(distDir, `.${decodeURIComponent(path)}`);
  const body = file.startsWith(distDir + sep) ? await readFile(file).catch(() => undefined) : undefined;
  if (!body) {
    res.writeHead(404).end('Not found');
    return;
  }
  res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
  res.end(body);
}

/** How {@link serveApp} serves the app. */
export interface ServeAppOptions {
  /** The page served at `/` (default: dist/index.html). */
  indexFile?: string;
  /**
   * Headers on every response (the page, its scripts, workers and WASM), as a static host or a
   * portal's reverse proxy sets them: a `Content-Security-Policy` applies to the decode workers
   * only when their own responses carry it.
   */
  headers?: Readonly<Record<string, string>>;
}

/** A served production build. */
export interface ServedApp {
  server: Server;
  url: string;
  /** Serves these Part 10 files under /study/ from now on, instead of the study directory's. */
  showFiles(files: readonly string[]): void;
}

/**
 * Serves a production build from `distDir` and the Part 10 files of `studyDir` under /study/,
 * listed in /study/index.json. Resolves with the address.
 */
export async function serveApp(distDir: string, studyDir: string, options: ServeAppOptions = {}): Promise<ServedApp> {
  const indexFile = options.indexFile ?? join(distDir, 'index.html');
  const fromDir = async (): Promise<Map<string, string>> =>
    new Map(
      (await readdir(studyDir))
        .filter((name) => name.endsWith('.dcm'))
        .sort()
        .map((name) => [name, join(studyDir, name)]),
    );
  let study = await fromDir();
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/study/index.json') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify([...study.keys()]));
      return;
    }
    if (path.startsWith('/study/')) {
      const file = study.get(decodeURIComponent(path.slice('/study/'.length)));
      if (file) serveFiles(req, res, '/study/', dirname(file));
      else res.writeHead(404).end('Not found');
      return;
    }
    if (path === '/' || path === '/index.html') {
      void readFile(indexFile).then((body) =>
        res.writeHead(200, { 'content-type': CONTENT_TYPES['.html']! }).end(body),
      );
      return;
    }
    void serveBuilt(distDir, path, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    showFiles: (files) => {
      study = new Map(files.map((file) => [basename(file), file]));
    },
  };
}

/** What a page opened by {@link openApp} recorded. */
export interface OpenedApp {
  page: Page;
  /** Page errors, console errors and warnings, failed requests. */
  problems: string[];
  /** The page's `securitypolicyviolation` events so far: `directive blocked-URI (source:line)`. */
  violations(): Promise<string[]>;
  /** The `ct-error` events so far: code and message. */
  ctErrors(): Promise<{ code: string; message: string }[]>;
}

/**
 * Opens the app in a new page that records page errors, console errors/warnings, failed requests,
 * Content Security Policy violations and `ct-error` events.
 */
export async function openApp(browser: Browser, url: string): Promise<OpenedApp> {
  const page = await browser.newPage();
  await page.evaluateOnNewDocument(() => {
    const seen = { violations: [] as string[], errors: [] as { code: string; message: string }[] };
    Object.defineProperty(window, '__secondreadSeen', { value: seen });
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.violations.push(`${event.effectiveDirective} ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`);
    });
    document.addEventListener('ct-error', (event) => {
      const { code, message } = event.detail;
      seen.errors.push({ code, message });
    });
  });
  await page.setViewport({ width: 1000, height: 700 });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => {
    // Failed requests are reported below, with their address; Lit says it is in dev mode under `vite`.
    if (message.text().startsWith('Failed to load resource') || message.text().startsWith('Lit is in dev mode')) return;
    if (message.type() === 'error' || message.type() === 'warn') problems.push(message.text());
  });
  page.on('response', (response) => {
    // Browsers ask for a favicon by themselves; the app has none.
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) {
      problems.push(`${response.status()} ${response.url()}`);
    }
  });
  await page.goto(url, { waitUntil: 'load' });
  type Seen = { violations: string[]; errors: { code: string; message: string }[] };
  const seen = (): Promise<Seen> =>
    page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { __secondreadSeen: Seen }).__secondreadSeen)));
  return {
    page,
    problems,
    violations: async () => (await seen()).violations,
    ctErrors: async () => (await seen()).errors,
  };
}

/** Waits for the viewer and asserts that it shows the phantom: state, slice count, pixels, overlay. */
export async function expectCtShown(
  page: Page,
  problems: readonly string[],
  sliceCount: number,
  /** The dev server bundles Cornerstone on the first visit: give it longer than a build. */
  timeoutMs = 90_000,
): Promise<void> {
  await page.waitForFunction(
    () => {
      const viewer = document.querySelector('ct-viewer') as unknown as { state: string } | null;
      return viewer?.state === 'ready' || viewer?.state === 'error';
    },
    { timeout: timeoutMs },
  );
  const shown = await page.evaluate(() => {
    const viewer = document.querySelector('ct-viewer') as unknown as HTMLElement & {
      state: string;
      sliceCount: number;
      sliceIndex: number;
    };
    const canvas = viewer.shadowRoot!.querySelector<HTMLCanvasElement>('[part=viewport] canvas')!;
    const { data } = canvas
      .getContext('2d', { willReadFrequently: true })!
      .getImageData(0, 0, canvas.width, canvas.height);
    let nonBlack = 0;
    for (let i = 0; i < data.length; i += 4) if ((data[i]! + data[i + 1]! + data[i + 2]!) / 3 > 8) nonBlack++;
    return {
      state: viewer.state,
      sliceCount: viewer.sliceCount,
      sliceIndex: viewer.sliceIndex,
      nonBlack: nonBlack / (data.length / 4),
      overlay: viewer.shadowRoot!.querySelector('[part=overlay]')?.textContent ?? '',
    };
  });
  assert.equal(shown.state, 'ready', problems.join('\n'));
  assert.equal(shown.sliceCount, sliceCount);
  assert.ok(shown.nonBlack > 0.1, `the CT is drawn (${(shown.nonBlack * 100).toFixed(1)} % non-black pixels)`);
  // `Im 8 (23/30)`: the Instance Number, then the stack position.
  assert.ok(shown.overlay.includes(`(${shown.sliceIndex + 1}/${sliceCount})`), `the slice overlay: ${shown.overlay}`);
}

/** What {@link drawLength} needs of the study shown: the image size and pixel spacing. */
export interface ImageGeometry {
  readonly columns: number;
  readonly rows: number;
  /** Row spacing, column spacing (mm), as DICOM's PixelSpacing. */
  readonly pixelSpacingMm: readonly [number, number];
}

/**
 * Draws a horizontal length across 100 image columns through the image centre with the mouse,
 * through <measurement-tools> (which must be on the page with `tool="length"`), and resolves with
 * what it measured, what the geometry says it must be, and the CSS pixels per image pixel.
 */
export async function drawLength(
  page: Page,
  image: ImageGeometry,
): Promise<{ kind: string; lengthMm: number; expectedMm: number; toleranceMm: number; cssPxPerImagePx: number }> {
  // <measurement-tools> upgraded, found its viewer by `for`, and the length tool is ready.
  await page.waitForFunction(
    () => {
      const tools = document.querySelector('measurement-tools') as unknown as HTMLElement | null;
      return !!tools?.shadowRoot?.querySelector('[part~=toolbar]');
    },
    { timeout: 30_000 },
  );
  await page.evaluate(
    () => (document.querySelector('measurement-tools') as unknown as { toolReady: Promise<void> }).toolReady,
  );
  const { columns, rows } = image;
  const fromColumn = Math.round(columns / 2 - 50);
  const toColumn = fromColumn + 100;
  const row = Math.round(rows / 2);
  const points = await page.evaluate(
    (cols: number, rws: number, c0: number, c1: number, r: number) => {
      const viewer = document.querySelector('ct-viewer')!;
      const area = viewer.shadowRoot!.querySelector('[part=viewport] canvas')!.getBoundingClientRect();
      const scale = Math.min(area.width / cols, area.height / rws);
      const left = area.left + (area.width - cols * scale) / 2;
      const top = area.top + (area.height - rws * scale) / 2;
      // (No helper function here: tsx would wrap it in a __name() call the page does not have.)
      const y = top + (r + 0.5) * scale;
      return { fromX: left + (c0 + 0.5) * scale, toX: left + (c1 + 0.5) * scale, y, scale };
    },
    columns,
    rows,
    fromColumn,
    toColumn,
    row,
  );
  await page.mouse.move(points.fromX, points.y);
  await page.mouse.down();
  for (let step = 1; step <= 8; step++) {
    await page.mouse.move(points.fromX + ((points.toX - points.fromX) * step) / 8, points.y);
  }
  await page.mouse.up();
  await page.waitForFunction(
    () =>
      (document.querySelector('measurement-tools') as unknown as { measurements: unknown[] }).measurements.length > 0,
    { timeout: 30_000 },
  );
  const measured = await page.evaluate(() => {
    const tools = document.querySelector('measurement-tools') as unknown as {
      measurements: { kind: string; values: { lengthMm?: number } }[];
    };
    return JSON.parse(JSON.stringify(tools.measurements)) as { kind: string; values: { lengthMm?: number } }[];
  });
  assert.equal(measured.length, 1);
  assert.equal(measured[0]!.kind, 'length');
  // Mouse positions are whole CSS pixels: allow one screen pixel at each end.
  return {
    kind: measured[0]!.kind,
    lengthMm: measured[0]!.values.lengthMm!,
    expectedMm: 100 * image.pixelSpacingMm[1],
    toleranceMm: (2 / points.scale) * image.pixelSpacingMm[1],
    cssPxPerImagePx: points.scale,
  };
}
