/**
 * `ViewportAnnotations`: one viewport's annotations, between Cornerstone's page-wide annotation
 * state and the model. Its parts: the events out (added/changed/removed, in model terms), ending
 * a pending drawing (slice change, tool change, input on another viewport), freezing the other
 * annotations' SVG while one is dragged, and the layers in (hydrating measurements, locked and
 * coloured layers, selection). The tools and the annotation ↔ model conversions that hold no
 * per-viewport state live beside it in `annotation-kinds.ts`.
 *
 * Over 500 lines on purpose for now: the parts share the class's bookkeeping (`mine`, `layers`,
 * `frozen`, `discarding`) and Cornerstone's page-wide interaction flag, so splitting them means
 * passing that state around. The next cuts, in order: the hydration of a model annotation
 * (`hydrate`, `rectangleCorners`, `addPlain`, `completeHydrated`, which need only the
 * `AnnotationHost`) into `hydrate-annotation.ts`; then the SVG freeze (`Frozen`,
 * `freezeOthersWhileEditing`, `thaw`) into a small class of its own that the viewport holds.
 */
import { eventTarget, getEnabledElement, metaData, type Types } from '@cornerstonejs/core';
import {
  annotation as annotationApi,
  AngleTool,
  ArrowAnnotateTool,
  BidirectionalTool,
  Enums as ToolEnums,
  EllipticalROITool,
  LabelTool,
  LengthTool,
  PlanarFreehandROITool,
  ProbeTool,
  RectangleROITool,
  state as toolsState,
  ToolGroupManager,
  type Types as ToolTypes,
  utilities as toolUtilities,
} from '@cornerstonejs/tools';
import {
  pointsOnSlicePlane,
  type EngineAnnotation,
  type EngineAnnotationEvent,
  type EngineLayerOptions,
  type MeasurementKind,
  type SlicePixels,
} from '@secondread/core';
import {
  imagePlaneOf,
  kindOf,
  layerColorStyles,
  pointsOf,
  resolveCssColor,
  slicePixelsOfImage,
  TOOL_FOR_KIND,
  toolConfiguration,
  vec,
  viewportAnnotationUid,
} from './annotation-kinds.js';
import { renderWithoutStyleAttributes, type RendersAnnotations } from './style-attributes.js';

export {
  engineRoiStatistics,
  kindOf,
  pointsOf,
  registerAnnotationTools,
  TOOL_FOR_KIND,
  toolConfiguration,
  type EngineRoiStatistics,
} from './annotation-kinds.js';

type Annotation = ToolTypes.Annotation;

/** Context a viewport gives its annotations. */
export interface AnnotationHost {
  readonly viewportId: string;
  readonly element: HTMLDivElement;
  imageIdOf(sopInstanceUid: string): string | undefined;
  sopInstanceUidOf(imageId: string): string | undefined;
  currentImageId(): string | undefined;
  render(): void;
}

/** One entry of Cornerstone's SVG node cache (`state.svgNodeCache[viewport][hash]`). */
interface SvgNodeEntry {
  touched: boolean;
  domRef: SVGElement;
}

/**
 * Cornerstone redraws every annotation of a viewport on each annotation render, and measures
 * each text box with `getBBox` after rewriting it (a forced layout per annotation): with 200
 * measurements on a slice, every frame of a drag costs hundreds of milliseconds. While one
 * annotation is drawn or edited nothing else can change (the primary button is the tool's, the
 * camera does not move), so the others are frozen for the drag: their SVG stays in the layer as it
 * was, but is taken out of Cornerstone's node cache and the annotations are skipped by the
 * renderer (`isVisible`, set directly, without visibility events). On mouse up (or anything that
 * could move them) the cache entries and visibility are put back, and the next render reuses the
 * very same nodes. Meanwhile the frozen nodes sit in an SVG of their own under the layer, a
 * composited layer of its own: Chromium then paints them (and their drop-shadow filters) once,
 * not again on each frame of the drag.
 */
