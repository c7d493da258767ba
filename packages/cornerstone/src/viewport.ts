import {
  cache,
  Enums,
  eventTarget,
  imageLoader,
  metaData,
  utilities,
  type StackViewport,
  type Types,
} from '@cornerstonejs/core';
import { metaData as metadataRegistry, utilities as metadataUtilities } from '@cornerstonejs/metadata';
import { wadouri } from '@cornerstonejs/dicom-image-loader';
import dicomParser from 'dicom-parser';
import {
  errorCodeForHttpStatus,
  toViewerError,
  ViewerError,
  type DragMode,
  type EngineViewport,
  type EngineViewportEvents,
  type EngineAnnotationEvent,
  type EngineAnnotations,
  type MeasurementKind,
  type PointValue,
  type SeriesModel,
  type SeriesPixels,
  type ShowSeriesCallbacks,
  type Voi,
  type ErrorCode,
} from '@secondread/core';
import { dropFrame, registerHeaders, sharedRenderingEngine, storeFrame } from './setup.js';
import type { ViewportInteraction } from './interaction.js';
import { setPendingText } from './pending-text.js';

let viewportCounter = 0;

/** Runs `work` for queued items, `concurrency` at a time, smallest `priority` first. */
class PrefetchQueue {
  private readonly queued = new Set<string>();
  private running = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly work: (item: string) => Promise<void>,
    private readonly priority: (item: string) => number,
    private readonly cancelled: () => boolean,
    private readonly concurrency = 3,
  ) {}

  push(...items: string[]): void {
    for (const item of items) this.queued.add(item);
    this.pump();
  }

  drained(): Promise<void> {
    if (!this.queued.size && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    if (this.cancelled()) this.queued.clear();
    while (this.running < this.concurrency && this.queued.size) {
      let best: string | null = null;
      let bestPriority = Infinity;
      for (const item of this.queued) {
        const p = this.priority(item);
        if (p < bestPriority) [best, bestPriority] = [item, p];
      }
      this.queued.delete(best!);
      this.running++;
      void this.work(best!).finally(() => {
        this.running--;
        this.pump();
      });
    }
    if (!this.queued.size && !this.running) for (const resolve of this.idle.splice(0)) resolve();
  }
}

/** How many viewports use each image id, so a viewport releases only the images it alone used. */
const imageUsers = new Map<string, number>();

function errorCodeOf(error: unknown): ErrorCode {
  const text = String((error as { message?: string })?.message ?? error);
  if (/transfer ?syntax|no decoder|not supported/i.test(text)) return 'unsupported-transfer-syntax';
  const status = (error as { request?: { status?: number } })?.request?.status;
  return typeof status === 'number' ? errorCodeForHttpStatus(status) : 'corrupt';
}

/** Pixel data of a single-frame Part 10 object, as the image loader wants it. */
function pixelDataOf(bytes: Uint8Array): { sopInstanceUid: string; pixelData: Uint8Array; transferSyntaxUid: string } {
  const dataSet = dicomParser.parseDicom(bytes);
  const element = dataSet.elements['x7fe00010'];
  if (!element) throw new ViewerError('not-an-image', 'A DICOM object of the series has no pixel data.');
  const transferSyntaxUid = dataSet.string('x00020010') ?? '1.2.840.10008.1.2';
  const pixelData = element.encapsulatedPixelData
    ? dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0, element.fragments?.length ?? 1)
    : bytes.subarray(element.dataOffset, element.dataOffset + element.length);
  return { sopInstanceUid: dataSet.string('x00080018') ?? '', pixelData, transferSyntaxUid };
}

/** A Cornerstone3D stack viewport behind the {@link EngineViewport} contract. */
export class CornerstoneViewport implements EngineViewport {
  private readonly viewportId = `secondread-viewport-${++viewportCounter}`;
  private readonly engine = sharedRenderingEngine();
  private readonly viewport: StackViewport;
  private readonly listeners = new Map<keyof EngineViewportEvents, Set<(...args: never[]) => void>>();
  private readonly disposers: (() => void)[] = [];
  private imageIds: string[] = [];
  private readonly imageIdBySop = new Map<string, string>();
  private readonly sopByImageId = new Map<string, string>();
  private readonly indexByImageId = new Map<string, number>();
  private fileIndexes: number[] = [];
  private interaction: ViewportInteraction | null = null;
  private dragMode: DragMode = 'window-level';
  private measurementTool: MeasurementKind | 'none' = 'none';
  private destroyed = false;
  private generation = 0;

