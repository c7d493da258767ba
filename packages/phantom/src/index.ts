/**
 * `@secondread/phantom`: a deterministic synthetic chest CT study (baseline + follow-up) as
 * real DICOM Part 10 files, with ground truth for tests, demos and benchmarks.
 *
 * `generatePhantomStudy` (re-exported from `./generate.ts`) is environment-neutral;
 * `writePhantom` writes to disk and needs Node.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  PHANTOM_GENERATOR_VERSION,
  generatePhantomStudy,
  type PhantomOptions,
  type PhantomTruth,
  type PhantomVariant,
} from './generate.ts';

export * from './generate.ts';
export { readPart10, writePart10, EXPLICIT_VR_LITTLE_ENDIAN } from './dicom.ts';
export type { FileMeta, NaturalDataset, ParsedPart10 } from './dicom.ts';
export { uidFromSeed } from './uid.ts';

/** Name of the stamp file `writePhantom` leaves in its output directory. */
export const PHANTOM_STAMP_FILE = 'phantom-stamp.json';

/** Options of {@link writePhantom}: generation options (minus `variant`) plus `force`. */
export interface WritePhantomOptions extends Omit<PhantomOptions, 'variant'> {
  /** Regenerate even when the stamp says the output is current. Default false. */
  force?: boolean;
}

/** One study written by {@link writePhantom}. */
export interface WrittenPhantomStudy {
  /** Directory holding the `.dcm` files and `truth.json`. */
  dir: string;
  /** Absolute paths of the `.dcm` files, sorted by name (not by slice position). */
  files: string[];
  truth: PhantomTruth;
}

/** Result of {@link writePhantom}. */
export interface WrittenPhantom {
  dir: string;
  /** False when an up-to-date output was found and left alone. */
  generated: boolean;
  baseline: WrittenPhantomStudy;
  followup: WrittenPhantomStudy;
}

interface Stamp {
  generatorVersion: string;
  options: Omit<WritePhantomOptions, 'force'>;
}

const VARIANTS: readonly PhantomVariant[] = ['baseline', 'followup'];

function stampOf(options: WritePhantomOptions): Stamp {
  const { force: _force, ...rest } = options;
  // Sort keys so that option order does not matter.
  const sorted = Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
  return { generatorVersion: PHANTOM_GENERATOR_VERSION, options: sorted };
}

async function readStudy(dir: string): Promise<WrittenPhantomStudy> {
  const truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8')) as PhantomTruth;
  const present = new Set(await readdir(dir));
  const missing = truth.instances.filter((instance) => !present.has(instance.fileName));
  if (missing.length) throw new Error(`${dir}: ${missing.length} files missing`);
  const files = truth.instances.map((instance) => join(dir, instance.fileName)).sort();
  return { dir, files, truth };
}

async function isCurrent(dir: string, stamp: string): Promise<WrittenPhantom | undefined> {
  const existing = await readFile(join(dir, PHANTOM_STAMP_FILE), 'utf8').catch(() => undefined);
  if (existing?.trim() !== stamp) return undefined;
  try {
    const [baseline, followup] = await Promise.all([
      readStudy(join(dir, 'baseline')),
      readStudy(join(dir, 'followup')),
    ]);
    return { dir, generated: false, baseline, followup };
  } catch {
    return undefined; // incomplete output
  }
}

/**
 * Writes `dir/baseline/*.dcm`, `dir/followup/*.dcm` and a `truth.json` in each, plus a stamp
 * file. When the stamp matches this generator version and options (and `force` is not set),
 * nothing is regenerated and the existing truth is returned.
 *
 * Output is built in a sibling temporary directory and renamed into place, so concurrent
 * callers (parallel test files) never see a half-written study.
 */
export async function writePhantom(dir: string, options: WritePhantomOptions = {}): Promise<WrittenPhantom> {
  dir = resolve(dir);
  const stamp = JSON.stringify(stampOf(options));
  if (!options.force) {
    const current = await isCurrent(dir, stamp);
    if (current) return current;
  }
  const { force: _force, ...generation } = options;
  const staging = `${dir}.partial-${process.pid}-${Date.now()}`;
  await mkdir(dirname(dir), { recursive: true });
  try {
    for (const variant of VARIANTS) {
      const studyDir = join(staging, variant);
      await mkdir(studyDir, { recursive: true });
      const { files, truth } = generatePhantomStudy({ ...generation, variant });
      await Promise.all(files.map((file) => writeFile(join(studyDir, file.name), file.bytes)));
      await writeFile(join(studyDir, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
    }
    await writeFile(join(staging, PHANTOM_STAMP_FILE), `${stamp}\n`);
    // Someone else may have finished the same work meanwhile: keep theirs.
    const raced = options.force ? undefined : await isCurrent(dir, stamp);
    if (raced) return raced;
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const [baseline, followup] = await Promise.all([readStudy(join(dir, 'baseline')), readStudy(join(dir, 'followup'))]);
  return { dir, generated: true, baseline, followup };
}
export { buildSegmentation, phantomNoduleSegmentation } from './segmentation.ts';
