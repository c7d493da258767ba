/**
 * Runs `mkdicomweb` (the CLI of `@radicalimaging/static-wado-creator` 1.7.6) on Linux:
 *
 *   node --import tsx test/support/mkdicomweb.ts create --no-thumb -r none -o <dir> <files…>
 *
 * The package's `bin/mkdicomweb.mjs` imports `lib/`, whose dependencies
 * `@radicalimaging/static-wado-util` >=1.7.0 and `@radicalimaging/cs3d` are not published on the
 * npm registry, so only the package's own self-contained bundle (`dist/index.js`, the same
 * program) can run. That bundle was built on Windows and carries two leftovers this file works
 * around, without touching the package:
 *
 * - it loads `canvas` as a Windows DLL (`dist/canvas-*.node`) when it starts. canvas draws only
 *   thumbnails and rendered images, which the trees here do without (`--no-thumb`); it is
 *   replaced by bindings that throw if anything does call them.
 * - it resolves jsdom's synchronous-XHR worker by an absolute `Z:\…` path when it starts (the
 *   worker is never run); such a path resolves to itself instead of failing.
 *
 * The same Windows paths break its JPEG-LS encoder (`-t jls`, the default), which then writes
 * the original frame but claims JPEG-LS in the metadata: callers pass `-r none`, so the tree
 * holds the frames as stored, and says so.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

type NodeModule = { exports: unknown };
interface ModuleInternals {
  _extensions: Record<string, (module: NodeModule, filename: string) => void>;
  _resolveFilename: (request: string, ...rest: unknown[]) => string;
}

const require = createRequire(import.meta.url);
const Module = require('node:module') as ModuleInternals;

const loadNative = Module._extensions['.node']!;
Module._extensions['.node'] = function (module: NodeModule, filename: string) {
  if (/static-wado-creator[\\/]dist[\\/]canvas-[^\\/]*\.node$/.test(filename)) {
    const unavailable = (name: string) =>
      function unavailableCanvas(): never {
        throw new Error(`canvas (${name}) is not available: run mkdicomweb with --no-thumb`);
      };
    const members = new Map<string, unknown>([
      ['setDOMMatrix', () => undefined],
      ['Backends', {}],
    ]);
    module.exports = new Proxy(
      {},
      {
        get(_target, key) {
          if (typeof key !== 'string' || key.endsWith('Version')) return undefined;
          if (!members.has(key)) members.set(key, unavailable(key));
          return members.get(key);
        },
      },
    );
    return;
  }
  loadNative.call(this, module, filename);
};

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request: string, ...rest: unknown[]) {
  if (/^[A-Z]:\\/.test(request)) return request;
  return resolveFilename.call(this, request, ...rest);
};

/** The creator's bundle, beside its `lib/index.mjs` (the package's only export). */
const bundle = join(dirname(require.resolve('@radicalimaging/static-wado-creator')), '../dist/index.js');

interface StaticWadoProgram {
  configureProgram(config: unknown): Promise<unknown>;
  mkdicomwebConfig: unknown;
}
const { default: StaticWado } = (await import(pathToFileURL(bundle).href)) as { default: StaticWadoProgram };
// As bin/mkdicomweb.mjs does: commander reads process.argv.
await StaticWado.configureProgram(StaticWado.mkdicomwebConfig);
