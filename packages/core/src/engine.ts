import type { DicomwebSource, FrameData } from './dicomweb.js';
import type { DicomJson } from './instance.js';
import type { ParsedPart10 } from './part10.js';
import type { Vec3 } from './geometry.js';
import type { ErrorCode } from './errors.js';
import type { SeriesModel } from './series.js';
import type { Voi } from './presets.js';

/**
 * The contract between the elements and the rendering engine. `@secondread/cornerstone`
 * implements it with Cornerstone3D; a unit test can hand an element a fake.
 */
export interface ViewportEngine {
  /** Turns a plain `<div>` (with explicit size) into a viewport. */
  createViewport(element: HTMLDivElement): EngineViewport;
  /** `gpu` (WebGL) or `cpu` (fallback when WebGL is unavailable). */
  readonly renderer: 'gpu' | 'cpu';
}

/** Where a series' pixels come from. */
export type SeriesPixels =
  | {
      readonly kind: 'dicomweb';
      readonly source: DicomwebSource;
      /** DICOM JSON of each instance, in series order. */
      readonly metadata: readonly DicomJson[];
      /** Frames already on their way, by index in series order (e.g. the first one shown). */
      readonly prefetched?: ReadonlyMap<number, Promise<FrameData>>;
    }
  | {
      readonly kind: 'part10';
      /** Parsed Part 10 objects, in series order. */
      readonly objects: readonly ParsedPart10[];
    };

/** What the engine reports while it loads a series. */
export interface ShowSeriesCallbacks {
  /** `loaded` of `total` images are decoded and ready. */
  onProgress?(loaded: number, total: number): void;
  /** The first image is on screen. */
  onFirstImage?(): void;
  /** A failure while images stream in; the viewer stays usable. */
  onError?(code: ErrorCode, message: string): void;
}

/** The value under a point of the viewport. */
export interface PointValue {
  /** Modality value (HU for CT) of the pixel, after rescale slope and intercept. */
  readonly value: number;
  readonly column: number;
  readonly row: number;
  readonly positionMm: Vec3;
}

/** The interaction a primary-button drag performs. */
export const DRAG_MODES = ['window-level', 'pan', 'zoom', 'none'] as const;
export type DragMode = (typeof DRAG_MODES)[number];

/** Viewport events the engine reports (its own events neither bubble nor leave shadow roots). */
export interface EngineViewportEvents {
  slice: (index: number) => void;
  voi: (voi: Voi) => void;
  camera: () => void;
  rendered: () => void;
}

/** One viewport showing one series. */
export interface EngineViewport {
  showSeries(
    series: SeriesModel,
    pixels: SeriesPixels,
    initialIndex: number,
    callbacks: ShowSeriesCallbacks,
  ): Promise<void>;
  readonly sliceIndex: number;
  setSliceIndex(index: number): void;
  /** The current window in modality units, or null before an image is shown. */
  getVoi(): Voi | null;
  setVoi(voi: Voi): void;
  setInvert(invert: boolean): void;
  /** Zoom factor relative to "fit": 1 shows the whole image. */
  getZoom(): number;
  setZoom(zoom: number): void;
  /** Pan in canvas pixels. */
  panBy(dx: number, dy: number): void;
  /** Fit the image, centre it, and forget zoom and pan. */
  resetCamera(): void;
  /** Millimetres per canvas pixel at the current zoom (for the scale bar). */
  mmPerCanvasPixel(): number | null;
  /** Value under a canvas point (CSS pixels relative to the viewport element). */
  valueAt(x: number, y: number): PointValue | null;
  setDragMode(mode: DragMode): void;
  /** Call after the element's size changed. */
  resize(): void;
  /** PNG of what the viewport shows. */
  capturePng(): Promise<Blob>;
  on<K extends keyof EngineViewportEvents>(event: K, listener: EngineViewportEvents[K]): () => void;
  /** Releases the viewport, its listeners, and cached images no other viewport uses. */
  destroy(): void;
}
