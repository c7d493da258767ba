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

/** How many unanswered requests a viewer keeps per axis (a fast scroll asks for many). */
const MAX_ASKED = 64;

/** The value of an axis: a slice index, a window, a camera. */
type AxisValue<A extends SyncAxis> = A extends 'slice' ? number : A extends 'voi' ? Voi : CameraDetail;

const sameVoi = (a: Voi | null, b: Voi): boolean =>
  !!a && Math.abs(a.center - b.center) < VOI_TOLERANCE && Math.abs(a.width - b.width) < VOI_TOLERANCE;

const sameCamera = (a: CameraDetail | null, b: CameraDetail): boolean =>
  !!a &&
  Math.abs(a.zoom - b.zoom) < CAMERA_TOLERANCE &&
  Math.abs(a.panMm[0] - b.panMm[0]) < CAMERA_TOLERANCE &&
  Math.abs(a.panMm[1] - b.panMm[1]) < CAMERA_TOLERANCE;

const SAME: { [A in SyncAxis]: (a: AxisValue<A>, b: AxisValue<A>) => boolean } = {
  slice: (a, b) => a === b,
  voi: (a, b) => sameVoi(a, b),
  camera: (a, b) => sameCamera(a, b),
};

/**
 * Links the scrolling, window/level and zoom/pan of several `<ct-viewer>`s, e.g. the first
 * reader's and the second reader's views of one series. What one viewer does, the others follow;
 * a viewer that loads later is aligned with the others when its series is on screen. A viewer
 * that follows never echoes: its answer to the link is not passed back to the viewer that led.
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

  /**
   * No echo: what the link asked a viewer to show, per axis, not yet reported back by it. When
   * the viewer reports it, that is the link's own change coming back, not the reader's: it is not
   * passed on (A moves B; B's answer must not move A back, e.g. to A's neighbour slice when the
   * spacings differ, or override what the reader does meanwhile on A).
   */
  const asked = new Map<CtViewer, { [A in SyncAxis]: AxisValue<A>[] }>();
  const askedOf = <A extends SyncAxis>(viewer: CtViewer, axis: A): AxisValue<A>[] => {
    let entry = asked.get(viewer);
    if (!entry) asked.set(viewer, (entry = { slice: [], voi: [], camera: [] }));
    return entry[axis];
  };
  /** Viewers being set by the link right now: their synchronous events are the link's own. */
  const applying = new Set<CtViewer>();
  /** Viewers whose next slice event is the one that opens their series, not a reader's scroll. */
  const opening = new Set<CtViewer>();

  const drive = <A extends SyncAxis>(target: CtViewer, axis: A, value: AxisValue<A>, apply: () => void): void => {
    const list = askedOf(target, axis);
    list.push(value);
    if (list.length > MAX_ASKED) list.shift();
    applying.add(target);
    try {
      apply();
    } finally {
      applying.delete(target);
    }
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
        if (target.sliceIndex !== index) drive(target, 'slice', index, () => (target.sliceIndex = index));
      } else if (axis === 'voi') {
        const voi = source.voi;
        if (voi && !sameVoi(target.voi, voi)) drive(target, 'voi', voi, () => (target.voi = voi));
      } else {
        const camera = source.camera;
        if (camera && !sameCamera(target.camera, camera))
          drive(target, 'camera', camera, () => (target.camera = camera));
      }
    }
  };

  /** A viewer reports a change: pass it on unless it is the link's own coming back. */
  const changed = <A extends SyncAxis>(viewer: CtViewer, axis: A, value: AxisValue<A>): void => {
    const list = askedOf(viewer, axis);
    const echo = list.findIndex((v) => SAME[axis](v, value));
    if (echo >= 0) {
      // Answers to earlier requests that the viewer skipped are stale now as well.
      list.splice(0, echo + 1);
      return;
    }
    // An intermediate state of the link's own assignment (the zoom set, the pan not yet).
    if (applying.has(viewer)) return;
    // The reader's own change: it leads from now on.
    list.length = 0;
    follow(viewer, axis);
  };

  const alignWith = (source: CtViewer): void => {
    for (const axis of SYNC_AXES) follow(source, axis);
  };

  const listeners: [CtViewer, string, EventListener][] = [];
  for (const viewer of viewers) {
    const on = <K extends 'ct-slice-change' | 'ct-voi-change' | 'ct-camera-change' | 'ct-series-load'>(
      type: K,
      listener: (event: GlobalEventHandlersEventMap[K]) => void,
    ): void => {
      viewer.addEventListener(type, listener);
      listeners.push([viewer, type, listener as EventListener]);
    };
    on('ct-slice-change', (event) => {
      if (opening.delete(viewer)) return;
      changed(viewer, 'slice', event.detail.index);
    });
    on('ct-voi-change', (event) => changed(viewer, 'voi', { center: event.detail.center, width: event.detail.width }));
    on('ct-camera-change', (event) => changed(viewer, 'camera', event.detail));
    // A viewer that becomes ready later takes the state of one that is already showing.
    on('ct-series-load', () => {
      asked.delete(viewer);
      opening.add(viewer);
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
