/**
 * The instant preview of `<ct-viewer>`: the first slice drawn from its raw frame on a plain
 * canvas while the rendering engine's code, WebGL and decoders are still on their way. Same
 * window, same fit as the engine, so the engine's first render replaces it without a jump.
 */
import { windowFrameToRgba, type FrameData, type InstanceInfo, type Voi } from '@secondread/core';

/** How to draw the preview. */
export interface PreviewOptions {
  /** The window the engine will open with (the preset's, or the series' own). */
  readonly voi: Voi;
  readonly invert: boolean;
  /** Size of the image area the canvas covers, CSS pixels. */
  readonly widthPx: number;
  readonly heightPx: number;
  /** Canvas pixels per CSS pixel (`devicePixelRatio`). */
  readonly pixelRatio: number;
}

/**
 * Draws `frame` (the raw pixels of `instance`) on `canvas`, windowed and fitted to the image
 * area with its pixel spacing, on black. False when the frame cannot be previewed (a compressed
 * transfer syntax, an unknown pixel format) or the area has no size: the engine shows it then.
 */
export function drawFramePreview(
  canvas: HTMLCanvasElement,
  frame: FrameData,
  instance: InstanceInfo,
  options: PreviewOptions,
): boolean {
  if (!options.widthPx || !options.heightPx) return false;
  const rgba = windowFrameToRgba(frame.bytes, frame.transferSyntaxUid, instance, options.voi, options.invert);
  if (!rgba) return false;
  const ratio = options.pixelRatio || 1;
  canvas.width = Math.round(options.widthPx * ratio);
  canvas.height = Math.round(options.heightPx * ratio);
  const image = new OffscreenCanvas(instance.columns, instance.rows);
  image
    .getContext('2d')!
    .putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, instance.columns, instance.rows), 0, 0);
  const [rowSpacing, columnSpacing] = instance.pixelSpacingMm ?? [1, 1];
  const widthMm = instance.columns * columnSpacing;
  const heightMm = instance.rows * rowSpacing;
  const scale = Math.min(canvas.width / widthMm, canvas.height / heightMm);
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#000';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(
    image,
    (canvas.width - widthMm * scale) / 2,
    (canvas.height - heightMm * scale) / 2,
    widthMm * scale,
    heightMm * scale,
  );
  return true;
}
