/**
 * `<ct-viewer>`: the element class only. Over ~500 lines, for a reason: the class IS the public API
 * (its JSDoc header feeds the Custom Elements Manifest and the README; about twenty documented
 * attributes and properties and fifteen public members, each with its doc comment, make up half of
 * the file) plus the wiring of the load Task to the engine viewport and the re-dispatch of the
 * engine's changes as `ct-*` events. Everything with logic of its own lives beside it:
 * `series-loader.ts` (what to load), `viewport-controller.ts` (the engine's lifetime),
 * `overlay.ts` and `panels.ts` (templates), `preview-canvas.ts` (the instant preview),
 * `key-map.ts` (keys), `dropped-files.ts` (drops), `events.ts` (event classes and details),
 * `viewer-sync.ts` (linked viewers). The next seam, if the file grows: the display state (slice,
 * window, camera, progress, warning) as a controller beside `ViewportController`.
 */
import { html, LitElement, nothing, svg, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';
import { Task } from '@lit/task';
import {
  withoutPatientIdentity,
  acceptValue,
  CAMERA,
  DRAG_MODES,
  isColourImage,
  isFinitePoint,
  messagesFor,
  normalizeLocale,
  oneOf,
  pixelReadingOf,
  POSITIVE_NUMBER,
  sliceIndexRule,
  VOI,
  type CameraInput,
  isWindowPresetName,
  WINDOW_PRESETS,
  toViewerError,
  ViewerError,
  voiForPreset,
  type DragMode,
  type EngineAnnotations,
  type ErrorCode,
  type FrameData,
  type PixelReading,
  type SeriesModel,
  type SliceImageStatus,
  type Vec3,
  type Voi,
  type WindowPresetName,
  DEFAULT_SLAB,
  CINE_FPS,
  POINT,
  positionAlongNormal,
  ROTATION,
  SLAB_MM,
  sliceNormal,
  SLAB_MODES,
  vec3,
  VIEWER_LAYOUTS,
  VIEWER_ORIENTATIONS,
  type SlabMode,
  type ViewerLayout,
  type ViewerOrientation,
} from '@secondread/core';
import { PlaneController, type PlaneName, type PlaneState } from './plane-controller.js';
import { renderPlaneOverlay } from './overlay.js';
import { CineController, DEFAULT_CINE_FPS, prefersReducedMotion } from './cine-controller.js';
import { FileDropController } from './dropped-files.js';
import { drawFramePreview } from './preview-canvas.js';
import { keyAction } from './key-map.js';
import { renderOverlay, type HoverValue } from './overlay.js';
import {
  renderEmptyPanel,
  renderErrorPanel,
  renderLoadingPanel,
  renderProgress,
  renderSlider,
  renderToolbar,
  renderWarningBanner,
} from './panels.js';
import { hasSeriesSource, loadSeries, type LoadedSeries, type SeriesSourceKind } from './series-loader.js';
import { ctViewerStyles } from './ct-viewer.styles.js';
import {
  CameraChangeEvent,
  ImageRenderEvent,
  LoadProgressEvent,
  RendererChangeEvent,
  SeriesLoadEvent,
  SliceChangeEvent,
  ViewerErrorEvent,
  VoiChangeEvent,
  seriesLoadDetail,
  sliceChangeDetail,
  planeSliceDetail,
  type CameraDetail,
} from './events.js';
import { ViewportController, type EngineProvider } from './viewport-controller.js';
import { renderPlaceholder, retryPolicyOf, sameHeaders } from './load-options.js';

const TAG = 'ct-viewer';

/** The states a viewer is in; also exposed as custom CSS states (`:state(ready)`). */
export const VIEWER_STATES = ['empty', 'loading', 'ready', 'error'] as const;
export type ViewerState = (typeof VIEWER_STATES)[number];

type LoadArgs = readonly [
  string | undefined,
  string | undefined,
  string | undefined,
  Readonly<Record<string, string>> | undefined,
  readonly File[] | FileList | undefined,
  readonly string[] | undefined,
  number,
  SeriesSourceKind | undefined,
];

/**
 * A CT series viewer: DICOMweb, local files or WADO-URI URLs, ordered by geometry, with
 * window/level presets, scrolling, zoom and pan, overlays, a progress bar and clear errors.
 *
 * @summary Shows a CT series from a PACS (DICOMweb) or from local files.
 *
 * @slot - Content laid over the viewer, e.g. a nested `<measurement-tools>`.
 * @slot toolbar - Extra controls appended to the toolbar.
 *
 * @fires ct-load-progress - `{ loaded, total, failed, pending }` while images are decoded (failed ones are retried).
 * @fires ct-series-load - `{ studyUid, seriesUid, modality, sliceCount, rows, columns, pixelSpacingMm, sliceSpacingMm, … }` when the first image is on screen.
 * @fires ct-slice-change - `{ index, count, positionMm, imagePositionPatient, instanceNumber }` when the displayed slice changes; `instanceNumber` is the DICOM Instance Number reports cite, `index` the position in the stack.
 * @fires ct-voi-change - `{ center, width }` when the window changes.
 * @fires ct-camera-change - `{ zoom, panMm }` when zoom or pan changes.
 * @fires ct-error - `{ code, message, fatal }`; `code` is one of `ERROR_CODES`.
 * @fires ct-image-render - `{ index, count, preview }` when the first slice is on screen: once from the raw first frame (`preview: true`, before the engine has loaded), then from the engine.
 * @fires ct-renderer-change - `{ renderer: 'cpu', reason }` when WebGL is unavailable, or its context was lost, and the CPU renders.
 * @fires ct-link-offset-change - `{ offsetMm, source: 'api' | 'landmarks' }` on every viewer of a `syncViewers(…, { link: 'position' })` link when its prior → current offset changes (`setLinkOffset`, `pickLandmarks`).
 *
 * @csspart base - The whole viewer.
 * @csspart toolbar - The toolbar above the image.
 * @csspart toolbar-button - Each toolbar button; each also has its own name: `invert`, `reset`, `zoom-in`, `zoom-out`.
 * @csspart invert - The Invert button; `active` while the image is inverted (`::part(invert active)`).
 * @csspart reset - The fit-and-reset button.
 * @csspart zoom-in - The zoom-in button.
 * @csspart zoom-out - The zoom-out button.
 * @csspart active - Added to the part names of an active control (Invert while on): `::part(toolbar-button active)`.
 * @csspart preset-select - The window preset picker.
 * @csspart series-select - The series picker of a drop of several series.
 * @csspart banner - A dismissible warning over the image.
 * @csspart dismiss-button - The button that dismisses the warning banner.
 * @csspart retry-button - The Try again button of the error panel.
 * @csspart choose-button - The Choose files button of the empty panel.
 * @csspart viewport - The image area.
 * @csspart overlay - Text overlays, orientation markers and scale bar.
 * @csspart scale-bar - The scale bar.
 * @csspart slider - The slice slider.
 * @csspart progress - The loading progress bar.
 * @csspart preview - The first slice, drawn from its raw frame while the rendering engine loads.
 * @csspart loading - The loading indicator.
 * @csspart placeholder - Covers the image area while the slice's own image is not loaded yet, or failed and is retried.
 * @csspart error - The error panel.
 * @csspart empty - The panel shown before a series is chosen.
 *
 * @cssprop [--ct-accent-color=#4fb3ff] - Accent colour: focus rings, active and primary buttons, highlights.
 * @cssprop [--ct-active-background=var(--ct-accent-color)] - Background of active controls (pressed tool, Invert while on); read on the control, so it may also be set in a `::part(… active)` rule.
 * @cssprop [--ct-active-color=var(--ct-on-accent-color)] - Text of active controls; read on the control like `--ct-active-background`.
 * @cssprop [--ct-border-color=rgba(255,255,255,.18)] - Border of buttons, selects, text fields, panel separators and cards.
 * @cssprop [--ct-control-background=rgba(255,255,255,.06)] - Background of buttons, selects and text fields.
 * @cssprop [--ct-danger-color=#ff6b6b] - Errors and discrepancies.
 * @cssprop [--ct-font-family=system-ui] - Font of text and controls.
 * @cssprop [--ct-font-size=13px] - Text size of panels, toolbars and controls.
 * @cssprop [--ct-muted-color=#93a4b3] - Secondary text.
 * @cssprop [--ct-on-accent-color=#000] - Text on accent-coloured (primary) buttons.
 * @cssprop [--ct-panel-background=rgba(16,22,28,.96)] - Background of panels and toolbars.
 * @cssprop [--ct-panel-text-color=#e8eef2] - Text colour of panels and controls (falls back to `--ct-viewer-overlay-color` when that is set).
 * @cssprop [--ct-radius=6px] - Corner radius of controls and panels.
 * @cssprop [--ct-selected-background=accent at 22%] - Background of the selected list item or finding; read on the control like `--ct-active-background`.
 * @cssprop [--ct-warning-color=#ffcc66] - Warnings in the overlay.
 * @cssprop [--ct-viewer-background=#000] - Background behind the image.
 * @cssprop [--ct-viewer-overlay-color=#e8eef2] - Overlay text colour.
 * @cssprop [--ct-overlay-font-size=12px] - Overlay text size.
 *
 * @cssstate empty - No series chosen.
 * @cssstate loading - Loading, before the first image.
 * @cssstate ready - An image is on screen.
 * @cssstate error - The series could not be shown.
 * @cssstate dragover - Files are dragged over the viewer.
 */
export class CtViewer extends LitElement {
  static override styles = ctViewerStyles;

  /**
   * Root URL of the DICOMweb service (same origin or CORS-enabled), e.g. `/dicom-web`.
   * Of `files`, `urls` and DICOMweb (`dicomweb-root`, `study-uid`, `series-uid`), the source
   * set last is shown.
   */
  @property({ attribute: 'dicomweb-root' }) dicomwebRoot?: string;

  /** StudyInstanceUID to show (with `dicomweb-root`; shown when set after `files` or `urls`). */
  @property({ attribute: 'study-uid' }) studyUid?: string;

  /** SeriesInstanceUID; without it, the study's first CT image series (QIDO-RS). */
  @property({ attribute: 'series-uid' }) seriesUid?: string;

  /** Window preset: one of `WINDOW_PRESETS` (`default` is the series' own window). */
  @property({ attribute: 'window-preset', reflect: true }) windowPreset: WindowPresetName = 'default';

  /** Shows the image inverted (white air). */
  @property({ type: Boolean, reflect: true }) invert = false;

  /** Shows patient name, ID and birth date in the overlay. Off by default. */
  @property({ type: Boolean, attribute: 'show-patient-info' }) showPatientInfo = false;

  /**
   * Lets page scripts read patient identity (name, ID, birth date, accession number, study date)
   * from {@link seriesModel}. Off by default: `seriesModel.patient` is blank and the study date
   * empty, so a script or an analytics hook that logs the model never sees who the patient is.
   */
  @property({ type: Boolean, attribute: 'expose-patient-identity' }) exposePatientIdentity = false;

  /** Hides the text overlays (orientation markers and scale bar stay). */
  @property({ type: Boolean, attribute: 'hide-overlays' }) hideOverlays = false;

  /** Hides the built-in toolbar (for portals with their own controls). */
  @property({ type: Boolean, attribute: 'hide-toolbar' }) hideToolbar = false;

  /** What a primary-button drag does: `window-level` (default), `pan`, `zoom` or `none`; another value is ignored with a warning. */
  @property({ attribute: 'drag-mode' }) dragMode: DragMode = 'window-level';

  /**
   * How long one request may wait for the server's answer, or for the next byte of it, before
   * it fails as `network`, ms (1–600 000; invalid values fall back to 30 000 with a warning).
   */
  @property({ type: Number, attribute: 'timeout-ms' }) timeoutMs = 30_000;

  /** Further attempts of a failed request (network, timeout, 5xx, 408, 429), 0–10. Default 2. */
  @property({ type: Number }) retries = 2;

  /** Delay before the first retry, ms (doubled for each further one, with jitter), 0–60 000. Default 500. */
  @property({ type: Number, attribute: 'retry-delay-ms' }) retryDelayMs = 500;

  /**
   * Language of every label, message and error of the viewer, and locale of its dates and numbers:
   * a BCP 47 tag (`de`, `de-DE`, `ru`) or a POSIX one (`de_DE`, `de_DE.UTF-8`, read as `de-DE`).
   * English, German and Russian have catalogues; another language shows English words with that
   * locale's numbers. An invalid tag falls back to the browser's locale, with one warning.
   * Default: the browser's locale.
   */
  @property() locale?: string;

  /** HTTP headers sent with every request (e.g. `{ Authorization: 'Bearer …' }`). Never put tokens in URLs. */
  @property({ attribute: false }) headers?: Readonly<Record<string, string>>;

  /**
   * Local files (a `FileList` or `File[]`, e.g. from `<input type=file multiple webkitdirectory>`).
   * Shown when set after `urls` or the DICOMweb source; the source set last wins.
   */
  @property({ attribute: false }) files?: readonly File[] | FileList;

  /**
   * URLs of DICOM Part 10 files (WADO-URI), fetched with `headers`. Shown when set after
   * `files` or the DICOMweb source; the source set last wins.
   */
  @property({ attribute: false }) urls?: readonly string[];

  /**
   * The plane shown: `acquisition` (default: the stack as acquired), or a reformat of the volume,
   * `axial`, `coronal` or `sagittal`, computed from the series' real geometry. A series whose
   * geometry would distort a reformat (uneven spacing, gantry tilt, mixed orientations), images
   * that failed to load, or a CPU renderer refuse it: a `ct-error` with code `reformat` and a
   * visible message, and the acquired stack stays. Another value is ignored with a warning.
   */
  @property({ reflect: true }) orientation: ViewerOrientation = 'acquisition';

  /** `single` (default) or `mpr`: three linked planes (axial, coronal, sagittal) with crosshairs. */
  @property({ reflect: true }) layout: ViewerLayout = 'single';

  /** Slab thickness in mm (0 = a thin slice); shown in the overlay ("MIP 10 mm"). `M` toggles a 10 mm MIP. */
  @property({ type: Number, attribute: 'slab-thickness-mm' }) slabThicknessMm = 0;

  /** How a slab is projected: `mip` (default), `minip` or `average`. */
  @property({ attribute: 'slab-mode' }) slabMode: SlabMode = 'mip';

  /** Rotation of reformatted planes, clockwise: 0, 90, 180 or 270 degrees; markers follow. */
  @property({ type: Number }) rotation = 0;

  /** Mirrors reformatted planes left–right; markers follow. */
  @property({ type: Boolean, attribute: 'flip-horizontal' }) flipHorizontal = false;

  /** Mirrors reformatted planes top–bottom; markers follow. */
  @property({ type: Boolean, attribute: 'flip-vertical' }) flipVertical = false;

  /**
   * Plays cine: pages through the slices (of the active plane, with reformats) at `cine-fps`,
   * looping at the end; stops when the reader scrolls (wheel, slider, keys). Space and the
   * toolbar's Play button toggle it. Under `prefers-reduced-motion: reduce`, setting it from
   * markup or script does not start playback (no autoplay); Space or the button still do.
   */
  @property({ type: Boolean, reflect: true }) cine = false;

  /** Cine frames per second, 1–60 (default 15). */
  @property({ type: Number, attribute: 'cine-fps' }) cineFps = DEFAULT_CINE_FPS;

  /** The rendering engine; defaults to Cornerstone3D, loaded on first use. */
  @property({ attribute: false }) engine?: EngineProvider;

  @state() private viewerState: ViewerState = 'empty';
  /**
   * The series the viewer shows (or is about to show), as the loader gave it: the one home of
   * the model, the local series list and the DICOMweb source. Not the Task's value: the Task
   * completes only when the whole series has streamed, while the overlay, the events and
   * `seriesModel` need the model from the first image on (and `Task.value` would still hold the
   * previous series then).
   */
  @state() private shown: LoadedSeries | null = null;
  @state() private currentIndex = 0;
  @state() private currentVoi: Voi | null = null;
  @state() private loaded = 0;
  @state() private total = 0;
  @state() private failed = 0;
  @state() private imageStatus: SliceImageStatus = 'shown';
  @state() private hover: HoverValue | null = null;
  @state() private mmPerPixel: number | null = null;
  @state() private zoom = 1;
  /** A non-fatal problem shown over the image: its code, the English message, and (for a notice of ours) its catalogue key. */
  @state() private warning: { code: ErrorCode; message: string; notice?: 'contextLost' } | null = null;

  @state() private previewShown = false;

  @query('.engine') private engineElement!: HTMLDivElement;
  @query('canvas.preview') private previewCanvas?: HTMLCanvasElement;

  private readonly internals: ElementInternals;
  /** The reformatted planes, when `orientation`, `layout` or a slab ask for them. */
  private readonly planeViews = new PlaneController(this, {
    planeSettings: () => ({
      orientation: this.orientation,
      layout: this.layout,
      slabThicknessMm: this.slabThicknessMm,
      slabMode: this.slabMode,
      rotationDeg: this.rotation,
      flipHorizontal: this.flipHorizontal,
      flipVertical: this.flipVertical,
      invert: this.invert,
      dragMode: this.dragMode,
    }),
    planeElement: (plane) => this.renderRoot.querySelector<HTMLDivElement>(`.plane[data-plane=${plane}] .plane-engine`),
    onPlaneSlice: (plane, state) => this.onPlaneSlice(plane, state),
    onPlaneCamera: (plane, state) => this.onPlaneCamera(plane, state),
    onPlaneVoi: (voi) => this.viewports.current?.setVoi(voi),
    onPlaneError: (code, message) => this.report(code, message, false),
  });
  private readonly cinePlayer = new CineController(this, () => this.cineFrame());
  /** The next `cine = true` comes from the reader (Space, the button), not from markup. */
  private cineByReader = false;
  /** The plane the keyboard steps in the MPR layout (the last one the pointer was over). */
  private activePlane: PlaneName | null = null;
  /** Dropped files and folders become `files`. */
  private readonly fileDrop: FileDropController;
  private readonly viewports = new ViewportController(
    this,
    () => this.onViewportReleased(),
    () => this.reloadCount++,
  );
  private reloadCount = 0;
  /** The slice whose pixels are on screen (see {@link sliceIndex}). */
  private shownIndex = 0;
  private hoverFrame = 0;
  private pendingHover: { x: number; y: number } | null = null;
  private localChoice = 0;
  /** Which of `files`, `urls` and DICOMweb the host set last (it wins, see `willUpdate`). */
  private lastSource: SeriesSourceKind | undefined;
  private unsubscribers: (() => void)[] = [];
  /** The `headers` the series was asked with: replaced only when their content changes (see `willUpdate`). */
  private requestHeaders?: Readonly<Record<string, string>>;

  private readonly loadTask = new Task<LoadArgs, LoadedSeries | null>(this, {
    task: (args, { signal }) => this.load(args, signal),
    args: (): LoadArgs => [
      this.dicomwebRoot,
      this.studyUid,
      this.seriesUid,
      this.requestHeaders,
      this.files,
      this.urls,
      this.reloadCount,
      this.lastSource,
    ],
    onError: (error) => this.fail(toViewerError(error)),
  });

  constructor() {
    super();
    this.internals = this.attachInternals();
    this.internals.role = 'application';
    this.internals.ariaLabel = 'CT viewer';
    this.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.fileDrop = new FileDropController(this, this.internals.states, (files) => (this.files = files));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
  }

  /** `empty`, `loading`, `ready` or `error`. */
  get state(): ViewerState {
    return this.viewerState;
  }

  /**
   * Index of the slice on screen, in position order (0 = lowest along the slice normal). Setting
   * it asks for a slice; while that slice's image is still loading (or failed) the placeholder
   * and the overlay show the asked-for slice, and this index (and `ct-slice-change`) follow once
   * its own pixels are shown. Setting anything but an integer from 0 to `sliceCount - 1` is
   * ignored with a console warning.
   */
  get sliceIndex(): number {
    return this.shownIndex;
  }

  set sliceIndex(index: number) {
    const viewport = this.viewports.current;
    if (!viewport || !this.series) return;
    if (!acceptValue(TAG, 'sliceIndex', index, sliceIndexRule(this.sliceCount))) return;
    viewport.setSliceIndex(index);
  }

  /**
   * DICOM Instance Number of the displayed slice, as reports cite images ("image 8"); null
   * before a series is shown or when the image has none. It can run opposite to `sliceIndex`
   * (which is in position order): the overlay shows both, `Im 8 (23/30)`.
   */
  get instanceNumber(): number | null {
    return this.seriesModel?.instances[this.currentIndex]?.instanceNumber ?? null;
  }

  /** Number of slices in the series (0 before one is loaded). */
  get sliceCount(): number {
    return this.series?.instances.length ?? 0;
  }

  /**
   * The window in HU: `{ center, width }`. Setting it overrides the preset; a window without a
   * finite centre and a finite width above 0 is ignored with a console warning.
   */
  get voi(): Voi | null {
    return this.showsColour ? null : this.currentVoi;
  }

  set voi(voi: Voi | null) {
    if (!voi || !acceptValue(TAG, 'voi', voi, VOI)) return;
    if (this.showsColour) {
      console.warn(`<${TAG}>: voi is ignored on a colour image (a window applies to grayscale values).`);
      return;
    }
    this.viewports.current?.setVoi(voi);
    this.planeViews.setVoi(voi);
  }

  /**
   * True when the displayed slice is a colour image (RGB, YBR, palette: e.g. a secondary capture
   * in a CT study). It is shown in its own colours: no window preset or `voi`, no HU
   * (`valueAt` is null; `pixelAt` gives the RGB colour).
   */
  get showsColour(): boolean {
    const instance = this.series?.instances[this.currentIndex];
    return instance ? isColourImage(instance) : false;
  }

  /**
   * Zoom and pan, or null before an image is shown. Setting it moves the camera (e.g. to follow
   * another viewer): `{ zoom }` or `{ panMm }` alone moves only that; a zoom that is not a finite
   * number above 0, or a pan that is not two finite numbers, is ignored with a console warning.
   */
  get camera(): CameraDetail | null {
    const viewport = this.viewerState === 'ready' ? this.viewports.current : null;
    return viewport ? { zoom: viewport.getZoom(), panMm: viewport.getPan() } : null;
  }

  set camera(camera: CameraInput | null) {
    const viewport = this.viewerState === 'ready' ? this.viewports.current : null;
    if (!viewport || !camera || !acceptValue(TAG, 'camera', camera, CAMERA)) return;
    if (camera.zoom !== undefined) viewport.setZoom(camera.zoom);
    if (camera.panMm) viewport.setPan(camera.panMm);
  }

  /** Which renderer draws the images: `gpu` (WebGL) or `cpu` (fallback); null before loading. */
  get rendererKind(): 'gpu' | 'cpu' | null {
    return this.viewports.renderer;
  }

  private get series(): SeriesModel | null {
    return this.shown?.model ?? null;
  }

  /**
   * The viewport's measurement layer, for cooperating elements such as `<measurement-tools>`;
   * null until a series is on screen.
   */
  get annotations(): EngineAnnotations | null {
    return this.viewerState === 'ready' ? (this.viewports.current?.annotations ?? null) : null;
  }

  /**
   * The series on screen (UIDs, geometry, instances in position order), or null. Without
   * `expose-patient-identity` its `patient` is blank and its study date empty.
   */
  get seriesModel(): SeriesModel | null {
    if (this.viewerState !== 'ready' || !this.series) return null;
    if (this.exposePatientIdentity) return this.series;
    if (this.anonymousSeries?.source !== this.series) {
      this.anonymousSeries = { source: this.series, model: withoutPatientIdentity(this.series) };
    }
    return this.anonymousSeries.model;
  }

  /** The last {@link seriesModel} without identity, so that it is the same object until the series changes. */
  private anonymousSeries: { source: SeriesModel; model: SeriesModel } | null = null;

  /** Shows the slice that holds `sopInstanceUid`; false when the series has no such image. */
  showInstance(sopInstanceUid: string): boolean {
    const index = this.series?.instances.findIndex((i) => i.sopInstanceUid === sopInstanceUid) ?? -1;
    if (index < 0) return false;
    this.sliceIndex = index;
    return true;
  }

  /** Reloads the current source (e.g. after an error). */
  reload(): void {
    this.reloadCount++;
    // The load task reads its arguments on update: ask for one, or Try again would do nothing.
    this.requestUpdate();
  }

  /** Fit the image to the viewport and forget zoom and pan. */
  resetView(): void {
    this.viewports.current?.resetCamera();
    this.planeViews.resetCamera();
  }

  /** Plays or pauses cine, as the reader's own action (Space, the toolbar button): it plays even under reduced motion. */
  toggleCine(): void {
    this.cineByReader = true;
    this.cine = !this.cine;
  }

  /** One cine frame: the next slice of the stack or of the active plane, back to the first after the last. */
  private cineFrame(): void {
    if (this.planeViews.active) {
      const plane = this.activePlane ?? this.planeViews.requested[0];
      const state = this.planeViews.planes.find((p) => p.plane === plane);
      if (!plane || state?.status !== 'ready' || state.count < 2) return;
      this.planeViews.setSliceIndex(plane, (state.index + 1) % state.count);
      return;
    }
    const viewport = this.viewports.current;
    if (!viewport || this.sliceCount < 2) return;
    viewport.setSliceIndex((viewport.sliceIndex + 1) % this.sliceCount);
  }

  /** The reader scrolled: cine stops. */
  private stopCine(): void {
    if (this.cine) this.cine = false;
  }

  /** Toggles the default slab (a 10 mm MIP, `DEFAULT_SLAB`) on and off; the `M` key does the same. */
  toggleSlab(): void {
    if (this.slabThicknessMm > 0) {
      this.slabThicknessMm = 0;
    } else {
      this.slabThicknessMm = DEFAULT_SLAB.thicknessMm;
      this.slabMode = DEFAULT_SLAB.mode;
    }
  }

  /** Zoom by a factor (2 doubles the magnification); a factor that is not a finite number above 0 is ignored with a warning. */
  zoomBy(factor: number): void {
    const viewport = this.viewports.current;
    if (viewport && acceptValue(TAG, 'zoomBy() factor', factor, POSITIVE_NUMBER)) {
      viewport.setZoom(viewport.getZoom() * factor);
      this.planeViews.zoomBy(factor);
    }
  }

  /**
   * HU (modality value) under a point given in CSS pixels relative to the image area; null outside
   * the image, for a non-finite point, and on a colour image, which has no modality value (see
   * {@link pixelAt}).
   */
  valueAt(x: number, y: number): number | null {
    if (!isFinitePoint(x, y)) return null;
    return this.viewports.current?.valueAt(x, y)?.value ?? null;
  }

  /**
   * What the pixel under a point (CSS pixels relative to the image area) holds, typed by kind:
   * `{ kind: 'modality', value }` (HU on CT) or, on a colour image, `{ kind: 'rgb', rgb }` with
   * the displayed colour; with the image `column`, `row` and `positionMm`. Null outside the image
   * or for a non-finite point.
   */
  pixelAt(x: number, y: number): PixelReading | null {
    if (!isFinitePoint(x, y)) return null;
    const point = this.viewports.current?.valueAt(x, y);
    return point ? pixelReadingOf(point) : null;
  }

  /**
   * Patient position (mm, LPS) of the image point under a client (page viewport) position, e.g.
   * a pointer event's `clientX`/`clientY`; null outside the image. The landmark gesture of
   * `syncViewers(…).pickLandmarks()` uses it.
   */
  positionAtClient(clientX: number, clientY: number): Vec3 | null {
    if (!isFinitePoint(clientX, clientY) || !this.engineElement) return null;
    const box = this.engineElement.getBoundingClientRect();
    return this.viewports.current?.valueAt(clientX - box.left, clientY - box.top)?.positionMm ?? null;
  }

  /**
   * A PNG of what the viewport shows (a key image), with the measurements drawn on it unless
   * `annotations` is false. Overlays with patient identity are never part of it.
   */
  captureImage(options: { annotations?: boolean } = {}): Promise<Blob> {
    const viewport = this.viewports.current;
    if (!viewport) return Promise.reject(new ViewerError('empty-series', 'No image is shown.'));
    return viewport.capturePng(options);
  }

  /**
   * The reformatted planes on screen (`orientation`, `layout="mpr"`, a slab), in display order:
   * each with its slice index and count, position (mm), centre in patient coordinates and
   * orientation markers. Empty while the acquired stack is shown.
   */
  get planes(): readonly PlaneState[] {
    return this.viewerState === 'ready' ? this.planeViews.planes : [];
  }

  /**
   * Moves the view through a patient point (mm): every reformatted plane (the crosshair of the
   * MPR layout) and the acquired stack (its nearest slice). A point that is not three finite
   * numbers is ignored with a warning.
   */
  showPoint(point: Vec3): void {
    if (!acceptValue(TAG, 'showPoint() point', point, POINT)) return;
    this.planeViews.showPoint(point);
    const series = this.series;
    if (!series || !this.viewports.current) return;
    let best = -1;
    let bestDistance = Infinity;
    series.instances.forEach((instance, index) => {
      if (!instance.imagePositionPatient || !instance.imageOrientationPatient) return;
      const normal = sliceNormal(instance.imageOrientationPatient);
      const distance = Math.abs(
        positionAlongNormal(point, normal) - positionAlongNormal(instance.imagePositionPatient, normal),
      );
      if (distance < bestDistance) [best, bestDistance] = [index, distance];
    });
    if (best >= 0) this.viewports.current.setSliceIndex(best);
  }

  /** Patient position (mm) under a CSS point of a plane's image area, or null when that plane is not shown. */
  planeCanvasToPatient(plane: PlaneName, x: number, y: number): Vec3 | null {
    if (!isFinitePoint(x, y)) return null;
    return this.readyPlane(plane)?.canvasToPatient(x, y) ?? null;
  }

  /** CSS point of a plane's image area where a patient position (mm) is drawn, or null when that plane is not shown. */
  planePatientToCanvas(plane: PlaneName, point: Vec3): readonly [number, number] | null {
    if (!POINT.test(point)) return null;
    return this.readyPlane(plane)?.patientToCanvas(point) ?? null;
  }

  private readyPlane(plane: PlaneName) {
    const ready = this.planes.find((p) => p.plane === plane)?.status === 'ready';
    return ready ? this.planeViews.view(plane) : null;
  }

  private setViewerState(next: ViewerState): void {
    if (this.viewerState === next) return;
    const states = this.internals.states;
    for (const s of VIEWER_STATES) states.delete(s);
    states.add(next);
    this.viewerState = next;
  }

  /** The Task's job: the loader fetches and parses, then the engine shows the series. */
  private async load(args: LoadArgs, signal: AbortSignal): Promise<LoadedSeries | null> {
    const [dicomwebRoot, studyUid, seriesUid, headers, files, urls, , preferred] = args;
    this.shown?.source?.abort();
    this.warning = null;
    this.hover = null;
    this.previewShown = false;
    const policy = retryPolicyOf(this, this);
    const request = {
      dicomwebRoot,
      studyUid,
      seriesUid,
      headers,
      files,
      urls,
      preferred,
      timeoutMs: policy.timeoutMs,
      retry: policy,
    };
    if (!hasSeriesSource(request)) {
      this.shown = null;
      this.setViewerState('empty');
      return null;
    }
    this.setViewerState('loading');
    this.loaded = 0;
    this.total = 0;
    this.failed = 0;
    this.imageStatus = 'shown';
    // The engine's code loads while the first requests are already on their way.
    const enginePromise = this.viewports.resolveEngine(this.engine);
    enginePromise.catch(() => undefined);
    // Set the viewport up (WebGL, decode workers) while the series is still on its way.
    void enginePromise
      .then(async (engine) => {
        await this.updateComplete;
        if (!signal.aborted && this.isConnected) this.viewports.acquire(engine, this.engineElement);
      })
      .catch(() => undefined);
    const localChoice = this.localChoice;
    this.localChoice = 0;
    let loaded: LoadedSeries;
    try {
      loaded = await loadSeries({ ...request, localChoice }, signal, {
        // Shown at once, before the rendering engine's code has even arrived.
        onFirstFrame: (frame, model, index) => this.drawPreview(frame, model, index, signal),
      });
    } catch (error) {
      if (signal.aborted) return null;
      throw error;
    }
    if (signal.aborted) return null;
    this.shown = loaded;
    this.total = loaded.model.instances.length;
    const engine = await enginePromise;
    if (signal.aborted || !this.isConnected) return null;
    await this.updateComplete;
    const viewport = this.viewports.acquire(engine, this.engineElement);
    this.bindViewport();
    const offLost = engine.onRendererLost?.((reason) => this.onRendererLost(reason));
    if (offLost) this.unsubscribers.push(offLost);
    if (engine.renderer === 'cpu') {
      const reason = this.rendererLostReason ?? 'WebGL is unavailable; images are rendered on the CPU.';
      this.rendererLostReason = null;
      this.dispatchEvent(new RendererChangeEvent({ renderer: 'cpu', reason }));
    }
    const restore = this.restoreView;
    const initialIndex =
      restore && restore.sliceIndex < loaded.model.instances.length ? restore.sliceIndex : loaded.initialIndex;
    await viewport.showSeries(loaded.model, loaded.pixels, initialIndex, {
      onProgress: (done, total, counts) => {
        this.loaded = done;
        this.total = total;
        this.failed = counts?.failed ?? 0;
        this.dispatchEvent(
          new LoadProgressEvent({
            loaded: done,
            total,
            failed: this.failed,
            pending: counts?.pending ?? total - done - this.failed,
          }),
        );
      },
      onFirstImage: () => this.onFirstImage(loaded),
      onError: (code, message) => this.report(code, message, false),
    });
    return loaded;
  }

  private bindViewport(): void {
    for (const off of this.unsubscribers.splice(0)) off();
    const viewport = this.viewports.current;
    if (!viewport) return;
    this.unsubscribers.push(
      viewport.on('slice', (index) => this.onSlice(index)),
      viewport.on('voi', (voi) => {
        this.currentVoi = voi;
        this.planeViews.setVoi(voi);
        // A colour image has no window: nothing to tell.
        if (!this.showsColour) this.dispatchEvent(new VoiChangeEvent({ center: voi.center, width: voi.width }));
      }),
      viewport.on('camera', () => this.updateCamera()),
      viewport.on('image', (status) => this.onImageStatus(status)),
    );
    this.imageStatus = viewport.imageStatus;
    viewport.setDragMode(this.dragMode);
  }

  /** The first slice from its raw frame, on the preview canvas, while the engine loads. */
  private drawPreview(frame: FrameData, model: SeriesModel, index: number, signal: AbortSignal): void {
    const canvas = this.previewCanvas;
    const instance = model.instances[index];
    // The preview draws grayscale through the window; a colour image waits for the engine.
    if (!canvas || !instance || isColourImage(instance) || signal.aborted || this.viewerState !== 'loading') return;
    const preset = isWindowPresetName(this.windowPreset) ? this.windowPreset : 'default';
    // The canvas is hidden until drawn: measure the image area it covers.
    const drawn = drawFramePreview(canvas, frame, instance, {
      voi: voiForPreset(preset, model.defaultVoi),
      invert: this.invert,
      widthPx: this.engineElement.clientWidth,
      heightPx: this.engineElement.clientHeight,
      pixelRatio: devicePixelRatio,
    });
    if (!drawn) return;
    this.previewShown = true;
    this.dispatchEvent(new ImageRenderEvent({ index, count: model.instances.length, preview: true }));
  }

  private onFirstImage(loaded: LoadedSeries): void {
    const viewport = this.viewports.current;
    if (!viewport) return;
    this.previewShown = false;
    this.dispatchEvent(
      new ImageRenderEvent({ index: viewport.sliceIndex, count: loaded.model.instances.length, preview: false }),
    );
    const model = loaded.model;
    viewport.setInvert(this.invert);
    this.applyPreset();
    // After a lost renderer, the reader's window, zoom and pan come back with the picture.
    const restore = this.restoreView;
    this.restoreView = null;
    if (restore?.voi && !this.showsColour) viewport.setVoi(restore.voi);
    if (restore) {
      // The new viewport opens fitted; zoom and pan come back relative to that fit (the CPU
      // renderer's zoom counts screen pixels per image pixel, WebGL's is 1 when fitted).
      viewport.resetCamera();
      const camera = restore.camera;
      const fit = viewport.getZoom();
      if (camera && Math.abs(camera.zoom - 1) > 1e-3) viewport.setZoom(fit * camera.zoom);
      const [dx, dy] = camera?.panMm ?? [0, 0];
      if (dx || dy) {
        const [x, y] = viewport.getPan();
        viewport.setPan([x + dx, y + dy]);
      }
    }
    if (restore) this.warning = { code: 'render', message: restore.notice, notice: 'contextLost' };
    this.currentIndex = viewport.sliceIndex;
    this.updateCamera();
    this.setViewerState('ready');
    this.dispatchEvent(new SeriesLoadEvent(seriesLoadDetail(model, loaded)));
    this.shownIndex = this.currentIndex;
    this.dispatchSlice(this.currentIndex);
  }

  private onSlice(index: number): void {
    if (index === this.currentIndex && this.viewerState === 'ready') return;
    this.currentIndex = index;
    this.hover = null;
    // ct-slice-change tells a slice on screen: an asked-for slice still loading waits for onImageStatus.
    if (this.viewerState === 'ready' && this.viewports.current?.imageStatus === 'shown') {
      this.shownIndex = index;
      this.dispatchSlice(index);
    }
  }

  private onImageStatus(status: SliceImageStatus): void {
    this.imageStatus = status;
    if (status !== 'shown' || this.viewerState !== 'ready' || this.shownIndex === this.currentIndex) return;
    this.shownIndex = this.currentIndex;
    this.dispatchSlice(this.currentIndex);
  }

  private dispatchSlice(index: number): void {
    this.dispatchEvent(new SliceChangeEvent(sliceChangeDetail(this.series, index)));
  }

  private onPlaneSlice(_plane: PlaneName, state: PlaneState): void {
    if (this.viewerState !== 'ready') return;
    this.dispatchEvent(new SliceChangeEvent(planeSliceDetail(state)));
  }

  private onPlaneCamera(_plane: PlaneName, state: PlaneState): void {
    const view = this.planeViews.view(state.plane);
    if (this.viewerState !== 'ready' || !view) return;
    this.dispatchEvent(
      new CameraChangeEvent({
        zoom: state.zoom,
        panMm: view.getPan(),
        orientation: state.plane,
        centreMm: state.centreMm,
      }),
    );
  }

  private syncPlanes(): void {
    const ready = this.viewerState === 'ready';
    this.planeViews.sync(
      ready ? this.viewports.current : null,
      ready ? this.series : null,
      this.rendererKind,
      this.currentVoi,
    );
  }

  private updateCamera(): void {
    const viewport = this.viewports.current;
    if (!viewport) return;
    this.mmPerPixel = viewport.mmPerCanvasPixel();
    this.zoom = viewport.getZoom();
    if (this.viewerState === 'ready') {
      const centreMm = sliceChangeDetail(this.series, this.currentIndex).centreMm;
      this.dispatchEvent(
        new CameraChangeEvent({ zoom: this.zoom, panMm: viewport.getPan(), orientation: 'acquisition', centreMm }),
      );
    }
  }

  private applyPreset(): void {
    const viewport = this.viewports.current;
    if (!viewport || !this.series) return;
    // Colour images keep their own colours: no CT window.
    if (this.showsColour) return;
    const preset = isWindowPresetName(this.windowPreset) ? this.windowPreset : 'default';
    const voi = voiForPreset(preset, this.series.defaultVoi);
    viewport.setVoi(voi);
    this.planeViews.setVoi(voi);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A new `headers` object with the same content (every React render, a token refresh that
    // returns the same token) is no change: the series is not loaded again.
    if (changed.has('headers') && !sameHeaders(this.requestHeaders, this.headers)) this.requestHeaders = this.headers;
    // The source set last wins (changes are in the order they were made); one that names
    // nothing (cleared files, a root without a study) leaves the choice as it was.
    for (const key of changed.keys()) {
      if (key === 'files' && this.files?.length) this.lastSource = 'files';
      else if (key === 'urls' && this.urls?.length) this.lastSource = 'urls';
      else if (
        (key === 'dicomwebRoot' || key === 'studyUid' || key === 'seriesUid') &&
        this.dicomwebRoot &&
        this.studyUid
      )
        this.lastSource = 'dicomweb';
    }
    // A value outside the lists is ignored (one warning): the last valid one stays, and is not
    // applied again (a preset would reset the reader's window).
    if (changed.has('dragMode') && !acceptValue(TAG, 'drag-mode', this.dragMode, oneOf(DRAG_MODES))) {
      this.dragMode = changed.get('dragMode') ?? 'window-level';
      changed.delete('dragMode');
    }
    // An invalid locale is told about when it is set, not at the first label drawn.
    if (changed.has('locale')) normalizeLocale(this.locale);
    if (changed.has('windowPreset') && !acceptValue(TAG, 'window-preset', this.windowPreset, oneOf(WINDOW_PRESETS))) {
      this.windowPreset = changed.get('windowPreset') ?? 'default';
      changed.delete('windowPreset');
    }
    if (changed.has('orientation') && !acceptValue(TAG, 'orientation', this.orientation, oneOf(VIEWER_ORIENTATIONS))) {
      this.orientation = changed.get('orientation') ?? 'acquisition';
      changed.delete('orientation');
    }
    if (changed.has('layout') && !acceptValue(TAG, 'layout', this.layout, oneOf(VIEWER_LAYOUTS))) {
      this.layout = changed.get('layout') ?? 'single';
      changed.delete('layout');
    }
    if (changed.has('slabMode') && !acceptValue(TAG, 'slab-mode', this.slabMode, oneOf(SLAB_MODES))) {
      this.slabMode = changed.get('slabMode') ?? 'mip';
      changed.delete('slabMode');
    }
    if (changed.has('slabThicknessMm') && !acceptValue(TAG, 'slab-thickness-mm', this.slabThicknessMm, SLAB_MM)) {
      this.slabThicknessMm = changed.get('slabThicknessMm') ?? 0;
      changed.delete('slabThicknessMm');
    }
    if (changed.has('cine') && this.cine && !this.cineByReader && prefersReducedMotion()) {
      // No autoplay for readers who asked for reduced motion.
      this.cine = false;
      changed.delete('cine');
    }
    this.cineByReader = false;
    if (changed.has('cineFps') && !acceptValue(TAG, 'cine-fps', this.cineFps, CINE_FPS)) {
      this.cineFps = changed.get('cineFps') ?? DEFAULT_CINE_FPS;
      changed.delete('cineFps');
    }
    if (changed.has('rotation') && !acceptValue(TAG, 'rotation', this.rotation, ROTATION)) {
      this.rotation = changed.get('rotation') ?? 0;
      changed.delete('rotation');
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('windowPreset') && changed.get('windowPreset') !== undefined) this.applyPreset();
    if (changed.has('invert') && this.viewerState === 'ready') this.viewports.current?.setInvert(this.invert);
    if (changed.has('dragMode')) this.viewports.current?.setDragMode(this.dragMode);
    const planeKeys: PropertyKey[] = [
      'orientation',
      'layout',
      'slabThicknessMm',
      'slabMode',
      'rotation',
      'flipHorizontal',
      'flipVertical',
      'invert',
      'dragMode',
      'viewerState',
    ];
    if (planeKeys.some((key) => (changed as Map<PropertyKey, unknown>).has(key))) this.syncPlanes();
    if (['cine', 'cineFps', 'viewerState'].some((key) => (changed as Map<PropertyKey, unknown>).has(key))) {
      this.cinePlayer.set(this.cine && this.viewerState === 'ready', this.cineFps);
    }
  }

  private report(code: ErrorCode, message: string, fatal: boolean): void {
    if (!fatal) this.warning = { code, message };
    this.dispatchEvent(new ViewerErrorEvent({ code, message, fatal }));
  }

  private fail(error: ViewerError): void {
    this.setViewerState('error');
    this.report(error.code, error.message, true);
  }

  /**
   * The engine lost its renderer (WebGL context): the canvas now holds a picture that no longer
   * follows the reader. Cover it at once (loading state), tell the host, and show the series
   * again in a new viewport on the renderer the engine has now, at the same slice, window,
   * zoom and pan.
   */
  private onRendererLost(reason: string): void {
    if (this.viewerState !== 'ready' && this.viewerState !== 'loading') {
      this.viewports.release();
      return;
    }
    let camera: CameraDetail | null = null;
    try {
      camera = this.camera;
    } catch {
      // The lost viewport cannot tell: the new one opens fitted.
    }
    const notice = `The graphics context was lost and the images were drawn again. ${reason}`;
    this.restoreView = { sliceIndex: this.currentIndex, voi: this.currentVoi, camera, notice };
    this.rendererLostReason = reason;
    this.planeViews.clear();
    for (const off of this.unsubscribers.splice(0)) off();
    // Nothing of the lost picture stays on screen while the series is shown again.
    for (const canvas of this.engineElement?.querySelectorAll('canvas') ?? []) {
      canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
    }
    this.viewports.release();
    this.setViewerState('loading');
    this.report('render', notice, false);
    this.reload();
  }

  /** Where the reader was when the renderer was lost; applied to the next first image. */
  private restoreView: {
    sliceIndex: number;
    voi: Voi | null;
    camera: CameraDetail | null;
    notice: string;
  } | null = null;
  /** Why the next viewport renders on the CPU, when it is because the GPU context was lost. */
  private rendererLostReason: string | null = null;

  private onViewportReleased(): void {
    this.planeViews.clear();
    for (const off of this.unsubscribers.splice(0)) off();
    this.loadTask.abort();
    this.shown?.source?.abort();
    // If the element comes back later, the controller asks for the series again.
    if (this.viewerState !== 'empty') {
      this.setViewerState('empty');
      this.shown = null;
    }
  }

  private step(delta: number): void {
    if (this.planeViews.active) {
      this.planeViews.step(delta, this.activePlane ?? undefined);
      return;
    }
    const viewport = this.viewports.current;
    if (viewport) viewport.setSliceIndex(viewport.sliceIndex + delta);
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (!this.series || event.target !== this) return;
    const action = keyAction(event, this.sliceCount);
    if (!action) return;
    event.preventDefault();
    const plane = this.planeViews.active ? (this.activePlane ?? this.planeViews.requested[0]) : undefined;
    if (action.kind === 'step' || action.kind === 'first' || action.kind === 'last') this.stopCine();
    if (action.kind === 'step') this.step(action.delta);
    else if (action.kind === 'first') {
      if (plane) this.planeViews.setSliceIndex(plane, 0);
      else this.sliceIndex = 0;
    } else if (action.kind === 'last') {
      if (plane) this.planeViews.setSliceIndex(plane, Number.MAX_SAFE_INTEGER);
      else this.sliceIndex = this.sliceCount - 1;
    } else if (action.kind === 'slab') this.toggleSlab();
    else if (action.kind === 'cine') this.toggleCine();
    else if (action.kind === 'zoom') this.zoomBy(action.factor);
    else if (action.kind === 'reset') this.resetView();
    else this.invert = !this.invert;
  }

  private onPointerMove(event: PointerEvent): void {
    this.pendingHover = { x: event.offsetX, y: event.offsetY };
    if (this.hoverFrame) return;
    this.hoverFrame = requestAnimationFrame(() => {
      this.hoverFrame = 0;
      const point = this.pendingHover;
      const value = point ? this.viewports.current?.valueAt(point.x, point.y) : null;
      this.hover = value
        ? { value: value.value, column: value.column, row: value.row, ...(value.rgb ? { rgb: value.rgb } : {}) }
        : null;
    });
  }

  private chooseLocalSeries(index: number): void {
    this.localChoice = index;
    this.reloadCount++;
  }

  /** The reformatted planes: one cell each, with its own image, overlay, markers, slider (and crosshair in MPR). */
  private renderPlanes() {
    const planes = this.planeViews.planes;
    return html`<div class="planes ${this.layout === 'mpr' ? 'mpr' : 'single'}">
      ${repeat(
        planes,
        (plane) => plane.plane,
        (plane) => this.renderPlane(plane),
      )}
    </div>`;
  }

  private renderPlane(plane: PlaneState) {
    const series = this.series!;
    const cell = this.renderRoot.querySelector<HTMLElement>(`.plane[data-plane=${plane.plane}] .plane-view`);
    return html`<div
      class="plane"
      data-plane=${plane.plane}
      @pointerenter=${() => (this.activePlane = plane.plane)}
      @pointerdown=${() => (this.activePlane = plane.plane)}
    >
      <div part="viewport plane-viewport" class="plane-view" @contextmenu=${(e: Event) => e.preventDefault()}>
        <div class="plane-engine"></div>
      </div>
      ${
        plane.status === 'ready'
          ? renderPlaneOverlay({
              plane,
              series,
              voi: this.currentVoi,
              slabThicknessMm: this.slabThicknessMm,
              slabMode: this.slabMode,
              viewportWidthPx: cell?.clientWidth ?? 300,
              locale: this.locale,
              hideOverlays: this.hideOverlays,
            })
          : html`<div part="loading" class="panel plane-pending" role="status">
              <p>Building the ${plane.plane} plane… (${this.loaded}/${this.total} images)</p>
            </div>`
      }
      ${this.layout === 'mpr' && plane.status === 'ready' ? this.renderCrosshair(plane) : nothing}
      ${
        plane.status === 'ready'
          ? renderSlider(
              plane.index,
              plane.count,
              (index) => this.planeViews.setSliceIndex(plane.plane, index),
              messagesFor(this.locale),
            )
          : nothing
      }
    </div>`;
  }

  /** The crosshair of one MPR plane: where the two other planes cut it, and a handle to drag the crossing point. */
  private renderCrosshair(plane: PlaneState) {
    const view = this.planeViews.view(plane.plane);
    const point = this.planeViews.crosshairMm;
    if (!view || !point) return nothing;
    const [cx, cy] = view.patientToCanvas(point);
    const own = view.normal();
    const lines = this.planeViews.planes
      .filter((other) => other.plane !== plane.plane && other.status === 'ready')
      .map((other) => {
        const otherView = this.planeViews.view(other.plane)!;
        const direction = vec3.cross(own, otherView.normal());
        const far = vec3.scale(direction, 2000 / (vec3.norm(direction) || 1));
        const [x1, y1] = view.patientToCanvas(vec3.add(point, far));
        const [x2, y2] = view.patientToCanvas(vec3.sub(point, far));
        return svg`<line class="crosshair-line ${other.plane}" x1=${x1} y1=${y1} x2=${x2} y2=${y2}></line>`;
      });
    const drag = (event: PointerEvent): void => {
      if (event.type === 'pointerdown') {
        (event.currentTarget as Element).setPointerCapture(event.pointerId);
        event.stopPropagation();
        event.preventDefault();
        return;
      }
      if (!(event.currentTarget as Element).hasPointerCapture(event.pointerId)) return;
      const box = (event.currentTarget as Element)
        .closest('.plane')!
        .querySelector('.plane-view')!
        .getBoundingClientRect();
      this.showPoint(view.canvasToPatient(event.clientX - box.left, event.clientY - box.top));
    };
    return html`<svg class="crosshair" part="crosshair" aria-hidden="true">
      ${lines}
      <circle class="crosshair-handle" cx=${cx} cy=${cy} r="9" @pointerdown=${drag} @pointermove=${drag}></circle>
    </svg>`;
  }

  protected override render() {
    const t = messagesFor(this.locale);
    const planesShown = this.viewerState === 'ready' && this.planeViews.active;
    return html`<div part="base" class="base" lang=${ifDefined(normalizeLocale(this.locale))}>
      ${
        this.hideToolbar
          ? html`<span></span>`
          : renderToolbar(
              {
                windowPreset: this.windowPreset,
                invert: this.invert,
                localSeries: this.shown?.localSeries ?? [],
                seriesUid: this.series?.seriesUid ?? null,
                cine: this.cine,
              },
              {
                onPreset: (preset) => (this.windowPreset = preset),
                onInvert: () => (this.invert = !this.invert),
                onReset: () => this.resetView(),
                onZoom: (factor) => this.zoomBy(factor),
                onSeries: (index) => this.chooseLocalSeries(index),
                onCine: () => this.toggleCine(),
              },
              t,
            )
      }
      <div class="stage" @wheel=${() => this.stopCine()} @input=${() => this.stopCine()}>
        <div
          part="viewport"
          @pointermove=${this.onPointerMove}
          @pointerleave=${() => (this.hover = null)}
          @contextmenu=${(e: Event) => e.preventDefault()}
        >
          <div
            class="engine ${this.viewerState === 'ready' && this.imageStatus !== 'shown' ? 'stale' : ''} ${planesShown ? 'behind' : ''}"
          ></div>
          <canvas part="preview" class="preview" aria-hidden="true" ?hidden=${!this.previewShown}></canvas>
        </div>
        ${this.viewerState === 'ready' && !planesShown ? renderPlaceholder(this.imageStatus, this.currentIndex, this.sliceCount, t) : nothing}
        ${planesShown ? this.renderPlanes() : nothing}
        ${
          this.viewerState === 'ready' && this.series && !planesShown
            ? renderOverlay({
                series: this.series,
                index: this.currentIndex,
                voi: this.voi,
                zoom: this.zoom,
                mmPerPixel: this.mmPerPixel,
                viewportWidthPx: this.engineElement?.clientWidth ?? 400,
                hover: this.hover,
                locale: this.locale,
                showPatientInfo: this.showPatientInfo,
                hideOverlays: this.hideOverlays,
                renderer: this.rendererKind,
              })
            : nothing
        }
        ${
          this.series && !planesShown
            ? renderSlider(this.currentIndex, this.sliceCount, (index) => (this.sliceIndex = index), t)
            : nothing
        }
        ${this.viewerState !== 'error' ? renderProgress(this.loaded, this.total, this.failed, t) : nothing}
        ${this.loadTask.render({
          pending: () => (this.viewerState === 'loading' ? renderLoadingPanel(this.previewShown, t) : nothing),
          error: (error) => renderErrorPanel(toViewerError(error), () => this.reload(), t),
        })}
        ${this.viewerState === 'empty' ? renderEmptyPanel((files) => (this.files = files), t) : nothing}
        ${
          this.warning && this.viewerState === 'ready'
            ? renderWarningBanner(this.warning, () => (this.warning = null), t)
            : nothing
        }
      </div>
      <slot></slot>
    </div>`;
  }
}
