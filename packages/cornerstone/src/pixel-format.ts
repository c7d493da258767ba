/**
 * The pixel-format work around the DICOM image loader's decoders, so that every image shows the
 * values its file means (issue #15):
 *
 * - {@link framePixelData}: one frame's bytes out of a Part 10 object (multi-frame too);
 * - {@link prepareFrame}, before decoding: refuses pixel formats the viewer does not display
 *   (typed `unsupported`), and turns 16-bit RGB into 8-bit RGB (the engine shows colour with 8
 *   bits per channel) with the pixel module overridden to match;
 * - {@link correctDecodedPixels}, after decoding: puts the decoder's values back where the DICOM
 *   header says they are (Bits Stored, Pixel Representation) and undoes the level-shift error of
 *   the JavaScript decoder of 12-bit JPEG;
 * - {@link refuseStaleDecode}, after decoding: a decoder that failed without saying so (OpenJPEG
 *   in the DICOM image loader's worker keeps one decoder and hands out its previous output when
 *   a codestream does not decode) must not put another image's pixels under this image's name.
 */
import { metaData, type Types } from '@cornerstonejs/core';
import { unsupportedPixelFormat, ViewerError, type FrameData } from '@secondread/core';
import type { DataSet } from 'dicom-parser';
import dicomParser from 'dicom-parser';

/** The image pixel module as the metadata providers hand it out. */
interface PixelModule {
  samplesPerPixel: number;
  photometricInterpretation: string;
  planarConfiguration?: number;
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: number;
}

const JPEG_EXTENDED = '1.2.840.10008.1.2.4.51';
const EXPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const BIG_ENDIAN = '1.2.840.10008.1.2.2';

/** Pixel modules that differ from the file's, by image id (16-bit RGB shown as 8-bit). */
const pixelModuleOverrides = new Map<string, PixelModule>();
let providerAdded = false;

/** Adds the metadata provider of {@link pixelModuleOverrides} (once). */
export function registerPixelModuleOverrides(): void {
  if (providerAdded) return;
  providerAdded = true;
  metaData.addProvider((type: string, imageId: string) => {
    if (type !== 'imagePixelModule') return undefined;
    return pixelModuleOverrides.get(imageId);
  }, 1_000_001);
}

/** Forgets what {@link prepareFrame} changed for `imageId`. */
export function forgetPixelFormat(imageId: string): void {
  pixelModuleOverrides.delete(imageId);
}

function pixelModuleOf(imageId: string): PixelModule | undefined {
  return metaData.get('imagePixelModule', imageId) as PixelModule | undefined;
}

/**
 * The bytes of frame `frameIndex` (0-based) of a Part 10 object's pixel data, as the image loader
 * decodes them: the frame's slice of native data, or its fragments of encapsulated data.
 * @throws ViewerError `not-an-image` without pixel data, `corrupt` for a frame that is not there,
 *   `unsupported` for encapsulated multi-frame data whose frames cannot be told apart.
 */
export function framePixelData(dataSet: DataSet, frameIndex = 0): Uint8Array {
  const element = dataSet.elements['x7fe00010'];
  if (!element) throw new ViewerError('not-an-image', 'A DICOM object of the series has no pixel data.');
  const frames = Number(dataSet.string('x00280008') ?? 1) || 1;
  if (frameIndex >= frames)
    throw new ViewerError('corrupt', `Frame ${frameIndex + 1} of ${frames} is not in the file.`);
  if (element.encapsulatedPixelData) {
    const fragments = element.fragments ?? [];
    if (frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0, fragments.length);
    if (element.basicOffsetTable?.length) return dicomParser.readEncapsulatedImageFrame(dataSet, element, frameIndex);
    if (fragments.length === frames) {
      return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, frameIndex, 1);
    }
    throw new ViewerError(
      'unsupported',
      'The frames of this multi-frame image cannot be told apart (no offset table, several fragments per frame).',
    );
  }
  const rows = dataSet.uint16('x00280010') ?? 0;
  const columns = dataSet.uint16('x00280011') ?? 0;
  const samples = dataSet.uint16('x00280002') ?? 1;
  const bits = dataSet.uint16('x00280100') ?? 16;
  const frameBytes = Math.ceil((rows * columns * samples * bits) / 8);
  const start = element.dataOffset + frameIndex * frameBytes;
  const end = frames === 1 ? element.dataOffset + element.length : start + frameBytes;
  if (end > element.dataOffset + element.length || end > dataSet.byteArray.length) {
    throw new ViewerError('corrupt', `The pixel data of frame ${frameIndex + 1} is cut short.`);
  }
  return dataSet.byteArray.subarray(start, end);
}

