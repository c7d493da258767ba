/**
 * The reformatted planes of `<ct-viewer>` (`orientation`, `layout="mpr"`, slabs): which planes
 * the element's attributes ask for, whether the series and the renderer allow them (otherwise a
 * typed `reformat` error and the acquired stack stays), the engine's plane views and what the
 * element shows of each (slice, position, markers, zoom), and the crosshair point that links
 * the planes of the MPR layout.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  markersForScreen,
  reformatRefusal,
  sliceCentre,
  sliceNormal,
  toViewerError,
  vec3,
  ViewerError,
  type DragMode,
  type EnginePlaneView,
  type EngineViewport,
  type ErrorCode,
  type OrientationMarkers,
  type ReformatPlane,
  type SeriesModel,
  type SlabMode,
  type Vec3,
  type ViewerLayout,
  type ViewerOrientation,
  type Voi,
} from '@secondread/core';

/** A plane of the element: a patient plane, or the acquisition plane of a slab. */
export type PlaneName = ReformatPlane | 'acquisition';

/** The patient axis whose coordinate is a plane's position (mm). */
const POSITION_AXIS: Record<ReformatPlane, 0 | 1 | 2> = { axial: 2, coronal: 1, sagittal: 0 };

/** What the element shows of one plane. */
export interface PlaneState {
  readonly plane: PlaneName;
  readonly status: 'building' | 'ready' | 'error';
  readonly index: number;
  readonly count: number;
  /** Position of the plane along its patient axis (z, y or x), or along the slice normal for `acquisition`, mm. */
  readonly positionMm: number | null;
  /** The centre of the plane shown, patient mm. */
  readonly centreMm: Vec3 | null;
  readonly markers: OrientationMarkers | null;
  readonly zoom: number;
  readonly mmPerPixel: number | null;
}

/** The display settings every plane follows. */
export interface PlaneSettings {
  readonly orientation: ViewerOrientation;
  readonly layout: ViewerLayout;
  readonly slabThicknessMm: number;
  readonly slabMode: SlabMode;
  readonly rotationDeg: number;
  readonly flipHorizontal: boolean;
  readonly flipVertical: boolean;
  readonly invert: boolean;
  readonly dragMode: DragMode;
}

/** What the controller needs from its element. */
export interface PlaneCallbacks {
  planeSettings(): PlaneSettings;
  /** The `<div>` the engine draws plane `plane` into (rendered while {@link PlaneController.requested} lists it). */
  planeElement(plane: PlaneName): HTMLDivElement | null;
  onPlaneSlice(plane: PlaneName, state: PlaneState): void;
  onPlaneCamera(plane: PlaneName, state: PlaneState): void;
  onPlaneVoi(voi: Voi): void;
  onPlaneError(code: ErrorCode, message: string): void;
}

/** The planes `settings` ask for, or none for the plain acquired stack. */
export function requestedPlanes(settings: PlaneSettings): readonly PlaneName[] {
  if (settings.layout === 'mpr') return ['axial', 'coronal', 'sagittal'];
  if (settings.orientation !== 'acquisition') return [settings.orientation];
  if (settings.slabThicknessMm > 0) return ['acquisition'];
  return [];
}