interface Frozen {
  readonly annotations: Annotation[];
  readonly entries: Map<string, SvgNodeEntry>;
  readonly cache: Record<string, SvgNodeEntry>;
  /** Where the frozen nodes wait (see `freezeOthersWhileEditing`), and the layer they came from. */
  readonly overlay: SVGSVGElement | null;
  readonly layer: SVGSVGElement | null;
}

/** The parts of a Cornerstone annotation tool that tell (and end) what it draws or edits. */
interface EditingTool {
  editData?: { annotation?: Annotation; newAnnotation?: boolean } | null;
  commonData?: { annotation?: Annotation } | null;
  isDrawing?: boolean;
  isEditingClosed?: boolean;
  isEditingOpen?: boolean;
  angleStartedNotYetCompleted?: boolean;
  cancel?(element: HTMLDivElement): unknown;
}

/** What a tool is doing on a viewport: drawing a new annotation or editing one. */
interface Editing {
  readonly instance: EditingTool;
  readonly annotation: Annotation;
  readonly isNew: boolean;
}

/**
 * How long Cornerstone may hold a press back before tools see it (its double-click tolerance,
 * 400 ms), with a margin.
 */
const PRESS_HELD_BACK_MS = 450;

/** Every viewport's annotations on the page: one viewport's input ends what the others have under way. */
const liveViewports = new Set<ViewportAnnotations>();

/** One viewport's annotations: events out, layers in. */
export class ViewportAnnotations {
  private readonly mine = new Set<string>();
  private readonly layers = new Map<string, Set<string>>();
  private readonly locked = new Set<string>();
  /** Cornerstone UID → measurement id, where they differ (see `viewportAnnotationUid`). */
  private readonly measurementIds = new Map<string, string>();
  private readonly engineUids = new Map<string, string>();
  private readonly listeners = new Set<(event: EngineAnnotationEvent) => void>();
  private readonly disposers: (() => void)[] = [];
  private hydrating = false;
  private groupId: string | null = null;
  private frozen: Frozen | null = null;
  /** New annotations being cancelled: what Cornerstone reports about them is not the reader's. */
  private readonly discarding = new Set<string>();
  /** The annotation `select` highlighted (the list's selection), if any. */
  private selectedUid: string | null = null;
  /** When the primary button last went down on this viewport (`performance.now()`). */
  private lastPressAt = -Infinity;
  /** The view (image, plane) the reader saw at that press. */
  private pressView: Record<string, unknown> | null = null;

