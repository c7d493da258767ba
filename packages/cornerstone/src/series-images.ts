/**
 * The images of one series on one viewport: which are loaded, which failed, which are still
 * on their way; loads them nearest-first a few at a time, retries failed ones when the reader
 * reaches them, when another image loads again (the server is back) and in backoff rounds, and
 * puts each decoded image in Cornerstone's cache itself — so that Cornerstone never starts a
 * load that can fail (its own `loadAndCacheImage` leaves an unhandled rejection behind every
 * failure).
 */
import { cache, imageLoader } from '@cornerstonejs/core';
import { isAbort, retryDelayMs, ViewerError, type ImageLoadCounts, type RetryPolicy } from '@secondread/core';
import { dropFrame } from './setup.js';
import { decodeError } from './frame-loader.js';

export type ImageState = 'pending' | 'loaded' | 'failed';

export interface SeriesImagesOptions {
  readonly imageIds: readonly string[];
  /** Index of the slice the reader is on (loads go nearest first). */
  readonly currentIndex: () => number;
  /** True once the viewport shows another series or is gone: nothing is cached any more. */
  readonly stale: () => boolean;
  /** Timing of the retry rounds for failed images. */
  readonly policy: RetryPolicy;
  /** Called after every change of an image's state. */
  readonly onChange: (imageId: string, state: ImageState, error?: ViewerError) => void;
  /** Images loading at once. */
  readonly concurrency?: number;
}

export class SeriesImages {
  private readonly states = new Map<string, ImageState>();
  private readonly errors = new Map<string, ViewerError>();
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private readonly indexOf = new Map<string, number>();
  private readonly queued = new Set<string>();
  private running = 0;
  private idle: (() => void)[] = [];
  private round = 0;
  private roundTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly options: SeriesImagesOptions) {
    options.imageIds.forEach((id, index) => {
      this.indexOf.set(id, index);
      this.states.set(id, cache.isLoaded(id) ? 'loaded' : 'pending');
    });
  }

  state(imageId: string): ImageState {
    return this.states.get(imageId) ?? 'pending';
  }

  error(imageId: string): ViewerError | undefined {
    return this.errors.get(imageId);
  }

  counts(): { loaded: number; total: number } & ImageLoadCounts {
    let loaded = 0;
    let failed = 0;
    for (const state of this.states.values()) {
      if (state === 'loaded') loaded++;
      else if (state === 'failed') failed++;
    }
    const total = this.options.imageIds.length;
    return { loaded, total, failed, pending: total - loaded - failed };
  }

  /**
   * Loads one image now (or joins its load under way).
   * @returns true once it is decoded and in the cache, false when it failed.
   */
  load(imageId: string): Promise<boolean> {
    if (cache.isLoaded(imageId)) {
      this.set(imageId, 'loaded');
      return Promise.resolve(true);
    }
    const running = this.inFlight.get(imageId);
    if (running) return running;
    const work = (async (): Promise<boolean> => {
      try {
        const image = await imageLoader.loadImage(imageId);
        if (this.options.stale() || this.disposed) return false;
        if (!cache.getImageLoadObject(imageId)) cache.putImageSync(imageId, image);
        this.errors.delete(imageId);
        const recovered = this.counts().failed > 0 && this.round > 0;
        this.set(imageId, 'loaded');
        // An image came after failures: the server is back, try the failed ones again now.
        if (recovered) this.retryFailed();
        return true;
      } catch (error) {
        // Cancelled (another load took over, the element went away): nothing failed.
        if (this.options.stale() || this.disposed || isAbort(error)) return false;
        // Ours are typed already; the local-file loader's decode failures are typed here.
        const viewerError = error instanceof ViewerError ? error : decodeError(error);
        this.errors.set(imageId, viewerError);
        this.set(imageId, 'failed', viewerError);
        return false;
      } finally {
        this.inFlight.delete(imageId);
        dropFrame(imageId);
      }
    })();
    this.inFlight.set(imageId, work);
    return work;
  }

  /** Queues images for loading (nearest the reader first). */
  push(...imageIds: readonly string[]): void {
    for (const id of imageIds) if (this.state(id) !== 'loaded') this.queued.add(id);
    this.pump();
  }

  /** Loads every image not loaded yet; resolves when the queue is empty (failures included). */
  loadAll(): Promise<void> {
    this.push(...this.options.imageIds);
    return this.drained();
  }

  drained(): Promise<void> {
    if (!this.queued.size && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Queues every failed image again at once. */
  retryFailed(): void {
    if (this.disposed) return;
    clearTimeout(this.roundTimer);
    this.roundTimer = undefined;
    this.push(...[...this.states].filter(([, s]) => s === 'failed').map(([id]) => id));
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.roundTimer);
    this.queued.clear();
    for (const resolve of this.idle.splice(0)) resolve();
  }

  private set(imageId: string, state: ImageState, error?: ViewerError): void {
    if (this.disposed) return;
    if (state === 'loaded' && this.counts().failed === 0) this.round = 0;
    const before = this.states.get(imageId);
    this.states.set(imageId, state);
    if (before !== state || state === 'failed') this.options.onChange(imageId, state, error);
  }

  private pump(): void {
    if (this.options.stale() || this.disposed) this.queued.clear();
    const concurrency = this.options.concurrency ?? 3;
    while (this.running < concurrency && this.queued.size) {
      const current = this.options.currentIndex();
      let best: string | null = null;
      let bestDistance = Infinity;
      for (const id of this.queued) {
        const distance = Math.abs((this.indexOf.get(id) ?? 0) - current);
        if (distance < bestDistance) [best, bestDistance] = [id, distance];
      }
      this.queued.delete(best!);
      this.running++;
      void this.load(best!).finally(() => {
        this.running--;
        this.pump();
      });
    }
    if (!this.queued.size && !this.running) {
      for (const resolve of this.idle.splice(0)) resolve();
      this.scheduleRound();
    }
  }

  /**
   * Failed images after a pass: try again after a growing delay (one image first; when it
   * loads, all the others follow at once).
   */
  private scheduleRound(): void {
    if (this.disposed || this.options.stale() || this.roundTimer !== undefined) return;
    const failed = [...this.states].filter(([, s]) => s === 'failed').map(([id]) => id);
    if (!failed.length) return;
    this.round++;
    const { policy } = this.options;
    const delay = retryDelayMs(
      { ...policy, baseDelayMs: Math.max(policy.baseDelayMs, 1000), maxDelayMs: Math.max(policy.maxDelayMs, 30_000) },
      this.round,
    );
    this.roundTimer = setTimeout(() => {
      this.roundTimer = undefined;
      if (this.disposed || this.options.stale()) return;
      const current = this.options.currentIndex();
      const probe = failed.sort(
        (a, b) => Math.abs((this.indexOf.get(a) ?? 0) - current) - Math.abs((this.indexOf.get(b) ?? 0) - current),
      )[0]!;
      this.push(probe);
    }, delay);
  }
}
