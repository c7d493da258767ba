/**
 * React 19 and Vue 3 apps, installed the way a user does: the packages are packed
 * (scripts/pack.ts) and `npm install`ed once into a fresh directory outside the monorepo
 * (os.tmpdir()) with React, Vue, their Vite plugins, Vite and TypeScript from the registry and
 * Cornerstone3D as the packages' peers. examples/react-app and examples/vue-app are copied into
 * sub-folders of it, so both resolve their packages from that one node_modules, as two apps of a
 * workspace with hoisted dependencies do (one install keeps CI time down).
 *
 * - The install holds one dcmjs and one pako (`npm ls`).
 * - Importing only the define.js modules types every event (tsc on
 *   examples/support/define-events.check.ts; without the imports the same file fails).
 * - React (`@secondread/react`): `tsc --noEmit`, `vite build`; in Chromium the CT is drawn, the
 *   typed `onCtSliceChange` callback fires, re-rendering with a new, equal `headers` object does
 *   not reload the series or lose the slice, and a length drawn with the mouse has the phantom's size.
 *   Its PlainTags.tsx uses the tags without the wrappers, typed by the packages' `jsx` typings.
 * - Vue (`isCustomElement`, the packages' `vue` typings): `vue-tsc --noEmit` (and a template with
 *   wrong types fails it), `vite build`; the CT
 *   is drawn, `@ct-slice-change` reaches the app and a length has the phantom's size.
 * - Plain HTML with an import map, no bundler (examples/html-app): SecondRead's and Lit's modules
 *   resolve from node_modules, and the module graph stops at dicom-parser (UMD), as its README
 *   explains; Cornerstone3D's worker and CommonJS dependencies would stop it next.
 *
 * npm's cache lives in .cache/npm-cache, so a rerun installs offline.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser } from 'puppeteer-core';
import { writePhantom, type PhantomTruth } from '@secondread/phantom';
import { packPackages } from '../scripts/pack.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/support/chromium.ts';
import { phantomDir, repoRoot } from '../test/support/paths.ts';
import { drawLength, expectCtShown, npmInstall, openApp, run, serveApp } from './support/install-app.ts';

const examplesDir = dirname(fileURLToPath(import.meta.url));
const APPS = ['react-app', 'vue-app'] as const;
/** Copied too, not built: the plain HTML page with an import map. */
const PAGES = ['html-app'] as const;

