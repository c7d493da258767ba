/**
 * The publishable packages' package.json files say what an app installs, whichever tool packs
 * them: exports point at dist/ (with the repository-only "@secondread/source" condition first,
 * matching the root tsconfig paths), sibling packages are named by a version range that the
 * sibling satisfies (no `workspace:`, which only pnpm rewrites), no `publishConfig` (which only
 * pnpm applies), every tarball carries README.md and the repository's LICENSE, element packages
 * name their manifest in `customElements`, and Cornerstone3D is a peer range, never bundled.
 * The packed and installed result is tested by examples/vite-app/install.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../test/support/paths.ts';
import { packageManifest } from './package-manifests.ts';

interface ExportEntry {
  '@secondread/source': string;
  types: string;
  default: string;
}
interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  /** Modules map to conditions; static assets (the theme style sheets) to their file. */
  exports: Record<string, ExportEntry | string>;
  files?: string[];
  customElements?: string;
  publishConfig?: unknown;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

const packages = readdirSync(join(repoRoot, 'packages'))
  .map((dir) => ({ dir, pkg: readJson<PackageJson>(join(repoRoot, 'packages', dir, 'package.json')) }))
  .filter(({ pkg }) => !pkg.private);
const versions = new Map(packages.map(({ pkg }) => [pkg.name, pkg.version]));

