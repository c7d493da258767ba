import { acceptValue, correspondingSliceIndex, vec3, type ValueRule, type Vec3, type Voi } from '@secondread/core';
import type { CtViewer } from './ct-viewer.js';
import { LinkOffsetChangeEvent, type CameraDetail } from './events.js';

/** Slice correspondence lives in core's geometry; re-exported here, where it has always been. */
export { correspondingSliceIndex } from '@secondread/core';

/** What linked viewers share. */
export const SYNC_AXES = ['slice', 'voi', 'camera'] as const;
export type SyncAxis = (typeof SYNC_AXES)[number];

/**
 * How slices are linked: by patient `position` (the only way so far, and the default): the
 * same series index for index, another series of the same frame of reference by geometry, and a
 * series of another frame of reference (a prior study) by geometry after the link offset.
 */
export const SYNC_LINKS = ['position'] as const;
export type SyncLink = (typeof SYNC_LINKS)[number];

/** Which axes are linked (every axis is on unless set to false), and how. */
export type SyncOptions = Partial<Record<SyncAxis, boolean>> & {
  readonly link?: SyncLink;
  /** The initial link offset (see {@link ViewerSync.setLinkOffset}); `[0, 0, 0]` by default. */
  readonly offsetMm?: Vec3;
};

/** A link between viewers, from {@link syncViewers}. */
export interface ViewerSync {
  /** The axes currently linked. */
  readonly axes: Readonly<Record<SyncAxis, boolean>>;
  /** Turns axes on or off (e.g. from a toggle per axis); turning one on aligns the others with the first viewer. */
  set(options: Partial<Record<SyncAxis, boolean>>): void;
  /**
   * Where the first viewer's anatomy is in the others when their frames of reference differ
   * (a prior and a current study): a point `p` of the first viewer is at `p + linkOffsetMm` in
   * the others. Viewers of one frame of reference are linked directly, without it.
   */
  readonly linkOffsetMm: Vec3;
  /**
   * Sets the link offset (mm, LPS; a finite 3-vector, otherwise ignored with a warning), aligns
   * the other viewers with the first one and fires `ct-link-offset-change` on every viewer.
   */
  setLinkOffset(offsetMm: Vec3): void;
  /**
   * The landmark gesture: the next click in each of the first two viewers (in any order) picks
   * the same landmark in both (the click does not reach the measurement tools); the offset
   * becomes `current − prior` and the promise resolves with it. Until both are picked, slices
   * are not linked, so that the reader can scroll each viewer to the landmark. Calling it again, or
   * `disconnect()`, cancels a pending pick (the promise rejects with an `AbortError`).
   */
  pickLandmarks(): Promise<Vec3>;
  /** Unlinks the viewers. */
  disconnect(): void;
}

function isOffset(value: unknown): value is Vec3 {
  return Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}

/** The rule `acceptValue` checks a link offset against. */
const OFFSET: ValueRule<Vec3> = { test: isOffset, allowed: 'an array of three finite numbers (mm)' };

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
  let landmarkPick: { abort: () => void } | undefined;
  let offsetMm: Vec3 = isOffset(options.offsetMm) ? [...options.offsetMm] : [0, 0, 0];

  const frameOf = (viewer: CtViewer | undefined): string | null =>
    viewer?.seriesModel?.instances.find((i) => i.frameOfReferenceUid)?.frameOfReferenceUid ?? null;
  /** The offset from `source`'s patient coordinates to `target`'s: ± the link offset across frames. */
  const offsetBetween = (source: CtViewer, target: CtViewer): Vec3 | undefined => {
    const reference = frameOf(viewers[0]);
    const from = frameOf(source);
    const to = frameOf(target);
    if (!from || !to || from === to) return undefined;
    if (from === reference) return offsetMm;
    if (to === reference) return vec3.scale(offsetMm, -1);
    return undefined;
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
    // While the reader picks landmarks, each viewer scrolls on its own to the landmark.
    if (axis === 'slice' && landmarkPick) return;
    for (const target of viewers) {
      if (target === source || target.state !== 'ready') continue;
      if (axis === 'slice') {
        const from = source.seriesModel;
        const to = target.seriesModel;
        if (!from || !to) continue;
        const index = correspondingSliceIndex(from, source.sliceIndex, to, offsetBetween(source, target));
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

  const pickLandmarks = (): Promise<Vec3> => {
    landmarkPick?.abort();
    const [prior, current] = viewers;
    if (!prior || !current) return Promise.reject(new RangeError('pickLandmarks needs two linked viewers'));
    return new Promise<Vec3>((resolve, reject) => {
      const picked = new Map<CtViewer, Vec3>();
      const removers: (() => void)[] = [];
      const finish = (): void => {
        for (const remove of removers.splice(0)) remove();
        if (landmarkPick === pick) landmarkPick = undefined;
      };
      const pick = {
        abort: () => {
          finish();
          reject(new DOMException('The landmark pick was cancelled.', 'AbortError'));
        },
      };
      landmarkPick = pick;
      for (const viewer of [prior, current]) {
        // Capture on the host: the click never reaches the tools inside the shadow root.
        const swallow = (event: Event): void => {
          if (picked.has(viewer) && event.type !== 'pointerup' && event.type !== 'mouseup' && event.type !== 'click')
            return;
          event.stopPropagation();
          event.preventDefault();
        };
        const down = (event: PointerEvent): void => {
          if (event.button !== 0 || picked.has(viewer)) return;
          const position = viewer.positionAtClient(event.clientX, event.clientY);
          if (!position) return;
          swallow(event);
          picked.set(viewer, position);
          if (picked.size === 2) {
            // Let this click's pointerup/click be swallowed too, then stop listening.
            const removeLater = removers.splice(0);
            landmarkPick = undefined;
            setTimeout(() => removeLater.forEach((remove) => remove()), 0);
            const next = vec3.sub(picked.get(current) as Vec3, picked.get(prior) as Vec3);
            applyOffset(next, 'landmarks');
            resolve(next);
          }
        };
        const types = ['mousedown', 'pointerup', 'mouseup', 'click'] as const;
        viewer.addEventListener('pointerdown', down, { capture: true });
        for (const type of types) viewer.addEventListener(type, swallow, { capture: true });
        removers.push(() => {
          viewer.removeEventListener('pointerdown', down, { capture: true });
          for (const type of types) viewer.removeEventListener(type, swallow, { capture: true });
        });
      }
    });
  };

  const applyOffset = (next: Vec3, source: 'api' | 'landmarks'): void => {
    offsetMm = [next[0], next[1], next[2]];
    const leader = viewers[0];
    if (leader) follow(leader, 'slice');
    for (const viewer of viewers) viewer.dispatchEvent(new LinkOffsetChangeEvent({ offsetMm: [...offsetMm], source }));
  };

  return {
    get axes() {
      return { ...axes };
    },
    get linkOffsetMm() {
      return [...offsetMm] as Vec3;
    },
    setLinkOffset(next: Vec3) {
      if (!acceptValue('syncViewers', 'setLinkOffset() offset', next, OFFSET)) return;
      applyOffset(next, 'api');
    },
    pickLandmarks,
    set(next: Partial<Record<SyncAxis, boolean>>) {
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
      landmarkPick?.abort();
      for (const [viewer, type, listener] of listeners.splice(0)) viewer.removeEventListener(type, listener);
    },
  };
}
