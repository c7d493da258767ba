/**
 * The one home of the checks the elements run on values a host page sets (attributes, properties
 * and method arguments). Portals set wrong values — `tool="nope"`, `timeout-ms="abc"`,
 * `camera = { zoom: NaN }` — and such a value must never break an element: it is ignored with one
 * console warning that names the allowed values, and the element keeps its last good state.
 * Pure functions, no DOM: the elements decide what "keep" means for each property.
 */
import type { ViewportEngine } from './engine.js';
import type { Voi } from './presets.js';

/** A check of one kind of value, with the words that tell a developer what is allowed. */
export interface ValueRule<T> {
  /** Whether `value` is allowed. */
  readonly test: (value: unknown) => value is T;
  /** What is allowed, for the warning (e.g. `one of "none", "length"`). */
  readonly allowed: string;
}

/** A short, safe rendering of a rejected value for a warning (never a whole object graph). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return 'a function';
  try {
    const json = JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
    );
    if (json !== undefined) return json.length > 80 ? `${json.slice(0, 80)}…` : json;
  } catch {
    // Cyclic or otherwise unprintable: named by its kind below.
  }
  return Array.isArray(value) ? 'an array' : 'an object';
}

/**
 * Whether `value` passes `rule`; if not, one console warning
 * (`<ct-viewer>: drag-mode "nope" is ignored; allowed: one of …`). Use it where a value is set,
 * once per assignment, so one bad value gives one warning.
 */
export function acceptValue<T>(element: string, name: string, value: unknown, rule: ValueRule<T>): value is T {
  if (rule.test(value)) return true;
  console.warn(`<${element}>: ${name} ${describeValue(value)} is ignored; allowed: ${rule.allowed}.`);
  return false;
}

/** A rule for the members of an `as const` list (tools, drag modes, presets). */
export function oneOf<T extends string>(values: readonly T[]): ValueRule<T> {
  return {
    test: (value: unknown): value is T => typeof value === 'string' && (values as readonly string[]).includes(value),
    allowed: `one of ${values.map((v) => `"${v}"`).join(', ')}`,
  };
}

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isPositive = (value: unknown): value is number => isFiniteNumber(value) && value > 0;

/** A finite number above 0 (a timeout, a zoom, a zoom factor). */
export const POSITIVE_NUMBER: ValueRule<number> = { test: isPositive, allowed: 'a finite number above 0' };

/** A timeout in ms: finite and above 0 (`0`, `-1` or `abc` would make every request fail at once). */
export const TIMEOUT_MS: ValueRule<number> = { test: isPositive, allowed: 'a number of milliseconds above 0' };

/** Whether `value` is a window `{ center, width }` in HU with a finite centre and a finite width above 0. */
export const VOI: ValueRule<Voi> = {
  test: (value: unknown): value is Voi => {
    if (typeof value !== 'object' || value === null) return false;
    const { center, width } = value as Partial<Voi>;
    return isFiniteNumber(center) && isPositive(width);
  },
  allowed: '{ center, width } in HU, finite, width above 0',
};

/** A camera as `camera` accepts it: a zoom, a pan in mm, or both. */
export interface CameraInput {
  /** Zoom relative to "fit" (1 shows the whole image); finite, above 0. */
  readonly zoom?: number;
  /** Pan of the image centre on the image plane, mm: two finite numbers. */
  readonly panMm?: readonly [number, number];
}

const isPan = (value: unknown): value is readonly [number, number] =>
  Array.isArray(value) && value.length === 2 && value.every(isFiniteNumber);

/** `{ zoom?, panMm? }` with at least one of them, each valid (see {@link CameraInput}). */
export const CAMERA: ValueRule<CameraInput> = {
  test: (value: unknown): value is CameraInput => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const { zoom, panMm } = value as Record<string, unknown>;
    if (zoom === undefined && panMm === undefined) return false;
    return (zoom === undefined || isPositive(zoom)) && (panMm === undefined || isPan(panMm));
  },
  allowed: '{ zoom, panMm } with zoom a finite number above 0 and panMm two finite numbers (mm)',
};

/** A point in patient coordinates: three finite numbers (mm). */
export const POINT: ValueRule<readonly [number, number, number]> = {
  test: (value: unknown): value is readonly [number, number, number] =>
    Array.isArray(value) && value.length === 3 && value.every(isFiniteNumber),
  allowed: 'three finite numbers (patient coordinates, mm)',
};

/** A slab thickness: 0 (a thin slice) up to 500 mm. */
export const SLAB_MM: ValueRule<number> = {
  test: (value: unknown): value is number => isFiniteNumber(value) && value >= 0 && value <= 500,
  allowed: 'a number of millimetres from 0 (thin) to 500',
};

/** Cine frames per second: 1 to 60. */
export const CINE_FPS: ValueRule<number> = {
  test: (value: unknown): value is number => isFiniteNumber(value) && value >= 1 && value <= 60,
  allowed: 'a number of frames per second from 1 to 60',
};

/** A picture rotation: 0, 90, 180 or 270 degrees. */
export const ROTATION: ValueRule<number> = {
  test: (value: unknown): value is number => value === 0 || value === 90 || value === 180 || value === 270,
  allowed: '0, 90, 180 or 270',
};

/** A slice index of a series with `count` slices: an integer from 0 to `count - 1`. */
export function sliceIndexRule(count: number): ValueRule<number> {
  return {
    test: (value: unknown): value is number =>
      Number.isInteger(value) && (value as number) >= 0 && (value as number) < count,
    allowed: count > 0 ? `an integer from 0 to ${count - 1}` : 'an index once a series is shown',
  };
}

/** Whether `value` is an engine (`createViewport`) or a function that gives one, as `engine` accepts. */
export function isEngineProvider(value: unknown): value is ViewportEngine | (() => Promise<ViewportEngine>) {
  return typeof value === 'function' || isViewportEngine(value);
}

/** Whether `value` has the shape of a {@link ViewportEngine} (a `createViewport` method). */
export function isViewportEngine(value: unknown): value is ViewportEngine {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<ViewportEngine>).createViewport === 'function'
  );
}

/** Whether (x, y) is a point at all: two finite numbers. `valueAt` answers null for anything else. */
export function isFinitePoint(x: unknown, y: unknown): boolean {
  return isFiniteNumber(x) && isFiniteNumber(y);
}
