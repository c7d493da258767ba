/**
 * `<measurement-tools>`: the element class, its public types (`TOOLS`, `OWN_LAYER`,
 * `MeasurementLayerOptions`, `describeValues`). Its parts: the public API over the
 * `MeasurementStore` (measurements, layers, undo/redo, JSON), the binding to a `<ct-viewer>`
 * (`for`, series changes, engine attach/release), the engine events turned into measurements
 * (values from the pixels, the slice check), the layer sync back to the engine, the inline
 * label/text editing and keys, and the toolbar and list templates.
 *
 * Over 500 lines on purpose for now: the viewer binding, the engine events and the layer sync
 * share the element's store, selection and engine handle, and the binding is to be shared with
 * `<opinion-report>`'s (issue 9), so it moves once, into a controller both use. The next cut is
 * the list: `renderList`, `renderItem` and `sliceLabel` into `measurement-list.template.ts`, a
 * function taking the shown measurements and a small context (locked test, editing field,
 * locale, selected id, the series, and the select/edit/remove callbacks); then the viewer
 * binding controller.
 */
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import {
  acceptValue,
  createMeasurement,
  formatNumber,
  oneOf,
  type ValueRule,
  formatMeasurementValues,
  MEASUREMENT_KINDS,
  measurementPixelValues,
  messagesFor,
  MeasurementStore,
  normalizeLocale,
  parseMeasurements,
  distanceFromSlicePlaneMm,
  serializeMeasurements,
  SLICE_PLANE_TOLERANCE_MM,
  type EngineAnnotation,
  type EngineAnnotationEvent,
  type EngineAnnotations,
  type InstanceInfo,
  type Measurement,
  type MeasurementDocument,
  type MeasurementKind,
  type MeasurementStoreChange,
  type MeasurementValueOptions,
  type MeasurementValues,
  type SeriesModel,
} from '@secondread/core';
import type { CtViewer } from '@secondread/ct-viewer';
import { enclosingViewer, viewerById } from '@secondread/ct-viewer/internal.js';
import { MeasurementAddEvent, MeasurementChangeEvent, MeasurementRemoveEvent } from './events.js';
import { TOOL_ICONS, TOOL_SHORTCUTS } from './icons.js';
import { measurementToolsStyles } from './measurement-tools.styles.js';

const TAG = 'measurement-tools';

/** What `measurements` accepts: an array (each item is then checked by the store). */
const MEASUREMENT_LIST: ValueRule<readonly Measurement[]> = {
  test: (value: unknown): value is readonly Measurement[] => Array.isArray(value),
  allowed: 'an array of measurements (see docs/measurement-schema.md)',
};

/** The tools, plus `none` for navigation (window/level, pan, zoom, scroll). */
export const TOOLS = ['none', ...MEASUREMENT_KINDS] as const;
export type Tool = (typeof TOOLS)[number];

/** What the list edits inline: a measurement's label, or the text of an arrow or label. */
type EditableField = 'label' | 'text';

/** Kinds whose drawing shows a text that the reader writes. */
const TEXT_KINDS: readonly MeasurementKind[] = ['arrow', 'label'];

/** The reader's own measurements live in this layer; locked layers hold other readings. */
export const OWN_LAYER = 'own';

/** Options for a layer shown beside the reader's own work (e.g. the first reading). */
export interface MeasurementLayerOptions {
  readonly locked?: boolean;
  /** CSS colour of the layer's lines. */
  readonly color?: string;
}

/**
 * One line of values for the list, units included (`Long axis 12.0 mm · Short axis 9.0 mm`):
 * `formatMeasurementValues` of `@secondread/core`, the wording the printed report uses too.
 */
export function describeValues(values: MeasurementValues, options: MeasurementValueOptions = {}): string {
  return formatMeasurementValues(values, options);
}