  constructor(private readonly host: AnnotationHost) {
    const on = (type: string, handler: (detail: { annotation: Annotation; viewportId?: string }) => void): void => {
      const listener = (event: Event): void =>
        handler((event as CustomEvent<{ annotation: Annotation; viewportId?: string }>).detail);
      eventTarget.addEventListener(type, listener);
      this.disposers.push(() => eventTarget.removeEventListener(type, listener));
    };
    const { Events } = ToolEnums;
    on(Events.ANNOTATION_ADDED, ({ annotation, viewportId }) => {
      if (viewportId !== host.viewportId) return;
      this.mine.add(annotation.annotationUID!);
      if (this.hydrating) return;
      this.keepClickOnItsImage(annotation);
      // Once the tool has set up its drawing (it adds the annotation first).
      queueMicrotask(() => this.dropIfStartedElsewhere(annotation));
    });
    on(Events.ANNOTATION_COMPLETED, ({ annotation }) => {
      this.emit('add', annotation);
      this.settleCompleted(annotation);
    });
    on(Events.ANNOTATION_MODIFIED, ({ annotation }) => this.emit('change', annotation));
    on(Events.ANNOTATION_REMOVED, ({ annotation }) => {
      this.emit('remove', annotation);
      const uid = annotation.annotationUID!;
      this.mine.delete(uid);
      const measurementId = this.measurementIds.get(uid);
      if (measurementId !== undefined) {
        this.measurementIds.delete(uid);
        this.engineUids.delete(measurementId);
      }
    });
    const onElement = (type: string, handler: () => void): void => {
      host.element.addEventListener(type, handler);
      this.disposers.push(() => host.element.removeEventListener(type, handler));
    };
    const onPointer = (): void => this.freezeOthersWhileEditing();
    onElement(Events.MOUSE_DRAG, onPointer);
    onElement(Events.MOUSE_MOVE, onPointer);
    for (const type of [
      Events.MOUSE_UP,
      Events.MOUSE_CLICK,
      'CORNERSTONE_CAMERA_MODIFIED',
      'CORNERSTONE_STACK_NEW_IMAGE',
    ]) {
      onElement(type, () => this.thaw());
    }
    // A measurement lies on one slice: whatever changes the slice ends what is being drawn.
    onElement('CORNERSTONE_STACK_NEW_IMAGE', () => this.cancelPending());
    // Before Cornerstone's own listeners (on this element, for events from the canvas and the
    // SVG inside it): the wheel ends a drawing here and elsewhere, then scrolls; a press here
    // ends what another viewport has under way, which would otherwise swallow it.
    const onCapture = (type: 'wheel' | 'mousedown', handler: () => void): void => {
      host.element.addEventListener(type, handler, { capture: true });
      this.disposers.push(() => host.element.removeEventListener(type, handler, { capture: true }));
    };
    const cancelOthers = (): void => {
      for (const other of liveViewports) if (other !== this) other.cancelPending();
    };
    onCapture('wheel', () => {
      cancelOthers();
      this.cancelPending();
    });
    onCapture('mousedown', () => {
      this.lastPressAt = performance.now();
      this.pressView = this.currentView();
      cancelOthers();
    });
    liveViewports.add(this);
    this.disposers.push(() => liveViewports.delete(this));
  }

  /**
   * `cancelPending` for a tool change: the last click of a drawing (an angle's third point) may
   * still be held back by Cornerstone's double-click test when the reader presses Escape or
   * picks another tool; the drawing that click finishes is kept. Whatever is still pending once
   * that click has been handled is cancelled.
   */
  private cancelPendingOnceSettled(): void {
    const wait = this.lastPressAt + PRESS_HELD_BACK_MS - performance.now();
    if (wait <= 0) {
      this.cancelPending();
      return;
    }
    const pending = this.editing()?.annotation;
    setTimeout(() => {
      if (pending && this.editing()?.annotation === pending) this.cancelPending();
    }, wait);
  }

  /**
   * Cornerstone holds a press back for up to 400 ms (to tell a double click) and then starts the
   * drawing where the press was, on the slice shown then: after a scroll in between (keys, a
   * linked viewer), the new annotation's first point lies on another slice than the image it
   * names. Such a drawing is cancelled as soon as it starts.
   */
  private dropIfStartedElsewhere(annotation: Annotation): void {
    const editing = this.editing();
    if (!editing?.isNew || editing.annotation !== annotation) return;
    const kind = kindOf(annotation);
    const imageId = annotation.metadata?.referencedImageId;
    const plane = imageId ? imagePlaneOf(imageId) : null;
    if (!kind || !plane) return;
    const data = annotation.data as { handles?: { points?: Types.Point3[] } };
    const points = [...pointsOf(kind, annotation), ...(data.handles?.points ?? []).map(vec)];
    if (!pointsOnSlicePlane(points, plane)) this.cancelPending();
  }

  /** The viewport's view reference now (image, plane, frame of reference), or null. */
  private currentView(): Record<string, unknown> | null {
    try {
      const view = getEnabledElement(this.host.element)?.viewport.getViewReference();
      return view ? { ...(view as unknown as Record<string, unknown>) } : null;
    } catch {
      return null;
    }
  }