  constructor(private readonly element: HTMLDivElement) {
    this.engine.enableElement({
      viewportId: this.viewportId,
      element,
      type: Enums.ViewportType.STACK,
      defaultOptions: { background: [0, 0, 0] },
    });
    this.viewport = this.engine.getViewport<StackViewport>(this.viewportId);
    const listen = (type: string, handler: (event: Event) => void): void => {
      element.addEventListener(type, handler);
      this.disposers.push(() => element.removeEventListener(type, handler));
    };
    listen(Enums.Events.STACK_NEW_IMAGE, () => this.emit('slice', this.viewport.getCurrentImageIdIndex()));
    listen(Enums.Events.VOI_MODIFIED, () => {
      const voi = this.getVoi();
      if (voi) this.emit('voi', voi);
    });
    listen(Enums.Events.CAMERA_MODIFIED, () => this.emit('camera'));
    listen(Enums.Events.IMAGE_RENDERED, () => this.emit('rendered'));
    // The tools (and with them Cornerstone's wheel scrolling) load lazily after the first image:
    // until then the wheel still pages through the slices, as a reader expects at once.
    listen('wheel', (event) => {
      const wheel = event as WheelEvent;
      if (this.interaction || !this.imageIds.length || wheel.deltaY === 0 || wheel.ctrlKey) return;
      wheel.preventDefault();
      this.setSliceIndex(this.sliceIndex + Math.sign(wheel.deltaY));
    });
  }

