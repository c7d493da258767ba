import dicomParser, { type DataSet } from 'dicom-parser';
import { inflateRaw } from 'pako';
import { ViewerError, type ErrorCode } from './errors.js';
import {
  instanceFromDataSet,
  isDisplayableImage,
  patientFromDataSet,
  studyInfoFromDataSet,
  type InstanceInfo,
} from './instance.js';
import { inspectPart10Structure } from './part10-structure.js';
import { buildSeriesModel, type SeriesModel } from './series.js';

export * from './part10-structure.js';

/** A DICOM Part 10 object in memory: a file from disk, a download, a part of a series retrieve. */
export interface Part10Input {
  /** A display name (file name or URL path), never shown with patient identity. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A parsed Part 10 object. */
export interface ParsedPart10 {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly dataSet: DataSet;
  readonly instance: InstanceInfo;
}

/** Why a file was left out of the series. */
export interface SkippedFile {
  readonly name: string;
  readonly reason: 'not-dicom' | 'not-an-image' | 'corrupt';
}

/** A series found among local files, with each image's Part 10 object in series order. */
export interface Part10Series {
  readonly model: SeriesModel;
  readonly objects: readonly ParsedPart10[];
}

/** Result of sorting a drop of files into series. */
export interface Part10Collection {
  /** Image series, largest first. */
  readonly series: readonly Part10Series[];
  readonly skipped: readonly SkippedFile[];
}

/** True when the bytes start like a Part 10 file (128-byte preamble, then "DICM"). */
export function hasPart10Preamble(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d
  );
}

const DEFLATED_EXPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
const EXPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/**
 * Rewrites a Deflated Explicit VR Little Endian file as plain Explicit VR Little Endian
 * (inflated dataset, file meta with the new transfer syntax and group length), so that
 * every later reader sees an ordinary file. Other files are returned unchanged.
 */
export function inflateDeflatedPart10(bytes: Uint8Array): Uint8Array {
  if (!hasPart10Preamble(bytes)) return bytes;
  const meta = dicomParser.readPart10Header(bytes);
  if (meta.string('x00020010') !== DEFLATED_EXPLICIT_LITTLE_ENDIAN) return bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // File meta: explicit VR little endian, starting at 132 with (0002,0000) UL group length.
  const metaEnd = 132 + 12 + view.getUint32(132 + 8, true);
  const parts: Uint8Array[] = [];
  let offset = 132 + 12;
  while (offset < metaEnd) {
    const element = view.getUint16(offset + 2, true);
    const vr = String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!);
    const long = ['OB', 'OW', 'OF', 'SQ', 'UT', 'UN'].includes(vr);
    const length = long ? view.getUint32(offset + 8, true) : view.getUint16(offset + 6, true);
    const header = long ? 12 : 8;
    if (element === 0x0010) {
      const value = new TextEncoder().encode(EXPLICIT_LITTLE_ENDIAN + '\0');
      const replaced = new Uint8Array(8 + value.length);
      replaced.set(bytes.subarray(offset, offset + 6));
      new DataView(replaced.buffer).setUint16(6, value.length, true);
      replaced.set(value, 8);
      parts.push(replaced);
    } else {
      parts.push(bytes.subarray(offset, offset + header + length));
    }
    offset += header + length;
  }
  const dataset = inflateRaw(bytes.subarray(metaEnd));
  const metaLength = parts.reduce((sum, p) => sum + p.length, 0);
  const out = new Uint8Array(132 + 12 + metaLength + dataset.length);
  out.set(bytes.subarray(0, 132 + 8));
  new DataView(out.buffer).setUint32(132 + 8, metaLength, true);
  let at = 132 + 12;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  out.set(dataset, at);
  return out;
}

