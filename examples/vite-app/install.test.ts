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
import { dirname, join } from 'node:path';
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
  tarballContents,
} from '../support/install-app.ts';

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

    // <measurement-tools> upgraded, found its viewer by `for`, and a length drawn with the mouse has the phantom's size.
    const length = await drawLength(page, truth);
    assert.equal(length.kind, 'length');
    assert.ok(
      Math.abs(length.lengthMm - length.expectedMm) <= length.toleranceMm,
      `length ${length.lengthMm} mm, expected ${length.expectedMm} mm`,
    );
    assert.deepEqual(problems, []);
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
