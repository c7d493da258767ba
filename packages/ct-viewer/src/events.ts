import {
  EVENT_INIT,
  positionAlongNormal,
  sliceNormal,
  type SecondReadErrorDetail,
  type SeriesModel,
  sliceCentre,
  type Vec3,
  type ViewerOrientation,
  type Voi,
} from '@secondread/core';

/**
 * The one `ct-error` event class of every element, from `@secondread/core`, under its older
 * names here (`ViewerErrorEvent` is `SecondReadErrorEvent`).
 */
export {
  SecondReadErrorEvent,
  SecondReadErrorEvent as ViewerErrorEvent,
  type SecondReadErrorDetail,
} from '@secondread/core';
/** The detail of `ct-error` (`SecondReadErrorDetail`). */
export type ErrorDetail = SecondReadErrorDetail;

export interface LoadProgressDetail {
  readonly loaded: number;
  readonly total: number;
  /** Images whose request failed (after its retries); they are tried again. */
  readonly failed: number;
  /** Images still on their way: `total - loaded - failed`. */
  readonly pending: number;
}

/** Fired while a series loads: `loaded` of `total` images are decoded, `failed` failed, `pending` to come. */
export class LoadProgressEvent extends Event {
  constructor(readonly detail: LoadProgressDetail) {
    super('ct-load-progress', EVENT_INIT);
  }
}

/** What `ct-series-load` reports about a series. No patient identity. */
export interface SeriesLoadDetail {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly modality: string;
  readonly sliceCount: number;
  readonly rows: number;
  readonly columns: number;
  /** DICOM PixelSpacing: [between rows, between columns], mm. */
  readonly pixelSpacingMm: readonly [number, number] | null;
  readonly sliceSpacingMm: number | null;
  /** True when slices are not evenly spaced (gaps or overlaps). */
  readonly unevenSpacing: boolean;
  /** Gantry tilt in degrees (0 for an untilted acquisition). */
  readonly gantryTiltDeg: number;
  /** Files or objects left out (non-image DICOM, non-DICOM files, other series). */
  readonly skipped: number;
  /** Number of image series found (local files can hold several). */
  readonly seriesCount: number;
}

/** The `ct-series-load` detail of `model`; `skipped` and `seriesCount` come from the loader. */
export function seriesLoadDetail(
  model: SeriesModel,
  found: { readonly skipped: number; readonly seriesCount: number },
): SeriesLoadDetail {
  return {
    studyUid: model.studyUid,
    seriesUid: model.seriesUid,
    modality: model.modality,
    sliceCount: model.instances.length,
    rows: model.rows,
    columns: model.columns,
    pixelSpacingMm: model.pixelSpacingMm ? [model.pixelSpacingMm[0], model.pixelSpacingMm[1]] : null,
    sliceSpacingMm: model.sliceSpacingMm,
    unevenSpacing: model.spacing.uneven,
    gantryTiltDeg: model.spacing.gantryTiltDeg,
    skipped: found.skipped,
    seriesCount: found.seriesCount,
  };
}

/** Fired when a series' first image is on screen. */
export class SeriesLoadEvent extends Event {
  constructor(readonly detail: SeriesLoadDetail) {
    super('ct-series-load', EVENT_INIT);
  }
}

export interface SliceChangeDetail {
  readonly index: number;
  readonly count: number;
  /** Position of the slice along its normal, mm (the table position for axial CT). */
  readonly positionMm: number | null;
  /** ImagePositionPatient of the slice, mm. */
  readonly imagePositionPatient: Vec3 | null;
  /**
   * DICOM Instance Number (0020,0013) of the slice, the number reports cite ("image 8"); null
   * when the image has none. Not `index + 1`: some scanners number against the position order.
   */
  readonly instanceNumber: number | null;
  /**
   * The plane the slice lies in: `acquisition` for the stack as acquired (and its slabs), else the
   * reformatted plane (`axial`, `coronal`, `sagittal`; each plane of the MPR layout fires its own).
   */
  readonly orientation: ViewerOrientation;
  /** The centre of the slice or plane shown, patient coordinates (mm). */
  readonly centreMm: Vec3 | null;
}

/** The `ct-slice-change` detail of slice `index` of `model`. */
export function sliceChangeDetail(model: SeriesModel | null, index: number): SliceChangeDetail {
  const instance = model?.instances[index];
  const position = instance?.imagePositionPatient ?? null;
  const orientation = instance?.imageOrientationPatient;
  return {
    index,
    count: model?.instances.length ?? 0,
    positionMm: position && orientation ? positionAlongNormal(position, sliceNormal(orientation)) : null,
    imagePositionPatient: position,
    instanceNumber: instance?.instanceNumber ?? null,
    orientation: 'acquisition',
    centreMm: instance && model ? sliceCentre({ ...instance, pixelSpacingMm: model.pixelSpacingMm }) : null,
  };
}

