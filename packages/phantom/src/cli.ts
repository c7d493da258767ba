#!/usr/bin/env -S node --import tsx
/**
 * Writes the phantom studies (baseline + follow-up) as DICOM files.
 *
 *   pnpm exec tsx packages/phantom/src/cli.ts [outDir] [--force]
 *
 * `outDir` defaults to `.cache/phantom` under the repository root. Existing output written by
 * the same generator version is left alone unless `--force` is given.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePhantom } from './index.ts';

/** The repository root: the nearest ancestor with a pnpm-workspace.yaml, else the cwd. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(resolve(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

const args = process.argv.slice(2);
const force = args.includes('--force');
const positional = args.filter((arg) => !arg.startsWith('--'));
const outDir = positional[0] ? resolve(positional[0]) : resolve(repoRoot(), '.cache/phantom');

const started = performance.now();
const result = await writePhantom(outDir, { force });
const ms = Math.round(performance.now() - started);
for (const study of [result.baseline, result.followup]) {
  const nodules = study.truth.nodules.map((n) => `${n.id} ${n.diameterMm} mm at slice ${n.sliceIndex}`).join(', ');
  console.log(
    `${study.truth.variant}: ${study.files.length} slices in ${study.dir} (study ${study.truth.studyInstanceUid}; ${nodules})`,
  );
}
console.log(
  result.generated
    ? `generated in ${ms} ms`
    : `up to date (generator ${result.baseline.truth.generatorVersion}), nothing to do`,
);
