/**
 * The static Storybook, as it is published: `storybook build` into a temporary folder, served by a
 * plain file server (no middleware: any path that is not a file answers 404), opened in headless
 * Chromium. The error and loading stories must show their own state (not "not-found"), the docs
 * pages must carry the manifest's API, and the theme stories their theme.
 *
 * The build takes ~25-60 s on a 2-core machine, so this runs with the other node tests.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { ERROR_HINTS } from '@secondread/core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/support/chromium.ts';
import { repoRoot } from '../test/support/paths.ts';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

let outDir: string;
let server: Server;
let origin: string;
let browser: Browser;

/** A plain static file server: what a CDN or GitHub Pages does with the build. */
function serveStatic(dir: string): Promise<Server> {
  const root = resolve(dir);
  const s = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = resolve(root, `.${path}`);
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end('Not found');
      return;
    }
    res.setHeader('Content-Type', MIME[extname(file)] ?? 'application/octet-stream');
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => s.listen(0, '127.0.0.1', () => ok(s)));
}

/** The story `id` alone in the preview iframe, as the docs site embeds it. */
async function openStory(id: string, globals?: string): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1000, height: 700 });
  const query = `id=${id}&viewMode=story${globals ? `&globals=${globals}` : ''}`;
  await page.goto(`${origin}/iframe.html?${query}`, { waitUntil: 'load' });
  return page;
}

/** Text of a part in the first `tag`'s shadow root, once it is there. */
async function partText(page: Page, tag: string, part: string, timeout = 60_000): Promise<string> {
  const handle = await page.waitForFunction(
    (t, p) => document.querySelector(t)?.shadowRoot?.querySelector(`[part~="${p}"]`)?.textContent ?? null,
    { timeout, polling: 200 },
    tag,
    part,
  );
  return String(await handle.jsonValue());
}

describe('static Storybook (storybook build)', { timeout: 600_000 }, () => {
  before(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'secondread-storybook-'));
    const build = spawnSync('pnpm', ['exec', 'storybook', 'build', '--quiet', '-o', outDir], {
      cwd: repoRoot,
      env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1' },
      encoding: 'utf8',
      timeout: 480_000,
    });
    assert.equal(build.status, 0, `storybook build failed:\n${build.stdout}\n${build.stderr}`);
    server = await serveStatic(outDir);
    const address = server.address();
    assert.ok(address && typeof address === 'object');
    origin = `http://127.0.0.1:${address.port}`;
    browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
  });

  after(async () => {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('ErrorUnauthorized shows the unauthorized error, not not-found', async () => {
    const page = await openStory('components-ct-viewer--error-unauthorized');
    const text = await partText(page, 'ct-viewer', 'error');
    assert.match(text, /answered 401/);
    assert.ok(text.includes(ERROR_HINTS.unauthorized), text);
    assert.match(text, /Error code: unauthorized/);
    await page.close();
  });

  it('ErrorServer shows the server error (http-status 500)', async () => {
    const page = await openStory('components-ct-viewer--error-server');
    const text = await partText(page, 'ct-viewer', 'error');
    assert.match(text, /answered 500/);
    assert.match(text, /Error code: http-status/);
    await page.close();
  });

  it('Loading keeps showing the loading state', async () => {
    const page = await openStory('components-ct-viewer--loading');
    assert.match(await partText(page, 'ct-viewer', 'loading'), /Loading series/);
    await new Promise((ok) => setTimeout(ok, 3000));
    const state = await page.evaluate(() => {
      const viewer = document.querySelector('ct-viewer')!;
      return {
        loading: !!viewer.shadowRoot!.querySelector('[part~="loading"]'),
        error: viewer.shadowRoot!.querySelector('[part~="error"]')?.textContent ?? null,
      };
    });
    assert.deepEqual(state, { loading: true, error: null });
    await page.close();
  });

  it('ErrorNotDicom (a static fixture file) shows not-dicom', async () => {
    const page = await openStory('components-ct-viewer--error-not-dicom');
    assert.match(await partText(page, 'ct-viewer', 'error'), /Error code: not-dicom/);
    await page.close();
  });

  it('docs pages list the API from custom-elements.json (attributes, parts, tokens)', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/iframe.html?id=components-measurement-tools--docs&viewMode=docs`, { waitUntil: 'load' });
    const text = await page
      .waitForFunction(
        () => {
          const body = document.querySelector('#storybook-docs')?.textContent ?? '';
          return body.includes('--ct-active-background') ? body : null;
        },
        { timeout: 60_000, polling: 250 },
      )
      .then((h) => h.jsonValue());
    // A description written only in the element's JSDoc, and its parts and tokens.
    assert.ok(
      String(text).includes("Who draws (stored in each measurement's"),
      'attribute description from the manifest',
    );
    assert.ok(String(text).includes('item-button'), 'CSS parts from the manifest');
    await page.close();
  });

  it('the theme stories render in their theme (light toolbar, acme accent on the active tool)', async () => {
    const page = await openStory('components-measurement-tools--theme-acme');
    await partText(page, 'measurement-tools', 'toolbar');
    const colours = await page.evaluate(() => {
      const tools = document.querySelector('measurement-tools')!;
      const wrapper = tools.closest('[data-ct-theme]')!;
      const active = tools.shadowRoot!.querySelector('[part~="tool"][part~="active"]')!;
      return { theme: wrapper.getAttribute('data-ct-theme'), active: getComputedStyle(active).backgroundColor };
    });
    assert.deepEqual(colours, { theme: 'acme', active: 'rgb(252, 163, 17)' });
    await page.close();

    const light = await openStory('components-ct-viewer--theme-light');
    await partText(light, 'ct-viewer', 'toolbar');
    const toolbar = await light.evaluate(() => {
      const viewer = document.querySelector('ct-viewer')!;
      return getComputedStyle(viewer.shadowRoot!.querySelector('[part~="toolbar"]')!).backgroundColor;
    });
    assert.equal(toolbar, 'rgb(255, 255, 255)');
    await light.close();
  });
});
