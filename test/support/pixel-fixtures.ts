/**
 * Pixel-format fixtures (issue #15, "pixels right for every file"), written to
 * `.cache/fixtures/pixels/` with a `manifest.json`, never committed:
 *
 * - colour images as CT studies carry them (Secondary Capture): a known pattern of six colour
 *   blocks written by us (dcmjs) as RGB (planar configuration 0 and 1), YBR_FULL, 16-bit RGB and
 *   a 3-frame RGB file (each frame shifts the colours by one block); dcmtk makes the RLE copy
 *   (`dcmcrle`) and the JPEG baseline YBR_FULL_422 copy (`dcmcjpeg`, 4:2:2 subsampling);
 * - a 32-bit grayscale image in RLE (`dcmcrle`), which the viewer must refuse as `unsupported`;
 * - a JPEG 2000 CT whose codestream is signed while Pixel Representation says unsigned: the
 *   12-bit unsigned CT (the JPEG Extended fixture decoded by dcmtk) marked signed, encoded by
 *   `gdcmconv --j2k`, then marked unsigned again with `dcmodify`;
 * - a damaged series: five slices of the phantom's baseline around its middle as JPEG 2000
 *   (`gdcmconv --j2k`), the fourth with its codestream's main header overwritten (OpenJPEG
 *   fails on it without throwing, and the loader's worker hands out the previous output);
 * - GDCM's own decoding (`gdcmconv --raw`) of that file and of the JPEG Extended fixture, as
 *   the reference the viewer's values are compared with.
 *
 * Also runnable: `pnpm exec tsx test/support/pixel-fixtures.ts`.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import dicomParser from 'dicom-parser';
import { uidFromSeed, writePart10, writePhantom } from '../../packages/phantom/src/index.ts';
import { cacheDir, phantomDir } from './paths.ts';
import { prepareTranscodeManifest } from './transcode.ts';

const run = promisify(execFile);

export const PIXEL_FIXTURES_DIR: string = join(cacheDir, 'fixtures/pixels');

/** Bump when the fixtures change. */
const VERSION = 5;

/** Rows and columns of the colour pattern. */
export const COLOUR_ROWS = 48;
export const COLOUR_COLUMNS = 64;

/** The six colours of the pattern, 8-bit RGB. */
export const PATTERN_COLOURS: readonly (readonly [number, number, number])[] = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [255, 255, 0],
  [255, 255, 255],
  [64, 64, 64],
];

/**
 * The colour block a pixel lies in: 2 columns of 32 pixels by 3 rows of 16 (block = 2 × row +
 * column), shifted by `frame` for multi-frame files.
 */
export function patternColour(column: number, row: number, frame = 0): readonly [number, number, number] {
  const block = 2 * Math.floor(row / 16) + Math.floor(column / 32);
  return PATTERN_COLOURS[(block + frame) % PATTERN_COLOURS.length]!;
}

/** One colour fixture. */
export interface ColourFixture {
  name: string;
  file: string;
  photometricInterpretation: string;
  planarConfiguration: number;
  bitsAllocated: number;
  frames: number;
  transferSyntaxUid: string;
  /** Largest colour error a lossy encoding may leave (per channel, 0-255). */
  toleranceRgb: number;
  /** Study and series of the file (each colour fixture is a series of its own). */
  studyUid: string;
  seriesUid: string;
}

export interface PixelFixturesManifest {
  version: number;
  colour: ColourFixture[];
  /** 32-bit grayscale RLE (unsupported pixel format). */
  rle32: string;
  /** JPEG 2000 with a signed codestream and Pixel Representation 0, and GDCM's decoding of it. */
  j2kSignMismatch: { file: string; gdcmRaw: string };
  /** Five JPEG 2000 slices; the one at `damaged` (file order) does not decode. */
  damagedSeries: { files: string[]; damaged: number };
  /** The JPEG Extended (12-bit) transfer-syntax fixture and GDCM's decoding of it. */
  jpegExtended: { file: string; gdcmRaw: string };
}

