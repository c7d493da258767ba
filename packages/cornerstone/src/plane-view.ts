/**
 * `CornerstonePlaneView`: one Cornerstone3D ORTHOGRAPHIC volume viewport behind the
 * `EnginePlaneView` contract — a reformatted plane (axial, coronal, sagittal, or the volume in
 * its acquisition orientation for slabs) of a volume that {@link SeriesVolume} builds from the
 * images a stack viewport has loaded.
 */
import { Enums, utilities, type Types, type VolumeViewport } from '@cornerstonejs/core';
import {
  PLANE_CAMERAS,
  ViewerError,
  vec3,
  type DragMode,
  type EnginePlaneView,
  type EnginePlaneViewEvents,
  type PointValue,
  type ReformatPlane,
  type SlabMode,
  type Vec3,
  type Voi,
} from '@secondread/core';
import { sharedRenderingEngine } from './setup.js';
import type { PlaneInteraction } from './plane-interaction.js';

let planeCounter = 0;

const BLEND: Record<SlabMode, Enums.BlendModes> = {
  mip: Enums.BlendModes.MAXIMUM_INTENSITY_BLEND,
  minip: Enums.BlendModes.MINIMUM_INTENSITY_BLEND,
  average: Enums.BlendModes.AVERAGE_INTENSITY_BLEND,
};

const ORIENTATION: Record<ReformatPlane | 'acquisition', Enums.OrientationAxis> = {
  axial: Enums.OrientationAxis.AXIAL,
  coronal: Enums.OrientationAxis.CORONAL,
  sagittal: Enums.OrientationAxis.SAGITTAL,
  acquisition: Enums.OrientationAxis.ACQUISITION,
};

/** A reformatted plane of a series volume. */
export class CornerstonePlaneView implements EnginePlaneView {
  readonly ready: Promise<void>;
  private readonly viewportId = `secondread-plane-${++planeCounter}`;
  private readonly engine = sharedRenderingEngine();
  private readonly viewport: VolumeViewport;
  private readonly listeners = new Map<keyof EnginePlaneViewEvents, Set<(...args: never[]) => void>>();
  private readonly disposers: (() => void)[] = [];
  private interaction: PlaneInteraction | null = null;
  private dragMode: DragMode = 'window-level';
  private destroyed = false;
  private lastIndex = -1;
  private transform = { rotationDeg: 0, flipHorizontal: false, flipVertical: false };

  constructor(
    private readonly element: HTMLDivElement,
    readonly plane: ReformatPlane | 'acquisition',
    volumeId: Promise<string>,
    private readonly onDestroy: () => void,
  ) {
    this.engine.enableElement({
      viewportId: this.viewportId,
      element,
      type: Enums.ViewportType.ORTHOGRAPHIC,
      defaultOptions: { background: [0, 0, 0], orientation: ORIENTATION[plane] },
    });
    this.viewport = this.engine.getViewport<VolumeViewport>(this.viewportId);
    const listen = (type: string, handler: () => void): void => {
      element.addEventListener(type, handler);
      this.disposers.push(() => element.removeEventListener(type, handler));
    };
    listen(Enums.Events.CAMERA_MODIFIED, () => {
      this.emitSliceIfMoved();
      this.emit('camera');
    });
    listen(Enums.Events.VOI_MODIFIED, () => {
      const voi = this.getVoi();
      if (voi) this.emit('voi', voi);
    });
    this.ready = this.build(volumeId);
    this.ready.catch(() => undefined);
  }

  private async build(volumeId: Promise<string>): Promise<void> {
    const id = await volumeId;
    if (this.destroyed) throw new ViewerError('reformat', 'The plane was closed before its volume was ready.');
    await this.viewport.setVolumes([{ volumeId: id }], true);
    this.viewport.setOrientation(ORIENTATION[this.plane]);
    this.viewport.resetCamera();
    this.viewport.render();
    this.lastIndex = this.sliceIndex;
    const { PlaneInteraction } = await import('./plane-interaction.js');
    if (this.destroyed) return;
    this.interaction = new PlaneInteraction(this.viewportId, this.element);
    this.interaction.setDragMode(this.dragMode);
  }

