/**
 * `pnpm tarballs [--packer npm|pnpm]`: builds the publishable packages and packs them the way a
 * release would, into `.cache/tarballs/<packer>/<name>-<version>.tgz` (default: npm, the stricter
 * packer: it applies no `publishConfig` and rewrites no `workspace:` range).
 *
 * The build (rollup per package, then `dist/custom-elements.json` cut from the committed root
 * manifest) and each packer's tarballs are cached: they are redone only when a package's files,
 * the shared build configuration or the root manifest change.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cacheDir, repoRoot } from '../test/support/paths.ts';
import { writePackageManifests } from './package-manifests.ts';

export type Packer = 'npm' | 'pnpm';

/** A publishable package of the repository. */
export interface PublishablePackage {
  name: string;
  version: string;
  /** Absolute folder. */
  dir: string;
}

export const tarballsDir: string = join(cacheDir, 'tarballs');

/** The non-private packages under packages/. */
export function publishablePackages(): PublishablePackage[] {
  return readdirSync(join(repoRoot, 'packages'))
    .map((folder) => {
      const dir = join(repoRoot, 'packages', folder);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        version: string;
        private?: boolean;
      };
      return { name: pkg.name, version: pkg.version, dir, private: pkg.private };
    })
    .filter((pkg) => !pkg.private)
    .map(({ name, version, dir }) => ({ name, version, dir }));
}

/** Every file below `dir` except node_modules and dist (sorted, relative to the repository). */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else out.push(path);
  }
  return out.sort();
}

/** Hash of what the build and the tarballs are made of. */
function inputsKey(packages: readonly PublishablePackage[]): string {
  const hash = createHash('sha256');
  const shared = ['rollup.config.mjs', 'tsconfig.json', 'custom-elements.json', 'LICENSE', 'pnpm-lock.yaml'];
  const files = [...shared.map((f) => join(repoRoot, f)), ...packages.flatMap((pkg) => sourceFiles(pkg.dir))];
  for (const file of files) {
    hash.update(relative(repoRoot, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function run(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'warn' },
  });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

function readStamp(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** Builds every publishable package (unless its build is current) and writes the element manifests. */
export function buildPackages(packages = publishablePackages()): void {
  const key = inputsKey(packages);
  const stamp = join(tarballsDir, 'build.stamp');
  const built = packages.every((pkg) => existsSync(join(pkg.dir, 'dist')));
  if (built && readStamp(stamp) === key) return;
  run('pnpm', ['-r', '--filter', './packages/*', '--filter', '!@secondread/phantom', 'run', 'build'], repoRoot);
  writePackageManifests();
  mkdirSync(tarballsDir, { recursive: true });
  writeFileSync(stamp, key);
}

/**
 * Packs every publishable package with `packer` (building first when needed) and returns the
 * tarballs by package name.
 */
export function packPackages(packer: Packer = 'npm'): Map<string, string> {
  const packages = publishablePackages();
  buildPackages(packages);
  const key = inputsKey(packages);
  const outDir = join(tarballsDir, packer);
  const stamp = join(outDir, 'pack.stamp');
  const tarballOf = (pkg: PublishablePackage): string =>
    join(outDir, `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`);
  const current = readStamp(stamp) === key && packages.every((pkg) => existsSync(tarballOf(pkg)));
  if (!current) {
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    for (const pkg of packages) {
      // Both packers run the package's own prepack/postpack scripts (it has none) and honour `files`.
      if (packer === 'npm') run('npm', ['pack', '--pack-destination', outDir], pkg.dir);
      else run('pnpm', ['pack', '--pack-destination', outDir], pkg.dir);
      if (!existsSync(tarballOf(pkg)) || statSync(tarballOf(pkg)).size === 0) {
        throw new Error(`${packer} pack did not write ${tarballOf(pkg)}`);
      }
    }
    writeFileSync(stamp, key);
  }
  return new Map(packages.map((pkg) => [pkg.name, tarballOf(pkg)]));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const index = process.argv.indexOf('--packer');
  const packer = (index >= 0 ? process.argv[index + 1] : 'npm') as Packer;
  if (packer !== 'npm' && packer !== 'pnpm') throw new Error('--packer is npm or pnpm');
  for (const tarball of packPackages(packer).values()) console.log(relative(repoRoot, tarball));
}
