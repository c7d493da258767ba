/**
 * Cine for `<ct-viewer>`: pages through the slices at a frame rate, looping at the end, while
 * the host's `cine` is true. The host says what one frame does (the stack or the active plane
 * steps one slice, wrapping); the controller owns the timer and stops it when the host leaves
 * the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Default frames per second of cine. */
export const DEFAULT_CINE_FPS = 15;

/** Whether the reader asked the system for reduced motion (then cine never starts by itself). */
export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

export class CineController implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | null = null;
  private fps = DEFAULT_CINE_FPS;

  constructor(
    host: ReactiveControllerHost,
    /** One frame: advance one slice (wrapping to the first after the last). */
    private readonly advance: () => void,
  ) {
    host.addController(this);
  }

  get playing(): boolean {
    return this.timer !== null;
  }

  /** Plays at `fps` frames per second (1–60), or stops. */
  set(play: boolean, fps: number): void {
    const rate = Math.max(1, Math.min(60, fps));
    if (play && this.timer !== null && rate === this.fps) return;
    this.stop();
    this.fps = rate;
    if (play) this.timer = setInterval(() => this.advance(), 1000 / rate);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  hostDisconnected(): void {
    this.stop();
  }
}