/**
 * Diagnostic measurements on a `<ct-viewer>`: a toolbar of tools, and the list of the reader's
 * measurements (with locked layers of other readings). The measurements themselves live in a
 * framework-free {@link MeasurementStore}; values are computed by the model from the points and
 * the pixel data, so a measurement loaded from JSON shows the same numbers as when drawn.
 *
 * The list and the drawing show the measurements of the series the viewer displays (all series
 * stay in `measurements` and `toJSON()`). Each item jumps to its slice; F2, a double-click or its
 * rename button opens an inline field for its label (and, for arrows and labels, a second button
 * for their text): Enter commits, Escape cancels, both return focus to the item.
 *
 * A measurement lies on the image it names: a drawing left pending when the slice changes is
 * cancelled, except a probe's or a label's click, which is complete as it is and counts on the
 * image it was made on, even when the slice changed while Cornerstone held the click back (its
 * 400 ms double-click window).
 *
 * @summary Lengths, angles, RECIST bidirectional, ROIs with HU statistics, probe, arrows and labels.
 *
 * @fires ct-measurement-add - `{ measurement }` when a measurement is drawn (or restored by redo).
 * @fires ct-measurement-change - `{ measurement }` when one is moved, renamed, its text edited, or recomputed.
 * @fires ct-measurement-remove - `{ measurement }` when one is deleted (or undone).
 *
 * @csspart base - The whole panel: toolbar and list.
 * @csspart toolbar - The tool buttons.
 * @csspart tool - Each tool button; the pressed one also has `active` (`::part(tool active)`).
 * @csspart active - Added to the part names of the pressed tool button.
 * @csspart action - The undo and redo buttons (also `undo`, `redo`).
 * @csspart undo - The undo button.
 * @csspart redo - The redo button.
 * @csspart list - The measurement list.
 * @csspart item - One measurement in the list.
 * @csspart item-button - The button of an item that jumps to its slice; the current one also has `selected` (`::part(item-button selected)`).
 * @csspart selected - Added to the part names of the current item's button.
 * @csspart item-action - The rename, edit-text and delete buttons of an item (also `rename`, `edit-text`, `delete`).
 * @csspart rename - The rename button of an item.
 * @csspart edit-text - The edit-text button of an arrow or label item.
 * @csspart delete - The delete button of an item.
 * @csspart field - The inline text field that renames a measurement or edits an arrow's or label's text.
 * @csspart empty - The text shown when the displayed series has no measurements.
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
 * @cssprop [--ct-measurement-list-height=320px] - Maximum height of the list.
 */
export class MeasurementTools extends LitElement {
  static override styles = measurementToolsStyles;

  /** Id of the `<ct-viewer>` to bind to (like `<label for>`); without it, the enclosing viewer. */
  @property() for?: string;

  /** The active tool: one of `TOOLS` (`none` navigates); another value is ignored with a warning and the active tool stays. */
  @property({ reflect: true }) tool: Tool = 'none';

  /** Who draws (stored in each measurement's `readerId`). */
  @property({ attribute: 'reader-id' }) readerId = 'reader';

  /** Text given to new arrows and labels; by default "Note" in the element's language (`Notiz`, `Заметка`). */
  @property({ attribute: 'annotation-text' }) annotationText?: string;

  /**
   * Language of every label and message of the toolbar and the list (and of the default names
   * of new measurements, `Länge 1`), and locale of its numbers: a BCP 47 tag (`de`, `de-DE`, `ru`)
   * or a POSIX one (`de_DE`, `de_DE.UTF-8`, read as `de-DE`). English, German and Russian have
   * catalogues; another language shows English words with that locale's numbers. An invalid tag
   * falls back to the browser's locale, with one warning. Default: the browser's locale.
   */
  @property() locale?: string;

  /** The text new arrows and labels get: `annotation-text`, or the catalogue's. */
  private get defaultText(): string {
    return this.annotationText ?? messagesFor(this.locale).tools.defaultText;
  }

  @state() private items: readonly Measurement[] = [];
  @state() private selectedId: string | null = null;
  /** The measurement whose label or text is being edited inline, if any. */
  @state() private editing: { readonly id: string; readonly field: EditableField } | null = null;
  /** The series the bound viewer shows: the list and the drawing show only its measurements. */
  @state() private seriesUid: string | null = null;

  /** The model: every measurement, layers and history. */
  readonly store = new MeasurementStore();

  private viewer: CtViewer | null = null;
  private annotations: EngineAnnotations | null = null;
  private unbind: (() => void)[] = [];
  private syncing = false;