  on<K extends keyof EnginePlaneViewEvents>(event: K, listener: EnginePlaneViewEvents[K]): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return () => set.delete(listener);
  }

  private emit<K extends keyof EnginePlaneViewEvents>(event: K, ...args: Parameters<EnginePlaneViewEvents[K]>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: typeof args) => void)(...args);
  }

  private emitSliceIfMoved(): void {
    const index = this.sliceIndex;
    if (index === this.lastIndex) return;
    this.lastIndex = index;
    this.emit('slice', index);
  }

  private get hasVolume(): boolean {
    return !this.destroyed && this.viewport.getActors().length > 0;
  }

  get sliceCount(): number {
    return this.hasVolume ? this.viewport.getNumberOfSlices() : 0;
  }

  get sliceIndex(): number {
    return this.hasVolume ? this.viewport.getSliceIndex() : 0;
  }

  setSliceIndex(index: number): void {
    if (!this.hasVolume) return;
    const clamped = Math.max(0, Math.min(this.sliceCount - 1, Math.round(index)));
    if (clamped === this.sliceIndex) return;
    void utilities.jumpToSlice(this.element, { imageIndex: clamped }).catch(() => undefined);
  }

  focalPointMm(): Vec3 {
    const [x, y, z] = this.viewport.getCamera().focalPoint ?? [0, 0, 0];
    return [x, y, z];
  }

  normal(): Vec3 {
    const [x, y, z] = this.viewport.getCamera().viewPlaneNormal ?? PLANE_CAMERAS.axial.normal;
    return [x, y, z];
  }

  jumpTo(point: Vec3): void {
    if (!this.hasVolume) return;
    const camera = this.viewport.getCamera();
    const normal = this.normal();
    const focal = this.focalPointMm();
    const shift = vec3.scale(normal, vec3.dot(vec3.sub(point, focal), normal));
    if (Math.abs(vec3.dot(shift, normal)) < 1e-6) return;
    const position = camera.position ?? focal;
    this.viewport.setCamera({
      focalPoint: vec3.add(focal, shift) as Types.Point3,
      position: vec3.add([position[0], position[1], position[2]], shift) as Types.Point3,
    });
    this.viewport.render();
  }

  screenAxes(): { right: Vec3; down: Vec3 } {
    const o = this.canvasToPatient(0, 0);
    const unit = (v: Vec3): Vec3 => vec3.scale(v, 1 / (vec3.norm(v) || 1));
    return {
      right: unit(vec3.sub(this.canvasToPatient(100, 0), o)),
      down: unit(vec3.sub(this.canvasToPatient(0, 100), o)),
    };
  }

  canvasToPatient(x: number, y: number): Vec3 {
    const [a, b, c] = this.viewport.canvasToWorld([x, y]);
    return [a, b, c];
  }

  patientToCanvas(point: Vec3): readonly [number, number] {
    const [x, y] = this.viewport.worldToCanvas([point[0], point[1], point[2]]);
    return [x, y];
  }

  setSlab(thicknessMm: number, mode: SlabMode): void {
    if (!this.hasVolume) return;
    if (thicknessMm > 0) {
      this.viewport.setBlendMode(BLEND[mode], [], false);
      this.viewport.setSlabThickness(thicknessMm);
    } else {
      this.viewport.setBlendMode(Enums.BlendModes.COMPOSITE, [], false);
      this.viewport.resetSlabThickness();
    }
    this.viewport.render();
  }

  setTransform(transform: { rotationDeg: number; flipHorizontal: boolean; flipVertical: boolean }): void {
    this.transform = { ...transform };
    if (!this.hasVolume) return;
    this.viewport.setViewPresentation({
      rotation: transform.rotationDeg,
      flipHorizontal: transform.flipHorizontal,
      flipVertical: transform.flipVertical,
    });
    this.viewport.render();
  }

  getVoi(): Voi | null {
    const range = this.viewport.getProperties()?.voiRange;
    if (!range) return null;
    const voi = utilities.windowLevel.toWindowLevel(range.lower, range.upper);
    return { center: voi.windowCenter, width: voi.windowWidth };
  }

  setVoi(voi: Voi): void {
    if (!this.hasVolume) return;
    const range = utilities.windowLevel.toLowHighRange(voi.width, voi.center);
    this.viewport.setProperties({ voiRange: { lower: range.lower, upper: range.upper } });
    this.viewport.render();
  }

  setInvert(invert: boolean): void {
    if (!this.hasVolume) return;
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

  getPan(): readonly [number, number] {
    const [x, y] = this.viewport.getPan();
    return [x, y];
  }

  setPan(pan: readonly [number, number]): void {
    this.viewport.setPan([pan[0], pan[1]]);
    this.viewport.render();
  }

  resetCamera(): void {
    // Cornerstone's reset recentres the slice too: keep the reader's plane.
    const focal = this.focalPointMm();
    this.viewport.resetCamera();
    if (this.transform.rotationDeg || this.transform.flipHorizontal || this.transform.flipVertical) {
      this.setTransform(this.transform);
    }
    this.jumpTo(focal);
    this.viewport.render();
  }

  mmPerCanvasPixel(): number | null {
    if (!this.hasVolume) return null;
    return vec3.norm(vec3.sub(this.canvasToPatient(1, 0), this.canvasToPatient(0, 0)));
  }

  valueAt(x: number, y: number): PointValue | null {
    if (!this.hasVolume) return null;
    const world = this.canvasToPatient(x, y);
    const imageData = this.viewport.getImageData();
    if (!imageData) return null;
    const [i, j, k] = imageData.imageData.worldToIndex([world[0], world[1], world[2]]);
    const dims = imageData.dimensions;
    const index = [Math.round(i!), Math.round(j!), Math.round(k!)];
    if (index.some((v, axis) => v < 0 || v >= dims[axis]!)) return null;
    const value = this.viewport.getIntensityFromWorld([world[0], world[1], world[2]]);
    if (!Number.isFinite(value)) return null;
    return { value, column: index[0]!, row: index[1]!, positionMm: world };
  }

  setDragMode(mode: DragMode): void {
    this.dragMode = mode;
    this.interaction?.setDragMode(mode);
  }

  resize(): void {
    if (this.destroyed) return;
    this.engine.resize(true, true);
  }

  capturePng(): Promise<Blob> {
    const source = this.viewport.getCanvas();
    return new Promise((resolve, reject) =>
      source.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error('The plane could not be captured.'))),
        'image/png',
      ),
    );
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const dispose of this.disposers.splice(0)) dispose();
    this.listeners.clear();
    this.interaction?.destroy();
    this.interaction = null;
    try {
      this.engine.disableElement(this.viewportId);
    } catch {
      // The engine is gone (context lost): nothing is left to release.
    }
    this.onDestroy();
  }
}