/** The `ct-slice-change` detail of a reformatted plane (a slab's `acquisition` plane included). */
export function planeSliceDetail(plane: {
  readonly plane: ViewerOrientation;
  readonly index: number;
  readonly count: number;
  readonly positionMm: number | null;
  readonly centreMm: Vec3 | null;
}): SliceChangeDetail {
  return {
    index: plane.index,
    count: plane.count,
    positionMm: plane.positionMm,
    imagePositionPatient: null,
    instanceNumber: null,
    orientation: plane.plane,
    centreMm: plane.centreMm,
  };
}

/** Fired when the displayed slice changes. */
export class SliceChangeEvent extends Event {
  constructor(readonly detail: SliceChangeDetail) {
    super('ct-slice-change', EVENT_INIT);
  }
}

/** Fired when the window (VOI) changes, by drag, preset or property. */
export class VoiChangeEvent extends Event {
  constructor(readonly detail: Voi) {
    super('ct-voi-change', EVENT_INIT);
  }
}

/** Zoom and pan of a viewer (`<ct-viewer>.camera`). */
export interface CameraDetail {
  /** Zoom factor relative to "fit": 1 shows the whole image. */
  readonly zoom: number;
  /** Offset of the image centre on the image plane, mm. */
  readonly panMm: readonly [number, number];
}

/** What `ct-camera-change` reports: the camera, and the plane it belongs to. */
export interface CameraChangeDetail extends CameraDetail {
  /** The plane whose camera this is (`acquisition` for the stack as acquired). */
  readonly orientation: ViewerOrientation;
  /** The centre of the plane or slice shown, patient coordinates (mm); null when unknown. */
  readonly centreMm: Vec3 | null;
}

/** Fired when zoom or pan changes (by the reader, `zoomBy`, `resetView` or the `camera` property). */
export class CameraChangeEvent extends Event {
  constructor(readonly detail: CameraChangeDetail) {
    super('ct-camera-change', EVENT_INIT);
  }
}

export interface ImageRenderDetail {
  readonly index: number;
  readonly count: number;
  /** True for the instant preview drawn from the raw first frame before the engine has loaded. */
  readonly preview: boolean;
}

/** Fired when the first slice of a series is on screen (the preview, then the engine's image). */
export class ImageRenderEvent extends Event {
  constructor(readonly detail: ImageRenderDetail) {
    super('ct-image-render', EVENT_INIT);
  }
}

export interface RendererChangeDetail {
  readonly renderer: 'gpu' | 'cpu';
  readonly reason: string;
}

/** Fired when the viewer renders on the CPU because WebGL is unavailable. */
export class RendererChangeEvent extends Event {
  constructor(readonly detail: RendererChangeDetail) {
    super('ct-renderer-change', EVENT_INIT);
  }
}

/** What changed a link offset: the `api` (`setLinkOffset`) or the reader's `landmarks` (`pickLandmarks`). */
export interface LinkOffsetChangeDetail {
  /** A point `p` of the first viewer's study is at `p + offsetMm` in the others' (mm, LPS). */
  readonly offsetMm: Vec3;
  readonly source: 'api' | 'landmarks';
}

/**
 * Fired on every viewer of a `syncViewers(…, { link: 'position' })` link when its offset
 * changes. Carries no patient identity.
 */
export class LinkOffsetChangeEvent extends Event {
  constructor(readonly detail: LinkOffsetChangeDetail) {
    super('ct-link-offset-change', EVENT_INIT);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'ct-link-offset-change': LinkOffsetChangeEvent;
    'ct-load-progress': LoadProgressEvent;
    'ct-series-load': SeriesLoadEvent;
    'ct-slice-change': SliceChangeEvent;
    'ct-voi-change': VoiChangeEvent;
    'ct-camera-change': CameraChangeEvent;
    'ct-image-render': ImageRenderEvent;
    'ct-renderer-change': RendererChangeEvent;
  }
}

/** Every event `<ct-viewer>` fires, typed on the global event map (framework bindings are built from this list). */
export const CT_VIEWER_EVENTS = [
  'ct-load-progress',
  'ct-series-load',
  'ct-slice-change',
  'ct-voi-change',
  'ct-camera-change',
  'ct-image-render',
  'ct-renderer-change',
  'ct-error',
] as const satisfies readonly (keyof GlobalEventHandlersEventMap)[];
