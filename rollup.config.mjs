// Shared library build for the publishable packages. Each package runs it from its own folder:
//   "build": "rollup -c ../../rollup.config.mjs"
// Input: src/index.ts (+ src/define.ts, src/internal.ts, src/vite.ts (a Vite plugin), and src/vue.ts and src/jsx.ts
// (Vue and React JSX typings, types only) when present). Output: ES modules in dist/, one file per
// source module, with .d.ts next to them. Every dependency and peer dependency stays an import
// (Cornerstone3D and Lit are module singletons and must never be bundled twice).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import typescript from '@rollup/plugin-typescript';

const packageDir = process.cwd();
const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

if (pkg.private) {
  throw new Error(`${pkg.name} is private and is not built as a library.`);
}

/** Bare imports that may stay imports: what the package declares, plus tslib (TypeScript's helpers). */
const externalPackages = new Set([
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
  'tslib',
]);

function packageNameOf(id) {
  const parts = id.split('/');
  return id.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isBareImport(id) {
  return !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0') && !/^[a-zA-Z]:[\\/]/.test(id);
}

/**
 * A bare import that the package does not declare would either be bundled (a second copy of a
 * singleton) or fail at the consumer's end: stop the build instead.
 */
function external(id) {
  if (!isBareImport(id)) return false;
  if (id.startsWith('node:')) {
    throw new Error(`${pkg.name}: Node built-in "${id}" imported by a browser library.`);
  }
  if (externalPackages.has(packageNameOf(id))) return true;
  throw new Error(
    `${pkg.name}: "${id}" is imported but is not a dependency or peerDependency; add it to package.json.`,
  );
}

const input = ['src/index.ts', 'src/define.ts', 'src/internal.ts', 'src/vite.ts', 'src/vue.ts', 'src/jsx.ts'].filter(
  (file) => existsSync(join(packageDir, file)),
);
const tsconfig = existsSync(join(packageDir, 'tsconfig.build.json')) ? 'tsconfig.build.json' : undefined;
if (!tsconfig) throw new Error(`${pkg.name}: tsconfig.build.json is missing.`);

/** Stale files from renamed modules must not survive into a release. */
function cleanDist() {
  return {
    name: 'clean-dist',
    buildStart() {
      rmSync(resolve(packageDir, 'dist'), { recursive: true, force: true });
    },
  };
}

/**
 * @rollup/plugin-typescript always imports TypeScript's helpers (`__decorate`, …) from tslib, so a
 * package whose output uses them must list tslib in its dependencies.
 */
function checkTslibDeclared() {
  return {
    name: 'check-tslib-declared',
    generateBundle(_options, bundle) {
      const declared = pkg.dependencies?.tslib || pkg.peerDependencies?.tslib;
      const users = Object.values(bundle).filter((chunk) => chunk.type === 'chunk' && chunk.imports.includes('tslib'));
      if (users.length && !declared) {
        this.warn(
          `${pkg.name}: ${users.map((c) => c.fileName).join(', ')} ${users.length > 1 ? 'import' : 'imports'} ` +
            `tslib (TypeScript's helpers), which is not in "dependencies".`,
        );
      }
    },
  };
}

export default {
  input,
  external,
  plugins: [cleanDist(), typescript({ tsconfig, noEmitOnError: true }), checkTslibDeclared()],
  output: {
    dir: 'dist',
    format: 'es',
    preserveModules: true,
    preserveModulesRoot: 'src',
    entryFileNames: '[name].js',
    sourcemap: true,
  },
  treeshake: {
    // Keep module side effects as written: define.ts registers the element.
    moduleSideEffects: true,
  },
  onwarn(warning, warn) {
    // A circular import or an unresolved module is a build error for a library.
    if (warning.code === 'UNRESOLVED_IMPORT' || warning.code === 'CIRCULAR_DEPENDENCY') {
      throw new Error(warning.message);
    }
    warn(warning);
  },
};
