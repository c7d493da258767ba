/**
 * `CornerstoneViewport`: one Cornerstone3D stack viewport behind the `EngineViewport` contract.
 * Its parts: the series loading (`showSeries`: DICOMweb frame fetchers and the one-request
 * stream, or local Part 10 files; the first image, nearest loadable slice first; progress and
 * failure warnings through `SeriesImages`), the slice requests that keep a missing image off the
 * canvas (`requestSlice`), the lazily loaded tools and annotations (`interaction.ts`), the
 * camera/VOI/value API, the PNG capture, and the release of images and the viewport.
 *
 * Over 500 lines on purpose for now: the loading writes the image-id maps, `requested`,
 * `images` and the disposers that the slice, value and release code read, and its generation
 * check (`stale`) must see `destroy`, so a cut needs a small state object passed between them.
 * The next cut: the per-source preparation in `showSeries` (the `dicomweb` and `files` branches
 * that build the image ids, `register`/`registerRest` and `streamAll`) into `series-source.ts`,
 * a function taking the series, the pixels, the retry policy and `stale` and returning those
 * plus its disposers; after it, the camera/VOI/zoom/pan accessors could follow.
 */
import { cache, Enums, metaData, utilities, volumeLoader, type StackViewport, type Types } from '@cornerstonejs/core';
import { metaData as metadataRegistry, utilities as metadataUtilities } from '@cornerstonejs/metadata';
import { wadouri } from '@cornerstonejs/dicom-image-loader';
import dicomParser from 'dicom-parser';
import {
  DEFAULT_RETRY_POLICY,
  noAnswerMessage,
  toViewerError,
  ViewerError,
  type DragMode,
  type EngineViewport,
  type EngineViewportEvents,
  type EngineAnnotationEvent,
  type EngineAnnotations,
  type MeasurementKind,
  type EnginePlaneView,
  type PointValue,
  type ReformatPlane,
  type SeriesModel,
  type SeriesPixels,
  type ShowSeriesCallbacks,
  type SliceImageStatus,
  type Voi,
} from '@secondread/core';
import { dropFrame, registerHeaders, sharedRenderingEngine, storeFrame } from './setup.js';
import type { ViewportInteraction } from './interaction.js';
import { setPendingText } from './pending-text.js';
import { registerFrameFetcher } from './frame-loader.js';
import { SeriesImages } from './series-images.js';
import { forgetPixelFormat, framePixelData } from './pixel-format.js';
import { CornerstonePlaneView } from './plane-view.js';

/** Codes of failures that belong to one image's bytes (not to the server): named one by one. */
const IMAGE_FAULTS: ReadonlySet<string> = new Set(['corrupt', 'unsupported', 'unsupported-transfer-syntax']);

/**
 * The warning for images that failed while the series streams in (never patient identity). A
 * failure of the image's own bytes names the image by its position in the series (and its
 * Instance Number), as the overlay and placeholder show it.
 */
function failureMessage(
  error: ViewerError,
  loaded: number,
  total: number,
  image?: { index: number; instanceNumber: number | null },
): string {
  const tally = `${loaded} of ${total} images loaded`;
  if (image && IMAGE_FAULTS.has(error.code)) {
    const number = image.instanceNumber === null ? '' : ` (Instance Number ${image.instanceNumber})`;
    return `Image ${image.index + 1} of ${total}${number} could not be shown (${error.message}); a placeholder stands in for it.`;
  }
  if (error.code === 'network') return `The image server stopped answering; ${tally}. The others are tried again.`;
  if (error.code === 'http-status') {
    return `The image server answered ${error.status ?? 'with an error'} for some images; ${tally}. The others are tried again.`;
  }
  if (error.code === 'unauthorized') return `The image server refused the credentials for some images; ${tally}.`;
  return `Some images could not be loaded (${error.message}); ${tally}.`;
}

let viewportCounter = 0;