  constructor() {
    super();
    this.store.addLayer(OWN_LAYER, [], { locked: false });
    this.store.subscribe((change) => this.onStoreChange(change));
  }

  /** All measurements (own and layers). Setting it loads a set as the reader's own, replacing them. */
  get measurements(): readonly Measurement[] {
    return this.store.list();
  }

  set measurements(list: readonly Measurement[]) {
    if (!acceptValue(TAG, 'measurements', list, MEASUREMENT_LIST)) return;
    try {
      this.store.load(list, { layer: OWN_LAYER });
    } catch (error) {
      // Nothing of an invalid set is loaded: the reader's measurements stay as they were.
      console.warn(`<${TAG}>: measurements are ignored: ${String((error as Error).message ?? error)}`);
      return;
    }
    void this.syncLayer(OWN_LAYER);
  }

  /** Shows a set of measurements as a separate layer (locked by default), e.g. the first reading. */
  async addLayer(name: string, list: readonly Measurement[], options: MeasurementLayerOptions = {}): Promise<void> {
    if (this.store.layers().some((l) => l.name === name)) this.store.removeLayer(name);
    this.store.addLayer(name, list, { locked: options.locked ?? true });
    this.layerOptions.set(name, options);
    await this.syncLayer(name);
  }

  private readonly layerOptions = new Map<string, MeasurementLayerOptions>();

  /** Removes the reader's own measurements (undoable). */
  clear(): void {
    this.store.transaction(() => {
      for (const m of this.store.list({ layer: OWN_LAYER })) this.store.remove(m.id);
    });
  }

  undo(): boolean {
    return this.store.undo();
  }

  redo(): boolean {
    return this.store.redo();
  }

  /** The reader's own measurements as versioned JSON (see docs/measurement-schema.md). */
  toJSON(): MeasurementDocument {
    return serializeMeasurements(this.store.list({ layer: OWN_LAYER }));
  }

