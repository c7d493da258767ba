/**
 * The webpack 5 way of installing (the bundler under Next.js): this folder's app, copied to a fresh
 * directory outside the monorepo, `npm install`s the packed tarballs (scripts/pack.ts) with
 * webpack and webpack-cli, builds with its webpack.config.mjs (the README's snippet: one
 * `resolve.fallback` line), and its output, served with the phantom as Part 10 files, shows the CT
 * in headless Chromium, with <measurement-tools> upgraded beside it.
 *
 * The build runs without Terser (`--no-optimization-minimize`): minifying adds a minute of CI time
 * and nothing about how the packages resolve.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, readdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser } from 'puppeteer-core';
import { writePhantom, type PhantomTruth } from '@secondread/phantom';
import { packPackages } from '../../scripts/pack.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/support/chromium.ts';
import { phantomDir } from '../../test/support/paths.ts';
import { APP_PACKAGES, expectCtShown, npmInstall, openApp, run, serveApp } from '../support/install-app.ts';

const exampleDir = dirname(fileURLToPath(import.meta.url));

let browser: Browser | undefined;
let server: Server | undefined;
let appDir: string;
let truth: PhantomTruth;

describe('install from the packed tarballs into a fresh webpack 5 app', { timeout: 600_000 }, () => {
  before(async () => {
    const tarballs = packPackages('npm');
    truth = (await writePhantom(phantomDir)).baseline.truth;
    appDir = await mkdtemp(join(tmpdir(), 'secondread-webpack-app-'));
    for (const file of ['index.html', 'webpack.config.mjs', 'src']) {
      await cp(join(exampleDir, file), join(appDir, file), { recursive: true });
    }
    const pkg = JSON.parse(await readFile(join(exampleDir, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    await npmInstall(appDir, [
      ...APP_PACKAGES.map((name) => tarballs.get(name)!),
      ...Object.entries(pkg.devDependencies).map(([name, version]) => `${name}@${version}`),
    ]);
  });

  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (appDir) await rm(appDir, { recursive: true, force: true });
  });

  it('builds with the documented fallback and shows the CT', async () => {
    const output = await run(
      join(appDir, 'node_modules/.bin/webpack'),
      ['--no-optimization-minimize', '--no-stats'],
      appDir,
    );
    assert.doesNotMatch(output, /ERROR/, output);
    const built = await readdir(join(appDir, 'dist'));
    assert.ok(built.includes('main.js'), `the bundle: ${built.join(', ')}`);
    assert.ok(
      built.filter((file) => file.endsWith('.wasm')).length >= 4,
      `the codecs are emitted: ${built.join(', ')}`,
    );

    let url: string;
    ({ server, url } = await serveApp(join(appDir, 'dist'), join(phantomDir, 'baseline'), {
      indexFile: join(appDir, 'index.html'),
    }));
    browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
    const { page, problems } = await openApp(browser, url);
    await expectCtShown(page, problems, truth.sliceCount);
    await page.waitForFunction(
      () => !!document.querySelector('measurement-tools')?.shadowRoot?.querySelector('[part~=toolbar]'),
      { timeout: 30_000 },
    );
    assert.deepEqual(problems, []);
  });
});
