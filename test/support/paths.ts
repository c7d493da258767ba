/**
 * Where things are, for Node-side test support code.
 *
 * Shared data (real DICOM from the project's shared folder) is read in place, never copied
 * into the repository: `SECONDREAD_SHARED_DATA` if set, else `../shared/data` relative to the
 * repository root. Every helper returns `undefined` when the data is absent, so callers can
 * fall back to the synthetic phantom.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root. */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Git-ignored cache for generated data (`<repo>/.cache`). */
export const cacheDir: string = join(repoRoot, '.cache');

/** Where the phantom CLI and the test helpers write the phantom studies. */
export const phantomDir: string = join(cacheDir, 'phantom');

/** The shared data folder, or undefined when it does not exist on this machine. */
export function sharedDataDir(): string | undefined {
  const dir = process.env.SECONDREAD_SHARED_DATA
    ? resolve(process.env.SECONDREAD_SHARED_DATA)
    : resolve(repoRoot, '../shared/data');
  return existsSync(dir) ? dir : undefined;
}

/** Absolute paths of the LIDC-IDRI-0001 CT slices (sorted by file name), or undefined. */
export function lidcCtFiles(): string[] | undefined {
  const root = sharedDataDir();
  const dir = root && join(root, 'lidc-idri-0001/ct');
  if (!dir || !existsSync(dir)) return undefined;
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.dcm'))
    .sort()
    .map((name) => join(dir, name));
  return files.length ? files : undefined;
}

/** The LIDC-IDRI-0001 SEG of nodule 1, or undefined. */
export function lidcSegFile(): string | undefined {
  return existingShared('lidc-idri-0001/seg/nodule_01_annotation_0.dcm');
}

/** The third-party TID 1500 Comprehensive SR sample, or undefined. */
export function srSampleFile(): string | undefined {
  return existingShared('sr-samples/dcmqi-pet-tid1500/sr.dcm');
}

function existingShared(relative: string): string | undefined {
  const root = sharedDataDir();
  const file = root && join(root, relative);
  return file && existsSync(file) ? file : undefined;
}