/** The root tsconfig.json (it has comments: strip them before parsing). */
function rootPaths(): Record<string, string[]> {
  const text = readFileSync(join(repoRoot, 'tsconfig.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  return (JSON.parse(text) as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions.paths;
}

/** Whether `version` (x.y.z) satisfies a caret range `^a.b.c` (the only form used between siblings). */
function satisfiesCaret(version: string, range: string): boolean {
  const match = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (!match) return false;
  const [major, minor, patch] = match.slice(1).map(Number) as [number, number, number];
  const [vMajor, vMinor, vPatch] = version.split('.').map(Number) as [number, number, number];
  if (vMajor !== major) return false;
  if (major === 0 && vMinor !== minor) return false;
  return vMinor > minor || (vMinor === minor && vPatch >= patch);
}

describe('package.json of the publishable packages', () => {
  it('finds the seven publishable packages', () => {
    assert.deepEqual(packages.map(({ pkg }) => pkg.name).sort(), [
      '@secondread/core',
      '@secondread/cornerstone',
      '@secondread/ct-viewer',
      '@secondread/measurement-tools',
      '@secondread/opinion-report',
      '@secondread/react',
      '@secondread/standards',
    ]);
  });

  for (const { dir, pkg } of packages) {
    describe(pkg.name, () => {
      it('exports dist/ for users and src/ under the "@secondread/source" condition, matching tsconfig paths', () => {
        const paths = rootPaths();
        assert.ok(!('publishConfig' in pkg), 'publishConfig is applied by pnpm only');
        for (const [subpath, entry] of Object.entries(pkg.exports)) {
          if (typeof entry === 'string') {
            // A style sheet shipped as it is (themes/*.css): the same file for users and the repository.
            assert.match(entry, /^\.\/themes\/[\w-]+\.css$/, `${subpath}: only theme style sheets are plain files`);
            assert.equal(subpath, entry, `${subpath}: exported under its own path`);
            assert.ok(existsSync(join(repoRoot, 'packages', dir, entry)), `${subpath}: file exists`);
            assert.ok(pkg.files?.includes('themes'), `${subpath}: files lists themes`);
            continue;
          }
          assert.deepEqual(
            Object.keys(entry),
            ['@secondread/source', 'types', 'default'],
            `${subpath}: condition order`,
          );
          const base = entry['@secondread/source'].replace(/^\.\/src\/(.+)\.ts$/, '$1');
          assert.notEqual(base, entry['@secondread/source'], `${subpath}: source under src/`);
          assert.ok(
            existsSync(join(repoRoot, 'packages', dir, entry['@secondread/source'])),
            `${subpath}: source exists`,
          );
          assert.equal(entry.types, `./dist/${base}.d.ts`);
          assert.equal(entry.default, `./dist/${base}.js`);
          const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
          assert.deepEqual(paths[specifier], [`./packages/${dir}/${entry['@secondread/source'].slice(2)}`], specifier);
        }
      });

      it('names its siblings by a version range they satisfy, never workspace:', () => {
        for (const field of ['dependencies', 'peerDependencies'] as const) {
          for (const [name, range] of Object.entries(pkg[field] ?? {})) {
            assert.ok(!range.startsWith('workspace:'), `${field}.${name}: ${range} is rewritten by pnpm only`);
            const sibling = versions.get(name);
            if (sibling) assert.ok(satisfiesCaret(sibling, range), `${field}.${name}: ${range} excludes ${sibling}`);
          }
        }
      });

      it('ships dist, README.md and the repository LICENSE', () => {
        for (const file of ['dist', 'README.md', 'LICENSE']) assert.ok(pkg.files?.includes(file), `files: ${file}`);
        assert.ok(readFileSync(join(repoRoot, 'packages', dir, 'README.md'), 'utf8').startsWith(`# ${pkg.name}\n`));
        assert.equal(
          readFileSync(join(repoRoot, 'packages', dir, 'LICENSE'), 'utf8'),
          readFileSync(join(repoRoot, 'LICENSE'), 'utf8'),
        );
      });
    });
  }

  it('element packages name their manifest, and it holds their elements with installed paths', () => {
    const root = readJson<Parameters<typeof packageManifest>[0]>(join(repoRoot, 'custom-elements.json'));
    const withElements = packages.filter(({ dir }) => packageManifest(root, dir));
    assert.deepEqual(withElements.map(({ pkg }) => pkg.name).sort(), [
      '@secondread/ct-viewer',
      '@secondread/measurement-tools',
      '@secondread/opinion-report',
    ]);
    for (const { dir, pkg } of packages) {
      const manifest = packageManifest(root, dir);
      assert.equal(pkg.customElements, manifest ? 'dist/custom-elements.json' : undefined, pkg.name);
      if (!manifest) continue;
      const text = JSON.stringify(manifest);
      assert.doesNotMatch(text, /packages\/|src\/|\.ts"/, `${pkg.name}: no repository paths`);
      const tags = manifest.modules.flatMap((mod) =>
        (mod.declarations ?? []).filter((d) => d.customElement).map((d) => d['tagName']),
      );
      assert.ok(tags.includes(dir), `${pkg.name} declares <${dir}> (found ${tags.join(', ')})`);
    }
  });

  it('Cornerstone3D: one adapter package with peer ranges from the tested 5.14.0 up to 6', () => {
    for (const { pkg } of packages) {
      const engine = Object.entries(pkg.peerDependencies ?? {}).filter(([name]) => name.startsWith('@cornerstonejs/'));
      const bundled = Object.keys(pkg.dependencies ?? {}).filter((name) => name.startsWith('@cornerstonejs/'));
      assert.deepEqual(bundled, [], `${pkg.name} must not depend on Cornerstone directly`);
      if (pkg.name !== '@secondread/cornerstone') {
        assert.deepEqual(engine, [], pkg.name);
        continue;
      }
      assert.deepEqual(
        engine.map(([name]) => name),
        [
          '@cornerstonejs/core',
          '@cornerstonejs/dicom-image-loader',
          '@cornerstonejs/metadata',
          '@cornerstonejs/tools',
          '@cornerstonejs/utils',
        ],
      );
      for (const [name, range] of engine) {
        assert.equal(range, '>=5.14.0 <6', name);
        // The repository tests the lower bound; the install test gets the newest 5.x from the registry.
        assert.equal(pkg.devDependencies?.[name], '5.14.0', `${name}: the tested lower bound`);
      }
      // vtk.js (through Cornerstone's mesh loader) pulls in xmlbuilder2, which imports Node's `events`.
      assert.ok(pkg.dependencies?.['events'], 'events is declared, not a hidden polyfill');
    }
  });
});