/** How many viewports use each image id, so a viewport releases only the images it alone used. */
const imageUsers = new Map<string, number>();

/** Candidates for the first image: the wished one, then its neighbours, nearest first. */
function firstImageCandidates(initialIndex: number, count: number, max = 4): number[] {
  const out = [initialIndex];
  for (let d = 1; out.length < Math.min(max, count); d++) {
    if (initialIndex + d < count) out.push(initialIndex + d);
    if (out.length < max && initialIndex - d >= 0) out.push(initialIndex - d);
    if (initialIndex + d >= count && initialIndex - d < 0) break;
  }
  return out;
}

/** Resolves after `ms` with `value`. */
function after<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

/** Pixel data of one frame (0-based) of a Part 10 object, as the image loader wants it. */
function pixelDataOf(
  bytes: Uint8Array,
  frameIndex = 0,
): { sopInstanceUid: string; pixelData: Uint8Array; transferSyntaxUid: string; frames: number } {
  const dataSet = dicomParser.parseDicom(bytes);
  const transferSyntaxUid = dataSet.string('x00020010') ?? '1.2.840.10008.1.2';
  return {
    sopInstanceUid: dataSet.string('x00080018') ?? '',
    pixelData: framePixelData(dataSet, frameIndex),
    transferSyntaxUid,
    frames: Number(dataSet.string('x00280008') ?? 1) || 1,
  };
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
  /** The images of the series shown, and what became of them. */
  private images: SeriesImages | null = null;
  /** Unregisters the frame fetchers of the series shown. */
  private imageDisposers: (() => void)[] = [];
  /** The slice the reader asked for; its image may still be on its way. */
  private requested = 0;
  private lastStatus: SliceImageStatus | null = null;
  private onFirstShown = false;
  /** Settles once every image of the series shown was tried (loaded or failed for good). */
  private settled: { promise: Promise<void>; resolve: () => void } | null = null;
  /** The volume of the series shown, built on the first reformat request. */
  private volume: Promise<string> | null = null;
  private volumeId: string | null = null;
  private readonly planeViews = new Set<CornerstonePlaneView>();
  /** Cornerstone's own `setImageIdIndex`, behind {@link requestSlice}. */
  private readonly originalSetImageIdIndex: ((index: number) => Promise<string>) | null;

  constructor(private readonly element: HTMLDivElement) {
    this.engine.enableElement({
      viewportId: this.viewportId,
      element,
      type: Enums.ViewportType.STACK,
      defaultOptions: { background: [0, 0, 0] },
    });
    this.viewport = this.engine.getViewport<StackViewport>(this.viewportId);
    this.originalSetImageIdIndex = this.viewport.setImageIdIndex.bind(this.viewport);
    this.viewport.setImageIdIndex = (index: number) => this.requestSlice(index);
    const listen = (type: string, handler: (event: Event) => void): void => {
      element.addEventListener(type, handler);
      this.disposers.push(() => element.removeEventListener(type, handler));
    };
    listen(Enums.Events.STACK_NEW_IMAGE, () => {
      this.emit('slice', this.imageIds.length ? this.requested : this.viewport.getCurrentImageIdIndex());
      this.updateImageStatus();
    });
    listen(Enums.Events.VOI_MODIFIED, () => {
      const voi = this.getVoi();
      if (voi) this.emit('voi', voi);
    });
    listen(Enums.Events.CAMERA_MODIFIED, () => this.emit('camera'));
    listen(Enums.Events.IMAGE_RENDERED, () => {
      this.updateImageStatus();
      this.emit('rendered');
    });
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
    let resolveSettled = (): void => undefined;
    const settledPromise = new Promise<void>((resolve) => (resolveSettled = resolve));
    this.settled = { promise: settledPromise, resolve: resolveSettled };
    const stale = (): boolean => this.destroyed || generation !== this.generation;
    const policy = pixels.kind === 'dicomweb' ? pixels.source.retryPolicy : DEFAULT_RETRY_POLICY;

    let streamAll: () => Promise<void>;
    let register = (_index: number): void => undefined;
    let registerRest = (): void => undefined;
    if (pixels.kind === 'dicomweb') {
      const { source, metadata } = pixels;
      this.disposers.push(registerHeaders(source.root, source.headers));
      const uidToImageId = new Map<string, string>();
      const prefetched = new Map(pixels.prefetched ?? []);
      for (const frame of prefetched.values()) frame.catch(() => undefined);
      this.imageIds = series.instances.map((instance, index) => {
        const frameNumber = instance.frameNumber ?? 1;
        const imageId = `wadors:${source.instanceUrl(instance)}/frames/${frameNumber}`;
        if (frameNumber === 1) uidToImageId.set(instance.sopInstanceUid, imageId);
        this.imageDisposers.push(
          registerFrameFetcher(imageId, async (signal) => {
            // A frame already on its way (the preview's) is used once, if it comes in time.
            const early = prefetched.get(index);
            if (early) {
              prefetched.delete(index);
              const frame = await Promise.race([early.catch(() => null), after(policy.timeoutMs, null)]);
              if (frame) return frame;
            }
            return source.fetchFrame(instance, frameNumber, { signal });
          }),
        );
        return imageId;
      });
      register = (index: number): void => {
        const imageId = this.imageIds[index]!;
        if (!metaData.get('naturalized', imageId)) {
          void metadataUtilities.addDicomWebInstance(imageId, metadata[index] as Record<string, unknown>);
        }
      };
      // The first image needs only its own metadata; the rest is registered once it shows.
      registerRest = () => this.imageIds.forEach((_, index) => register(index));
      streamAll = async () => {
        // One request for the whole series first; when it fails, stalls or trickles (no whole
        // instance within the timeout), one request per frame.
        const stop = new AbortController();
        let watchdog = setTimeout(() => stop.abort(), policy.timeoutMs);
        try {
          for await (const part of source.streamSeries(series.studyUid, series.seriesUid, { signal: stop.signal })) {
            if (stale()) return;
            clearTimeout(watchdog);
            watchdog = setTimeout(() => stop.abort(), policy.timeoutMs);
            const { sopInstanceUid, pixelData, transferSyntaxUid, frames } = pixelDataOf(part);
            // Multi-frame objects come frame by frame (their own requests).
            if (frames > 1) continue;
            const imageId = uidToImageId.get(sopInstanceUid);
            if (!imageId || cache.getImageLoadObject(imageId) || this.images?.state(imageId) === 'loaded') continue;
            storeFrame(imageId, pixelData, transferSyntaxUid);
            this.images?.push(imageId);
          }
        } catch (error) {
          if (stale()) return;
          const viewerError = toViewerError(error, 'corrupt');
          if (viewerError.code === 'unauthorized') callbacks.onError?.(viewerError.code, viewerError.message);
        } finally {
          clearTimeout(watchdog);
          stop.abort();
        }
        if (stale()) return;
        await this.images?.loadAll();
      };
    } else {
      // One file id per object; each frame of a multi-frame object is an image of its own
      // (`dicomfile:N?frame=K`, as the DICOM image loader names them).
      const fileIds = new Map<Uint8Array, string>();
      this.imageIds = pixels.objects.map((object, index) => {
        let fileId = fileIds.get(object.bytes);
        if (!fileId) {
          fileId = wadouri.fileManager.add(new Blob([object.bytes as Uint8Array<ArrayBuffer>]));
          fileIds.set(object.bytes, fileId);
          this.fileIndexes.push(Number(fileId.slice('dicomfile:'.length)));
        }
        const frameNumber = series.instances[index]?.frameNumber;
        return frameNumber ? `${fileId}?frame=${frameNumber}` : fileId;
      });
      // The frames are read out of the files' bytes when they are loaded (again after a failure
      // or after the cache let them go): our loader decodes them, with the same pixel checks as
      // DICOMweb frames. The metadata (naturalized) is registered per image id.
      await Promise.all(
        this.imageIds.map((imageId, index) => {
          const bytes = pixels.objects[index]!.bytes;
          const frameIndex = (series.instances[index]?.frameNumber ?? 1) - 1;
          this.imageDisposers.push(
            registerFrameFetcher(imageId, async () => {
              const { pixelData, transferSyntaxUid } = pixelDataOf(bytes, frameIndex);
              return { bytes: pixelData, transferSyntaxUid };
            }),
          );
          return metadataUtilities.addDicomPart10Instance(imageId, bytes);
        }),
      );
      if (stale()) return;
      streamAll = async () => {
        await this.images?.loadAll();
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

    const total = this.imageIds.length;
    const warned = new Set<string>();
    const imageOf = (imageId: string): { index: number; instanceNumber: number | null } | undefined => {
      const index = this.indexByImageId.get(imageId);
      return index === undefined
        ? undefined
        : { index, instanceNumber: series.instances[index]?.instanceNumber ?? null };
    };
    const images = new SeriesImages({
      imageIds: this.imageIds,
      currentIndex: () => this.requested,
      stale,
      policy,
      onChange: (imageId, state, error) => {
        if (stale()) return;
        const counts = images.counts();
        callbacks.onProgress?.(counts.loaded, total, { failed: counts.failed, pending: counts.pending });
        if (state === 'loaded') {
          // The server answers again: its next failure is told again (an image's own fault is not).
          for (const key of warned) if (!key.includes(':')) warned.delete(key);
          if (this.imageIds[this.requested] === imageId && !this.isShown()) this.showRequested();
        } else if (state === 'failed' && error && this.onFirstShown) {
          // One warning per kind of failure until images load again; one per image for images
          // whose own bytes fail.
          const kind = error.code;
          const key = IMAGE_FAULTS.has(kind) ? `${kind}:${imageId}` : kind;
          if (!warned.has(key)) {
            warned.add(key);
            callbacks.onError?.(kind, failureMessage(error, counts.loaded, total, imageOf(imageId)));
          }
        }
        this.updateImageStatus();
      },
    });
    this.images = images;
    this.onFirstShown = false;

    // The first image: the wished slice, else the nearest one that loads (a frame answering
    // 500 does not refuse a series whose other frames are fine).
    let firstIndex = -1;
    let firstError: ViewerError | undefined;
    for (const candidate of firstImageCandidates(initialIndex, total)) {
      register(candidate);
      const imageId = this.imageIds[candidate]!;
      const outcome = await Promise.race([images.load(imageId), after(policy.timeoutMs, 'late' as const)]);
      if (stale()) return;
      if (outcome === true) {
        firstIndex = candidate;
        break;
      }
      firstError ??= images.error(imageId);
    }
    if (firstIndex < 0) {
      const error = firstError ?? new ViewerError('network', noAnswerMessage(policy.timeoutMs), 0);
      throw new ViewerError(error.code, `The first image could not be shown: ${error.message}`, error.status, {
        cause: error,
      });
    }
    this.requested = firstIndex;
    try {
      await this.viewport.setStack(this.imageIds, firstIndex);
    } catch (error) {
      throw new ViewerError('render', 'The first image could not be shown.', undefined, { cause: error });
    }
    if (stale()) return;
    const firstImage = this.viewport.getCornerstoneImage();
    if (!firstImage) throw new ViewerError('corrupt', 'The first image could not be decoded.');
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
    this.onFirstShown = true;
    this.updateImageStatus();
    callbacks.onFirstImage?.();
    void this.loadInteraction();
    // Failures before the first image was shown (other candidates) are told now.
    const failedEarly = this.imageIds.find((id) => images.error(id));
    if (failedEarly) {
      const error = images.error(failedEarly)!;
      callbacks.onError?.(error.code, failureMessage(error, images.counts().loaded, total, imageOf(failedEarly)));
    }
    await streamAll();
    if (!stale()) this.settled?.resolve();
  }

  createPlaneView(element: HTMLDivElement, plane: ReformatPlane | 'acquisition'): EnginePlaneView {
    const view: CornerstonePlaneView = new CornerstonePlaneView(element, plane, this.seriesVolume(), () =>
      this.planeViews.delete(view),
    );
    this.planeViews.add(view);
    return view;
  }

  /**
   * The id of the series' volume in Cornerstone's cache, built once every image has loaded (the
   * volume shares the cached images' pixels: no second copy). A series with images that failed
   * for good gets none: a volume with missing slices would show wrong anatomy.
   */
  private seriesVolume(): Promise<string> {
    if (this.volume) return this.volume;
    const generation = this.generation;
    const settled = this.settled?.promise;
    this.volume = (async () => {
      if (!settled) throw new ViewerError('reformat', 'No series is shown to build a volume from.');
      await settled;
      const images = this.images;
      if (generation !== this.generation || !images) throw new ViewerError('reformat', 'The series changed.');
      const counts = images.counts();
      if (counts.loaded < counts.total) {
        throw new ViewerError(
          'reformat',
          `${counts.total - counts.loaded} of ${counts.total} images could not be loaded: a volume with missing slices would be wrong.`,
        );
      }
      const volumeId = `cornerstoneStreamingImageVolume:${this.viewportId}-${generation}`;
      try {
        const volume = await volumeLoader.createAndCacheVolume(volumeId, { imageIds: [...this.imageIds] });
        await new Promise<void>((resolve) => (volume as unknown as { load(done: () => void): void }).load(resolve));
      } catch (error) {
        throw new ViewerError('reformat', 'The volume could not be built from the series.', undefined, {
          cause: error,
        });
      }
      if (generation !== this.generation) {
        this.dropVolume(volumeId);
        throw new ViewerError('reformat', 'The series changed.');
      }
      this.volumeId = volumeId;
      return volumeId;
    })();
    this.volume.catch(() => undefined);
    return this.volume;
  }

  private dropVolume(volumeId: string): void {
    try {
      const volume = cache.getVolume(volumeId);
      if (cache.getVolumeLoadObject(volumeId)) cache.removeVolumeLoadObject(volumeId);
      // The cache forgets the volume but keeps its GPU texture: free that (the images stay
      // cached). Not `volume.destroy()`: Cornerstone leaves a cache listener per image behind
      // (added for images that were already cached), which would then write into a deleted texture.
      (
        volume as unknown as { vtkOpenGLTexture?: { releaseGraphicsResources?(): void } } | undefined
      )?.vtkOpenGLTexture?.releaseGraphicsResources?.();
    } catch {
      // Already gone.
    }
  }

  /** True when the requested slice's own image is the one on the canvas. */
  private isShown(): boolean {
    const imageId = this.imageIds[this.requested];
    return !!imageId && this.viewport.getCornerstoneImage()?.imageId === imageId;
  }

  get imageStatus(): SliceImageStatus {
    if (this.isShown()) return 'shown';
    const imageId = this.imageIds[this.requested];
    return imageId && this.images?.state(imageId) === 'failed' ? 'failed' : 'pending';
  }

  private updateImageStatus(): void {
    if (!this.imageIds.length) return;
    const status = this.imageStatus;
    if (status === this.lastStatus) return;
    this.lastStatus = status;
    this.emit('image', status);
  }

  /** Shows the requested slice through Cornerstone, once its image is in the cache. */
  private showRequested(): void {
    const index = this.requested;
    if (!this.originalSetImageIdIndex || !this.imageIds[index]) return;
    void this.originalSetImageIdIndex(index).catch(() => undefined);
  }

  /**
   * Every slice change (ours, the wheel's, Cornerstone's scroll tool's) comes here. Cornerstone
   * would keep the previous slice's pixels on the canvas while it loads the new one, and leave
   * an unhandled rejection when that load fails: an image that is not in the cache is loaded
   * by {@link SeriesImages} first, and the element shows a placeholder meanwhile.
   */
  private requestSlice(index: number): Promise<string> {
    const imageId = this.imageIds[index];
    if (!imageId || !this.images) return this.originalSetImageIdIndex!(index);
    this.requested = index;
    (this.viewport as unknown as { targetImageIdIndex: number }).targetImageIdIndex = index;
    const images = this.images;
    if (this.isShown()) {
      // Back on the slice whose pixels are on the canvas (Cornerstone would do nothing).
      this.emit('slice', index);
      this.updateImageStatus();
      return Promise.resolve(imageId);
    }
    if (cache.isLoaded(imageId)) {
      // Cornerstone shows it at once; its STACK_NEW_IMAGE tells the slice and the status.
      const shown = this.originalSetImageIdIndex!(index);
      return shown.catch(() => imageId);
    }
    this.emit('slice', index);
    this.updateImageStatus();
    void images.load(imageId).then(() => this.updateImageStatus());
    return Promise.resolve(imageId);
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
    return this.imageIds.length ? this.requested : this.viewport.getCurrentImageIdIndex();
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
    // Never a value from another slice's pixels.
    if (!image || !imageId || !this.isShown()) return null;
    const world = this.viewport.canvasToWorld([x, y]);
    const [ix, iy] = utilities.worldToImageCoords(imageId, world) ?? [];
    if (ix === undefined || iy === undefined) return null;
    const column = Math.floor(ix);
    const row = Math.floor(iy);
    if (column < 0 || row < 0 || column >= image.columns || row >= image.rows) return null;
    const positionMm: [number, number, number] = [world[0], world[1], world[2]];
    const pixels = image.getPixelData();
    if (image.color) {
      // Interleaved RGB (or RGBA once drawn): the pixel's own three channels, no modality value.
      const components = Math.round(pixels.length / (image.rows * image.columns)) || 3;
      const at = (row * image.columns + column) * components;
      const rgb: [number, number, number] = [pixels[at]!, pixels[at + 1]!, pixels[at + 2]!];
      return { value: null, rgb, column, row, positionMm };
    }
    const stored = pixels[row * image.columns + column]!;
    const scaled = image.preScale?.scaled;
    const slope = image.slope ?? 1;
    const intercept = image.intercept ?? 0;
    const value = scaled ? stored : stored * slope + intercept;
    return { value, column, row, positionMm };
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
    for (const view of [...this.planeViews]) view.destroy();
    if (this.volumeId) this.dropVolume(this.volumeId);
    this.volumeId = null;
    this.volume = null;
    this.settled = null;
    this.images?.dispose();
    this.images = null;
    this.lastStatus = null;
    for (const dispose of this.imageDisposers.splice(0)) dispose();
    for (const imageId of this.imageIds) {
      const users = (imageUsers.get(imageId) ?? 1) - 1;
      if (users > 0) {
        imageUsers.set(imageId, users);
        continue;
      }
      imageUsers.delete(imageId);
      dropFrame(imageId);
      forgetPixelFormat(imageId);
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
      this.disable();
      return;
    }
    // Cornerstone's tools recompute ROI statistics on a 100 ms debounce, through the viewport:
    // keep it enabled until those timers have run, then let it go.
    setTimeout(() => this.disable(), 300);
  }

  /** Takes the viewport off its engine; an engine destroyed after losing its WebGL context has none left. */
  private disable(): void {
    try {
      this.engine.disableElement(this.viewportId);
    } catch {
      // The engine is gone (context lost): nothing is left to release.
    }
  }
}

export type { Types };