/**
 * Checks a frame's pixel format before it is decoded, and rewrites what the engine cannot show
 * as it is: 16-bit RGB becomes 8-bit RGB (each channel scaled by 255 / (2^BitsStored − 1),
 * rounded), with the pixel module of `imageId` overridden to 8 bits.
 * @throws ViewerError `unsupported` for a pixel format the viewer does not display.
 */
export function prepareFrame(imageId: string, frame: FrameData): FrameData {
  const module = pixelModuleOf(imageId);
  if (!module) return frame;
  const reason = unsupportedPixelFormat({
    samplesPerPixel: module.samplesPerPixel,
    photometricInterpretation: module.photometricInterpretation,
    bitsAllocated: module.bitsAllocated,
    transferSyntaxUid: frame.transferSyntaxUid,
  });
  if (reason) {
    throw new ViewerError('unsupported', `An image has a pixel format this viewer does not display: ${reason}.`);
  }
  if (module.samplesPerPixel !== 3 || module.bitsAllocated !== 16) return frame;
  const count = module.rows * module.columns * 3;
  if (frame.bytes.length < count * 2)
    throw new ViewerError('corrupt', 'The pixel data of a colour image is cut short.');
  const view = new DataView(frame.bytes.buffer, frame.bytes.byteOffset, count * 2);
  const littleEndian = frame.transferSyntaxUid !== BIG_ENDIAN;
  const bitsStored = Math.min(16, Math.max(1, module.bitsStored || 16));
  const mask = (1 << bitsStored) - 1;
  const scale = 255 / mask;
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.round((view.getUint16(2 * i, littleEndian) & mask) * scale);
  pixelModuleOverrides.set(imageId, { ...module, bitsAllocated: 8, bitsStored: 8, highBit: 7, pixelRepresentation: 0 });
  return { bytes: out, transferSyntaxUid: EXPLICIT_LITTLE_ENDIAN };
}

/** The sample precision of a JPEG codestream (its SOF marker), or null when there is none. */
export function jpegPrecision(bytes: Uint8Array): number | null {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let offset = 2;
  while (offset + 4 < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset++;
      continue;
    }
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return bytes[offset + 4] ?? null;
    }
    if (marker === 0xda) return null;
    offset += 2 + length;
  }
  return null;
}

/**
 * The image loader decodes 12-bit JPEG (process 2/4) with its JavaScript decoder, whose last step
 * shifts the inverse DCT's output q (16 × the sample) into the sample range with
 * `(q + 2056 / c) >> 4`, c = 255 / 4095: correct for 8 bits (2056 = 16 × 128 + 8), but for 12
 * bits it adds 2056 × 4095 / 255 = 33016.94 instead of 16 × 2048 + 8 = 32776, i.e. 15.06 sample
 * steps too many. For every integer q, floor((q + 33016.94) / 16) − 15 = floor((q + 32776) / 16)
 * (the 0.94 left over never reaches the next multiple of 16), so subtracting 15 gives the right
 * sample exactly, clamped at 0 as the standard's decoder clamps. The decoder also saturates at
 * 4095 from q ≥ 32502.2 on, where the right sample is 4079-4095: those stay 4095.
 *
 * What is left differs from IJG's decoder (GDCM, dcmtk) by at most one step, on a few percent
 * of the pixels: ISO/IEC 10918-1 does not fix the inverse DCT, only its accuracy (ISO/IEC
 * 10918-2), and the two decoders use different integer approximations of it.
 */
function correctJpeg12LevelShift(stored: number): number {
  return stored >= 4095 ? 4095 : Math.max(0, stored - 15);
}

/**
 * Corrects a decoded grayscale image in place (before it is cached):
 *
 * - values outside what Bits Stored and Pixel Representation allow are brought back as DICOM
 *   defines them (PS3.5 8.1.1: bits above the high bit are not pixel data): masked to Bits
 *   Stored when unsigned, sign-extended from the high bit when signed. This is what GDCM does
 *   with a JPEG 2000 codestream whose signedness disagrees with Pixel Representation (it reads
 *   65171 as 7827 in a 13-bit unsigned image);
 * - 12-bit JPEG Extended values lose the decoder's level-shift error (see
 *   {@link correctJpeg12LevelShift}).
 *
 * Works on stored values: a pre-scaled image's values are turned back with the rescale slope
 * and intercept (the stored values are integers, so rounding recovers them exactly), and scaled
 * again. Minimum and maximum are recomputed.
 */
