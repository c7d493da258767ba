import { correspondingSliceIndex, type Voi } from '@secondread/core';
import type { CtViewer } from './ct-viewer.js';
import type { CameraDetail } from './events.js';

/** Slice correspondence lives in core's geometry; re-exported here, where it has always been. */
export { correspondingSliceIndex } from '@secondread/core';

/** What linked viewers share. */
export const SYNC_AXES = ['slice', 'voi', 'camera'] as const;
export type SyncAxis = (typeof SYNC_AXES)[number];

/** Which axes are linked; every axis is on unless set to false. */
export type SyncOptions = Partial<Record<SyncAxis, boolean>>;

/** A link between viewers, from {@link syncViewers}. */
export interface ViewerSync {
  /** The axes currently linked. */
  readonly axes: Readonly<Record<SyncAxis, boolean>>;
  /** Turns axes on or off (e.g. from a toggle per axis); turning one on aligns the others with the first viewer. */
  set(options: SyncOptions): void;
  /** Unlinks the viewers. */
  disconnect(): void;
}

/** Zoom, pan and window are equal enough to stop echoing between viewers. */
const CAMERA_TOLERANCE = 1e-3;
const VOI_TOLERANCE = 1e-2;

const sameVoi = (a: Voi | null, b: Voi): boolean =>
  !!a && Math.abs(a.center - b.center) < VOI_TOLERANCE && Math.abs(a.width - b.width) < VOI_TOLERANCE;

const sameCamera = (a: CameraDetail | null, b: CameraDetail): boolean =>
  !!a &&
  Math.abs(a.zoom - b.zoom) < CAMERA_TOLERANCE &&
  Math.abs(a.panMm[0] - b.panMm[0]) < CAMERA_TOLERANCE &&
  Math.abs(a.panMm[1] - b.panMm[1]) < CAMERA_TOLERANCE;

/**
 * Links the scrolling, window/level and zoom/pan of several `<ct-viewer>`s, e.g. the first
 * reader's and the second reader's views of one series. What one viewer does, the others follow;
 * a viewer that loads later is aligned with the others when its series is on screen.
 *
 * ```js
 * const sync = syncViewers([first, second], { camera: false });
 * sync.set({ camera: true });   // a toggle per axis
 * sync.disconnect();
 * ```
 */
export function syncViewers(viewers: readonly CtViewer[], options: SyncOptions = {}): ViewerSync {
  const axes: Record<SyncAxis, boolean> = {
    slice: options.slice ?? true,
    voi: options.voi ?? true,
    camera: options.camera ?? true,
  };

  const follow = (source: CtViewer, axis: SyncAxis): void => {
    if (!axes[axis] || source.state !== 'ready') return;
    for (const target of viewers) {
      if (target === source || target.state !== 'ready') continue;
      if (axis === 'slice') {
        const from = source.seriesModel;
        const to = target.seriesModel;
        if (!from || !to) continue;
        const index = correspondingSliceIndex(from, source.sliceIndex, to);
        if (target.sliceIndex !== index) target.sliceIndex = index;
      } else if (axis === 'voi') {
        const voi = source.voi;
        if (voi && !sameVoi(target.voi, voi)) target.voi = voi;
      } else {
        const camera = source.camera;
        if (camera && !sameCamera(target.camera, camera)) target.camera = camera;
      }
    }
  };

  const alignWith = (source: CtViewer): void => {
    for (const axis of SYNC_AXES) follow(source, axis);
  };

  const listeners: [CtViewer, string, EventListener][] = [];
  for (const viewer of viewers) {
    const on = (type: string, listener: () => void): void => {
      viewer.addEventListener(type, listener);
      listeners.push([viewer, type, listener]);
    };
    on('ct-slice-change', () => follow(viewer, 'slice'));
    on('ct-voi-change', () => follow(viewer, 'voi'));
    on('ct-camera-change', () => follow(viewer, 'camera'));
    // A viewer that becomes ready later takes the state of one that is already showing.
    on('ct-series-load', () => {
      const leader = viewers.find((v) => v !== viewer && v.state === 'ready');
      if (leader) alignWith(leader);
    });
  }

  return {
    get axes() {
      return { ...axes };
    },
    set(next: SyncOptions) {
      for (const axis of SYNC_AXES) {
        const value = next[axis];
        if (value === undefined) continue;
        const turnedOn = value && !axes[axis];
        axes[axis] = value;
        if (turnedOn) {
          const leader = viewers.find((v) => v.state === 'ready');
          if (leader) follow(leader, axis);
        }
      }
    },
    disconnect() {
      for (const [viewer, type, listener] of listeners.splice(0)) viewer.removeEventListener(type, listener);
    },
  };
}