export class PlaneController implements ReactiveController {
  private views = new Map<PlaneName, EnginePlaneView>();
  private states = new Map<PlaneName, PlaneState>();
  private offs: (() => void)[] = [];
  /** What the current views were built for; a change rebuilds them. */
  private builtFor = '';
  /** A refusal already told for this request (no repeat on every update). */
  private refusedFor = '';
  private refused = false;
  private voi: Voi | null = null;
  /** The point the planes of the MPR layout cross at, patient mm. */
  private crosshair: Vec3 | null = null;
  /** The slice normal of the series (the position axis of the `acquisition` plane). */
  private seriesNormal: Vec3 | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly callbacks: PlaneCallbacks,
  ) {
    host.addController(this);
  }

  /** The planes shown in place of the stack (empty: the stack is shown). */
  get requested(): readonly PlaneName[] {
    return this.refused ? [] : requestedPlanes(this.callbacks.planeSettings());
  }

  /** True while reformatted planes (being built or built) replace the stack. */
  get active(): boolean {
    return this.requested.length > 0;
  }

  get planes(): readonly PlaneState[] {
    return this.requested.map((plane) => this.states.get(plane) ?? building(plane));
  }

  view(plane: PlaneName): EnginePlaneView | null {
    return this.views.get(plane) ?? null;
  }

  get crosshairMm(): Vec3 | null {
    return this.crosshair;
  }

  /**
   * Brings the plane views in line with the settings: builds the views the settings ask for (or
   * refuses with a typed error), applies slab, transform, window and drag mode.
   */
  sync(
    stack: EngineViewport | null,
    series: SeriesModel | null,
    renderer: 'gpu' | 'cpu' | null,
    voi: Voi | null,
  ): void {
    const settings = this.callbacks.planeSettings();
    const wanted = requestedPlanes(settings);
    const key = `${series?.seriesUid ?? ''}|${wanted.join(',')}`;
    const orientation = series?.instances[0]?.imageOrientationPatient;
    this.seriesNormal = orientation ? sliceNormal(orientation) : null;
    if (!wanted.length || !stack || !series) {
      if (!wanted.length) {
        this.refused = false;
        this.refusedFor = '';
      }
      this.clear();
      this.builtFor = '';
      return;
    }
    if (key !== this.builtFor) {
      this.clear();
      this.builtFor = key;
      const refusal = this.refusal(stack, series, renderer);
      if (refusal) {
        this.refused = true;
        if (this.refusedFor !== key) {
          this.refusedFor = key;
          this.callbacks.onPlaneError('reformat', refusal);
        }
        this.host.requestUpdate();
        return;
      }
      this.refused = false;
      this.refusedFor = '';
      this.host.requestUpdate();
      void this.host.updateComplete.then(() => this.build(stack, series, wanted, key));
      return;
    }
    this.apply(settings, voi);
  }

  private refusal(stack: EngineViewport, series: SeriesModel, renderer: 'gpu' | 'cpu' | null): string | null {
    if (renderer === 'cpu' || !stack.createPlaneView) {
      return 'Reformatted planes and slabs need WebGL; the images are rendered on the CPU, so the series is shown as acquired.';
    }
    const why = reformatRefusal(series);
    return why ? `${why} The series is shown as acquired.` : null;
  }

  private build(stack: EngineViewport, series: SeriesModel, wanted: readonly PlaneName[], key: string): void {
    if (key !== this.builtFor) return;
    const start = this.startPoint(stack, series);
    for (const plane of wanted) {
      const element = this.callbacks.planeElement(plane);
      if (!element || !stack.createPlaneView) continue;
      const view = stack.createPlaneView(element, plane);
      this.views.set(plane, view);
      this.states.set(plane, building(plane));
      this.offs.push(
        view.on('slice', () => this.onSlice(plane)),
        view.on('camera', () => this.onCamera(plane)),
        view.on('voi', (voi) => this.onVoi(voi)),
      );
      view.ready.then(
        () => {
          if (this.views.get(plane) !== view) return;
          const settings = this.callbacks.planeSettings();
          view.setSlab(settings.slabThicknessMm, settings.slabMode);
          view.setTransform({
            rotationDeg: settings.rotationDeg,
            flipHorizontal: settings.flipHorizontal,
            flipVertical: settings.flipVertical,
          });
          view.setInvert(settings.invert);
          view.setDragMode(settings.dragMode);
          if (this.voi) view.setVoi(this.voi);
          this.crosshair ??= start;
          if (this.crosshair) view.jumpTo(this.crosshair);
          this.states.set(plane, this.stateOf(plane, view));
          this.callbacks.onPlaneSlice(plane, this.states.get(plane)!);
          this.host.requestUpdate();
        },
        (error: unknown) => {
          if (this.views.get(plane) !== view) return;
          this.states.set(plane, { ...building(plane), status: 'error' });
          const viewerError = toViewerError(error);
          // One message for the three planes of one volume.
          if (plane === wanted[0]) {
            this.refused = true;
            this.callbacks.onPlaneError(
              'reformat',
              `${viewerError instanceof ViewerError ? viewerError.message : 'The volume could not be built.'} The series is shown as acquired.`,
            );
            this.clear();
          }
          this.host.requestUpdate();
        },
      );
    }
  }

  /** Where the planes start: the centre of the slice the reader is on. */
  private startPoint(stack: EngineViewport, series: SeriesModel): Vec3 | null {
    const instance = series.instances[stack.sliceIndex];
    return (instance && sliceCentre({ ...instance, pixelSpacingMm: series.pixelSpacingMm })) ?? null;
  }

  private apply(settings: PlaneSettings, voi: Voi | null): void {
    for (const [, view] of this.readyViews()) {
      view.setSlab(settings.slabThicknessMm, settings.slabMode);
      view.setTransform({
        rotationDeg: settings.rotationDeg,
        flipHorizontal: settings.flipHorizontal,
        flipVertical: settings.flipVertical,
      });
      view.setInvert(settings.invert);
      view.setDragMode(settings.dragMode);
    }
    if (voi) this.setVoi(voi);
    this.refreshStates();
  }

  /** Views whose volume is on screen. */
  private readyViews(): [PlaneName, EnginePlaneView][] {
    return [...this.views].filter(([plane]) => this.states.get(plane)?.status === 'ready');
  }

  /** The window of every plane (the element's `voi`, presets). */
  setVoi(voi: Voi): void {
    this.voi = voi;
    for (const [, view] of this.readyViews()) {
      const current = view.getVoi();
      if (!current || !sameVoi(current, voi)) view.setVoi(voi);
    }
  }

  /** Moves every plane through `point` (patient mm): the crosshair, a measurement, a linked viewer. */
  showPoint(point: Vec3): void {
    this.crosshair = point;
    for (const [, view] of this.readyViews()) view.jumpTo(point);
    this.refreshStates();
  }

  /** Steps the plane `plane` (the first one by default) by `delta` slices. */
  step(delta: number, plane: PlaneName | undefined = this.requested[0]): void {
    const view = plane ? this.views.get(plane) : undefined;
    if (view) view.setSliceIndex(view.sliceIndex + delta);
  }

  setSliceIndex(plane: PlaneName, index: number): void {
    this.views.get(plane)?.setSliceIndex(index);
  }

  resetCamera(): void {
    for (const [, view] of this.readyViews()) view.resetCamera();
  }

  zoomBy(factor: number): void {
    for (const [, view] of this.readyViews()) view.setZoom(view.getZoom() * factor);
  }

  resize(): void {
    for (const [, view] of this.views) view.resize();
  }

  private onSlice(plane: PlaneName): void {
    const view = this.views.get(plane);
    if (!view || this.states.get(plane)?.status !== 'ready') return;
    // The crosshair follows the plane along its normal; the other planes stay.
    const focal = view.focalPointMm();
    if (this.crosshair) {
      const normal = view.normal();
      this.crosshair = vec3.add(this.crosshair, vec3.scale(normal, vec3.dot(vec3.sub(focal, this.crosshair), normal)));
    } else {
      this.crosshair = focal;
    }
    const state = this.stateOf(plane, view);
    this.states.set(plane, state);
    this.callbacks.onPlaneSlice(plane, state);
    this.host.requestUpdate();
  }

  private onCamera(plane: PlaneName): void {
    const view = this.views.get(plane);
    if (!view || this.states.get(plane)?.status !== 'ready') return;
    const state = this.stateOf(plane, view);
    const before = this.states.get(plane);
    this.states.set(plane, state);
    if (before && (before.zoom !== state.zoom || before.mmPerPixel !== state.mmPerPixel)) {
      this.callbacks.onPlaneCamera(plane, state);
    }
    this.host.requestUpdate();
  }

  private onVoi(voi: Voi): void {
    if (this.voi && sameVoi(this.voi, voi)) return;
    this.setVoi(voi);
    this.callbacks.onPlaneVoi(voi);
  }

  private refreshStates(): void {
    for (const [plane, view] of this.readyViews()) this.states.set(plane, this.stateOf(plane, view));
    this.host.requestUpdate();
  }

  private stateOf(plane: PlaneName, view: EnginePlaneView): PlaneState {
    const centre = view.focalPointMm();
    const axes = view.screenAxes();
    const positionMm =
      plane === 'acquisition'
        ? this.seriesNormal
          ? vec3.dot(centre, this.seriesNormal)
          : null
        : (centre[POSITION_AXIS[plane]] ?? null);
    return {
      plane,
      status: 'ready',
      index: view.sliceIndex,
      count: view.sliceCount,
      positionMm,
      centreMm: centre,
      markers: markersForScreen(axes.right, axes.down),
      zoom: view.getZoom(),
      mmPerPixel: view.mmPerCanvasPixel(),
    };
  }

  /** Destroys every plane view (the stack is shown again). */
  clear(): void {
    for (const off of this.offs.splice(0)) off();
    for (const view of this.views.values()) view.destroy();
    this.views.clear();
    this.states.clear();
    this.crosshair = null;
  }

  hostDisconnected(): void {
    this.clear();
    this.builtFor = '';
  }
}

function building(plane: PlaneName): PlaneState {
  return {
    plane,
    status: 'building',
    index: 0,
    count: 0,
    positionMm: null,
    centreMm: null,
    markers: null,
    zoom: 1,
    mmPerPixel: null,
  };
}

function sameVoi(a: Voi, b: Voi): boolean {
  return Math.abs(a.center - b.center) < 1e-3 && Math.abs(a.width - b.width) < 1e-3;
}
