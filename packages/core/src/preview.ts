import type { InstanceInfo } from './instance.js';
import type { Voi } from './presets.js';

const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';

/** True when a frame in this transfer syntax can be shown without any codec. */
export function isRawLittleEndian(transferSyntaxUid: string): boolean {
  return transferSyntaxUid === EXPLICIT_VR_LITTLE_ENDIAN || transferSyntaxUid === IMPLICIT_VR_LITTLE_ENDIAN;
}

/**
 * Windows a raw little-endian grayscale frame into RGBA bytes (rows × columns × 4), the way a
 * display does: stored value × slope + intercept, then the linear VOI of DICOM PS3.3 C.11.2.1.2.
 * Returns null for frames it cannot show (compressed, colour, or the wrong size), so a
 * caller simply waits for the engine instead.
 */
export function windowFrameToRgba(
  bytes: Uint8Array,
  transferSyntaxUid: string,
  instance: Pick<
    InstanceInfo,
    | 'rows'
    | 'columns'
    | 'bitsAllocated'
    | 'pixelRepresentation'
    | 'samplesPerPixel'
    | 'photometricInterpretation'
    | 'rescaleSlope'
    | 'rescaleIntercept'
  >,
  voi: Voi,
  invert = false,
): Uint8ClampedArray | null {
  const count = instance.rows * instance.columns;
  if (!isRawLittleEndian(transferSyntaxUid) || instance.samplesPerPixel !== 1 || count === 0) return null;
  const bytesPerPixel = instance.bitsAllocated / 8;
  if ((bytesPerPixel !== 1 && bytesPerPixel !== 2) || bytes.length < count * bytesPerPixel) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const signed = instance.pixelRepresentation === 1;
  const { rescaleSlope: slope, rescaleIntercept: intercept } = instance;
  const low = voi.center - 0.5 - (voi.width - 1) / 2;
  const scale = 255 / Math.max(1, voi.width - 1);
  const flip = invert !== (instance.photometricInterpretation === 'MONOCHROME1');
  const rgba = new Uint8ClampedArray(count * 4);
  for (let i = 0; i < count; i++) {
    const stored =
      bytesPerPixel === 2
        ? signed
          ? view.getInt16(2 * i, true)
          : view.getUint16(2 * i, true)
        : signed
          ? view.getInt8(i)
          : view.getUint8(i);
    const gray = ((stored * slope + intercept - low) * scale) | 0;
    const value = flip ? 255 - gray : gray;
    const o = 4 * i;
    rgba[o] = rgba[o + 1] = rgba[o + 2] = value;
    rgba[o + 3] = 255;
  }
  return rgba;
}