const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

function colourDataset(name: string, frames: number): Record<string, unknown> {
  const uid = (what: string): string => uidFromSeed(`secondread-pixel-fixtures|${name}|${what}`);
  return {
    SpecificCharacterSet: 'ISO_IR 100',
    SOPClassUID: SECONDARY_CAPTURE,
    SOPInstanceUID: uid('sop'),
    StudyInstanceUID: uid('study'),
    SeriesInstanceUID: uid('series'),
    StudyDate: '20240115',
    Modality: 'OT',
    ConversionType: 'WSD',
    PatientName: 'Colour^Fixture',
    PatientID: 'COLOUR-1',
    SeriesDescription: `Colour ${name}`,
    InstanceNumber: '1',
    Rows: COLOUR_ROWS,
    Columns: COLOUR_COLUMNS,
    SamplesPerPixel: 3,
    ...(frames > 1 ? { NumberOfFrames: String(frames) } : {}),
  };
}

/** RGB → YCbCr (full range), PS3.3 C.7.6.3.1.2. */
function toYbrFull([r, g, b]: readonly [number, number, number]): [number, number, number] {
  const clamp = (v: number): number => Math.max(0, Math.min(255, Math.round(v)));
  return [
    clamp(0.299 * r + 0.587 * g + 0.114 * b),
    clamp(-0.168736 * r - 0.331264 * g + 0.5 * b + 128),
    clamp(0.5 * r - 0.418688 * g - 0.081312 * b + 128),
  ];
}

/** Pixel data of the pattern: `frames` frames, interleaved (0) or planar (1), 8 or 16 bits. */
function patternPixels(options: { frames: number; planar: boolean; bits: 8 | 16; ybr?: boolean }): ArrayBuffer {
  const { frames, planar, bits } = options;
  const perFrame = COLOUR_ROWS * COLOUR_COLUMNS;
  const samples = new (bits === 8 ? Uint8Array : Uint16Array)(frames * perFrame * 3);
  for (let frame = 0; frame < frames; frame++) {
    for (let row = 0; row < COLOUR_ROWS; row++) {
      for (let column = 0; column < COLOUR_COLUMNS; column++) {
        const rgb = patternColour(column, row, frame);
        const value = options.ybr ? toYbrFull(rgb) : rgb;
        const pixel = row * COLOUR_COLUMNS + column;
        for (let c = 0; c < 3; c++) {
          // 16-bit: the 8-bit colour scaled to the full 16-bit range (255 → 65535).
          const v = bits === 8 ? value[c]! : value[c]! * 257;
          const index = frame * perFrame * 3 + (planar ? c * perFrame + pixel : pixel * 3 + c);
          samples[index] = v;
        }
      }
    }
  }
  return samples.buffer;
}

function writeColour(
  name: string,
  options: { frames: number; planar: boolean; bits: 8 | 16; ybr?: boolean },
): Uint8Array {
  const dataset = {
    ...colourDataset(name, options.frames),
    PhotometricInterpretation: options.ybr ? 'YBR_FULL' : 'RGB',
    PlanarConfiguration: options.planar ? 1 : 0,
    BitsAllocated: options.bits,
    BitsStored: options.bits,
    HighBit: options.bits - 1,
    PixelRepresentation: 0,
    PixelData: [patternPixels(options)],
    _vrMap: { PixelData: options.bits === 8 ? 'OB' : 'OW' },
  };
  return writePart10(dataset, {
    mediaStorageSopClassUid: SECONDARY_CAPTURE,
    mediaStorageSopInstanceUid: String((dataset as Record<string, unknown>).SOPInstanceUID),
    implementationClassUid: '2.25.1',
  });
}