  /**
   * A probe or a label is complete with the click that places it. Cornerstone holds that click
   * back for up to 400 ms (to tell a double click) and then creates the annotation for the image
   * shown by then, at the point pressed on the image shown before: when the slice changed in
   * between (keys, wheel, a linked viewer), the click counts on the image it was made on, as the
   * reader saw it. Tools that draw from point to point go on after their first click on the new
   * slice: those are dropped instead (see {@link dropIfStartedElsewhere}).
   */
  private keepClickOnItsImage(annotation: Annotation): void {
    const kind = kindOf(annotation);
    const pressed = this.pressView;
    const metadata = annotation.metadata as unknown as Record<string, unknown> | undefined;
    if ((kind !== 'probe' && kind !== 'label') || !pressed || !metadata) return;
    const imageId = pressed.referencedImageId;
    if (typeof imageId !== 'string' || metadata.referencedImageId === imageId) return;
    const plane = imagePlaneOf(imageId);
    if (!plane || !pointsOnSlicePlane(pointsOf(kind, annotation), plane)) return;
    // Cornerstone caches the image's URI in the metadata on first use: it goes with the image.
    delete metadata.referencedImageURI;
    Object.assign(metadata, pressed);
  }

  /**
   * A drawing is finished: it shows in its reader's colour. Cornerstone selects a new annotation
   * on the press that starts it and leaves it highlighted after a click-by-click drawing (angle,
   * Cobb angle), which would keep it green until the next drawing; the list's selection stays.
   */
  private settleCompleted(annotation: Annotation): void {
    const uid = annotation.annotationUID;
    if (!uid || !this.mine.has(uid)) return;
    annotation.highlighted = false;
    if (uid !== this.selectedUid && annotationApi.selection.isAnnotationSelected(uid)) {
      annotationApi.selection.setAnnotationSelected(uid, false);
    }
    toolUtilities.triggerAnnotationRenderForViewportIds([this.host.viewportId]);
  }

  /** The annotation a tool of this viewport is drawing or editing right now, if any. */
  private editedAnnotation(): Annotation | null {
    return this.editing()?.annotation ?? null;
  }

  /**
   * What a tool of this viewport is drawing or editing right now: the tool, the annotation, and
   * whether it is a new one (not a measurement yet: a stray click, a half-drawn angle, a drag
   * in progress) or an existing one being edited.
   */
  private editing(): Editing | null {
    // Set by every annotation tool from mouse down (or the first click) to the end of the edit.
    if (!(toolsState as { isInteractingWithTool?: boolean }).isInteractingWithTool) return null;
    const group = this.groupId ? ToolGroupManager.getToolGroup(this.groupId) : undefined;
    if (!group) return null;
    for (const tool of Object.values(TOOL_FOR_KIND)) {
      const instance = group.getToolInstance(tool.toolName) as EditingTool | undefined;
      if (!instance) continue;
      // Most tools keep what they draw or edit in `editData` (null when done); the freehand ROI
      // in `commonData`, which its edit loops leave behind: it counts only while one runs.
      if (tool === PlanarFreehandROITool) {
        const running = instance.isDrawing || instance.isEditingClosed || instance.isEditingOpen;
        const annotation = running ? instance.commonData?.annotation : undefined;
        if (annotation?.annotationUID) return { instance, annotation, isNew: Boolean(instance.isDrawing) };
        continue;
      }
      const annotation = instance.editData?.annotation;
      if (annotation?.annotationUID) return { instance, annotation, isNew: Boolean(instance.editData?.newAnnotation) };
    }
    return null;
  }

  /**
   * Ends what a tool of this viewport has under way, because the slice is changing (keys,
   * wheel, slider, API, a linked viewer), the tool changes or the viewport goes: a new
   * annotation (a stray click, a half-drawn angle, a drag in progress) is dropped, never
   * completed on another slice; an edit of an existing one ends where it is. Cornerstone's
   * interaction flag, which is page-wide, is released with it: until then no viewport on the
   * page would scroll with the wheel or start a drawing.
   */
  cancelPending(): void {
    const editing = this.editing();
    if (!editing) return;
    const { instance, annotation, isNew } = editing;
    const uid = annotation.annotationUID!;
    if (isNew) this.discarding.add(uid);
    try {
      instance.cancel?.(this.host.element);
    } catch (error) {
      console.warn(`secondread: a drawing could not be cancelled (${String((error as Error).message ?? error)})`);
    } finally {
      // Whatever `cancel` left behind (tools complete a new annotation there), it is not kept.
      if (instance.editData?.annotation === annotation) instance.editData = null;
      if (instance.isDrawing) instance.isDrawing = false;
      if ('angleStartedNotYetCompleted' in instance) instance.angleStartedNotYetCompleted = false;
      (toolsState as { isInteractingWithTool?: boolean }).isInteractingWithTool = false;
      if (isNew) {
        if (annotationApi.state.getAnnotation(uid)) annotationApi.state.removeAnnotation(uid);
        this.mine.delete(uid);
        this.discarding.delete(uid);
      }
    }
    this.thaw();
    toolUtilities.triggerAnnotationRenderForViewportIds([this.host.viewportId]);
  }