  /** Loads versioned JSON as the reader's own measurements; invalid input throws and loads nothing. */
  loadJSON(json: unknown): void {
    this.measurements = parseMeasurements(json);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    queueMicrotask(() => this.bind());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.release();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A tool outside `TOOLS` is ignored (one warning): the last valid one stays active.
    if (changed.has('tool') && !acceptValue(TAG, 'tool', this.tool, oneOf(TOOLS))) {
      this.tool = changed.get('tool') ?? 'none';
      changed.delete('tool');
    }
    // An invalid locale is told about when it is set, not at the first number the list shows.
    if (changed.has('locale')) normalizeLocale(this.locale);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('editing' as keyof MeasurementTools) && this.editing) {
      const field = this.renderRoot.querySelector<HTMLInputElement>('input[part=field]');
      field?.focus();
      field?.select();
    }
    if (changed.has('for') && changed.get('for') !== undefined) this.bind();
    if (changed.has('tool') && this.annotations) this.applied = this.annotations.setTool(this.tool);
    if (changed.has('annotationText') || changed.has('locale')) this.annotations?.setDefaultText(this.defaultText);
  }

  private applied: Promise<void> = Promise.resolve();

  /** Resolves when the viewer uses the current `tool` (its code loads on first use). */
  get toolReady(): Promise<void> {
    return this.updateComplete.then(() => this.applied);
  }

  /** The viewer `for` names, else the one this element is nested in; a vendor's subclass under its own tag too. */
  private findViewer(): CtViewer | null {
    return this.for ? viewerById(this, this.for) : enclosingViewer(this);
  }

  private bind(): void {
    this.release();
    const viewer = this.findViewer();
    if (!viewer) return;
    this.viewer = viewer;
    const attach = (): void => void this.onSeriesLoad();
    viewer.addEventListener('ct-series-load', attach);
    const onKey = (event: KeyboardEvent): void => this.onKeyDown(event);
    viewer.addEventListener('keydown', onKey);
    this.addEventListener('keydown', onKey);
    this.unbind.push(
      () => viewer.removeEventListener('ct-series-load', attach),
      () => viewer.removeEventListener('keydown', onKey),
      () => this.removeEventListener('keydown', onKey),
    );
    if (viewer.annotations) void this.onSeriesLoad();
  }

  /** A series is on screen (the first, or another one): show the measurements that belong to it. */
  private async onSeriesLoad(): Promise<void> {
    this.seriesUid = this.viewer?.seriesModel?.seriesUid ?? null;
    if (this.selectedId && this.store.get(this.selectedId)?.seriesUid !== this.seriesUid) this.selectedId = null;
    if (this.annotations && this.annotations === this.viewer?.annotations) {
      for (const layer of this.store.layers()) await this.syncLayer(layer.name);
      return;
    }
    await this.attach();
  }

  /** Whether a measurement belongs to the series on screen (all do while none is known). */
  private onScreen(measurement: Measurement): boolean {
    return this.seriesUid === null || measurement.seriesUid === this.seriesUid;
  }

  private release(): void {
    for (const off of this.unbind.splice(0)) off();
    this.viewer = null;
    this.annotations = null;
    this.seriesUid = null;
  }

  /** Connects to the viewer's engine once a series shows, and draws every layer there. */
  private async attach(): Promise<void> {
    const annotations = this.viewer?.annotations;
    if (!annotations || annotations === this.annotations) return;
    this.annotations = annotations;
    this.unbind.push(annotations.on((event) => this.onEngineEvent(event)));
    annotations.setDefaultText(this.defaultText);
    this.applied = annotations.setTool(this.tool);
    await this.applied;
    for (const layer of this.store.layers()) await this.syncLayer(layer.name);
  }

  private series(): SeriesModel | null {
    return this.viewer?.seriesModel ?? null;
  }

  private pixelValues(kind: MeasurementKind, annotation: EngineAnnotation): MeasurementValues {
    if (!annotation.sopInstanceUid || !this.annotations) return {};
    const slice = this.annotations.slicePixels(annotation.sopInstanceUid);
    if (!slice) return {};
    try {
      return measurementPixelValues(kind, annotation.points, slice);
    } catch {
      return {};
    }
  }

  /**
   * A measurement lies on the slice it names. A new one whose points are not all on the plane of
   * its image (or that names no image of the series) is dropped, never saved; an edit that takes
   * a measurement off its image's plane is not kept, and the drawing is put back as it was. (The
   * engine also cancels a drawing when the slice changes: this is the model's own guarantee.)
   */
  private onItsSlice(annotation: EngineAnnotation, instance: InstanceInfo | undefined, adding: boolean): boolean {
    const plane =
      instance?.imagePositionPatient && instance.imageOrientationPatient
        ? {
            imagePositionPatient: instance.imagePositionPatient,
            imageOrientationPatient: instance.imageOrientationPatient,
          }
        : null;
    let offBy = 0;
    if (!instance) offBy = Infinity;
    else if (plane) {
      offBy = distanceFromSlicePlaneMm(annotation.points, plane);
      // An edit is judged against where the measurement already was (one loaded from elsewhere
      // may sit a little off its plane): it must not move it further off.
      const current = adding ? undefined : this.store.get(annotation.id);
      if (current) offBy -= distanceFromSlicePlaneMm(current.points, plane);
    }
    if (offBy <= SLICE_PLANE_TOLERANCE_MM) return true;
    const where = instance ? `${offBy.toFixed(2)} mm off the plane of its image` : 'not on an image of the series';
    if (adding) {
      console.warn(`measurement-tools: ${annotation.kind} not kept (${where})`);
      this.annotations?.remove(annotation.id);
    } else {
      console.warn(`measurement-tools: edit of ${annotation.kind} not kept (${where})`);
      this.scheduleSync(this.store.layerOf(annotation.id) ?? OWN_LAYER);
    }
    return false;
  }

  private onEngineEvent(event: EngineAnnotationEvent): void {
    if (this.syncing) return;
    const { annotation } = event;
    const series = this.series();
    if (event.type === 'remove') {
      if (this.store.has(annotation.id) && !this.store.isLocked(annotation.id)) this.store.remove(annotation.id);
      return;
    }
    if (!series || annotation.points.length === 0) return;
    // Cornerstone reports every move of an annotation being drawn: it is not a measurement yet,
    // so skip its pixel statistics until it is added.
    if (event.type === 'change' && !this.store.has(annotation.id)) return;
    const adding = event.type === 'add' && !this.store.has(annotation.id);
    const instance = series.instances.find(
      (i) => i.sopInstanceUid === (adding ? annotation.sopInstanceUid : this.store.get(annotation.id)?.sopInstanceUid),
    );
    if (!this.onItsSlice(annotation, instance, adding)) return;
    const values = this.pixelValues(annotation.kind, annotation);
    if (adding) {
      try {
        const measurement = createMeasurement(
          {
            kind: annotation.kind,
            points: annotation.points,
            studyUid: series.studyUid,
            seriesUid: series.seriesUid,
            sopInstanceUid: annotation.sopInstanceUid ?? '',
            frameOfReferenceUid: annotation.frameOfReferenceUid ?? '',
            readerId: this.readerId,
            label: `${messagesFor(this.locale).kind[annotation.kind]} ${this.store.list({ layer: OWN_LAYER }).length + 1}`,
            ...(annotation.text ? { text: annotation.text } : {}),
            ...(instance?.imageOrientationPatient ? { imageOrientationPatient: instance.imageOrientationPatient } : {}),
            values,
          },
          { id: annotation.id },
        );
        this.store.add(measurement, { layer: OWN_LAYER });
      } catch (error) {
        // An annotation with too few points (a click without a drag) is not a measurement.
        console.warn(`measurement-tools: ${annotation.kind} not kept (${String((error as Error).message ?? error)})`);
        this.annotations?.remove(annotation.id);
      }
    } else if (this.store.has(annotation.id) && !this.store.isLocked(annotation.id)) {
      // Cornerstone also reports changes that change nothing (statistics recomputed on a redraw,
      // e.g. right after a set is loaded): they must not become edits (undo steps, events).
      if (this.unchanged(this.store.get(annotation.id)!, annotation, values)) return;
      try {
        this.store.update(
          annotation.id,
          { points: annotation.points, values, ...(annotation.text ? { text: annotation.text } : {}) },
          { merge: true },
        );
      } catch {
        // Points a drag left invalid: keep the last valid measurement.
      }
    }
  }

  private unchanged(current: Measurement, annotation: EngineAnnotation, values: MeasurementValues): boolean {
    const samePoints =
      current.points.length === annotation.points.length &&
      current.points.every((p, i) => p.every((v, axis) => v === annotation.points[i]![axis]));
    const sameText = !annotation.text || annotation.text === current.text;
    const sameValues = (Object.keys(values) as (keyof MeasurementValues)[]).every(
      (key) => values[key] === current.values[key],
    );
    return samePoints && sameText && sameValues;
  }

  private onStoreChange(change: MeasurementStoreChange): void {
    this.items = this.store.list();
    const detail = { measurement: change.measurement };
    if (change.type === 'add') this.dispatchEvent(new MeasurementAddEvent(detail));
    else if (change.type === 'change') this.dispatchEvent(new MeasurementChangeEvent(detail));
    else this.dispatchEvent(new MeasurementRemoveEvent(detail));
    // Undo, redo and loads change the model first: redraw the engine from it.
    if (change.cause !== 'edit') this.scheduleSync(change.layer);
    else if (change.type === 'remove') this.annotations?.remove(change.measurement.id);
  }

  private pendingSync = new Set<string>();

  private scheduleSync(layer: string): void {
    if (this.pendingSync.has(layer)) return;
    this.pendingSync.add(layer);
    queueMicrotask(() => {
      this.pendingSync.delete(layer);
      void this.syncLayer(layer);
    });
  }

  private async syncLayer(layer: string): Promise<void> {
    const annotations = this.annotations;
    if (!annotations) return;
    const options = this.layerOptions.get(layer) ?? {};
    const locked = layer !== OWN_LAYER && (options.locked ?? true);
    this.syncing = true;
    try {
      await annotations.showLayer(
        layer,
        // Measurements of other series stay in the model, but are drawn only with their series.
        this.store
          .list({ layer })
          .filter((m) => this.onScreen(m))
          .map((m) => ({
            id: m.id,
            kind: m.kind,
            points: m.points,
            sopInstanceUid: m.sopInstanceUid || null,
            frameOfReferenceUid: m.frameOfReferenceUid || null,
            ...(m.text ? { text: m.text } : {}),
          })),
        { locked, ...(options.color ? { color: options.color } : {}), dashed: locked },
      );
    } finally {
      this.syncing = false;
    }
  }

  private select(measurement: Measurement): void {
    this.selectedId = measurement.id;
    this.viewer?.showInstance(measurement.sopInstanceUid);
    this.annotations?.select(measurement.id);
  }

  private removeMeasurement(measurement: Measurement): void {
    if (this.store.isLocked(measurement.id)) return;
    this.store.remove(measurement.id);
  }

  /** Opens the inline field for a measurement's label (or an arrow's or label's text). */
  private startEditing(measurement: Measurement, field: EditableField): void {
    if (this.store.isLocked(measurement.id)) return;
    this.editing = { id: measurement.id, field };
  }

  /** Commits the inline field: Enter or leaving the field. */
  private commitEditing(input: HTMLInputElement): void {
    const editing = this.editing;
    if (!editing) return;
    this.editing = null;
    const measurement = this.store.get(editing.id);
    if (measurement && !this.store.isLocked(editing.id)) {
      const value = input.value.trim();
      if (editing.field === 'label' && value !== measurement.label) {
        this.store.update(editing.id, { label: value });
      } else if (editing.field === 'text' && value && value !== measurement.text) {
        this.store.update(editing.id, { text: value });
        // The drawing shows the text: redraw the layer from the model.
        this.scheduleSync(this.store.layerOf(editing.id) ?? OWN_LAYER);
      }
    }
    this.focusItemButton(editing);
  }

  private cancelEditing(): void {
    const editing = this.editing;
    this.editing = null;
    if (editing) this.focusItemButton(editing);
  }

  /** Gives focus back to the button that opened a field, once the list has re-rendered. */
  private focusItemButton(editing: { id: string; field: EditableField }): void {
    void this.updateComplete.then(() => {
      const item = this.renderRoot.querySelector(`[part=item][data-id="${CSS.escape(editing.id)}"]`);
      item?.querySelector<HTMLButtonElement>(`button[data-edit=${editing.field}]`)?.focus();
    });
  }

  private onFieldKeyDown(event: KeyboardEvent): void {
    // Typing in a field must never reach the tool shortcuts or the viewer.
    event.stopPropagation();
    if (event.key === 'Enter') {
      event.preventDefault();
      this.commitEditing(event.currentTarget as HTMLInputElement);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.cancelEditing();
    }
  }

  private onKeyDown(event: KeyboardEvent): void {
    const target = event.composedPath()[0];
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
    const key = event.key;
    const mod = event.ctrlKey || event.metaKey;
    if (mod && key.toLowerCase() === 'z') {
      event.preventDefault();
      if (event.shiftKey) this.redo();
      else this.undo();
      return;
    }
    if (mod || event.altKey) return;
    if ((key === 'Delete' || key === 'Backspace') && this.selectedId) {
      const selected = this.store.get(this.selectedId);
      if (selected) this.removeMeasurement(selected);
      event.preventDefault();
      return;
    }
    const tool = TOOLS.find((t) => TOOL_SHORTCUTS[t] === key);
    if (tool) {
      this.tool = tool;
      event.preventDefault();
    }
  }

  /**
   * Where a measurement is, as a radiologist cites it: the image's Instance Number (`#8`, the
   * number a report quotes), then its position in the stack as the viewer counts it (`Im 23/30`:
   * position order, which runs the other way on some scanners).
   */
  private sliceLabel(measurement: Measurement): string {
    const series = this.series();
    const index = series?.instances.findIndex((i) => i.sopInstanceUid === measurement.sopInstanceUid) ?? -1;
    if (index < 0) return '';
    const position = messagesFor(this.locale).tools.position(String(index + 1), String(series!.instances.length));
    const number = series!.instances[index]!.instanceNumber;
    return typeof number === 'number' && Number.isFinite(number) ? `#${number}, ${position}` : position;
  }

  protected override render() {
    const t = messagesFor(this.locale);
    return html`<div part="base" lang=${ifDefined(normalizeLocale(this.locale))}>
      <div part="toolbar" role="toolbar" aria-label=${t.tools.toolbar}>
        ${TOOLS.map(
          (tool) =>
            html`<button
              part=${this.tool === tool ? 'tool active' : 'tool'}
              data-tool=${tool}
              ?data-active=${this.tool === tool}
              aria-pressed=${String(this.tool === tool)}
              aria-label=${t.tool[tool]}
              title=${`${t.tool[tool]} (${TOOL_SHORTCUTS[tool]})`}
              @click=${() => (this.tool = tool)}
            >
              <svg viewBox="0 0 20 20" aria-hidden="true">${TOOL_ICONS[tool]}</svg>
            </button>`,
        )}
        <button
          part="action undo"
          aria-label=${t.tools.undo}
          title=${t.tools.undoTitle}
          ?disabled=${!this.store.canUndo}
          @click=${() => this.undo()}
        >
          ↶
        </button>
        <button
          part="action redo"
          aria-label=${t.tools.redo}
          title=${t.tools.redoTitle}
          ?disabled=${!this.store.canRedo}
          @click=${() => this.redo()}
        >
          ↷
        </button>
      </div>
      ${this.renderList()}
    </div>`;
  }

  private renderList() {
    const t = messagesFor(this.locale);
    const shown = this.items.filter((m) => this.onScreen(m));
    if (!shown.length) {
      const elsewhere = this.items.length;
      return html`<p part="empty">
        ${elsewhere ? t.tools.emptyHere(elsewhere, formatNumber(elsewhere, this.locale, 0)) : t.tools.empty}
      </p>`;
    }
    return html`<ul part="list" aria-label=${t.tools.list}>
      ${repeat(
        shown,
        (m) => m.id,
        (m) => this.renderItem(m),
      )}
    </ul>`;
  }

  private renderItem(m: Measurement) {
    const t = messagesFor(this.locale);
    const locked = this.store.isLocked(m.id);
    const name = m.label || t.kind[m.kind];
    const editing = this.editing?.id === m.id ? this.editing.field : null;
    const main = editing
      ? html`<input
          part="field"
          type="text"
          aria-label=${editing === 'label' ? t.tools.labelOf(name) : t.tools.textOf(name)}
          .value=${(editing === 'label' ? m.label : m.text) ?? ''}
          @keydown=${(event: KeyboardEvent) => this.onFieldKeyDown(event)}
          @blur=${(event: FocusEvent) => this.commitEditing(event.currentTarget as HTMLInputElement)}
        />`
      : html`<button
          class="jump"
          part=${m.id === this.selectedId ? 'item-button selected' : 'item-button'}
          ?data-selected=${m.id === this.selectedId}
          @click=${() => this.select(m)}
          @dblclick=${() => this.startEditing(m, 'label')}
          @keydown=${(event: KeyboardEvent) => {
            if (event.key === 'F2') {
              event.preventDefault();
              this.startEditing(m, 'label');
            }
          }}
        >
          <span class="name ${locked ? 'locked' : ''}">${name}${locked ? ` (${t.tools.locked})` : ''}</span>
          <span class="values"
            >${[describeValues(m.values, { kind: m.kind, locale: this.locale }), m.text ? `“${m.text}”` : ''].filter(Boolean).join(' · ')}</span
          >
          <span class="where">${this.sliceLabel(m)}</span>
        </button>`;
    return html`<li part="item" aria-current=${String(m.id === this.selectedId)} data-id=${m.id}>
      ${main}
      ${
        locked
          ? nothing
          : html`<span class="actions">
              <button
                part="item-action rename"
                data-edit="label"
                aria-label=${t.tools.renameOf(name)}
                title=${t.tools.renameTitle}
                @click=${() => this.startEditing(m, 'label')}
              >
                ✎
              </button>
              ${
                TEXT_KINDS.includes(m.kind)
                  ? html`<button
                      part="item-action edit-text"
                      data-edit="text"
                      aria-label=${t.tools.editTextOf(name)}
                      title=${t.tools.editTextTitle}
                      @click=${() => this.startEditing(m, 'text')}
                    >
                      T
                    </button>`
                  : nothing
              }
              <button
                part="item-action delete"
                aria-label=${t.tools.deleteOf(name)}
                title=${t.tools.deleteTitle}
                @click=${() => this.removeMeasurement(m)}
              >
                ✕
              </button>
            </span>`
      }
    </li>`;
  }
}
