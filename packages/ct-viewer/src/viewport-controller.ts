import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  describeValue,
  isEngineProvider,
  isViewportEngine,
  ViewerError,
  type EngineViewport,
  type ViewportEngine,
} from '@secondread/core';

function notAnEngine(value: unknown): ViewerError {
  return new ViewerError(
    'render',
    `The engine property is not a rendering engine (${describeValue(value)}): it takes an object with createViewport(), or a function that resolves to one.`,
  );
}

/**
 * The engine's code did not load or did not start (a bundler left out a module it needs, a
 * blocked script, WebGL set-up throwing): an `engine-unavailable` error, not a damaged series.
 * Typed errors an engine throws itself keep their code.
 */
export function engineUnavailable(error: unknown): ViewerError {
  if (error instanceof ViewerError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new ViewerError('engine-unavailable', `The rendering engine could not start (${reason}).`, undefined, {
    cause: error,
  });
}

/** Resolves the rendering engine lazily, so the engine's code loads only when a series is shown. */
export type EngineProvider = ViewportEngine | (() => Promise<ViewportEngine>);

let defaultEnginePromise: Promise<ViewportEngine> | null = null;

/** The default engine: Cornerstone3D, imported on first use. */
export function loadDefaultEngine(): Promise<ViewportEngine> {
  defaultEnginePromise ??= import('@secondread/cornerstone').then(
    (m) => m.cornerstoneEngine,
    (error: unknown) => {
      // The next load tries again (a reload after a network hiccup may succeed).
      defaultEnginePromise = null;
      throw engineUnavailable(error);
    },
  );
  return defaultEnginePromise;
}

/**
 * Owns one engine viewport for a host element: creates it on demand, keeps it through a
 * move in the DOM (disconnect then connect in the same task), resizes it with its element,
 * and releases it when the host leaves the page.
 */
export class ViewportController implements ReactiveController {
  private viewport: EngineViewport | null = null;
  private engine: ViewportEngine | null = null;
  private releaseTimer: ReturnType<typeof setTimeout> | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private observed: HTMLElement | null = null;
  private releasedWhileAway = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly onRelease: () => void,
    private readonly onReturn: () => void,
  ) {
    host.addController(this);
  }

  get current(): EngineViewport | null {
    return this.viewport;
  }

  get renderer(): 'gpu' | 'cpu' | null {
    return this.engine?.renderer ?? null;
  }

  /**
   * The engine `provider` gives (the default one without it). Anything that is not an engine
   * (`engine = {}`, a function that resolves to something else) fails with a typed `render`
   * error, so the viewer shows its error panel and fires `ct-error` instead of staying empty.
   */
  async resolveEngine(provider: EngineProvider | undefined): Promise<ViewportEngine> {
    if (provider === undefined || provider === null) return loadDefaultEngine();
    if (!isEngineProvider(provider)) throw notAnEngine(provider);
    let engine: unknown;
    try {
      engine = typeof provider === 'function' ? await provider() : provider;
    } catch (error) {
      throw engineUnavailable(error);
    }
    if (!isViewportEngine(engine)) throw notAnEngine(engine);
    return engine;
  }

  /** The viewport on `element`, created with `engine` if there is none yet. */
  acquire(engine: ViewportEngine, element: HTMLDivElement): EngineViewport {
    if (this.viewport && this.engine === engine) return this.viewport;
    this.release();
    let viewport: EngineViewport;
    try {
      viewport = engine.createViewport(element);
    } catch (error) {
      throw engineUnavailable(error);
    }
    this.engine = engine;
    this.viewport = viewport;
    this.observed = element;
    // Resize only on a real change: the observer's first call reports the current size.
    let size = `${element.clientWidth}x${element.clientHeight}`;
    this.resizeObserver = new ResizeObserver(() => {
      const next = `${element.clientWidth}x${element.clientHeight}`;
      if (next === size) return;
      size = next;
      this.viewport?.resize();
    });
    this.resizeObserver.observe(element);
    return this.viewport;
  }

  hostConnected(): void {
    if (this.releasedWhileAway) {
      this.releasedWhileAway = false;
      this.onReturn();
    }
    if (this.releaseTimer !== null) {
      clearTimeout(this.releaseTimer);
      this.releaseTimer = null;
      this.viewport?.resize();
    }
  }

  hostDisconnected(): void {
    // A move in the DOM disconnects and reconnects in one task: keep the viewport then.
    this.releaseTimer = setTimeout(() => {
      this.releaseTimer = null;
      if (!this.host.isConnected) {
        this.releasedWhileAway = this.viewport !== null;
        this.release();
        this.onRelease();
      }
    }, 0);
  }

  release(): void {
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    this.observed = null;
    this.viewport?.destroy();
    this.viewport = null;
  }
}
