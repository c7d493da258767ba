/**
 * Generic helpers of the browser tests (every `test/<element>/` folder uses them): the
 * environment the Node side prepared, waiting for an event typed on the global event map,
 * waiting for a condition, and fetching test data. No Node imports: this runs in Chromium (and,
 * for its own unit test, in Node, which has `EventTarget` but no animation frames).
 */
import type { BrowserTestEnv } from './browser-env.ts';

let envPromise: Promise<BrowserTestEnv> | null = null;

/** What the Node side prepared: Orthanc studies, phantom truth, data URLs. */
export function testEnv(): Promise<BrowserTestEnv> {
  envPromise ??= fetch('/__env.json').then((r) => {
    if (!r.ok) throw new Error('Run the browser tests through `pnpm test` (it starts Orthanc and serves /__env.json).');
    return r.json() as Promise<BrowserTestEnv>;
  });
  return envPromise;
}

/** An event name of the global event map (every `ct-*` event of the elements is in it). */
export type MappedEventName = keyof GlobalEventHandlersEventMap;

/**
 * Resolves with the next event `type` on `target`, typed from the global event map
 * (`nextEvent(viewer, 'ct-series-load')` is a `SeriesLoadEvent`); rejects after `timeoutMs`.
 * For a name outside the map, give the event class: `nextEvent<MyEvent>(target, 'my-event')`.
 */
export function nextEvent<K extends MappedEventName>(
  target: EventTarget,
  type: K,
  timeoutMs?: number,
): Promise<GlobalEventHandlersEventMap[K]>;
export function nextEvent<T extends Event>(target: EventTarget, type: string, timeoutMs?: number): Promise<T>;
export function nextEvent(target: EventTarget, type: string, timeoutMs = 20_000): Promise<Event> {
  return new Promise((resolve, reject) => {
    const listener = (event: Event): void => {
      clearTimeout(timer);
      resolve(event);
    };
    const timer = setTimeout(() => {
      target.removeEventListener(type, listener);
      reject(new Error(`No ${type} within ${timeoutMs} ms`));
    }, timeoutMs);
    target.addEventListener(type, listener, { once: true });
  });
}

const nextFrame = (): Promise<unknown> =>
  new Promise((resolve) =>
    typeof requestAnimationFrame === 'function' ? requestAnimationFrame(resolve) : setTimeout(resolve, 16),
  );

/**
 * Resolves when `predicate` holds, polling each animation frame. A predicate that throws (e.g.
 * the annotation layer is not there yet) counts as not holding; its last error is named if the
 * wait times out.
 */
export async function until(predicate: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const start = performance.now();
  let lastError: unknown = null;
  const holds = (): boolean => {
    try {
      return predicate();
    } catch (error) {
      lastError = error;
      return false;
    }
  };
  while (!holds()) {
    if (performance.now() - start > timeoutMs) {
      const reason = lastError ? ` (last: ${lastError instanceof Error ? lastError.message : String(lastError)})` : '';
      throw new Error(`Timed out waiting for ${what}${reason}`);
    }
    await nextFrame();
  }
}

/** Resolves after `ms` milliseconds (lets an engine finish a render it does not announce). */
export function settle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The bytes at `url` (test data served by the runner); throws on an HTTP error. */
export async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