  /** See `Frozen`: called on each pointer move, cheap when nothing is edited. */
  private freezeOthersWhileEditing(): void {
    const edited = this.editedAnnotation();
    if (!edited) {
      this.thaw();
      return;
    }
    if (this.frozen) return;
    const enabled = getEnabledElement(this.host.element);
    const cache = enabled
      ? (toolsState.svgNodeCache as Record<string, Record<string, SvgNodeEntry>>)[
          `${enabled.viewportId}:${enabled.renderingEngineId}`
        ]
      : undefined;
    if (!cache) return;
    const layer = this.host.element.querySelector<SVGSVGElement>('svg.svg-layer');
    const overlay = layer ? document.createElementNS('http://www.w3.org/2000/svg', 'svg') : null;
    const frozen: Frozen = { annotations: [], entries: new Map(), cache, overlay, layer };
    const seen = new Set<string>([edited.annotationUID!]);
    for (const [hash, entry] of Object.entries(cache)) {
      // Cornerstone's node hashes are `${annotationUID}::${kind}::${nodeUID}`.
      const uid = hash.slice(0, hash.indexOf('::'));
      if (uid === edited.annotationUID) continue;
      if (!seen.has(uid)) {
        seen.add(uid);
        const annotation = annotationApi.state.getAnnotation(uid);
        if (annotation?.isVisible) {
          annotation.isVisible = false;
          frozen.annotations.push(annotation);
        }
      }
      frozen.entries.set(hash, entry);
      delete cache[hash];
    }
    if (layer && overlay && frozen.entries.size) {
      overlay.setAttribute('class', 'secondread-frozen-annotations');
      overlay.style.cssText = `${layer.style.cssText}; will-change: transform;`;
      for (const entry of frozen.entries.values()) overlay.appendChild(entry.domRef);
      layer.before(overlay);
    }
    this.frozen = frozen;
  }

  /** Gives the frozen annotations back to Cornerstone's renderer (see `Frozen`). */
  private thaw(): void {
    const frozen = this.frozen;
    if (!frozen) return;
    this.frozen = null;
    for (const annotation of frozen.annotations) annotation.isVisible = true;
    const enabled = getEnabledElement(this.host.element);
    const cache = enabled
      ? (toolsState.svgNodeCache as Record<string, Record<string, SvgNodeEntry>>)[
          `${enabled.viewportId}:${enabled.renderingEngineId}`
        ]
      : undefined;
    const { layer, overlay } = frozen;
    // Back under the annotation drawn last, where Cornerstone had them (after its `defs`).
    const nodes = document.createDocumentFragment();
    for (const [hash, entry] of frozen.entries) {
      // Back in the layer and the cache: the next render reuses them, or removes those of
      // annotations that went away meanwhile.
      if (cache === frozen.cache && !cache[hash] && layer?.isConnected) {
        cache[hash] = entry;
        nodes.appendChild(entry.domRef);
      } else {
        entry.domRef.remove();
      }
    }
    if (layer) {
      let after = layer.firstChild;
      while (after && after.nodeName.toLowerCase() === 'defs') after = after.nextSibling;
      layer.insertBefore(nodes, after);
    }
    overlay?.remove();
    if (enabled) toolUtilities.triggerAnnotationRenderForViewportIds([enabled.viewportId]);
  }