/** A 32-bit grayscale image (a ramp): Cornerstone's RLE decoder has no 32-bit path. */
function write32Bit(): Uint8Array {
  const uid = (what: string): string => uidFromSeed(`secondread-pixel-fixtures|rle32|${what}`);
  const pixels = new Uint32Array(32 * 32);
  pixels.forEach((_, i) => (pixels[i] = i * 1000));
  const dataset = {
    SOPClassUID: SECONDARY_CAPTURE,
    SOPInstanceUID: uid('sop'),
    StudyInstanceUID: uid('study'),
    SeriesInstanceUID: uid('series'),
    Modality: 'OT',
    InstanceNumber: '1',
    Rows: 32,
    Columns: 32,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    BitsAllocated: 32,
    BitsStored: 32,
    HighBit: 31,
    PixelRepresentation: 0,
    PixelData: [pixels.buffer],
    _vrMap: { PixelData: 'OW' },
  };
  return writePart10(dataset, {
    mediaStorageSopClassUid: SECONDARY_CAPTURE,
    mediaStorageSopInstanceUid: dataset.SOPInstanceUID,
    implementationClassUid: '2.25.1',
  });
}

async function readManifest(dir: string): Promise<PixelFixturesManifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as PixelFixturesManifest;
    return manifest.version === VERSION ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** Writes (or reuses) the fixtures; paths in the manifest are absolute. */