/**
 * Why a Part 10 object could not be read ({@link Part10Error}'s `reason`, from
 * {@link DICOM_FILE_ERROR_CODES}):
 *
 * | reason | viewer `code` | meaning |
 * | --- | --- | --- |
 * | `not-dicom` | `not-dicom` | no 128-byte preamble and `DICM` prefix: not a DICOM Part 10 file |
 * | `truncated` | `corrupt` | the file ends early (an element, item, sequence or the pixel data is cut off) |
 * | `malformed` | `corrupt` | complete, but its structure is invalid (wrong lengths or VRs, unreadable values) |
 */
export type Part10ErrorReason = 'not-dicom' | 'truncated' | 'malformed';

const VIEWER_CODE_FOR_REASON: Readonly<Record<Part10ErrorReason, ErrorCode>> = {
  'not-dicom': 'not-dicom',
  truncated: 'corrupt',
  malformed: 'corrupt',
};

/**
 * A Part 10 object that cannot be read. A {@link ViewerError} (its `code` is the viewer's
 * `not-dicom` or `corrupt`, as before) with the finer `reason`. The message names the file
 * (its display name) and never quotes the parser.
 */
export class Part10Error extends ViewerError {
  override readonly name: string = 'Part10Error';
  constructor(
    readonly reason: Part10ErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(VIEWER_CODE_FOR_REASON[reason], message, undefined, options);
  }
}

/** The message of a {@link Part10Error}, for a file's display name. */
function part10Message(reason: Part10ErrorReason, name: string): string {
  if (reason === 'not-dicom') return `${name} is not a DICOM file.`;
  if (reason === 'truncated') return `${name} is truncated: the file ends before its last element is complete.`;
  return `${name} is damaged: its DICOM structure is invalid.`;
}

/**
 * The bytes of a Part 10 file whose structure is whole (deflated data sets inflated, and then
 * checked too); calls `fail` with the reason otherwise.
 * @internal shared by the Part 10 and SEG readers
 */
export function inflateChecked(
  bytes: Uint8Array,
  fail: (reason: 'not-dicom' | 'truncated' | 'malformed', cause?: unknown) => never,
): Uint8Array {
  const raw = inspectPart10Structure(bytes);
  if (!raw.ok) fail(raw.code);
  let inflated: Uint8Array;
  try {
    inflated = inflateDeflatedPart10(bytes);
  } catch (cause) {
    fail('malformed', cause);
  }
  if (inflated === bytes) return bytes;
  const structure = inspectPart10Structure(inflated);
  if (!structure.ok) fail(structure.code);
  return inflated;
}

/**
 * How messages name a file. File names often carry patient identity ("Lung_Dx-A0002_slice1.dcm"),
 * so by default a message names a file by its position among those given ("File 3 of 30"); a
 * host that knows its names are safe to show opts in with `fileNames`.
 */
export interface Part10MessageOptions {
  /** Name files by their `name` in messages (opt-in; default: by position). */
  readonly fileNames?: boolean;
}

/** Where a file stands among those given, for messages. */
export interface Part10Position {
  /** 0-based index of the file among those given. */
  readonly index: number;
  readonly total: number;
}

/** How a message names a file: by position unless the host opted in to file names. */
export function describeFile(
  input: Pick<Part10Input, 'name'>,
  position?: Part10Position,
  options: Part10MessageOptions = {},
): string {
  if (options.fileNames && input.name) return input.name;
  if (!position || position.total <= 1) return 'The file';
  return `File ${position.index + 1} of ${position.total}`;
}

/**
 * Parses one Part 10 object (deflated files are inflated first). Messages name the file by
 * `position` (or "The file"), by its name only with `options.fileNames` (see {@link describeFile}).
 * @throws Part10Error (a ViewerError) `not-dicom` (no DICM preamble), `truncated` or `malformed`
 * (viewer code `corrupt`); never a parser's own error.
 */
