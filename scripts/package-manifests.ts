/**
 * One Custom Elements Manifest per element package, cut from the repository's custom-elements.json
 * (written by `cem analyze`): `packages/<name>/dist/custom-elements.json`, which the package's
 * `customElements` field names, so IDEs, Storybook and documentation tools find it in node_modules.
 *
 * Paths are what a user installs: `packages/ct-viewer/src/ct-viewer.ts` becomes `dist/ct-viewer.js`;
 * a reference into a sibling package (`packages/core/src/errors.ts`) names that package
 * (`{ package: '@secondread/core', module: 'dist/errors.js' }`).
 *
 * Run by `pnpm build` (after the package builds, which empty dist/) and by scripts/pack.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../test/support/paths.ts';

/** The parts of a manifest this script reads or rewrites; everything else is copied as it is. */
interface Reference {
  name?: string;
  module?: string;
  package?: string;
  [key: string]: unknown;
}
interface ManifestModule {
  path: string;
  declarations?: { customElement?: boolean; [key: string]: unknown }[];
  [key: string]: unknown;
}
interface Manifest {
  schemaVersion: string;
  readme?: string;
  modules: ManifestModule[];
}

const MODULE_PATH = /^\/?packages\/([^/]+)\/src\/(.+)\.(?:ts|js)$/;

/** `packages/<dir>/src/x.ts` → `dist/x.js`, or undefined for paths outside the packages. */
function distPath(path: string): { dir: string; module: string } | undefined {
  const match = MODULE_PATH.exec(path);
  return match ? { dir: match[1]!, module: `dist/${match[2]}.js` } : undefined;
}

function packageName(dir: string): string {
  return (JSON.parse(readFileSync(join(repoRoot, 'packages', dir, 'package.json'), 'utf8')) as { name: string }).name;
}

/** Rewrites every `module` reference (declarations, superclasses, inherited members) below `value`. */
function rewriteReferences(value: unknown, ownDir: string): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteReferences(item, ownDir));
  if (!value || typeof value !== 'object') return value;
  const out: Reference = {};
  for (const [key, child] of Object.entries(value as Reference)) out[key] = rewriteReferences(child, ownDir);
  if (typeof out.module === 'string') {
    const target = distPath(out.module);
    if (target) {
      out.module = target.module;
      if (target.dir !== ownDir) out.package = packageName(target.dir);
    }
  }
  return out;
}

/** The manifest of one package, or undefined when the package defines no custom element. */
export function packageManifest(root: Manifest, dir: string): Manifest | undefined {
  const modules = root.modules.filter((mod) => distPath(mod.path)?.dir === dir);
  if (!modules.some((mod) => mod.declarations?.some((d) => d.customElement))) return undefined;
  return {
    schemaVersion: root.schemaVersion,
    readme: 'README.md',
    modules: modules.map((mod) => ({
      ...(rewriteReferences(mod, dir) as ManifestModule),
      path: distPath(mod.path)!.module,
    })),
  };
}

/** Writes `dist/custom-elements.json` into every element package; returns the files written. */
export function writePackageManifests(): string[] {
  const root = JSON.parse(readFileSync(join(repoRoot, 'custom-elements.json'), 'utf8')) as Manifest;
  const written: string[] = [];
  const dirs = new Set(root.modules.map((mod) => distPath(mod.path)?.dir).filter((d): d is string => !!d));
  for (const dir of [...dirs].sort()) {
    const manifest = packageManifest(root, dir);
    if (!manifest) continue;
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'packages', dir, 'package.json'), 'utf8')) as {
      name: string;
      customElements?: string;
    };
    if (pkg.customElements !== 'dist/custom-elements.json') {
      throw new Error(
        `${pkg.name} defines custom elements: its package.json needs "customElements": "dist/custom-elements.json".`,
      );
    }
    if (!existsSync(join(repoRoot, 'packages', dir, 'dist'))) {
      throw new Error(`${pkg.name} is not built (packages/${dir}/dist is missing): build it first.`);
    }
    const file = join(repoRoot, 'packages', dir, pkg.customElements);
    writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
    written.push(file);
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of writePackageManifests()) console.log(`wrote ${file.slice(repoRoot.length + 1)}`);
}