  private emit(type: EngineAnnotationEvent['type'], annotation: Annotation): void {
    if (this.hydrating || !annotation.annotationUID || !this.mine.has(annotation.annotationUID)) return;
    if (this.discarding.has(annotation.annotationUID)) return;
    // Locked layers are shown, never edited: ignore Cornerstone's bookkeeping events for them.
    if (this.locked.has(annotation.annotationUID) && type !== 'remove') return;
    const converted = this.toEngine(annotation);
    if (!converted) return;
    for (const listener of this.listeners) listener({ type, annotation: converted });
  }

  toEngine(annotation: Annotation): EngineAnnotation | null {
    const kind = kindOf(annotation);
    if (!kind) return null;
    const imageId = annotation.metadata?.referencedImageId;
    const text =
      (annotation.data as { text?: string; label?: string }).text ?? (annotation.data as { label?: string }).label;
    return {
      id: this.measurementIds.get(annotation.annotationUID!) ?? annotation.annotationUID!,
      kind,
      points: pointsOf(kind, annotation),
      sopInstanceUid: imageId ? (this.host.sopInstanceUidOf(imageId) ?? null) : null,
      frameOfReferenceUid: annotation.metadata?.FrameOfReferenceUID ?? null,
      ...(text ? { text } : {}),
    };
  }

  on(listener: (event: EngineAnnotationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Makes `kind` the primary-button tool of the group; all measurement tools stay passive (editable). */
  setTool(kind: MeasurementKind | 'none', groupId: string): void {
    const group = ToolGroupManager.getToolGroup(groupId);
    if (!group) return;
    // A drawing started with one tool is not finished by another.
    this.cancelPendingOnceSettled();
    this.groupId = groupId;
    for (const [toolKind, tool] of Object.entries(TOOL_FOR_KIND)) {
      if (!group.hasTool(tool.toolName)) {
        group.addTool(tool.toolName, toolConfiguration(toolKind as MeasurementKind));
        // Its value labels under a strict Content Security Policy (see style-attributes.ts).
        renderWithoutStyleAttributes(group.getToolInstance(tool.toolName) as RendersAnnotations | undefined);
      }
      if (toolKind !== kind) group.setToolPassive(tool.toolName);
    }
    if (kind !== 'none') {
      group.setToolActive(TOOL_FOR_KIND[kind].toolName, {
        bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }],
      });
    }
  }

  /**
   * Replaces a layer's annotations. Cornerstone cannot place annotations on a viewport that has
   * not rendered yet: what fails is retried after the next render (a few times at most).
   */
  showLayer(layer: string, annotations: readonly EngineAnnotation[], options: EngineLayerOptions, attempt = 0): void {
    try {
      this.showLayerOnce(layer, annotations, options);
    } catch (error) {
      if (attempt >= 5) {
        console.warn(`secondread: layer ${layer} could not be drawn (${String((error as Error).message ?? error)})`);
        return;
      }
      setTimeout(() => this.showLayer(layer, annotations, options, attempt + 1), 100 * (attempt + 1));
    }
  }

  private showLayerOnce(layer: string, annotations: readonly EngineAnnotation[], options: EngineLayerOptions): void {
    this.thaw();
    const color = options.color ? resolveCssColor(options.color, this.host.element) : undefined;
    // Redrawing a layer is not the reader deleting anything: no events while it is replaced.
    this.hydrating = true;
    try {
      for (const uid of this.layers.get(layer) ?? []) this.forget(uid);
      const ids = new Set<string>();
      this.layers.set(layer, ids);
      for (const item of annotations) {
        const uid = this.uidFor(item.id);
        if (this.mine.has(uid)) this.forget(uid);
        else if (annotationApi.state.getAnnotation(uid)) annotationApi.state.removeAnnotation(uid);
        if (uid !== item.id) {
          this.measurementIds.set(uid, item.id);
          this.engineUids.set(item.id, uid);
        }
        // Cornerstone 5.14's `hydrate` helpers return nothing: look the annotation up by its id.
        const created = this.hydrate(item, uid) ?? annotationApi.state.getAnnotation(uid);
        if (!created?.annotationUID) continue;
        this.completeHydrated(created);
        ids.add(created.annotationUID);
        this.mine.add(created.annotationUID);
        if (options.locked) {
          annotationApi.locking.setAnnotationLocked(created.annotationUID, true);
          this.locked.add(created.annotationUID);
        }
        if (color || options.dashed) {
          annotationApi.config.style.setAnnotationStyles(created.annotationUID, {
            ...(color ? layerColorStyles(color) : {}),
            ...(options.dashed ? { lineDash: '6,4' } : {}),
          });
        }
      }
    } finally {
      this.hydrating = false;
    }
    this.host.render();
  }