export function parsePart10(
  input: Part10Input,
  position?: Part10Position,
  options: Part10MessageOptions = {},
): ParsedPart10 {
  const file = describeFile(input, position, options);
  if (!hasPart10Preamble(input.bytes)) {
    throw new Part10Error('not-dicom', part10Message('not-dicom', file));
  }
  const bytes = inflateChecked(input.bytes, (reason, cause) => {
    throw new Part10Error(reason, part10Message(reason, file), cause === undefined ? undefined : { cause });
  });
  let dataSet: DataSet;
  let instance: InstanceInfo;
  try {
    dataSet = dicomParser.parseDicom(bytes);
    instance = instanceFromDataSet(dataSet);
  } catch (cause) {
    throw new Part10Error('malformed', part10Message('malformed', file), { cause });
  }
  const pixelData = dataSet.elements['x7fe00010'];
  if (pixelData && !pixelData.encapsulatedPixelData && pixelData.dataOffset + pixelData.length > bytes.length) {
    throw new Part10Error('truncated', `${file} is truncated: its pixel data is incomplete.`);
  }
  return { name: input.name, bytes, dataSet, instance };
}

/**
 * Sorts a set of Part 10 objects (e.g. a dropped folder) into image series. Non-DICOM
 * files and non-image DICOM (SR, SEG, PDF) are skipped, not fatal.
 * @throws ViewerError when no image series remains: `not-dicom`, `not-an-image` or `corrupt` (the
 * first file's {@link Part10Error} when every file was damaged).
 * Messages name files by position ("File 3 of 30"), by name only with `options.fileNames`.
 */
export function collectPart10Series(
  inputs: readonly Part10Input[],
  options: Part10MessageOptions = {},
): Part10Collection {
  const skipped: SkippedFile[] = [];
  const bySeries = new Map<string, ParsedPart10[]>();
  let firstError: ViewerError | null = null;
  let firstCorrupt: ViewerError | null = null;
  for (const [index, input] of inputs.entries()) {
    let parsed: ParsedPart10;
    try {
      parsed = parsePart10(input, { index, total: inputs.length }, options);
    } catch (error) {
      const viewerError = error as ViewerError;
      firstError ??= viewerError;
      if (viewerError.code !== 'not-dicom') firstCorrupt ??= viewerError;
      skipped.push({ name: input.name, reason: viewerError.code === 'not-dicom' ? 'not-dicom' : 'corrupt' });
      continue;
    }
    if (!isDisplayableImage(parsed.instance) || !parsed.instance.hasPixelData) {
      skipped.push({ name: input.name, reason: 'not-an-image' });
      continue;
    }
    const key = parsed.instance.seriesUid || 'unknown-series';
    const list = bySeries.get(key) ?? [];
    list.push(parsed);
    bySeries.set(key, list);
  }
  if (bySeries.size === 0) {
    const reasons = new Set(skipped.map((s) => s.reason));
    if (reasons.has('corrupt')) {
      throw firstCorrupt ?? new ViewerError('corrupt', 'The files are damaged.');
    }
    if (reasons.has('not-an-image')) {
      throw new ViewerError('not-an-image', 'The DICOM files hold no images (e.g. reports or segmentations).');
    }
    if (inputs.length === 0) throw new ViewerError('empty-series', 'No files were given.');
    throw new ViewerError(
      'not-dicom',
      inputs.length === 1
        ? `${describeFile(inputs[0]!, { index: 0, total: 1 }, options)} is not a DICOM file.`
        : 'None of the files is DICOM.',
    );
  }
  const series = [...bySeries.values()]
    .map((objects) => {
      const model = buildSeriesModel(
        objects.map((o) => o.instance),
        studyInfoFromDataSet(objects[0]!.dataSet),
        patientFromDataSet(objects[0]!.dataSet),
      );
      const byUid = new Map(objects.map((o) => [o.instance.sopInstanceUid, o]));
      return { model, objects: model.instances.map((i) => byUid.get(i.sopInstanceUid)!) };
    })
    .sort((a, b) => b.objects.length - a.objects.length);
  return { series, skipped };
}
