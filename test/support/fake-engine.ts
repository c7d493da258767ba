/**
 * A fake rendering engine for the browser tests: a {@link ViewportEngine} with no WebGL and no
 * Cornerstone, handed to a viewer through its `engine` property. It "shows" a series by
 * reporting every image loaded at once, answers `valueAt` with a value of its own choosing, and
 * lets a test play the reader drawing on it (`draw`), so the elements' wiring (state, events,
 * values) is tested against the engine contract alone.
 */
import type {
  EngineAnnotation,
  EngineAnnotationEvent,
  EngineAnnotations,
  EngineLayerOptions,
  EngineViewport,
  EngineViewportEvents,
  PointValue,
  SeriesModel,
  SliceImageStatus,
  ViewportEngine,
  Voi,
} from '@secondread/core';

/** The value the fake answers under every point (no real CT has it: it cannot come from pixels). */
export const FAKE_VALUE = 1234;

/** What a fake viewport records, for assertions. */
export class FakeAnnotations implements EngineAnnotations {
  tool: string = 'none';
  readonly layers = new Map<string, { annotations: readonly EngineAnnotation[]; options: EngineLayerOptions }>();
  private readonly listeners = new Set<(event: EngineAnnotationEvent) => void>();

  setTool(kind: string): Promise<void> {
    this.tool = kind;
    return Promise.resolve();
  }
  showLayer(layer: string, annotations: readonly EngineAnnotation[], options: EngineLayerOptions): Promise<void> {
    this.layers.set(layer, { annotations, options });
    return Promise.resolve();
  }
  remove(id: string): void {
    for (const [name, layer] of this.layers) {
      this.layers.set(name, { ...layer, annotations: layer.annotations.filter((a) => a.id !== id) });
    }
  }
  setDefaultText(): void {}
  select(): void {}
  on(listener: (event: EngineAnnotationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  slicePixels(): null {
    return null;
  }
  /** Plays the reader finishing a drawing, as the real engine reports it. */
  draw(annotation: EngineAnnotation): void {
    for (const listener of this.listeners) listener({ type: 'add', annotation });
  }
}

export class FakeViewport implements EngineViewport {
  readonly annotations = new FakeAnnotations();
  sliceIndex = 0;
  imageStatus: SliceImageStatus = 'pending';
  series: SeriesModel | null = null;
  destroyed = false;
  private voi: Voi | null = null;
  private zoom = 1;
  private pan: readonly [number, number] = [0, 0];
  private readonly listeners = new Map<keyof EngineViewportEvents, Set<(...args: never[]) => void>>();

  async showSeries(
    series: SeriesModel,
    _pixels: unknown,
    initialIndex: number,
    callbacks: { onProgress?(loaded: number, total: number): void; onFirstImage?(): void },
  ): Promise<void> {
    await Promise.resolve();
    this.series = series;
    this.sliceIndex = initialIndex;
    this.imageStatus = 'shown';
    this.voi = { center: 40, width: 400 };
    const total = series.instances.length;
    callbacks.onFirstImage?.();
    callbacks.onProgress?.(total, total);
    this.emit('image', 'shown');
    this.emit('rendered');
  }
  setSliceIndex(index: number): void {
    this.sliceIndex = index;
    this.emit('slice', index);
    this.emit('rendered');
  }
  getVoi(): Voi | null {
    return this.voi;
  }
  setVoi(voi: Voi): void {
    this.voi = voi;
    this.emit('voi', voi);
  }
  setInvert(): void {}
  getZoom(): number {
    return this.zoom;
  }
  setZoom(zoom: number): void {
    this.zoom = zoom;
    this.emit('camera');
  }
  panBy(): void {}
  getPan(): readonly [number, number] {
    return this.pan;
  }
  setPan(pan: readonly [number, number]): void {
    this.pan = pan;
    this.emit('camera');
  }
  resetCamera(): void {
    this.zoom = 1;
    this.pan = [0, 0];
    this.emit('camera');
  }
  mmPerCanvasPixel(): number | null {
    return 1;
  }
  valueAt(x: number, y: number): PointValue | null {
    return { value: FAKE_VALUE, column: Math.floor(x), row: Math.floor(y), positionMm: [x, y, 0] };
  }
  setDragMode(): void {}
  resize(): void {}
  capturePng(): Promise<Blob> {
    return Promise.resolve(new Blob([], { type: 'image/png' }));
  }
  on<K extends keyof EngineViewportEvents>(event: K, listener: EngineViewportEvents[K]): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener as (...args: never[]) => void);
    return () => set.delete(listener as (...args: never[]) => void);
  }
  destroy(): void {
    this.destroyed = true;
    this.listeners.clear();
  }
  private emit<K extends keyof EngineViewportEvents>(event: K, ...args: Parameters<EngineViewportEvents[K]>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }
}

/** A fake engine; `viewports` holds every viewport it made, in order. */
export class FakeEngine implements ViewportEngine {
  readonly renderer = 'gpu' as const;
  readonly viewports: FakeViewport[] = [];
  createViewport(): EngineViewport {
    const viewport = new FakeViewport();
    this.viewports.push(viewport);
    return viewport;
  }
}