  /**
   * The Cornerstone UID for a measurement on this viewport: its own id, unless another viewport
   * already shows an annotation with that id.
   */
  private uidFor(measurementId: string): string {
    const known = this.engineUids.get(measurementId);
    if (known) return known;
    const existing = annotationApi.state.getAnnotation(measurementId);
    return existing && !this.mine.has(measurementId)
      ? viewportAnnotationUid(measurementId, this.host.viewportId)
      : measurementId;
  }

  /** Removes one of this viewport's annotations from Cornerstone and from the bookkeeping. */
  private forget(uid: string): void {
    annotationApi.state.removeAnnotation(uid);
    this.mine.delete(uid);
    this.locked.delete(uid);
    for (const ids of this.layers.values()) ids.delete(uid);
    const measurementId = this.measurementIds.get(uid);
    if (measurementId !== undefined) {
      this.measurementIds.delete(uid);
      this.engineUids.delete(measurementId);
    }
  }

  /**
   * Makes a hydrated annotation look and measure like a drawn one. Cornerstone 5.14's `hydrate`
   * helpers leave out the view plane normal when given the image (ellipse and rectangle ROIs
   * then sample no pixels: area only, no HU statistics), leave `activeHandleIndex` undefined
   * (length and angle then show their handles for good) and create arrows highlighted.
   */
  private completeHydrated(created: Annotation): void {
    created.highlighted = false;
    const handles = (created.data as { handles?: { activeHandleIndex?: number | null } }).handles;
    if (handles) handles.activeHandleIndex ??= null;
    const metadata = created.metadata as { viewPlaneNormal?: Types.Point3; viewUp?: Types.Point3 };
    if (metadata.viewPlaneNormal && metadata.viewUp) return;
    const camera = getEnabledElement(this.host.element)?.viewport.getCamera();
    if (!camera) return;
    metadata.viewPlaneNormal ??= camera.viewPlaneNormal;
    metadata.viewUp ??= camera.viewUp;
    created.invalidated = true;
  }

  /** Creates a Cornerstone annotation from model points on this viewport. */
  private hydrate(item: EngineAnnotation, annotationUID: string): Annotation | undefined {
    const { viewportId } = this.host;
    const referencedImageId = item.sopInstanceUid
      ? this.host.imageIdOf(item.sopInstanceUid)
      : this.host.currentImageId();
    const options = { annotationUID, ...(referencedImageId ? { referencedImageId } : {}) };
    const points = item.points.map((p) => [p[0], p[1], p[2]] as Types.Point3);
    switch (item.kind) {
      case 'length':
        return LengthTool.hydrate(viewportId, points, options);
      case 'angle':
        return AngleTool.hydrate(viewportId, points, options);
      case 'bidirectional':
        return BidirectionalTool.hydrate(
          viewportId,
          [
            [points[0]!, points[1]!],
            [points[2]!, points[3]!],
          ],
          options,
        );
      case 'ellipse-roi':
        return EllipticalROITool.hydrate(viewportId, points, options);
      case 'rectangle-roi':
        return RectangleROITool.hydrate(viewportId, this.rectangleCorners(points, referencedImageId), options);
      case 'probe':
        return ProbeTool.hydrate(viewportId, points, options);
      case 'arrow':
        return ArrowAnnotateTool.hydrate(viewportId, points, item.text ?? '', options);
      case 'label':
        return LabelTool.hydrate(viewportId, points[0]!, item.text ?? '', { annotationUID });
      case 'cobb-angle':
      case 'freehand-roi':
        return this.addPlain(item, annotationUID, points, referencedImageId);
    }
  }