  on<K extends keyof EngineViewportEvents>(event: K, listener: EngineViewportEvents[K]): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return () => set.delete(listener);
  }

  private emit<K extends keyof EngineViewportEvents>(event: K, ...args: Parameters<EngineViewportEvents[K]>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: typeof args) => void)(...args);
  }

  async showSeries(
    series: SeriesModel,
    pixels: SeriesPixels,
    initialIndex: number,
    callbacks: ShowSeriesCallbacks,
  ): Promise<void> {
    const generation = ++this.generation;
    this.releaseImages();
    const total = series.instances.length;
    const loaded = new Set<string>();
    const stale = (): boolean => this.destroyed || generation !== this.generation;
    const report = (imageId: string): void => {
      if (stale() || loaded.has(imageId)) return;
      loaded.add(imageId);
      callbacks.onProgress?.(loaded.size, total);
    };
    let failures = 0;
    const onFailed = (event: Event): void => {
      const detail = (event as CustomEvent<{ imageId?: string; error?: unknown }>).detail;
      if (!detail?.imageId || !this.indexByImageId.has(detail.imageId) || stale()) return;
      failures++;
      if (failures === 1) {
        callbacks.onError?.(
          errorCodeOf(detail.error),
          `An image of the series could not be loaded (${String((detail.error as Error)?.message ?? detail.error)}).`,
        );
      }
    };
    eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_FAILED, onFailed);
    this.disposers.push(() => eventTarget.removeEventListener(Enums.Events.IMAGE_LOAD_FAILED, onFailed));

    // Decode ahead of the reader, nearest slices first, a few at a time, so that a slice the
    // reader asks for (which Cornerstone loads with interaction priority) never waits behind
    // the whole series.
    const prefetch = new PrefetchQueue(
      (imageId) => this.decode(imageId, report),
      (imageId) => Math.abs((this.indexByImageId.get(imageId) ?? 0) - this.viewport.getCurrentImageIdIndex()),
      stale,
    );
    let streamAll: () => Promise<void>;
    let registerRest = (): void => undefined;
    if (pixels.kind === 'dicomweb') {
      const { source, metadata } = pixels;
      this.disposers.push(registerHeaders(source.root, source.headers));
      const uidToImageId = new Map<string, string>();
      this.imageIds = series.instances.map((instance) => {
        const imageId = `wadors:${source.instanceUrl(instance)}/frames/1`;
        uidToImageId.set(instance.sopInstanceUid, imageId);
        return imageId;
      });
      const register = (index: number): void => {
        const imageId = this.imageIds[index]!;
        if (!metaData.get('naturalized', imageId)) {
          void metadataUtilities.addDicomWebInstance(imageId, metadata[index] as Record<string, unknown>);
        }
      };
      // The first image needs only its own metadata; the rest is registered once it shows.
      register(initialIndex);
      registerRest = () => this.imageIds.forEach((_, index) => index !== initialIndex && register(index));
      for (const [index, frame] of pixels.prefetched ?? []) {
        const { bytes, transferSyntaxUid } = await frame;
        if (stale()) return;
        storeFrame(this.imageIds[index]!, bytes, transferSyntaxUid);
      }
      streamAll = async () => {
        try {
          for await (const part of source.streamSeries(series.studyUid, series.seriesUid)) {
            if (stale()) return;
            const { sopInstanceUid, pixelData, transferSyntaxUid } = pixelDataOf(part);
            const imageId = uidToImageId.get(sopInstanceUid);
            if (!imageId || cache.getImageLoadObject(imageId)) continue;
            storeFrame(imageId, pixelData, transferSyntaxUid);
            prefetch.push(imageId);
          }
        } catch (error) {
          if (stale()) return;
          // The series retrieve failed: fall back to one request per frame.
          const viewerError = toViewerError(error, 'corrupt');
          if (viewerError.code === 'unauthorized') callbacks.onError?.(viewerError.code, viewerError.message);
        }
        if (stale()) return;
        prefetch.push(...this.imageIds.filter((id) => !loaded.has(id)));
        await prefetch.drained();
      };
    } else {
      this.imageIds = pixels.objects.map((object) => {
        const imageId = wadouri.fileManager.add(new Blob([object.bytes as Uint8Array<ArrayBuffer>]));
        this.fileIndexes.push(Number(imageId.slice('dicomfile:'.length)));
        return imageId;
      });
      // The v5 loader reads local files through the naturalized metadata registry; the
      // frames themselves come from our frame store, so they never depend on its timing.
      await Promise.all(
        this.imageIds.map((imageId, index) => {
          const bytes = pixels.objects[index]!.bytes;
          const { pixelData, transferSyntaxUid } = pixelDataOf(bytes);
          storeFrame(imageId, pixelData, transferSyntaxUid);
          return metadataUtilities.addDicomPart10Instance(imageId, bytes);
        }),
      );
      if (stale()) return;
      streamAll = async () => {
        prefetch.push(...this.imageIds);
        await prefetch.drained();
      };
    }
    for (const id of this.imageIds) imageUsers.set(id, (imageUsers.get(id) ?? 0) + 1);
    this.imageIdBySop.clear();
    this.sopByImageId.clear();
    this.indexByImageId.clear();
    this.imageIds.forEach((imageId, index) => this.indexByImageId.set(imageId, index));
    series.instances.forEach((instance, index) => {
      this.imageIdBySop.set(instance.sopInstanceUid, this.imageIds[index]!);
      this.sopByImageId.set(this.imageIds[index]!, instance.sopInstanceUid);
    });

    try {
      await this.viewport.setStack(this.imageIds, initialIndex);
    } catch (error) {
      throw new ViewerError(
        errorCodeOf(error),
        `The first image could not be shown (${String((error as Error)?.message ?? error)}).`,
      );
    }
    if (stale()) return;
    const firstImage = this.viewport.getCornerstoneImage();
    if (!firstImage) throw new ViewerError('corrupt', 'The first image could not be decoded.');
    report(this.imageIds[initialIndex]!);
    dropFrame(this.imageIds[initialIndex]!);
    // Report the first image when its pixels have reached the canvas, not when a draw was asked for.
    const drawn = new Promise<void>((resolve) => {
      const off = this.on('rendered', () => {
        off();
        resolve();
      });
      setTimeout(() => {
        off();
        resolve();
      }, 1000);
    });
    this.viewport.render();
    await drawn;
    if (stale()) return;
    registerRest();
    callbacks.onFirstImage?.();
    void this.loadInteraction();
    await streamAll();
  }

  private async decode(imageId: string, report: (imageId: string) => void): Promise<void> {
    try {
      if (!cache.getImageLoadObject(imageId)) await imageLoader.loadAndCacheImage(imageId);
      else await cache.getImageLoadObject(imageId)!.promise;
      report(imageId);
    } catch {
      // IMAGE_LOAD_FAILED reports it.
    } finally {
      dropFrame(imageId);
    }
  }

  private async loadInteraction(): Promise<void> {
    if (this.interaction || this.destroyed) return;
    const { ViewportInteraction } = await import('./interaction.js');
    if (this.destroyed || this.interaction) return;
    this.interaction = new ViewportInteraction(this.viewportId, {
      viewportId: this.viewportId,
      element: this.element,
      imageIdOf: (sop) => this.imageIdBySop.get(sop),
      sopInstanceUidOf: (imageId) => this.sopByImageId.get(imageId),
      currentImageId: () => this.viewport.getCurrentImageId(),
      render: () => this.viewport.render(),
    });
    this.interaction.setDragMode(this.dragMode);
    this.interaction.setMeasurementTool(this.measurementTool);
    for (const listener of this.annotationListeners) this.interaction.annotations.on(listener);
  }

  private async ensureInteraction(): Promise<ViewportInteraction | null> {
    await this.loadInteraction();
    return this.interaction;
  }

  private readonly annotationListeners = new Set<(event: EngineAnnotationEvent) => void>();

  readonly annotations: EngineAnnotations = {
    setTool: async (kind) => {
      // The latest wish wins, whatever order the tools' module load resolves calls in.
      this.measurementTool = kind;
      (await this.ensureInteraction())?.setMeasurementTool(this.measurementTool);
    },
    showLayer: async (layer, list, options) => {
      (await this.ensureInteraction())?.annotations.showLayer(layer, list, options);
    },
    remove: (id) => this.interaction?.annotations.remove(id),
    setDefaultText: (text) => setPendingText(text),
    select: (id) => this.interaction?.annotations.select(id),
    on: (listener) => {
      this.annotationListeners.add(listener);
      const off = this.interaction?.annotations.on(listener);
      return () => {
        this.annotationListeners.delete(listener);
        off?.();
      };
    },
    slicePixels: (sopInstanceUid) => this.interaction?.annotations.slicePixels(sopInstanceUid) ?? null,
  };

  get sliceIndex(): number {
    return this.viewport.getCurrentImageIdIndex();
  }

  setSliceIndex(index: number): void {
    if (!this.imageIds.length) return;
    const clamped = Math.max(0, Math.min(this.imageIds.length - 1, Math.round(index)));
    if (clamped !== this.sliceIndex) void this.viewport.setImageIdIndex(clamped);
  }

  getVoi(): Voi | null {
    const range = this.viewport.getProperties()?.voiRange;
    if (!range) return null;
    const voi = utilities.windowLevel.toWindowLevel(range.lower, range.upper);
    return { center: voi.windowCenter, width: voi.windowWidth };
  }

  setVoi(voi: Voi): void {
    const range = utilities.windowLevel.toLowHighRange(voi.width, voi.center);
    this.viewport.setProperties({ voiRange: { lower: range.lower, upper: range.upper } });
    this.viewport.render();
  }

  setInvert(invert: boolean): void {
    this.viewport.setProperties({ invert });
    this.viewport.render();
  }

  getZoom(): number {
    return this.viewport.getZoom();
  }

  setZoom(zoom: number): void {
    this.viewport.setZoom(Math.max(0.05, Math.min(50, zoom)));
    this.viewport.render();
  }

  panBy(dx: number, dy: number): void {
    const [x, y] = this.viewport.getPan();
    const perPixel = this.mmPerCanvasPixel() ?? 1;
    this.viewport.setPan([x + dx * perPixel, y + dy * perPixel]);
    this.viewport.render();
  }

  getPan(): readonly [number, number] {
    const [x, y] = this.viewport.getPan();
    return [x, y];
  }

  setPan(pan: readonly [number, number]): void {
    this.viewport.setPan([pan[0], pan[1]]);
    this.viewport.render();
  }

  resetCamera(): void {
    this.viewport.resetCamera();
    this.viewport.render();
  }

  mmPerCanvasPixel(): number | null {
    if (!this.viewport.getCornerstoneImage()) return null;
    const a = this.viewport.canvasToWorld([0, 0]);
    const b = this.viewport.canvasToWorld([1, 0]);
    return Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
  }

  valueAt(x: number, y: number): PointValue | null {
    const image = this.viewport.getCornerstoneImage();
    const imageId = this.viewport.getCurrentImageId();
    if (!image || !imageId) return null;
    const world = this.viewport.canvasToWorld([x, y]);
    const [ix, iy] = utilities.worldToImageCoords(imageId, world) ?? [];
    if (ix === undefined || iy === undefined) return null;
    const column = Math.floor(ix);
    const row = Math.floor(iy);
    if (column < 0 || row < 0 || column >= image.columns || row >= image.rows) return null;
    const stored = image.getPixelData()[row * image.columns + column]!;
    const scaled = image.preScale?.scaled;
    const slope = image.slope ?? 1;
    const intercept = image.intercept ?? 0;
    const value = scaled ? stored : stored * slope + intercept;
    return { value, column, row, positionMm: [world[0], world[1], world[2]] };
  }

  setDragMode(mode: DragMode): void {
    this.dragMode = mode;
    this.interaction?.setDragMode(mode);
  }

  resize(): void {
    if (this.destroyed) return;
    this.engine.resize(true, true);
  }

  async capturePng(options: { annotations?: boolean } = {}): Promise<Blob> {
    const source = this.viewport.getCanvas();
    const canvas = document.createElement('canvas');
    canvas.width = source.width;
    canvas.height = source.height;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('The viewport could not be captured.');
    context.drawImage(source, 0, 0);
    const svg = options.annotations === false ? null : this.element.querySelector<SVGSVGElement>('svg.svg-layer');
    if (svg && svg.childElementCount > 0) {
      // The measurement layer is SVG over the canvas: rasterise it at the canvas resolution.
      const box = source.getBoundingClientRect();
      const clone = svg.cloneNode(true) as SVGSVGElement;
      clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
      clone.setAttribute('width', String(box.width));
      clone.setAttribute('height', String(box.height));
      clone.setAttribute('viewBox', `0 0 ${box.width} ${box.height}`);
      const url = URL.createObjectURL(
        new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }),
      );
      try {
        const image = new Image();
        image.src = url;
        await image.decode();
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
      } finally {
        URL.revokeObjectURL(url);
      }
    }
    return new Promise((resolve, reject) =>
      canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error('The viewport could not be captured.'))),
        'image/png',
      ),
    );
  }

  private releaseImages(): void {
    for (const imageId of this.imageIds) {
      const users = (imageUsers.get(imageId) ?? 1) - 1;
      if (users > 0) {
        imageUsers.set(imageId, users);
        continue;
      }
      imageUsers.delete(imageId);
      dropFrame(imageId);
      if (cache.getImageLoadObject(imageId)) cache.removeImageLoadObject(imageId, { force: true });
      // The naturalized metadata of a local file holds its pixel data: forget it too.
      if (imageId.startsWith('dicomfile:')) {
        metadataRegistry.clearQuery('naturalized', imageId);
        metadataRegistry.clearQuery('compressedFrameData', imageId);
      }
    }
    for (const index of this.fileIndexes) {
      const uri = `dicomfile:${index}`;
      if (wadouri.dataSetCacheManager.isLoaded(uri)) wadouri.dataSetCacheManager.unload(uri);
      wadouri.fileManager.remove(index);
    }
    this.imageIds = [];
    this.indexByImageId.clear();
    this.fileIndexes = [];
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.generation++;
    for (const dispose of this.disposers.splice(0)) dispose();
    this.listeners.clear();
    const hadTools = this.interaction !== null;
    this.interaction?.destroy();
    this.interaction = null;
    this.releaseImages();
    if (!hadTools) {
      this.engine.disableElement(this.viewportId);
      return;
    }
    // Cornerstone's tools recompute ROI statistics on a 100 ms debounce, through the viewport:
    // keep it enabled until those timers have run, then let it go.
    setTimeout(() => this.engine.disableElement(this.viewportId), 300);
  }
}

export type { Types };
