import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/web-components-vite';
import type { Plugin, UserConfig } from 'vite';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The synthetic phantom (generated on first start: `pnpm exec tsx packages/phantom/src/cli.ts`). */
const phantomDir = join(repoRoot, '.cache/phantom');
if (!existsSync(join(phantomDir, 'baseline/truth.json'))) {
  console.log('Storybook: generating the phantom study into .cache/phantom …');
  execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'packages/phantom/src/cli.ts')], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
}

/** LIDC-IDRI-0001, read in place from the shared data folder when this machine has it. */
const sharedData = resolve(process.env.SECONDREAD_SHARED_DATA ?? join(repoRoot, '../shared/data'));
const lidcCtDir = join(sharedData, 'lidc-idri-0001/ct');
const hasLidc = existsSync(lidcCtDir);
const lidcSegDir = join(sharedData, 'lidc-idri-0001/seg');
const hasLidcSeg = existsSync(lidcSegDir);

/** Folders served to stories, by URL prefix. Each also gets an `index.json` listing its DICOM files. */
const dataFolders: { url: string; dir: string }[] = [
  { url: '/phantom/baseline', dir: join(phantomDir, 'baseline') },
  { url: '/phantom/followup', dir: join(phantomDir, 'followup') },
  ...(hasLidc ? [{ url: '/lidc/ct', dir: lidcCtDir }] : []),
  ...(hasLidcSeg ? [{ url: '/lidc/seg', dir: lidcSegDir }] : []),
];

/**
 * Optional DICOMweb for the `DicomWeb` story: `SECONDREAD_DICOMWEB_PROXY=http://127.0.0.1:PORT`
 * (e.g. an Orthanc with its DICOMweb plugin at /dicom-web/) is proxied on Storybook's own origin.
 */
const dicomwebTarget = process.env.SECONDREAD_DICOMWEB_PROXY;

function dicomFileNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.toLowerCase().endsWith('.dcm'))
    .sort();
}

const NOT_DICOM_TEXT =
  'This is a plain text file, not DICOM. The viewer must say so instead of showing a blank image.\n';

/**
 * Data and failure fixtures for the stories.
 *
 * - `<folder>/index.json`: names of the `.dcm` files of each data folder (dev: middleware; build: emitted).
 * - `/__fixtures/not-dicom.txt`: a text file (dev and build).
 *
 * The stories that need a failing or silent server (401, 500, loading) are answered in the page
 * by stories/fake-server.ts, so they work the same in a static build.
 */
function storyDataPlugin(): Plugin {
  const handle = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const folder = dataFolders.find((f) => path === `${f.url}/index.json`);
    if (folder) {
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Cache-Control', 'no-store');
      res.end(JSON.stringify(dicomFileNames(folder.dir)));
      return;
    }
    if (path === '/__fixtures/not-dicom.txt') {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(NOT_DICOM_TEXT);
      return;
    }
    if (path.startsWith('/__fixtures/') || (!dicomwebTarget && path.startsWith('/dicom-web/'))) {
      // Answer 404/503 here rather than let the dev server fall back to an HTML page.
      const noProxy = path.startsWith('/dicom-web/');
      res.statusCode = noProxy ? 503 : 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(noProxy ? 'No DICOMweb proxy: set SECONDREAD_DICOMWEB_PROXY.\n' : 'Not found\n');
      return;
    }
    next();
  };
  return {
    name: 'secondread-story-data',
    configureServer(server) {
      server.middlewares.use(handle);
    },
    configurePreviewServer(server) {
      server.middlewares.use(handle);
    },
    generateBundle() {
      for (const folder of dataFolders) {
        this.emitFile({
          type: 'asset',
          fileName: `${folder.url.slice(1)}/index.json`,
          source: JSON.stringify(dicomFileNames(folder.dir)),
        });
      }
      this.emitFile({ type: 'asset', fileName: '__fixtures/not-dicom.txt', source: NOT_DICOM_TEXT });
    },
  };
}

/**
 * The Cornerstone3D settings of the root vite.config.ts (CommonJS plugin, ES-module workers,
 * pre-bundled metadata/utils, deduplicated Lit, the packages' source export condition), so stories render exactly like the portal and tests.
 */
async function rootViteSettings(): Promise<UserConfig> {
  const { loadConfigFromFile } = await import('vite');
  const loaded = await loadConfigFromFile(
    { command: 'serve', mode: 'development' },
    join(repoRoot, 'vite.config.ts'),
    repoRoot,
    'silent',
  );
  if (!loaded) throw new Error('vite.config.ts not found at the repository root');
  const { plugins, worker, optimizeDeps, resolve: resolveOptions } = loaded.config;
  return {
    plugins: plugins ?? [],
    ...(worker ? { worker } : {}),
    ...(optimizeDeps ? { optimizeDeps } : {}),
    ...(resolveOptions
      ? {
          resolve: {
            ...(resolveOptions.conditions ? { conditions: resolveOptions.conditions } : {}),
            ...(resolveOptions.dedupe ? { dedupe: resolveOptions.dedupe } : {}),
          },
        }
      : {}),
  };
}

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs'],
  core: { disableTelemetry: true },
  staticDirs: [
    { from: relative(join(repoRoot, '.storybook'), phantomDir), to: '/phantom' },
    ...(hasLidc ? [{ from: relative(join(repoRoot, '.storybook'), lidcCtDir), to: '/lidc/ct' }] : []),
    ...(hasLidcSeg ? [{ from: relative(join(repoRoot, '.storybook'), lidcSegDir), to: '/lidc/seg' }] : []),
  ],
  async viteFinal(viteConfig) {
    const { mergeConfig } = await import('vite');
    const root = await rootViteSettings();
    return mergeConfig(viteConfig, {
      ...root,
      plugins: [...(root.plugins ?? []), storyDataPlugin()],
      ...(dicomwebTarget
        ? { server: { proxy: { '/dicom-web': { target: dicomwebTarget, changeOrigin: true } } } }
        : {}),
      build: {
        // Cornerstone3D is large by nature; do not drown the build log in size warnings.
        chunkSizeWarningLimit: 8000,
      },
    } satisfies UserConfig);
  },
};

export default config;
