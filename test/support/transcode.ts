/**
 * Transfer-syntax fixtures: one CT slice re-encoded by dcmtk and GDCM command-line tools
 * (Debian packages `dcmtk` and `libgdcm-tools`) into every transfer syntax the viewer should
 * decode. Results are cached in `.cache/fixtures/transcoded/` with a `manifest.json`, and are
 * never committed.
 *
 * The source is the LIDC-IDRI-0001 slice `000001.dcm` when the shared data is present (read in
 * place), else a phantom slice (the nodule slice of the baseline study).
 *
 * Also runnable: `pnpm exec tsx test/support/transcode.ts [sourceFile] [outDir]`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writePhantom } from '../../packages/phantom/src/index.ts';
import { cacheDir, lidcCtFiles, phantomDir } from './paths.ts';

const run = promisify(execFile);

/** Default output directory. */
export const TRANSCODED_DIR: string = join(cacheDir, 'fixtures/transcoded');

/** Bump when recipes change, to invalidate cached output. */
const RECIPES_VERSION = 2;

/** One recipe: a command that turns `in` into `out`, and what must come out. */
export interface TranscodeRecipe {
  name: string;
  /** Transfer syntax the tool must produce. */
  transferSyntaxUid: string;
  lossless: boolean;
  /** Command and arguments; `{in}` and `{out}` are replaced by the file paths. */
  command: readonly string[];
  /** Optional recipes are skipped (and listed as unavailable) when the tool cannot do them. */
  optional?: boolean;
  note?: string;
}

/** The recipes, in manifest order. */
/**
 * The transfer syntaxes the viewer must render (issue #2): JPEG baseline, JPEG lossless, JPEG-LS,
 * JPEG 2000, RLE, deflate and big endian.
 */
export const REQUIRED_TRANSFER_SYNTAXES: readonly string[] = [
  '1.2.840.10008.1.2.4.50',
  '1.2.840.10008.1.2.4.70',
  '1.2.840.10008.1.2.4.80',
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.5',
  '1.2.840.10008.1.2.1.99',
  '1.2.840.10008.1.2.2',
];

export const TRANSCODE_RECIPES: readonly TranscodeRecipe[] = [
  {
    name: 'jpeg-baseline',
    transferSyntaxUid: '1.2.840.10008.1.2.4.50',
    lossless: false,
    command: ['dcmcjpeg', '+eb', '{in}', '{out}'],
    note: 'JPEG process 1 is 8-bit only: dcmcjpeg rescales 16-bit CT into 8 bits and rewrites RescaleSlope/Intercept (unsigned, new SOPInstanceUID).',
  },
  {
    name: 'jpeg-extended',
    transferSyntaxUid: '1.2.840.10008.1.2.4.51',
    lossless: false,
    command: ['dcmcjpeg', '+ee', '{in}', '{out}'],
    note: 'JPEG process 2/4 (12-bit): dcmcjpeg stores HU + 2048 as unsigned 12-bit (RescaleIntercept -2048); new SOPInstanceUID.',
  },
  {
    name: 'jpeg-lossless-sv1',
    transferSyntaxUid: '1.2.840.10008.1.2.4.70',
    lossless: true,
    command: ['dcmcjpeg', '+e1', '{in}', '{out}'],
  },
  {
    name: 'jpeg-ls-lossless',
    transferSyntaxUid: '1.2.840.10008.1.2.4.80',
    lossless: true,
    command: ['dcmcjpls', '+el', '{in}', '{out}'],
  },
  {
    name: 'jpeg2000-lossless',
    transferSyntaxUid: '1.2.840.10008.1.2.4.90',
    lossless: true,
    command: ['gdcmconv', '--j2k', '{in}', '{out}'],
  },
  {
    name: 'jpeg2000-lossy',
    transferSyntaxUid: '1.2.840.10008.1.2.4.91',
    lossless: false,
    command: ['gdcmconv', '--quiet', '--j2k', '--lossy', '-r', '10', '{in}', '{out}'],
    optional: true,
    note: 'Rate 10:1 (mean error ~5 HU on LIDC). GDCM calls its lossy mode experimental; its --quality option gives unusable images.',
  },
  {
    name: 'rle',
    transferSyntaxUid: '1.2.840.10008.1.2.5',
    lossless: true,
    command: ['dcmcrle', '{in}', '{out}'],
  },
  {
    name: 'deflate',
    transferSyntaxUid: '1.2.840.10008.1.2.1.99',
    lossless: true,
    command: ['dcmconv', '+td', '{in}', '{out}'],
  },
  {
    name: 'big-endian',
    transferSyntaxUid: '1.2.840.10008.1.2.2',
    lossless: true,
    command: ['dcmconv', '+tb', '{in}', '{out}'],
  },
  {
    name: 'implicit-little-endian',
    transferSyntaxUid: '1.2.840.10008.1.2',
    lossless: true,
    command: ['dcmconv', '+ti', '{in}', '{out}'],
  },
  {
    name: 'htj2k-lossless',
    transferSyntaxUid: '1.2.840.10008.1.2.4.201',
    lossless: true,
    command: ['gdcmconv', '--htj2k', '{in}', '{out}'],
    optional: true,
    note: 'Needs GDCM >= 3.2; Debian bookworm has 3.0 (no --htj2k).',
  },
];

