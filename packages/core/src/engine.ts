import type { DicomwebSource, FrameData } from './dicomweb.js';
import type { DicomJson } from './instance.js';
import type { ParsedPart10 } from './part10.js';
import type { Vec3 } from './geometry.js';
import type { ErrorCode } from './errors.js';
import type { SeriesModel } from './series.js';
import type { Voi } from './presets.js';
import type { MeasurementKind } from './measurements/types.js';
import type { SlicePixels } from './measurements/statistics.js';
import type { ReformatPlane, SlabMode } from './planes.js';

/**
 * The contract between the elements and the rendering engine. `@secondread/cornerstone`
 * implements it with Cornerstone3D; a unit test can hand an element a fake.
 */
export interface ViewportEngine {
  /** Turns a plain `<div>` (with explicit size) into a viewport. */
  createViewport(element: HTMLDivElement): EngineViewport;
  /** `gpu` (WebGL) or `cpu` (fallback when WebGL is unavailable). */
  readonly renderer: 'gpu' | 'cpu';
  /**
   * Calls `listener` when the engine's viewports can no longer draw (the browser dropped the
   * WebGL context: the host page took too many, or the GPU reset). Their canvases then hold a
   * picture that no longer follows the reader: the element must cover them at once, destroy its
   * viewport and show the series again in a new one, which uses {@link renderer} as it is now.
   * Optional: an engine that cannot lose its context need not have it.
   * @returns a function that removes the listener.
   */
  onRendererLost?(listener: (reason: string) => void): () => void;
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

/** Where the images of a series stand: `loaded + failed + pending = total`. */
export interface ImageLoadCounts {
  /** Images whose request failed (after its retries); they are tried again later. */
  readonly failed: number;
  /** Images not loaded yet, nor failed. */
  readonly pending: number;
}

/**
 * Whether the slice the reader asked for is on screen: `shown`, or not yet — `pending` (its
 * image is on its way) or `failed` (its request failed and is retried). While it is not shown,
 * the engine shows no other slice's pixels in its place: the element covers the image area
 * with a placeholder.
 */
export const SLICE_IMAGE_STATUSES = ['shown', 'pending', 'failed'] as const;
export type SliceImageStatus = (typeof SLICE_IMAGE_STATUSES)[number];

/** What the engine reports while it loads a series. */
export interface ShowSeriesCallbacks {
  /** `loaded` of `total` images are decoded and ready; `counts` tells failed from pending. */
  onProgress?(loaded: number, total: number, counts?: ImageLoadCounts): void;
  /** The first image is on screen. */
  onFirstImage?(): void;
  /** A failure while images stream in; the viewer stays usable. */
  onError?(code: ErrorCode, message: string): void;
}

/** The value under a point of the viewport. */
export interface PointValue {
  /**
   * Modality value (HU for CT) of the pixel, after rescale slope and intercept; null on a colour
   * image, whose pixels have no modality value (see {@link rgb}).
   */
  readonly value: number | null;
  /** The displayed colour (0-255 per channel) of a colour image's pixel; absent on grayscale. */
  readonly rgb?: readonly [number, number, number];
  readonly column: number;
  readonly row: number;
  readonly positionMm: Vec3;
}

/**
 * What a pixel of the displayed image holds, typed by kind: a modality value (HU on CT) on
 * grayscale images, or the displayed RGB colour (0-255 per channel) on colour images, which have
 * no modality value.
 */
export type PixelReading =
  | {
      readonly kind: 'modality';
      readonly value: number;
      readonly column: number;
      readonly row: number;
      readonly positionMm: Vec3;
    }
  | {
      readonly kind: 'rgb';
      readonly rgb: readonly [number, number, number];
      readonly column: number;
      readonly row: number;
      readonly positionMm: Vec3;
    };

/** The {@link PixelReading} of a {@link PointValue}. */
export function pixelReadingOf(point: PointValue): PixelReading | null {
  const { column, row, positionMm } = point;
  if (point.rgb) return { kind: 'rgb', rgb: point.rgb, column, row, positionMm };
  if (point.value === null) return null;
  return { kind: 'modality', value: point.value, column, row, positionMm };
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
  /** The requested slice's image became shown, pending or failed. */
  image: (status: SliceImageStatus) => void;
}

/** One viewport showing one series. */
export interface EngineViewport {
  showSeries(
    series: SeriesModel,
    pixels: SeriesPixels,
    initialIndex: number,
    callbacks: ShowSeriesCallbacks,
  ): Promise<void>;
  /** The slice the reader asked for (its pixels may still be on their way: see {@link imageStatus}). */
  readonly sliceIndex: number;
  setSliceIndex(index: number): void;
  /** Whether the requested slice's own pixels are on screen. */
  readonly imageStatus: SliceImageStatus;
  /** The current window in modality units, or null before an image is shown. */
  getVoi(): Voi | null;
  setVoi(voi: Voi): void;
  setInvert(invert: boolean): void;
  /** Zoom factor relative to "fit": 1 shows the whole image. */
  getZoom(): number;
  setZoom(zoom: number): void;
  /** Pan in canvas pixels. */
  panBy(dx: number, dy: number): void;
  /** Pan offset of the image centre on the image plane, mm (`[0, 0]` when centred). */
  getPan(): readonly [number, number];
  setPan(pan: readonly [number, number]): void;
  /** Fit the image, centre it, and forget zoom and pan. */
  resetCamera(): void;
  /** Millimetres per canvas pixel at the current zoom (for the scale bar). */
  mmPerCanvasPixel(): number | null;
  /** Value under a canvas point (CSS pixels relative to the viewport element). */
  valueAt(x: number, y: number): PointValue | null;
  setDragMode(mode: DragMode): void;
  /** Call after the element's size changed. */
  resize(): void;
  /** PNG of what the viewport shows, with the measurement annotations unless `annotations` is false. */
  capturePng(options?: { annotations?: boolean }): Promise<Blob>;
  on<K extends keyof EngineViewportEvents>(event: K, listener: EngineViewportEvents[K]): () => void;
  /** Measurement drawing on this viewport (loads the tools on first use). */
  readonly annotations: EngineAnnotations;
  /**
   * A reformatted plane of the series shown, on its own `<div>` (with explicit size), from a
   * volume built of this viewport's images (`acquisition` is the volume in its own slice
   * orientation, for slabs). Optional: engines without volumes (a CPU renderer) have none, and
   * the viewer then refuses reformats with a `reformat` error.
   */
  createPlaneView?(element: HTMLDivElement, plane: ReformatPlane | 'acquisition'): EnginePlaneView;
  /** Releases the viewport, its listeners, and cached images no other viewport uses. */
  destroy(): void;
}

/** Events of one reformatted plane. */
export interface EnginePlaneViewEvents {
  /** The plane moved (scroll, slider, crosshair): its slice index changed. */
  slice: (index: number) => void;
  voi: (voi: Voi) => void;
  camera: () => void;
}

/**
 * One plane of a volume (a reformat): its own slices along the plane normal, camera and window.
 * Points are patient coordinates (mm); canvas points are CSS pixels of the plane's element.
 */
export interface EnginePlaneView {
  readonly plane: ReformatPlane | 'acquisition';
  /**
   * Resolves once the volume holds every image of the series and the plane is drawn; rejects
   * with a `reformat` error when it cannot be built (images missing, no volume support).
   */
  readonly ready: Promise<void>;
  /** Slices of the volume along this plane's normal, and the one shown (0 = first along it). */
  readonly sliceCount: number;
  readonly sliceIndex: number;
  setSliceIndex(index: number): void;
  /** The centre of the plane shown, mm: the point the camera looks at. */
  focalPointMm(): Vec3;
  /** The unit normal of the plane (the direction slice indexes increase), patient coordinates. */
  normal(): Vec3;
  /** Moves the plane along its normal so that it contains `point` (nearest slice); keeps zoom and pan. */
  jumpTo(point: Vec3): void;
  /** Patient directions pointing right and down on screen (rotation and flips included). */
  screenAxes(): { right: Vec3; down: Vec3 };
  canvasToPatient(x: number, y: number): Vec3;
  patientToCanvas(point: Vec3): readonly [number, number];
  /** Slab thickness (0 = thin) and how it is projected. */
  setSlab(thicknessMm: number, mode: SlabMode): void;
  /** Rotation (clockwise, 0/90/180/270) and flips of the picture. */
  setTransform(transform: { rotationDeg: number; flipHorizontal: boolean; flipVertical: boolean }): void;
  getVoi(): Voi | null;
  setVoi(voi: Voi): void;
  setInvert(invert: boolean): void;
  getZoom(): number;
  setZoom(zoom: number): void;
  getPan(): readonly [number, number];
  setPan(pan: readonly [number, number]): void;
  resetCamera(): void;
  mmPerCanvasPixel(): number | null;
  /** The value (HU) at a canvas point, read from the volume's voxels (nearest voxel), or null outside it. */
  valueAt(x: number, y: number): PointValue | null;
  setDragMode(mode: DragMode): void;
  resize(): void;
  capturePng(): Promise<Blob>;
  on<K extends keyof EnginePlaneViewEvents>(event: K, listener: EnginePlaneViewEvents[K]): () => void;
  destroy(): void;
}

/** A measurement as the engine draws it: geometry only; values are the model's business. */
export interface EngineAnnotation {
  readonly id: string;
  readonly kind: MeasurementKind;
  /** Patient coordinates, mm, in the model's point convention for `kind`. */
  readonly points: readonly Vec3[];
  /** The image the annotation was drawn on. */
  readonly sopInstanceUid: string | null;
  readonly frameOfReferenceUid: string | null;
  readonly text?: string;
}

/** What happens to annotations while a reader draws and edits. */
export interface EngineAnnotationEvent {
  readonly type: 'add' | 'change' | 'remove';
  readonly annotation: EngineAnnotation;
}

/** Options for a set of annotations shown together (a reader's layer). */
export interface EngineLayerOptions {
  /** Locked annotations cannot be moved or deleted by the reader. */
  readonly locked: boolean;
  /** CSS colour of the layer's lines and text. */
  readonly color?: string;
  /** Dashed lines (e.g. for another reader's work). */
  readonly dashed?: boolean;
}

/** Measurement drawing on one viewport; annotations never show in other viewports. */
export interface EngineAnnotations {
  /** The tool the primary button uses, or `none` for navigation. */
  setTool(kind: MeasurementKind | 'none'): Promise<void>;
  /** Replaces the annotations of `layer`. */
  showLayer(layer: string, annotations: readonly EngineAnnotation[], options: EngineLayerOptions): Promise<void>;
  /** Removes one annotation (any layer). */
  remove(id: string): void;
  /** Text given to new arrows and labels (no prompt is shown). */
  setDefaultText(text: string): void;
  /** Highlights one annotation (or none). */
  select(id: string | null): void;
  on(listener: (event: EngineAnnotationEvent) => void): () => void;
  /** The pixels of one slice, for the model's statistics. */
  slicePixels(sopInstanceUid: string): SlicePixels | null;
}