/** The repository's own version of a tool (`vite`, `typescript`), for the apps. */
async function repoVersion(name: string): Promise<string> {
  const pkg = JSON.parse(await readFile(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** What the apps' package.json files ask for besides SecondRead (the repository's Vite and TypeScript). */
async function appDependencies(): Promise<string[]> {
  const specs = new Map<string, string>();
  for (const app of APPS) {
    const pkg = JSON.parse(await readFile(join(examplesDir, app, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const [name, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      if (!name.startsWith('@secondread/')) specs.set(name, range);
    }
  }
  specs.set('vite', await repoVersion('vite'));
  specs.set('typescript', await repoVersion('typescript'));
  return [...specs].map(([name, range]) => `${name}@${range}`);
}

let browser: Browser;
const servers: Server[] = [];
let rootDir: string;
let truth: PhantomTruth;

/** Builds `app` with Vite, serves its dist/ with the phantom, and opens it. */
async function buildAndOpen(app: (typeof APPS)[number]) {
  const appDir = join(rootDir, app);
  await run(join(rootDir, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], appDir);
  const { server, url } = await serveApp(join(appDir, 'dist'), join(phantomDir, 'baseline'));
  servers.push(server);
  return openApp(browser, url);
}

describe('React 19 and Vue 3 apps installed from the packed tarballs', { timeout: 600_000 }, () => {
  before(async () => {
    const tarballs = packPackages('npm');
    truth = (await writePhantom(phantomDir)).baseline.truth;
    rootDir = await mkdtemp(join(tmpdir(), 'secondread-frameworks-'));
    await writeFile(
      join(rootDir, 'package.json'),
      `${JSON.stringify({ name: 'secondread-framework-apps', private: true, type: 'module' }, null, 2)}\n`,
    );
    await npmInstall(rootDir, [...tarballs.values(), ...(await appDependencies())]);
    for (const app of [...APPS, ...PAGES]) {
      await cp(join(examplesDir, app), join(rootDir, app), {
        recursive: true,
        filter: (source) => !/node_modules|dist/.test(source.slice(examplesDir.length)),
      });
    }
    browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
  });

  after(async () => {
    await browser?.close();
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    if (rootDir) await rm(rootDir, { recursive: true, force: true });
  });

  it("installs one dcmjs and one pako (beside vtk.js' own pako 1 for its TIFF reader)", async () => {
    const tree = JSON.parse(await run('npm', ['ls', '--all', '--json', 'dcmjs', 'pako'], rootDir)) as Dependencies;
    const copies = collectCopies(tree);
    const versionsOf = (name: string, where: (path: string[]) => boolean): string[] => [
      ...new Set(copies.filter((copy) => copy.name === name && where(copy.path)).map((copy) => copy.version)),
    ];
    assert.equal(versionsOf('dcmjs', () => true).length, 1, `dcmjs: ${versionsOf('dcmjs', () => true).join(', ')}`);
    // Cornerstone's own tree brings a second major: vtk.js → utif (TIFF) → pako ^1. No range of
    // ours can share it (the image loader and dcmjs pin pako 2.1.0). SecondRead itself adds no copy.
    const underUtif = (path: string[]): boolean => path.includes('utif');
    const pako = versionsOf('pako', (path) => !underUtif(path));
    assert.equal(pako.length, 1, `one pako for SecondRead, the loader and dcmjs: ${pako.join(', ')}`);
    for (const copy of copies.filter((c) => c.name === 'pako' && underUtif(c.path))) {
      assert.deepEqual(copy.path.slice(-2), ['@kitware/vtk.js', 'utif'], `pako ${copy.version} only for vtk.js' utif`);
    }
  });

  it('types every event when only the define.js modules are imported', async () => {
    const checkDir = join(rootDir, 'define-events');
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'bundler',
        lib: ['ES2023', 'DOM'],
        types: [],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
      },
      include: ['check.ts'],
    };
    await cp(join(examplesDir, 'support/define-events.check.ts'), join(checkDir, 'check.ts'));
    await writeFile(join(checkDir, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = join(rootDir, 'node_modules/.bin/tsc');
    await run(tsc, ['-p', 'tsconfig.json'], checkDir);
    // The control: without the imports, the same file does not compile (the events are unknown).
    const source = await readFile(join(checkDir, 'check.ts'), 'utf8');
    await writeFile(join(checkDir, 'check.ts'), source.replace(/^import '.*';$/gm, ''));
    const failure = await run(tsc, ['-p', 'tsconfig.json'], checkDir).then(
      () => '',
      (error: Error) => error.message,
    );
    assert.match(failure, /ct-report-store/, 'without define.js the events are untyped');
    assert.match(failure, /Property 'detail' does not exist on type 'Event'/);
  });

  it('React: type-checks, builds, shows the CT, fires typed callbacks, keeps the series on a re-render, measures', async () => {
    await run(join(rootDir, 'node_modules/.bin/tsc'), ['--noEmit', '-p', 'tsconfig.json'], join(rootDir, 'react-app'));
    const { page, problems } = await buildAndOpen('react-app');
    const requests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/study/')) requests.push(request.url());
    });
    await expectCtShown(page, problems, truth.sliceCount);

    // A slice change reaches the app through the typed onCtSliceChange callback.
    const target = Math.min(truth.sliceCount - 1, 5);
    await page.evaluate((index: number) => {
      (document.querySelector('ct-viewer') as unknown as { sliceIndex: number }).sliceIndex = index;
    }, target);
    await page.waitForFunction((index: number) => window.app?.slice?.index === index, { timeout: 10_000 }, target);
    const slice = await page.evaluate(() => window.app!.slice!);
    assert.equal(slice.count, truth.sliceCount);

    // Re-render: every render passes a new `headers` object with the same content.
    const loadsBefore = requests.length;
    const seriesLoads = await page.evaluate(() => {
      const counter = { loads: 0 };
      document.querySelector('ct-viewer')!.addEventListener('ct-series-load', () => counter.loads++);
      (window as unknown as { seriesLoads: typeof counter }).seriesLoads = counter;
      const before = window.app!.renders;
      for (let i = 0; i < 3; i++) window.app!.rerender();
      return before;
    });
    await page.waitForFunction((before: number) => window.app!.renders >= before + 3, { timeout: 10_000 }, seriesLoads);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await page.evaluate(() => ({
      loads: (window as unknown as { seriesLoads: { loads: number } }).seriesLoads.loads,
      state: (document.querySelector('ct-viewer') as unknown as { state: string }).state,
      sliceIndex: (document.querySelector('ct-viewer') as unknown as { sliceIndex: number }).sliceIndex,
    }));
    assert.deepEqual(after, { loads: 0, state: 'ready', sliceIndex: target }, 'no reload on equal headers');
    assert.equal(
      requests.length,
      loadsBefore,
      `no new requests for the study: ${requests.slice(loadsBefore).join(', ')}`,
    );

    const length = await drawLength(page, truth);
    assert.equal(length.kind, 'length');
    assert.ok(Math.abs(length.lengthMm - length.expectedMm) <= length.toleranceMm, `length ${length.lengthMm} mm`);
    // …and the typed onCtMeasurementAdd callback got it.
    await page.waitForFunction(() => window.app!.lengths.length === 1, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => window.app!.lengths[0]), length.lengthMm);
    assert.deepEqual(problems, []);
  });

  it('Vue: type-checks the templates, builds, shows the CT, passes events, measures', async () => {
    const vueApp = join(rootDir, 'vue-app');
    const vueTsc = join(rootDir, 'node_modules/.bin/vue-tsc');
    await run(vueTsc, ['--noEmit', '-p', 'tsconfig.json'], vueApp);
    // The control: the typings do check templates (a wrong property type, a detail field that does not exist).
    const wrong = join(vueApp, 'src/WrongTypes.vue');
    await writeFile(
      wrong,
      '<template><ct-viewer :urls="42" @ct-slice-change="(event) => event.detail.noSuchField"></ct-viewer></template>\n',
    );
    const failure = await run(vueTsc, ['--noEmit', '-p', 'tsconfig.json'], vueApp).then(
      () => '',
      (error: Error) => error.message,
    );
    await rm(wrong);
    assert.match(failure, /WrongTypes\.vue.*number.*not assignable/s, 'a number for urls is refused');
    assert.match(failure, /noSuchField/, 'the event handler gets SliceChangeEvent');
    const { page, problems } = await buildAndOpen('vue-app');
    await expectCtShown(page, problems, truth.sliceCount);
    await page.evaluate(() => {
      (document.querySelector('ct-viewer') as unknown as { sliceIndex: number }).sliceIndex = 3;
    });
    await page.waitForFunction(() => document.querySelector('output')?.textContent === 'slice 4', { timeout: 10_000 });
    const length = await drawLength(page, truth);
    assert.equal(length.kind, 'length');
    assert.ok(Math.abs(length.lengthMm - length.expectedMm) <= length.toleranceMm, `length ${length.lengthMm} mm`);
    assert.deepEqual(problems, []);
  });
  it('plain HTML + import map: Lit and SecondRead resolve, dicom-parser (UMD) stops the graph', async () => {
    // The page and node_modules served as they are: no build.
    const { server, url } = await serveApp(rootDir, join(phantomDir, 'baseline'), {
      indexFile: join(rootDir, 'html-app/index.html'),
    });
    servers.push(server);
    const { page, problems } = await openApp(browser, url);
    // Dynamic import() uses the page's import map, as the page's own module script does.
    // (No named helper inside evaluate: tsx would wrap it in a __name() call the page does not have.)
    const specifiers = ['lit', '@lit/task', 'pako', '@secondread/ct-viewer/define.js'];
    const results = await page.evaluate(
      (list: string[]) =>
        Promise.all(
          list.map((specifier) =>
            import(specifier).then(
              (module: Record<string, unknown>) => `ok: ${Object.keys(module).length} exports`,
              (error: Error) => `failed: ${error.message}`,
            ),
          ),
        ),
      specifiers,
    );
    const [lit, task, pako, viewer] = results as [string, string, string, string];
    const outcome = { lit, task, pako, viewer, defined: await page.evaluate(() => !!customElements.get('ct-viewer')) };
    assert.match(outcome.lit, /^ok: /, outcome.lit);
    assert.match(outcome.task, /^ok: /, outcome.task);
    assert.match(outcome.pako, /^ok: /, outcome.pako);
    assert.match(outcome.viewer, /^failed: .*dicom-parser.*does not provide an export named 'default'/, outcome.viewer);
    assert.equal(outcome.defined, false);
    // Every request the import map made was answered: what fails is the module format, not a path.
    assert.deepEqual(
      problems.filter((problem) => /^\d{3} /.test(problem)),
      [],
    );
  });
});

/** What examples/react-app/src/App.tsx puts on `window` for this test. */
declare global {
  interface Window {
    app?: { renders: number; slice: { index: number; count: number } | null; lengths: number[]; rerender: () => void };
  }
}

interface Dependencies {
  version?: string;
  dependencies?: Record<string, Dependencies>;
}

/** Every dcmjs and pako in an `npm ls --json` tree, with the packages that lead to it. */
function collectCopies(node: Dependencies, path: string[] = []): { name: string; version: string; path: string[] }[] {
  return Object.entries(node.dependencies ?? {}).flatMap(([name, child]) => [
    ...((name === 'dcmjs' || name === 'pako') && child.version ? [{ name, version: child.version, path }] : []),
    ...collectCopies(child, [...path, name]),
  ]);
}