/** One produced fixture. */
export interface TranscodedFixture {
  name: string;
  transferSyntaxUid: string;
  lossless: boolean;
  /** Absolute path of the file. */
  path: string;
  /** The command that produced it. */
  command: string;
  bytes: number;
  sopInstanceUid: string;
  bitsStored: number;
  pixelRepresentation: number;
  rescaleSlope: number;
  rescaleIntercept: number;
  note?: string;
}

/** The manifest written next to the fixtures. */
export interface TranscodeManifest {
  version: number;
  source: { path: string; bytes: number; mtimeMs: number; transferSyntaxUid: string; sopInstanceUid: string };
  fixtures: TranscodedFixture[];
  /** Optional recipes the installed tools could not do. */
  unavailable: { name: string; transferSyntaxUid: string; reason: string }[];
}

/** Header values read back with dcmdump. */
export interface DicomHeaderSummary {
  transferSyntaxUid: string;
  sopInstanceUid: string;
  bitsStored: number;
  pixelRepresentation: number;
  rescaleSlope: number;
  rescaleIntercept: number;
}

/**
 * Reads a few header values with `dcmdump` (which also proves dcmtk can parse the file).
 * Throws when dcmdump fails or reports an error.
 */
export async function dcmdumpSummary(file: string): Promise<DicomHeaderSummary> {
  const tags = ['0002,0010', '0008,0018', '0028,0101', '0028,0103', '0028,1052', '0028,1053'];
  const { stdout, stderr } = await run('dcmdump', ['-q', '-Un', ...tags.flatMap((tag) => ['+P', tag]), file]);
  if (/^[EF]:/m.test(stderr)) throw new Error(`dcmdump ${file}: ${stderr.trim()}`);
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const match = /^\(([0-9a-f]{4},[0-9a-f]{4})\) \w\w (?:\[([^\]]*)\]|(\S+))/i.exec(line);
    if (match?.[1] && !values.has(match[1].toLowerCase()))
      values.set(match[1].toLowerCase(), match[2] ?? match[3] ?? '');
  }
  const text = (tag: string): string => values.get(tag) ?? '';
  const num = (tag: string, fallback: number): number => (values.has(tag) ? Number(text(tag)) : fallback);
  return {
    transferSyntaxUid: text('0002,0010'),
    sopInstanceUid: text('0008,0018'),
    bitsStored: num('0028,0101', Number.NaN),
    pixelRepresentation: num('0028,0103', Number.NaN),
    rescaleSlope: num('0028,1053', 1),
    rescaleIntercept: num('0028,1052', 0),
  };
}

/** The default source slice: LIDC `000001.dcm` when present, else the phantom's nodule slice. */
export async function defaultTranscodeSource(): Promise<string> {
  const lidc = lidcCtFiles();
  const first = lidc?.find((file) => basename(file) === '000001.dcm') ?? lidc?.[0];
  if (first) return first;
  const phantom = await writePhantom(phantomDir);
  const nodule = phantom.baseline.truth.nodules[0];
  const instance = phantom.baseline.truth.instances[nodule?.sliceIndex ?? 0];
  if (!instance) throw new Error('phantom has no instances');
  return join(phantom.baseline.dir, instance.fileName);
}

async function readManifest(outDir: string): Promise<TranscodeManifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8')) as TranscodeManifest;
    // Paths are stored relative to outDir, so that the cache survives a moved checkout.
    manifest.fixtures = manifest.fixtures.map((fixture) => ({ ...fixture, path: resolve(outDir, fixture.path) }));
    return manifest;
  } catch {
    return undefined;
  }
}

function isCurrent(manifest: TranscodeManifest | undefined, source: string, size: number, mtimeMs: number): boolean {
  return (
    manifest !== undefined &&
    manifest.version === RECIPES_VERSION &&
    manifest.source.path === source &&
    manifest.source.bytes === size &&
    manifest.source.mtimeMs === mtimeMs &&
    manifest.fixtures.every((fixture) => existsSync(fixture.path))
  );
}

/**
 * Produces (or reuses from cache) every transcoded copy of `sourceFile` in `outDir`, verifies
 * each with dcmdump (transfer syntax as expected) and returns the full manifest.
 */
