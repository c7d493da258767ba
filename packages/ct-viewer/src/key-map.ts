/**
 * The keyboard of `<ct-viewer>`: which key does what. A pure map from a key press to an action,
 * so the element only carries actions out and the keys are documented and tested in one place.
 */

/** What a key does to the viewer. */
export type KeyAction =
  | { readonly kind: 'step'; readonly delta: number }
  | { readonly kind: 'first' }
  | { readonly kind: 'last' }
  | { readonly kind: 'zoom'; readonly factor: number }
  | { readonly kind: 'reset' }
  | { readonly kind: 'invert' }
  | { readonly kind: 'slab' }
  | { readonly kind: 'cine' };

/** Zoom factor of one `+` press (and of the toolbar's zoom-in button); `-` zooms by its inverse. */
export const ZOOM_STEP = 1.25;

/** The keys the viewer answers (`KeyboardEvent.key` values). */
export const VIEWER_KEYS = [
  'ArrowUp',
  'ArrowLeft',
  'ArrowDown',
  'ArrowRight',
  'PageUp',
  'PageDown',
  'Home',
  'End',
  '+',
  '=',
  '-',
  '0',
  'i',
  'm',
  ' ',
] as const;
export type ViewerKey = (typeof VIEWER_KEYS)[number];

/** The part of a `KeyboardEvent` the map reads. */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
  readonly altKey?: boolean;
}

/** Slices one PageUp/PageDown moves: a tenth of the series, at least one. */
export function pageStep(sliceCount: number): number {
  return Math.max(1, Math.round(sliceCount / 10));
}

/**
 * The action of `press` on a series of `sliceCount` slices, or null when the viewer leaves the
 * key alone (unknown keys, and any key with Ctrl, Meta or Alt, which belong to the browser).
 * Up/Left go one slice down the stack, Down/Right one up; PageUp/PageDown a tenth of the series;
 * Home/End the first and last slice; `+`/`=` and `-` zoom; `0` fits and resets; `i` inverts;
 * `m` toggles a 10 mm MIP slab (`DEFAULT_SLAB`) on and off; Space plays and pauses cine.
 */
export function keyAction(press: KeyPress, sliceCount: number): KeyAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  const page = pageStep(sliceCount);
  switch (press.key) {
    case 'ArrowUp':
    case 'ArrowLeft':
      return { kind: 'step', delta: -1 };
    case 'ArrowDown':
    case 'ArrowRight':
      return { kind: 'step', delta: 1 };
    case 'PageUp':
      return { kind: 'step', delta: -page };
    case 'PageDown':
      return { kind: 'step', delta: page };
    case 'Home':
      return { kind: 'first' };
    case 'End':
      return { kind: 'last' };
    case '+':
    case '=':
      return { kind: 'zoom', factor: ZOOM_STEP };
    case '-':
      return { kind: 'zoom', factor: 1 / ZOOM_STEP };
    case '0':
      return { kind: 'reset' };
    case 'i':
      return { kind: 'invert' };
    case 'm':
      return { kind: 'slab' };
    case ' ':
      return { kind: 'cine' };
    default:
      return null;
  }
}