export async function preparePixelFixtures(dir: string = PIXEL_FIXTURES_DIR): Promise<PixelFixturesManifest> {
  const cached = await readManifest(dir);
  if (cached) return cached;
  const transcoded = await prepareTranscodeManifest();
  const extended = transcoded.fixtures.find((f) => f.name === 'jpeg-extended');
  if (!extended) throw new Error('no jpeg-extended transfer-syntax fixture');
  const staging = `${dir}.partial-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  const at = (file: string): string => join(staging, file);
  try {
    const colour: ColourFixture[] = [];
    const add = async (
      fixture: Omit<ColourFixture, 'file' | 'studyUid' | 'seriesUid'>,
      make: (out: string) => Promise<void>,
    ): Promise<void> => {
      const file = `${fixture.name}.dcm`;
      await make(at(file));
      const dataSet = dicomParser.parseDicom(new Uint8Array(await readFile(at(file))), { untilTag: 'x7fe00010' });
      const studyUid = dataSet.string('x0020000d') ?? '';
      const seriesUid = dataSet.string('x0020000e') ?? '';
      colour.push({ ...fixture, file, studyUid, seriesUid });
    };
    const native = '1.2.840.10008.1.2.1';
    const base = { planarConfiguration: 0, bitsAllocated: 8, frames: 1, transferSyntaxUid: native, toleranceRgb: 0 };
    await add({ ...base, name: 'rgb', photometricInterpretation: 'RGB' }, (out) =>
      writeFile(out, writeColour('rgb', { frames: 1, planar: false, bits: 8 })),
    );
    await add({ ...base, name: 'rgb-planar', photometricInterpretation: 'RGB', planarConfiguration: 1 }, (out) =>
      writeFile(out, writeColour('rgb-planar', { frames: 1, planar: true, bits: 8 })),
    );
    // YBR_FULL → RGB rounds twice (our encoding, the viewer's decoding): ±2 per channel.
    await add({ ...base, name: 'ybr-full', photometricInterpretation: 'YBR_FULL', toleranceRgb: 2 }, (out) =>
      writeFile(out, writeColour('ybr-full', { frames: 1, planar: false, bits: 8, ybr: true })),
    );
    await add({ ...base, name: 'rgb-16bit', photometricInterpretation: 'RGB', bitsAllocated: 16 }, (out) =>
      writeFile(out, writeColour('rgb-16bit', { frames: 1, planar: false, bits: 16 })),
    );
    await add({ ...base, name: 'rgb-multiframe', photometricInterpretation: 'RGB', frames: 3 }, (out) =>
      writeFile(out, writeColour('rgb-multiframe', { frames: 3, planar: false, bits: 8 })),
    );
    await add(
      { ...base, name: 'rgb-rle', photometricInterpretation: 'RGB', transferSyntaxUid: '1.2.840.10008.1.2.5' },
      async (out) => {
        await run('dcmcrle', [at('rgb.dcm'), out]);
      },
    );
    // JPEG baseline of flat blocks: only the block edges (not tested) and chroma rounding move.
    await add(
      {
        ...base,
        name: 'ybr-full-422-jpeg',
        photometricInterpretation: 'YBR_FULL_422',
        transferSyntaxUid: '1.2.840.10008.1.2.4.50',
        toleranceRgb: 12,
      },
      async (out) => {
        await run('dcmcjpeg', ['+eb', '+q', '95', at('rgb.dcm'), out]);
      },
    );
    await writeFile(at('gray32.dcm'), write32Bit());
    await run('dcmcrle', [at('gray32.dcm'), at('gray32-rle.dcm')]);

    // JPEG 2000, signed codestream, Pixel Representation 0.
    await run('dcmdjpeg', [extended.path, at('ct12-unsigned.dcm')]);
    await copyFile(at('ct12-unsigned.dcm'), at('ct12-marked-signed.dcm'));
    await run('dcmodify', ['-nb', '-m', '(0028,0103)=1', at('ct12-marked-signed.dcm')]);
    await run('gdcmconv', ['--j2k', at('ct12-marked-signed.dcm'), at('j2k-sign-mismatch.dcm')]);
    await run('dcmodify', ['-nb', '-m', '(0028,0103)=0', at('j2k-sign-mismatch.dcm')]);
    await run('gdcmconv', ['--raw', at('j2k-sign-mismatch.dcm'), at('j2k-sign-mismatch.gdcm-raw.dcm')]);
    await run('gdcmconv', ['--raw', extended.path, at('jpeg-extended.gdcm-raw.dcm')]);
    await copyFile(extended.path, at('jpeg-extended.dcm'));

    // A damaged series: JPEG 2000 slices, the fourth one's codestream header zeroed (not the
    // middle one, which a series opens at: the decoder must have decoded a neighbour before).
    const phantom = await writePhantom(phantomDir);
    const middle = Math.floor((phantom.baseline.files.length - 1) / 2);
    const damagedFiles: string[] = [];
    for (let i = middle - 2; i <= middle + 2; i++) {
      const file = `damaged-series-${i - middle + 2}.dcm`;
      await run('gdcmconv', ['--j2k', phantom.baseline.files[i]!, at(file)]);
      damagedFiles.push(file);
    }
    const damaged = new Uint8Array(await readFile(at(damagedFiles[3]!)));
    const fragment = dicomParser.parseDicom(damaged).elements['x7fe00010']!.fragments![0]!;
    damaged.fill(0, fragment.position, fragment.position + 64);
    await writeFile(at(damagedFiles[3]!), damaged);

    const final = (file: string): string => join(dir, file);
    const manifest: PixelFixturesManifest = {
      version: VERSION,
      colour: colour.map((c) => ({ ...c, file: final(c.file) })),
      rle32: final('gray32-rle.dcm'),
      j2kSignMismatch: { file: final('j2k-sign-mismatch.dcm'), gdcmRaw: final('j2k-sign-mismatch.gdcm-raw.dcm') },
      jpegExtended: { file: final('jpeg-extended.dcm'), gdcmRaw: final('jpeg-extended.gdcm-raw.dcm') },
      damagedSeries: { files: damagedFiles.map(final), damaged: 3 },
    };
    await writeFile(at('manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    if (!(await readManifest(dir))) {
      await rm(dir, { recursive: true, force: true });
      await rename(staging, dir);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const written = await readManifest(dir);
  if (!written) throw new Error(`no manifest in ${dir}`);
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await preparePixelFixtures(), null, 2));
}