export function correctDecodedPixels(image: Types.IImage, imageId: string, frame: FrameData): void {
  if (image.color) return;
  const module = pixelModuleOf(imageId);
  if (!module || module.samplesPerPixel !== 1) return;
  const bitsStored = Math.min(module.bitsAllocated, module.bitsStored || module.bitsAllocated);
  if (bitsStored < 1 || bitsStored > 16) return;
  const signed = module.pixelRepresentation === 1;
  const mask = (1 << bitsStored) - 1;
  const sign = 1 << (bitsStored - 1);
  const low = signed ? -sign : 0;
  const high = signed ? sign - 1 : mask;
  const jpeg12 =
    frame.transferSyntaxUid === JPEG_EXTENDED && module.bitsAllocated === 16 && jpegPrecision(frame.bytes) === 12;
  const scaled = Boolean((image as { preScale?: { scaled?: boolean } }).preScale?.scaled);
  const slope = scaled ? image.slope || 1 : 1;
  const intercept = scaled ? image.intercept || 0 : 0;
  const pixels = image.getPixelData() as ArrayLike<number> & { [index: number]: number };
  if (!jpeg12) {
    // Most images need nothing: look before touching.
    let outside = false;
    for (let i = 0; i < pixels.length; i++) {
      const stored = Math.round((pixels[i]! - intercept) / slope);
      if (stored < low || stored > high) {
        outside = true;
        break;
      }
    }
    if (!outside) return;
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < pixels.length; i++) {
    let stored = Math.round((pixels[i]! - intercept) / slope);
    if (stored < low || stored > high) stored = signed ? ((stored & mask) ^ sign) - sign : stored & mask;
    if (jpeg12) stored = correctJpeg12LevelShift(stored);
    const value = stored * slope + intercept;
    pixels[i] = value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  image.minPixelValue = min;
  image.maxPixelValue = max;
  const imageFrame = (image as { imageFrame?: { smallestPixelValue?: number; largestPixelValue?: number } }).imageFrame;
  if (imageFrame) {
    imageFrame.smallestPixelValue = min;
    imageFrame.largestPixelValue = max;
  }
}

/** FNV-1a over the values (each as a 32-bit integer) of `values`, with its length. */
function fingerprint(values: ArrayLike<number>): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < values.length; i++) hash = Math.imul(hash ^ (values[i]! | 0), 0x01000193);
  return `${values.length}:${(hash >>> 0).toString(16)}`;
}

/** Transfer syntaxes with no decoder state: their output is always their own input. */
const STATELESS_SYNTAXES = new Set([
  '1.2.840.10008.1.2',
  '1.2.840.10008.1.2.1',
  '1.2.840.10008.1.2.2',
  '1.2.840.10008.1.2.1.99',
]);

/** The most recent decodes per transfer syntax: input and output fingerprints. */
const recentDecodes = new Map<string, { input: string; output: string }[]>();
/** More than the decode workers × the images each has in flight. */
const RECENT_DECODES = 16;

/**
 * Refuses a decoded image whose pixels are exactly those of another recent decode of another
 * input with the same transfer syntax (the decoders keep one instance per worker, so a failed
 * decode that does not throw hands out the previous output, even another viewer's image).
 * Different codestreams of one syntax do not decode to identical non-uniform pixels; uniform
 * images (blank slices) are left alone.
 * @throws ViewerError `corrupt`.
 */
export function refuseStaleDecode(image: Types.IImage, frame: FrameData): void {
  if (STATELESS_SYNTAXES.has(frame.transferSyntaxUid)) return;
  const pixels = image.getPixelData() as ArrayLike<number>;
  if (image.minPixelValue === image.maxPixelValue) return;
  const input = fingerprint(frame.bytes);
  const output = fingerprint(pixels);
  const recent = recentDecodes.get(frame.transferSyntaxUid) ?? [];
  const twin = recent.find((entry) => entry.output === output && entry.input !== input);
  if (!twin) {
    recent.push({ input, output });
    if (recent.length > RECENT_DECODES) recent.shift();
    recentDecodes.set(frame.transferSyntaxUid, recent);
    return;
  }
  throw new ViewerError(
    'corrupt',
    'An image could not be decoded (the decoder failed and gave back the previous image it decoded).',
  );
}
