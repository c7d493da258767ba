/**
 * Real screen pixels for browser tests (see screenshot-plugin.ts): the page's viewport as
 * Chromium drew it, decoded into RGBA so a test can sample colours at known points.
 */
import { executeServerCommand } from '@web/test-runner-commands';

/** RGB(A) in 0–255. */
export type Rgba = readonly [number, number, number, number];

/** A decoded screenshot of the viewport, addressed in CSS pixels. */
export interface Screenshot {
  readonly width: number;
  readonly height: number;
  /** The colour at CSS pixel (x, y) of the viewport. */
  at(x: number, y: number): Rgba;
}

export async function screenshotPixels(): Promise<Screenshot> {
  // Two frames so that style changes made just before are painted.
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const base64 = await executeServerCommand<string, undefined>('screenshot-png');
  if (typeof base64 !== 'string') throw new Error('the screenshot command answered nothing');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const scale = bitmap.width / window.innerWidth;
  return {
    width: bitmap.width,
    height: bitmap.height,
    at(x, y) {
      const px = Math.floor(x * scale);
      const py = Math.floor(y * scale);
      const i = (py * bitmap.width + px) * 4;
      return [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
    },
  };
}

/** Parses a computed `rgb()`/`rgba()` colour. */
export function parseRgb(color: string): Rgba {
  const m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+))?\s*\)$/.exec(color);
  if (!m) throw new Error(`not an rgb() colour: ${color}`);
  return [Number(m[1]), Number(m[2]), Number(m[3]), Math.round(255 * (m[4] === undefined ? 1 : Number(m[4])))];
}

/** `top` drawn over the opaque `under` (source-over), as the compositor does. */
export function over(top: Rgba, under: Rgba): Rgba {
  const a = top[3] / 255;
  return [0, 1, 2].map((i) => Math.round(top[i]! * a + under[i]! * (1 - a))) as unknown as Rgba;
}

/** WCAG 2 relative luminance and contrast ratio of two opaque colours. */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const lum = (c: Rgba): number => {
    const [r, g, bl] = [c[0], c[1], c[2]].map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}
