import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { chromeLauncher } from '@web/test-runner-chrome';
import { createServer } from 'vite';
// Loaded through tsx: scripts/test.ts runs web-test-runner.
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/support/chromium.ts';
import { screenshotPlugin } from './test/support/screenshot-plugin.ts';
import { sendWheelPlugin } from './test/support/wheel-plugin.ts';

const repoRoot = new URL('.', import.meta.url).pathname;
const sharedData = resolve(process.env.SECONDREAD_SHARED_DATA ?? join(repoRoot, '../shared/data'));
const cacheDir = join(repoRoot, '.cache');

// The browser tests are modules served by Vite (Cornerstone3D needs its CommonJS
// handling, ES-module workers and WASM assets); web-test-runner drives Chromium.
const vite = await createServer({
  configFile: join(repoRoot, 'vite.config.ts'),
  server: { middlewareMode: true, hmr: false },
  appType: 'custom',
  logLevel: 'warn',
  // Separate caches let several test runs (parallel work sessions) optimise deps side by side.
  // They must stay under node_modules/.vite: the CommonJS plugin leaves pre-bundled files there alone.
  ...(process.env.SECONDREAD_VITE_CACHE
    ? { cacheDir: join(repoRoot, 'node_modules/.vite', basename(process.env.SECONDREAD_VITE_CACHE)) }
    : {}),
  plugins: [
    {
      // @web/test-runner-commands talks to the runner over a socket module that
      // the runner itself serves; keep Vite from resolving it.
      name: 'wtr-socket',
      enforce: 'pre',
      resolveId(id) {
        if (id.endsWith('__web-dev-server__web-socket.js')) {
          return { id: '/__web-dev-server__web-socket.js', external: true };
        }
        return null;
      },
    },
  ],
  optimizeDeps: { exclude: ['@web/test-runner-commands'] },
});

/** Serves read-only test data: /__data/shared/… (../shared/data) and /__data/cache/… (.cache). */
function dataMiddleware(ctx, next) {
  const match = /^\/__data\/(shared|cache)\/(.*)$/.exec(ctx.path);
  if (!match) return next();
  const base = match[1] === 'shared' ? sharedData : cacheDir;
  const file = resolve(base, decodeURIComponent(match[2]));
  if (!file.startsWith(base + sep) && file !== base) return next();
  if (!existsSync(file)) {
    ctx.status = 404;
    return undefined;
  }
  if (statSync(file).isDirectory()) {
    ctx.body = readdirSync(file);
    return undefined;
  }
  ctx.type = 'application/octet-stream';
  ctx.body = createReadStream(file);
  return undefined;
}

function viteMiddleware(ctx, next) {
  if (
    ctx.path.startsWith('/__web-dev-server') ||
    ctx.path.startsWith('/__web-test-runner') ||
    ctx.path === '/' ||
    ctx.path.endsWith('.html')
  ) {
    return next();
  }
  return new Promise((resolvePromise) => {
    ctx.respond = false;
    vite.middlewares(ctx.req, ctx.res, () => {
      ctx.respond = true;
      resolvePromise(next());
    });
  });
}

/** Debian's Chromium, headless, quiet on the closed network, WebGL through SwiftShader. */
function chromium(extraArgs = []) {
  return chromeLauncher({
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        ...CHROMIUM_ARGS,
        // Lets the mount/unmount test measure the heap after a real collection, to the byte
        // (without the second flag performance.memory is rounded to steps of ~9 MB).
        '--js-flags=--expose-gc',
        '--enable-precise-memory-info',
        ...extraArgs,
      ],
    },
  });
}

// scripts/test.ts prepares Orthanc and the data, then hands its middleware over here.
const prepared = globalThis.__secondreadTestEnv;

export default {
  nodeResolve: false,
  concurrency: 1,
  middleware: [...(prepared?.middleware ?? []), dataMiddleware, viteMiddleware],
  // A real mouse wheel (`sendWheel` in test/support/wheel.ts), beside wtr's sendMouse and sendKeys,
  // and the page's real pixels (`screenshotPixels` in test/support/screenshot.ts).
  plugins: [sendWheelPlugin(), screenshotPlugin()],
  browsers: [chromium()],
  groups: [
    { name: 'webgl', files: ['test/**/*.test.ts', '!test/support/**', '!test/ct-viewer-cpu/**'] },
    // The same viewer in a browser without WebGL: it must fall back to CPU rendering.
    {
      name: 'no-webgl',
      files: ['test/ct-viewer-cpu/**/*.test.ts'],
      browsers: [chromium(['--disable-webgl', '--disable-3d-apis'])],
    },
  ],
  testsFinishTimeout: 600_000,
  testFramework: { config: { timeout: 30000 } },
  async serverStop() {
    await vite.close();
  },
};