export async function prepareTranscodeManifest(
  sourceFile?: string,
  outDir: string = TRANSCODED_DIR,
): Promise<TranscodeManifest> {
  const source = resolve(sourceFile ?? (await defaultTranscodeSource()));
  outDir = resolve(outDir);
  const { size, mtimeMs } = await stat(source);
  const cached = await readManifest(outDir);
  if (cached && isCurrent(cached, source, size, mtimeMs)) return cached;

  const sourceHeader = await dcmdumpSummary(source);
  // Build in a staging directory, then swap it in: parallel callers never see partial output.
  const staging = `${outDir}.partial-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  try {
    const fixtures: TranscodedFixture[] = [];
    const unavailable: TranscodeManifest['unavailable'] = [];
    for (const recipe of TRANSCODE_RECIPES) {
      const fileName = `${recipe.name}.dcm`;
      const out = join(staging, fileName);
      const args = recipe.command.map((arg) => (arg === '{in}' ? source : arg === '{out}' ? out : arg));
      const [tool = '', ...toolArgs] = args;
      let failure: string | undefined;
      let header: DicomHeaderSummary | undefined;
      try {
        await run(tool, toolArgs, { timeout: 60_000 });
        if (!existsSync(out)) throw new Error('no output file');
        header = await dcmdumpSummary(out);
        if (header.transferSyntaxUid !== recipe.transferSyntaxUid) {
          throw new Error(`produced transfer syntax ${header.transferSyntaxUid}, expected ${recipe.transferSyntaxUid}`);
        }
      } catch (error) {
        const err = error as Error & { stderr?: string };
        failure = `${err.message.split('\n')[0]}${err.stderr ? `: ${err.stderr.trim().split('\n')[0]}` : ''}`;
      }
      if (failure || !header) {
        const reason = failure ?? 'unknown failure';
        if (!recipe.optional) throw new Error(`${recipe.name} (${args.join(' ')}) failed: ${reason}`);
        await rm(out, { force: true });
        unavailable.push({ name: recipe.name, transferSyntaxUid: recipe.transferSyntaxUid, reason });
        continue;
      }
      fixtures.push({
        name: recipe.name,
        transferSyntaxUid: header.transferSyntaxUid,
        lossless: recipe.lossless,
        path: fileName,
        command: [
          basename(tool),
          ...toolArgs.map((arg) => (arg === source ? '<source>' : arg === out ? '<out>' : arg)),
        ].join(' '),
        bytes: (await stat(out)).size,
        sopInstanceUid: header.sopInstanceUid,
        bitsStored: header.bitsStored,
        pixelRepresentation: header.pixelRepresentation,
        rescaleSlope: header.rescaleSlope,
        rescaleIntercept: header.rescaleIntercept,
        ...(recipe.note ? { note: recipe.note } : {}),
      });
    }
    const manifest: TranscodeManifest = {
      version: RECIPES_VERSION,
      source: {
        path: source,
        bytes: size,
        mtimeMs,
        transferSyntaxUid: sourceHeader.transferSyntaxUid,
        sopInstanceUid: sourceHeader.sopInstanceUid,
      },
      fixtures,
      unavailable,
    };
    await writeFile(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const raced = await readManifest(outDir);
    if (!(raced && isCurrent(raced, source, size, mtimeMs))) {
      await rm(outDir, { recursive: true, force: true });
      await rename(staging, outDir);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const written = await readManifest(outDir);
  if (!written) throw new Error(`no manifest in ${outDir}`);
  return written;
}

/**
 * Produces (or reuses) the transcoded copies of `sourceFile` (default: see
 * {@link defaultTranscodeSource}) and returns `{ name, transferSyntaxUid, lossless, path, ... }`
 * for each.
 */
export async function prepareTranscodedFixtures(
  sourceFile?: string,
  outDir: string = TRANSCODED_DIR,
): Promise<TranscodedFixture[]> {
  return (await prepareTranscodeManifest(sourceFile, outDir)).fixtures;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const manifest = await prepareTranscodeManifest(process.argv[2], process.argv[3]);
  console.log(`source: ${manifest.source.path} (${manifest.source.transferSyntaxUid})`);
  for (const fixture of manifest.fixtures) {
    console.log(
      `${fixture.name.padEnd(24)} ${fixture.transferSyntaxUid.padEnd(24)} ${fixture.lossless ? 'lossless' : 'lossy   '} ${String(fixture.bytes).padStart(8)} B  ${fixture.path}`,
    );
  }
  for (const skipped of manifest.unavailable) console.log(`${skipped.name.padEnd(24)} unavailable: ${skipped.reason}`);
}