  private rectangleCorners(points: Types.Point3[], imageId: string | undefined): Types.Point3[] {
    const plane = imageId
      ? (metaData.get('imagePlaneModule', imageId) as { rowCosines?: number[]; columnCosines?: number[] })
      : undefined;
    const u = plane?.rowCosines ?? [1, 0, 0];
    const v = plane?.columnCosines ?? [0, 1, 0];
    const [a, d] = [points[0]!, points[1]!];
    const delta = [d[0] - a[0], d[1] - a[1], d[2] - a[2]];
    const along = (axis: number[]): number => delta[0]! * axis[0]! + delta[1]! * axis[1]! + delta[2]! * axis[2]!;
    const du = along(u);
    const dv = along(v);
    const at = (su: number, sv: number): Types.Point3 => [
      a[0] + su * u[0]! + sv * v[0]!,
      a[1] + su * u[1]! + sv * v[1]!,
      a[2] + su * u[2]! + sv * v[2]!,
    ];
    return [a, at(du, 0), at(0, dv), d];
  }

  /** Annotations without a `hydrate` helper in Cornerstone (Cobb angle, freehand). */
  private addPlain(
    item: EngineAnnotation,
    annotationUID: string,
    points: Types.Point3[],
    referencedImageId: string | undefined,
  ): Annotation {
    const enabled = getEnabledElement(this.host.element)!;
    const camera = enabled.viewport.getCamera();
    const freehand = item.kind === 'freehand-roi';
    const created = {
      annotationUID,
      highlighted: false,
      invalidated: true,
      isLocked: false,
      isVisible: true,
      metadata: {
        toolName: TOOL_FOR_KIND[item.kind].toolName,
        FrameOfReferenceUID: enabled.FrameOfReferenceUID,
        referencedImageId,
        viewPlaneNormal: camera.viewPlaneNormal,
        viewUp: camera.viewUp,
      },
      data: freehand
        ? {
            contour: { polyline: points, closed: true },
            handles: {
              points: [],
              activeHandleIndex: null,
              textBox: { hasMoved: false, worldPosition: [0, 0, 0], worldBoundingBox: {} },
            },
            cachedStats: {},
          }
        : {
            handles: {
              points,
              activeHandleIndex: null,
              textBox: { hasMoved: false, worldPosition: [0, 0, 0], worldBoundingBox: {} },
            },
            cachedStats: {},
          },
    } as unknown as Annotation;
    annotationApi.state.addAnnotation(created, this.host.element);
    return created;
  }

  remove(id: string): void {
    const uid = this.engineUids.get(id) ?? id;
    if (!this.mine.has(uid)) return;
    this.thaw();
    this.forget(uid);
    this.host.render();
  }

  select(id: string | null): void {
    this.thaw();
    annotationApi.selection.deselectAnnotation();
    const uid = id === null ? null : (this.engineUids.get(id) ?? id);
    this.selectedUid = uid && this.mine.has(uid) ? uid : null;
    if (this.selectedUid) annotationApi.selection.setAnnotationSelected(this.selectedUid, true);
    this.host.render();
  }

  slicePixels(sopInstanceUid: string): SlicePixels | null {
    const imageId = this.host.imageIdOf(sopInstanceUid);
    return imageId ? slicePixelsOfImage(imageId) : null;
  }

  destroy(): void {
    this.cancelPending();
    this.thaw();
    for (const dispose of this.disposers.splice(0)) dispose();
    for (const id of this.mine) annotationApi.state.removeAnnotation(id);
    this.mine.clear();
    this.layers.clear();
    this.measurementIds.clear();
    this.engineUids.clear();
    this.listeners.clear();
  }
}
