/**
 * The way a user installs: the packages are packed (scripts/pack.ts, npm and pnpm), and this
 * folder's plain Vite + TypeScript app is copied to a fresh directory outside the monorepo
 * (os.tmpdir()), where `npm install` gets the tarballs, Vite and TypeScript, and Cornerstone3D
 * from the registry as the packages' peers (the newest within their range).
 *
 * - `vite build` runs with no Vite config at all; its output is served with the synthetic phantom
 *   as Part 10 files and opened in headless Chromium: the CT is drawn (canvas pixels, the slice
 *   overlay), and a length drawn with the mouse through <measurement-tools> has the phantom's
 *   geometry in mm.
 * - `tsc --noEmit` checks the app and its vite.config.ts against the published types.
 * - The dev server (`vite`) with vite.config.ts's one line (`plugins: [secondread()]` from
 *   `@secondread/ct-viewer/vite`) shows the CT too.
 *
 * npm's cache lives in .cache/npm-cache, so a rerun installs offline in seconds.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser } from 'puppeteer-core';
import { writePhantom, type PhantomTruth } from '@secondread/phantom';
import { packPackages } from '../../scripts/pack.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/support/chromium.ts';
import { freePort } from '../../test/support/orthanc.ts';
import { phantomDir, repoRoot } from '../../test/support/paths.ts';
import {
  APP_PACKAGES,
  drawLength,
  expectCtShown,
  npmInstall,
  openApp,
  run,
  serveApp,
  STRICT_CSP,
  STRICT_CSP_WITHOUT_WASM,
  tarballContents,
  type ServedApp,
} from '../support/install-app.ts';
import { prepareTranscodedFixtures, type TranscodedFixture } from '../../test/support/transcode.ts';

const exampleDir = dirname(fileURLToPath(import.meta.url));
/** What the app installs besides the tarballs: the repository's own Vite and TypeScript versions. */
const toolVersions = async (): Promise<string[]> =>
  Promise.all(
    ['vite', 'typescript'].map(async (name) => {
      const pkg = JSON.parse(await readFile(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
        version: string;
      };
      return `${name}@${pkg.version}`;
    }),
  );

let browser: Browser;
let server: Server;
let dev: ChildProcess | undefined;
let appDir: string;
let url: string;
let truth: PhantomTruth;
let npmTarballs: Map<string, string>;
let pnpmTarballs: Map<string, string>;

describe('install from the packed tarballs into a fresh Vite app', { timeout: 600_000 }, () => {
  before(async () => {
    npmTarballs = packPackages('npm');
    pnpmTarballs = packPackages('pnpm');
    const phantom = await writePhantom(phantomDir);
    truth = phantom.baseline.truth;
    appDir = await mkdtemp(join(tmpdir(), 'secondread-vite-app-'));
  });

  after(async () => {
    dev?.kill('SIGTERM');
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (appDir) await rm(appDir, { recursive: true, force: true });
  });

  it('npm and pnpm pack the same files and the same package.json', async () => {
    for (const [name, tarball] of npmTarballs) {
      const byNpm = await tarballContents(tarball);
      const byPnpm = await tarballContents(pnpmTarballs.get(name)!);
      assert.deepEqual(byNpm.files, byPnpm.files, `${name}: files`);
      for (const field of ['exports', 'dependencies', 'peerDependencies', 'customElements', 'sideEffects']) {
        assert.deepEqual(byNpm.pkg[field], byPnpm.pkg[field], `${name}: ${field}`);
      }
      assert.doesNotMatch(JSON.stringify(byNpm.pkg), /workspace:/, `${name}: no workspace: range`);
      for (const file of ['README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']) {
        assert.ok(byNpm.files.includes(file), `${name} ships ${file}`);
      }
      assert.ok(!byNpm.files.some((file) => file.startsWith('src/')), `${name}: no sources`);
      if (byNpm.pkg['customElements']) {
        assert.ok(byNpm.files.includes(String(byNpm.pkg['customElements'])), `${name}: its manifest`);
      }
    }
  });

  it('installs with npm, type-checks and builds with no bundler config', async () => {
    // Without vite.config.ts: the production build needs none (the dev server test adds it).
    for (const file of ['index.html', 'tsconfig.json', 'src']) {
      await cp(join(exampleDir, file), join(appDir, file), { recursive: true });
    }
    const pkg = JSON.parse(await readFile(join(exampleDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    delete pkg['dependencies'];
    delete pkg['devDependencies'];
    await writeFile(join(appDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    await npmInstall(appDir, [...APP_PACKAGES.map((name) => npmTarballs.get(name)!), ...(await toolVersions())]);
    // Peers came from the registry: one Cornerstone3D, one copy of each singleton.
    const installed = await readdir(join(appDir, 'node_modules/@cornerstonejs'));
    for (const name of ['core', 'dicom-image-loader', 'metadata', 'tools', 'utils']) {
      assert.ok(installed.includes(name), `@cornerstonejs/${name} installed as a peer`);
    }
    const tree = JSON.parse(await run('npm', ['ls', '--all', '--json', 'lit', '@cornerstonejs/core'], appDir)) as {
      dependencies?: Record<string, unknown>;
    };
    assert.ok(tree.dependencies, 'npm ls found the packages');

    const output = await run(join(appDir, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], appDir);
    // A Node built-in that Vite stubs out for the browser fails only at run time ("Class extends
    // value undefined" for a missing `events`). What remains is known and harmless: the codecs'
    // Emscripten glue reads fs/path only under Node, @oozcitak/url (xmlbuilder2) calls url only
    // for international domain names.
    const externalized = [...output.matchAll(/Module "([^"]+)" has been externalized/g)].map((m) => m[1]);
    assert.deepEqual(
      [...new Set(externalized)].filter((name) => !['fs', 'path', 'url'].includes(name!)),
      [],
    );
    const assets = await readdir(join(appDir, 'dist/assets'));
    assert.ok(
      assets.some((file) => file.endsWith('.wasm')),
      `the codecs are emitted: ${assets.join(', ')}`,
    );
  });

  it('shows the CT and measures a length in the production build', async () => {
    ({ server, url } = await serveApp(join(appDir, 'dist'), join(phantomDir, 'baseline')));

    browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
    const { page, problems } = await openApp(browser, url);
    await expectCtShown(page, problems, truth.sliceCount);

    const { lengthMm, expectedMm, toleranceMm } = await drawLength(page, truth);
    assert.ok(Math.abs(lengthMm - expectedMm) <= toleranceMm, `length ${lengthMm} mm, expected ${expectedMm} mm`);
    assert.deepEqual(problems, []);
  });

  describe('under a strict Content Security Policy (every response carries it)', () => {
    let strict: ServedApp;
    let withoutWasm: ServedApp;
    let transcoded: TranscodedFixture[];

    before(async () => {
      transcoded = await prepareTranscodedFixtures();
      const dist = join(appDir, 'dist');
      const study = join(phantomDir, 'baseline');
      strict = await serveApp(dist, study, { headers: { 'Content-Security-Policy': STRICT_CSP } });
      withoutWasm = await serveApp(dist, study, { headers: { 'Content-Security-Policy': STRICT_CSP_WITHOUT_WASM } });
    });

    after(async () => {
      for (const app of [strict, withoutWasm]) await new Promise((resolve) => app?.server.close(resolve));
    });

    it('shows the CT with no violation; the 50 mm scale bar and a length with its label are drawn', async () => {
      const { page, problems, violations } = await openApp(browser, strict.url);
      await expectCtShown(page, problems, truth.sliceCount);
      const { lengthMm, expectedMm, toleranceMm, cssPxPerImagePx } = await drawLength(page, truth);
      assert.ok(Math.abs(lengthMm - expectedMm) <= toleranceMm, `length ${lengthMm} mm, expected ${expectedMm} mm`);

      const drawn = await page.evaluate(() => {
        const root = document.querySelector('ct-viewer')!.shadowRoot!;
        const bar = root.querySelector('[part=scale-bar] .bar')!;
        const label = root.querySelector<SVGTextElement>('.svg-layer text');
        return {
          barLabel: root.querySelector('[part=scale-bar]')!.textContent!.trim(),
          barPx: bar.clientWidth,
          labelText: label?.textContent ?? '',
          labelFilter: label ? getComputedStyle(label).filter : '',
          labelUserSelect: label ? getComputedStyle(label).userSelect : '',
          cursor: getComputedStyle(root.querySelector('.engine canvas')!).cursor,
        };
      });
      // The bar (between its end ticks' borders) is as long as its label says, at the image's scale on screen.
      const barMm = Number(/^(\d+) mm$/.exec(drawn.barLabel)?.[1]);
      assert.equal(barMm, 50, drawn.barLabel);
      const expectedBarPx = (barMm / truth.pixelSpacingMm[1]) * cssPxPerImagePx;
      // Whole pixels: within one of the true length (without the width, the bar is as wide as its label).
      assert.ok(
        Math.abs(drawn.barPx - expectedBarPx) <= 1,
        `scale bar ${drawn.barPx} px, expected ${expectedBarPx} px`,
      );
      // Cornerstone's label keeps its drop shadow and stays unselectable (its style, set through the CSSOM).
      assert.match(drawn.labelText, /mm/);
      assert.match(drawn.labelFilter, /url\(.*#shadow-/);
      assert.equal(drawn.labelUserSelect, 'none');
      // A CSS cursor for the length tool, not a blob: image.
      assert.equal(drawn.cursor, 'crosshair');
      assert.deepEqual(await violations(), []);
      assert.deepEqual(problems, []);
      await page.close();
    });

    it('draws every transfer syntax of the fixtures with no violation', async () => {
      // One page (the codecs' worker stays warm); the app's viewer is given each fixture in turn.
      strict.showFiles(transcoded.map((fixture) => fixture.path));
      const { page, problems, violations, ctErrors } = await openApp(browser, strict.url);
      await page.waitForFunction(
        () =>
          ['ready', 'error'].includes(
            (document.querySelector('ct-viewer') as unknown as { state: string } | null)?.state ?? '',
          ),
        { timeout: 90_000 },
      );
      // The fixtures are one image transcoded (one SOP Instance UID): the page's first series holds
      // them all as copies of one instance, which the viewer may refuse. What counts is each alone.
      const initialErrors = (await ctErrors()).length;
      for (const fixture of transcoded) {
        const outcome = await page.evaluate(
          (url: string) =>
            new Promise<string>((resolve) => {
              const viewer = document.querySelector('ct-viewer')!;
              viewer.addEventListener('ct-series-load', () => resolve('loaded'), { once: true });
              viewer.addEventListener('ct-error', (event) => resolve(event.detail.code), { once: true });
              viewer.urls = [url];
            }),
          `/study/${basename(fixture.path)}`,
        );
        assert.equal(outcome, 'loaded', fixture.name);
        await expectCtShown(page, problems, 1);
        assert.deepEqual((await ctErrors()).slice(initialErrors), [], fixture.name);
        assert.deepEqual(await violations(), [], fixture.name);
        // Refusals inside the decode worker reach the console only.
        assert.deepEqual(
          problems.filter((text) => /Content Security Policy|violates/i.test(text)),
          [],
          fixture.name,
        );
      }
      await page.close();
    });

    it("without 'wasm-unsafe-eval': JPEG-LS and JPEG 2000 give a blocked-by-policy ct-error and say so; uncompressed CT still shows", async () => {
      for (const name of ['jpeg-ls-lossless', 'jpeg2000-lossless']) {
        const fixture = transcoded.find((f) => f.name === name);
        assert.ok(fixture, `${name} fixture`);
        withoutWasm.showFiles([fixture.path]);
        const { page, ctErrors } = await openApp(browser, withoutWasm.url);
        await page.waitForFunction(
          () => (document.querySelector('ct-viewer') as unknown as { state: string } | null)?.state === 'error',
          { timeout: 60_000 },
        );
        const errors = await ctErrors();
        assert.ok(errors.length > 0, name);
        assert.deepEqual(
          errors.map((e) => e.code),
          errors.map(() => 'blocked-by-policy'),
          name,
        );
        assert.match(errors[0]!.message, /Content Security Policy blocks WebAssembly/);
        assert.doesNotMatch(errors[0]!.message, /Aborted|CompileError/);
        const panel = await page.evaluate(() => {
          const part = document.querySelector('ct-viewer')!.shadowRoot!.querySelector<HTMLElement>('[part=error]');
          return part && part.checkVisibility() ? part.innerText : '';
        });
        assert.match(panel, /Content Security Policy blocks WebAssembly/);
        assert.match(panel, /'wasm-unsafe-eval'/);
        assert.match(panel, /blocked-by-policy/);
        await page.close();
      }
      withoutWasm.showFiles(truth.instances.map((instance) => join(phantomDir, 'baseline', instance.fileName)));
      const { page, problems, ctErrors } = await openApp(browser, withoutWasm.url);
      await expectCtShown(page, problems, truth.sliceCount);
      assert.deepEqual(await ctErrors(), []);
      await page.close();
    });
  });

  it('shows the CT under the dev server with the one-line plugin (@secondread/ct-viewer/vite)', async () => {
    await cp(join(exampleDir, 'vite.config.ts'), join(appDir, 'vite.config.ts'));
    await run(join(appDir, 'node_modules/.bin/tsc'), ['--noEmit', '-p', 'tsconfig.json'], appDir);
    // The dev server serves public/ as it is: the phantom goes there (the build is done).
    const studyDir = join(phantomDir, 'baseline');
    const names = (await readdir(studyDir)).filter((name) => name.endsWith('.dcm')).sort();
    await mkdir(join(appDir, 'public/study'), { recursive: true });
    for (const name of names) await cp(join(studyDir, name), join(appDir, 'public/study', name));
    await writeFile(join(appDir, 'public/study/index.json'), JSON.stringify(names));

    const port = await freePort();
    dev = spawn(
      join(appDir, 'node_modules/.bin/vite'),
      ['--port', String(port), '--strictPort', '--host', '127.0.0.1'],
      {
        cwd: appDir,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Vite's colours (picocolors) come on whenever CI is set, piped or not, and split the
        // address it prints ("127.0.0.1:\x1b[1m5173\x1b[22m/"): ask for none, and strip any left.
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      },
    );
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`vite did not start:\n${output}`)), 60_000);
      const onData = (chunk: Buffer): void => {
        // eslint-disable-next-line no-control-regex
        output += chunk.toString().replace(/\x1b\[[0-9;]*m/g, '');
        if (output.includes(`127.0.0.1:${port}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      dev!.stdout!.on('data', onData);
      dev!.stderr!.on('data', onData);
      dev!.on('exit', (code) => reject(new Error(`vite exited with ${code}:\n${output}`)));
    });
    const { page, problems } = await openApp(browser, `http://127.0.0.1:${port}/`);
    await expectCtShown(page, problems, truth.sliceCount, 180_000);
    assert.deepEqual(problems, []);
  });
});
