import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  CATEGORY_LABELS,
  FINDING_CATEGORIES,
  RADPEER_DESCRIPTIONS,
  VERDICT_LABELS,
  FINDING_SEVERITIES,
  formatFindingSize,
  formatNumber,
  normalizeLocale,
  parseSecondOpinion,
  RADPEER_SCORES,
  renderReportHtml,
  toViewerError,
  SecondOpinionModel,
  VERDICTS,
  type ErrorCode,
  type Finding,
  type FindingCategory,
  type FindingPair,
  type FindingSeverity,
  type KeyImage,
  type Reader,
  type Reading,
  type ReadingRole,
  type SecondOpinion,
  type Verdict,
} from '@secondread/core';
import { ViewerErrorEvent } from '@secondread/ct-viewer';
import type { exportFhirBundle, FhirExportOptions, SecondOpinionSrExportOptions } from '@secondread/standards';
import { OWN_LAYER, type MeasurementTools } from '@secondread/measurement-tools';
import { draftStore } from './draft-store.js';
import { FindingSelectEvent, ReportChangeEvent, ReportStoreEvent, ReportSubmitEvent } from './events.js';
import {
  DocumentUrlController,
  isDocumentReading,
  renderFirstReport,
  type FirstReadingDocument,
} from './first-reading-document.js';
import { FirstReadingLayer } from './first-reading-layer.js';
import { opinionReportStyles } from './opinion-report.styles.js';
import { loadFirstReading, pacsTarget, storeFailureMessage, storeOpinionSr } from './pacs.js';
import { ViewerBindingController } from './viewer-binding.js';

/** The verdicts a matched pair can take (an unmatched finding's verdict follows from its side). */
const MATCHED_VERDICTS: readonly Verdict[] = VERDICTS.filter((v) => v === 'agree' || v === 'disagree');

/** A FHIR R4 Bundle, as `@secondread/standards` builds it. */
type FhirBundle = ReturnType<typeof exportFhirBundle>;

/** The first reading's colour in the viewers. */
const FIRST_COLOR = '#ffb454';

type SaveState = 'idle' | 'saving' | 'saved' | 'failed';

/**
 * The second opinion: the first and the second reading side by side, their findings matched,
 * the size differences, the second reader's verdicts and ACR RADPEER score, impression and
 * recommendations. The data lives in a framework-free {@link SecondOpinionModel}; every edit is
 * validated, autosaved in IndexedDB (restored after a reload or a crash) and announced as
 * `ct-report-change`; Submit sends the whole structured second opinion once as
 * `ct-report-submit`. Events carry no patient identity.
 *
 * Bind it to the viewers with `for="first-viewer second-viewer"`: the first reading is drawn
 * locked in the first viewer (and, with `overlay-first`, in the second too); the second reader's
 * findings come from the `<measurement-tools>` bound to the second viewer. With one id, both
 * readings share that viewer.
 *
 * @summary First and second reading side by side: matching, verdicts, RADPEER, structured report events.
 *
 * @fires ct-report-change - `{ opinion }` after every edit (the draft, validated).
 * @fires ct-report-submit - `{ opinion }` once, when the second reader submits.
 * @fires ct-finding-select - `{ finding, role }` when a finding is picked; the viewers show it.
 * @fires ct-report-store - `{ studyUid, seriesUid, sopInstanceUid }` when the PACS confirmed the submitted opinion's DICOM SR.
 * @fires ct-error - `{ code, message, fatal }`: `invalid-report` (bad input, or not ready to submit), `storage` (draft not saved), or a DICOMweb code (`network`, `http-status`, `unauthorized`…) when storing or loading an SR failed, `store-unavailable` when the server has no STOW-RS (a static DICOMweb tree).
 *
 * @csspart base - The whole report.
 * @csspart header - Title, reader and save status.
 * @csspart status - The save / submit status text.
 * @csspart first-report - The first reader's own report (text or PDF first readings): impression, recommendations, PDF.
 * @csspart first-document - The sandboxed frame showing the first reader's PDF.
 * @csspart blinded - The notice shown while the first reading is hidden.
 * @csspart table - The concordance table.
 * @csspart row - One pair of findings.
 * @csspart finding - A finding (button that shows it in the viewers).
 * @csspart verdict - The verdict picker of a pair.
 * @csspart radpeer - The RADPEER score group.
 * @csspart text - Impression, recommendations and comment fields.
 * @csspart submit - The submit button.
 * @csspart error - The message shown when input is refused.
 *
 * @cssprop [--ct-panel-background=rgba(16,22,28,.96)] - Background.
 * @cssprop [--ct-viewer-overlay-color=#e8eef2] - Text colour.
 * @cssprop [--ct-accent-color=#4fb3ff] - Accent (second reader, focus, primary button).
 * @cssprop [--ct-first-reader-color=#ffb454] - Colour of the first reading.
 * @cssprop [--ct-danger-color=#ff6b6b] - Errors and discrepancies.
 * @cssprop [--ct-muted-color=#93a4b3] - Secondary text.
 * @cssprop [--ct-font-family=system-ui] - Font.
 * @cssprop [--ct-radius=6px] - Corner radius.
 */
export class OpinionReport extends LitElement {
  static override styles = opinionReportStyles;

  /** Ids of the viewers: the first reader's, then the second reader's (one id: both on one viewer). */
  @property() for?: string;

  /** StudyInstanceUID of the study read (taken from the first reading or a viewer when absent). */
  @property({ attribute: 'study-uid' }) studyUid?: string;

  /** The second reader's display name (a radiologist, never the patient). */
  @property({ attribute: 'reader-name' }) readerName = '';

  /** The second reader's identifier in the host's system. */
  @property({ attribute: 'reader-id' }) readerId?: string;

  /** The second reader's institution. */
  @property() institution?: string;

  /** Start blinded: the first reading stays hidden until the reader reveals it (the order is recorded). */
  @property({ type: Boolean, reflect: true }) blinded = false;

  /** Also draw the first reading in the second reader's viewer. */
  @property({ type: Boolean, attribute: 'overlay-first' }) overlayFirst = false;

  /** IndexedDB key of the draft; by default derived from the study and the reader. */
  @property({ attribute: 'autosave-key' }) autosaveKey?: string;

  /** Do not keep drafts in IndexedDB (the host autosaves from `ct-report-change`). */
  @property({ type: Boolean, attribute: 'no-autosave' }) noAutosave = false;

  /** Category a new measurement's finding gets until the reader changes it (e.g. `nodule` for chest CT). */
  @property({ attribute: 'default-category' }) defaultCategory: FindingCategory = 'other';

  /**
   * DICOMweb root of the portal's PACS. With it, a submitted opinion is stored there as a DICOM SR
   * (TID 1500, STOW-RS; `ct-report-store` once the server confirmed), and `first-from-pacs` finds
   * the first reading among the study's reports (QIDO-RS, modality SR and DOC).
   */
  @property({ attribute: 'dicomweb-root' }) dicomwebRoot?: string;

  /** HTTP headers for the PACS (e.g. Authorization); never put in URLs. */
  @property({ attribute: false }) headers?: Readonly<Record<string, string>>;

  /**
   * Options for the DICOM SR stored on submit (`exportSecondOpinionSr` of `@secondread/standards`).
   * Patient and study identity go into the SR only when the host sets `allowPatientIdentity` and
   * gives them here; by default the SR is de-identified.
   */
  @property({ attribute: false }) srExportOptions?: SecondOpinionSrExportOptions;

  /**
   * Without a `first` reading, load the study's first reading from `dicomweb-root`: its TID 1500
   * SR, else its newest text report (TID 2000 SR), else its newest Encapsulated PDF.
   */
  @property({ type: Boolean, attribute: 'first-from-pacs' }) firstFromPacs = false;

  /** Locale of dates and numbers (BCP 47; `de_DE` is read as `de-DE`, an invalid tag as the browser's, with one warning); the browser's by default. */
  @property() locale?: string;

  /** The first reading (read-only here). */
  @property({ attribute: false }) first?: Reading;

  /**
   * The first reader's report document, for a first reading read from an Encapsulated PDF
   * (`importFirstReading(bytes).document` of `@secondread/standards`; `first-from-pacs` sets it):
   * shown in a sandboxed frame, without script. Never part of the opinion or its events.
   */
  @property({ attribute: false }) firstDocument?: FirstReadingDocument;

  private readonly documentUrls = new DocumentUrlController(this);

  @state() private snapshot: SecondOpinion | null = null;
  @state() private saveState: SaveState = 'idle';
  @state() private savedAt: string | null = null;
  @state() private errorMessage: string | null = null;
  @state() private selectedFindingId: string | null = null;
  @state() private storeState: 'idle' | 'storing' | 'stored' | 'failed' = 'idle';
  @state() private storedSopInstanceUid: string | null = null;

  private modelInstance: SecondOpinionModel | null = null;
  private creating: Promise<void> | null = null;
  private readonly binding = new ViewerBindingController(this, {
    bound: () => {
      this.pushOwnMeasurements();
      void this.showFirstReading();
      this.requestUpdate();
    },
    seriesLoad: () => {
      if (!this.modelInstance && !this.creating) this.requestUpdate();
      void this.showFirstReading();
    },
    measurements: (tools) => this.onOwnMeasurements(tools),
  });
  private saveQueue: Promise<void> = Promise.resolve();
  private submitDispatched = false;
  private pushingMeasurements = false;

  /** The model behind the report (null until the study is known). */
  get model(): SecondOpinionModel | null {
    return this.modelInstance;
  }

  /** The current second opinion (the draft, or the submitted one), or null before the study is known. */
  get opinion(): SecondOpinion | null {
    return this.snapshot;
  }

  /** Loads a second opinion (e.g. a draft the host kept); invalid input is refused with `ct-error`. */
  set opinion(value: SecondOpinion | null) {
    if (!value) return;
    try {
      this.adopt(SecondOpinionModel.fromJSON(value), false);
    } catch (error) {
      this.refuse(error);
    }
  }

  /** All readings: setting it takes the `first` one (others are kept in the opinion as they are). */
  get readings(): readonly Reading[] {
    return this.snapshot?.readings ?? (this.first ? [this.first] : []);
  }

  set readings(list: readonly Reading[]) {
    const first = list.find((r) => r.role === 'first');
    if (first) this.first = first;
  }

  /** Resolves once the model exists and any saved draft was restored. */
  get ready(): Promise<void> {
    return this.updateComplete.then(() => this.creating ?? undefined);
  }

  /** Reveals the first reading (blinded mode); the time is recorded in the opinion. */
  unblind(): void {
    this.run(() => this.modelInstance?.unblind());
  }

  /**
   * Submits the second opinion: validated, `ct-report-submit` fired once. Returns the submitted
   * opinion, or null (with `ct-error` and a visible message) when it cannot be submitted yet.
   */
  submit(): SecondOpinion | null {
    const model = this.modelInstance;
    if (!model) return null;
    let submitted: SecondOpinion;
    try {
      submitted = parseSecondOpinion(model.submit());
    } catch (error) {
      this.refuse(error);
      return null;
    }
    this.errorMessage = null;
    if (!this.submitDispatched) {
      this.submitDispatched = true;
      this.dispatchEvent(new ReportSubmitEvent({ opinion: submitted }));
      this.save();
    }
    if (this.dicomwebRoot && (this.storeState === 'idle' || this.storeState === 'failed')) {
      void this.storeInPacs();
    }
    return submitted;
  }

  /**
   * Stores the submitted opinion on the PACS as a DICOM SR (it references the first reading's SR
   * when that came from one). Resolves with the SR's SOP Instance UID, or null on failure (with
   * `ct-error` and a visible message; the draft stays in IndexedDB, and Submit retries).
   */
  async storeInPacs(): Promise<string | null> {
    const model = this.modelInstance;
    const root = this.dicomwebRoot;
    if (!model?.submitted || !root) return null;
    if (this.storeState === 'stored' && this.storedSopInstanceUid) return this.storedSopInstanceUid;
    this.storeState = 'storing';
    try {
      const stored = await storeOpinionSr(pacsTarget(root, this.headers), model.opinion, this.srExportOptions ?? {});
      this.storeState = 'stored';
      this.storedSopInstanceUid = stored.sopInstanceUid;
      this.errorMessage = null;
      this.save();
      this.dispatchEvent(new ReportStoreEvent(stored));
      return stored.sopInstanceUid;
    } catch (error) {
      this.storeState = 'failed';
      const failure = toViewerError(error);
      this.errorMessage = storeFailureMessage(failure);
      this.dispatchEvent(new ViewerErrorEvent({ code: failure.code, message: failure.message, fatal: false }));
      return null;
    }
  }

  /**
   * The printable report of the current opinion: a standalone HTML document (print stylesheet, A4)
   * with both readings, the concordance, RADPEER, impression, recommendations and key images, dates
   * and numbers in {@link locale}. Store it, print it, or turn it into a PDF.
   */
  printableReport(options: { title?: string; brand?: string; timeZone?: string } = {}): string | null {
    const opinion = this.snapshot;
    if (!opinion) return null;
    return renderReportHtml(opinion, { ...options, ...(this.locale ? { locale: this.locale } : {}) });
  }

  /**
   * The opinion as a FHIR R4 Bundle (DiagnosticReport, Practitioner, one Observation per finding
   * and measurement) with the printable report as `presentedForm`. `subject` only when the host
   * passes one.
   */
  async fhirBundle(options: FhirExportOptions = {}): Promise<FhirBundle | null> {
    const opinion = this.snapshot;
    const html = this.printableReport();
    if (!opinion || html === null) return null;
    const standards = await import('@secondread/standards');
    const bytes = new TextEncoder().encode(html);
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return standards.exportFhirBundle(opinion, {
      presentedForm: { contentType: 'text/html; charset=utf-8', data: btoa(binary), title: 'CT second opinion' },
      ...options,
    });
  }

  private openPrintable(): void {
    const html = this.printableReport();
    if (html === null) return;
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    window.open(url, '_blank', 'noopener');
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  /**
   * Finds the study's first reading among its reports on `dicomweb-root` (QIDO-RS, modality SR
   * and DOC: a TID 1500 SR preferred, else the newest text report, else the newest PDF, which
   * becomes {@link firstDocument}), imports it and shows it as {@link first}. Resolves with it, or
   * null when there is none.
   */
  async loadFirstReadingFromPacs(): Promise<Reading | null> {
    const root = this.dicomwebRoot;
    const studyUid = this.studyUidKnown();
    if (!root || !studyUid) return null;
    try {
      const found = await loadFirstReading(pacsTarget(root, this.headers), studyUid);
      if (!found) return null;
      this.firstDocument = found.document;
      this.first = found.reading;
      return found.reading;
    } catch (error) {
      const failure = toViewerError(error);
      this.errorMessage = `The first reading could not be loaded from the image server: ${failure.message}`;
      this.dispatchEvent(new ViewerErrorEvent({ code: failure.code, message: failure.message, fatal: false }));
      return null;
    }
  }

  /** Forgets the saved draft (e.g. after the host stored the submitted opinion). */
  async clearDraft(): Promise<void> {
    await this.saveQueue;
    await draftStore.delete(this.draftKey());
    this.saveState = 'idle';
    this.savedAt = null;
  }

  /** Shows a finding of either reading in the viewers and selects it here. */
  showFinding(findingId: string): boolean {
    const found = this.findFinding(findingId);
    if (!found) return false;
    this.selectedFindingId = findingId;
    const target =
      found.finding.location.measurements[0]?.sopInstanceUid ?? found.finding.location.images[0]?.sopInstanceUid;
    if (target) for (const viewer of this.binding.viewers()) viewer?.showInstance(target);
    this.dispatchEvent(new FindingSelectEvent({ finding: found.finding, role: found.role }));
    return true;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another study: its own opinion and draft (the previous one stays saved under its key).
    const studyUid = this.studyUidKnown();
    if (this.modelInstance && studyUid && this.modelInstance.opinion.studyUid !== studyUid) this.resetModel();
    if (changed.has('first') && this.first && this.modelInstance) {
      const first = this.first;
      if (first.studyUid !== this.modelInstance.opinion.studyUid) {
        this.refuse(new Error(`The first reading is of study ${first.studyUid}, not of the study read here.`));
      } else if (this.modelInstance.first?.id !== first.id || this.modelInstance.first !== first) {
        this.run(() => this.modelInstance?.setFirstReading(first));
      }
    }
    if (!this.modelInstance && !this.creating && this.studyUidKnown()) this.creating = this.createModel();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('for') && changed.get('for') !== undefined) this.binding.rebind();
    if (changed.has('overlayFirst') || (changed as Map<string, unknown>).has('snapshot')) void this.showFirstReading();
  }

  private studyUidKnown(): string | undefined {
    return (
      this.studyUid ?? this.first?.studyUid ?? this.binding.viewers().find((v) => v?.seriesModel)?.seriesModel?.studyUid
    );
  }

  private reader(): Reader {
    return {
      name: this.readerName || 'Second reader',
      ...(this.readerId ? { id: this.readerId } : {}),
      ...(this.institution ? { institution: this.institution } : {}),
    };
  }

  private draftKey(): string {
    return this.autosaveKey ?? `secondread:${this.studyUidKnown() ?? ''}:${this.readerId ?? this.readerName}`;
  }

  /** Restores the draft kept for this study and reader, or starts a new opinion. */
  private async createModel(): Promise<void> {
    const generation = this.generation;
    const studyUid = this.studyUidKnown()!;
    let restored: SecondOpinionModel | null = null;
    if (!this.noAutosave) {
      try {
        const draft = await draftStore.get(this.draftKey());
        if (draft) {
          restored = SecondOpinionModel.fromJSON(draft.opinion);
          this.submitDispatched = draft.submitDispatched;
          if (draft.storedSopInstanceUid) {
            this.storedSopInstanceUid = draft.storedSopInstanceUid;
            this.storeState = 'stored';
          }
          this.savedAt = draft.savedAt;
          this.saveState = 'saved';
        }
      } catch (error) {
        this.report('storage', `The saved draft could not be read: ${(error as Error).message}`);
      }
    }
    // The host loaded an opinion, or switched study, meanwhile.
    if (this.modelInstance || generation !== this.generation) return;
    // A first reading of another study (e.g. set while switching studies) is not this study's.
    const first = this.first?.studyUid === studyUid ? this.first : undefined;
    const model =
      restored ??
      new SecondOpinionModel({
        studyUid,
        reader: this.reader(),
        blinded: this.blinded,
        ...(first ? { first } : {}),
      });
    if (restored && first && restored.first?.id !== first.id) this.run(() => restored.setFirstReading(first));
    this.adopt(model, !restored);
    if (this.firstFromPacs && !this.first && !model.first) await this.loadFirstReadingFromPacs();
  }

  private generation = 0;

  private resetModel(): void {
    this.generation++;
    for (const off of this.modelSubscriptions.splice(0)) off();
    this.modelInstance = null;
    this.creating = null;
    this.snapshot = null;
    this.submitDispatched = false;
    this.storeState = 'idle';
    this.storedSopInstanceUid = null;
    this.saveState = 'idle';
    this.savedAt = null;
    this.errorMessage = null;
    this.selectedFindingId = null;
  }

  private adopt(model: SecondOpinionModel, fresh: boolean): void {
    for (const off of this.modelSubscriptions.splice(0)) off();
    this.modelInstance = model;
    this.snapshot = model.opinion;
    this.blinded = model.blinded;
    this.modelSubscriptions.push(model.subscribe((opinion) => this.onModelChange(opinion)));
    this.pushOwnMeasurements();
    if (!fresh) this.announce(model.opinion);
  }

  private readonly modelSubscriptions: (() => void)[] = [];

  private onModelChange(opinion: SecondOpinion): void {
    this.snapshot = opinion;
    this.blinded = this.modelInstance?.blinded ?? false;
    this.announce(opinion);
    this.save();
  }

  /** Validates the opinion and tells the host. */
  private announce(opinion: SecondOpinion): void {
    let valid: SecondOpinion;
    try {
      valid = parseSecondOpinion(opinion);
    } catch (error) {
      this.refuse(error);
      return;
    }
    this.dispatchEvent(new ReportChangeEvent({ opinion: valid }));
  }

  /** Writes the draft (in order: the last edit wins). */
  private save(): void {
    if (this.noAutosave || !this.modelInstance) return;
    const opinion = this.modelInstance.opinion;
    const record = {
      key: this.draftKey(),
      opinion,
      savedAt: new Date().toISOString(),
      submitDispatched: this.submitDispatched,
      ...(this.storedSopInstanceUid ? { storedSopInstanceUid: this.storedSopInstanceUid } : {}),
    };
    this.saveState = 'saving';
    this.saveQueue = this.saveQueue
      .then(() => draftStore.put(record))
      .then(
        () => {
          this.saveState = 'saved';
          this.savedAt = record.savedAt;
        },
        (error: unknown) => {
          this.saveState = 'failed';
          this.report('storage', `The draft could not be saved in this browser: ${(error as Error).message}`);
        },
      );
  }

  /** Resolves when every edit so far is in IndexedDB. */
  get saved(): Promise<void> {
    return this.saveQueue;
  }

  private run(action: () => void): void {
    try {
      action();
      this.errorMessage = null;
    } catch (error) {
      this.refuse(error);
    }
  }

  private refuse(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.errorMessage = message;
    this.report('invalid-report', message);
  }

  private report(code: ErrorCode, message: string): void {
    this.dispatchEvent(new ViewerErrorEvent({ code, message, fatal: false }));
  }

  /** The reader drew, moved or deleted a measurement: the second reading follows. */
  private onOwnMeasurements(tools: MeasurementTools): void {
    if (this.pushingMeasurements || !this.modelInstance) return;
    const studyUid = this.modelInstance.opinion.studyUid;
    const own = tools.store.list({ layer: OWN_LAYER }).filter((m) => m.studyUid === studyUid);
    const category = (FINDING_CATEGORIES as readonly string[]).includes(this.defaultCategory)
      ? this.defaultCategory
      : 'other';
    this.run(() => this.modelInstance?.syncMeasurements(own, { category }));
  }

  /** Puts the second reading's measurements (e.g. from a restored draft) into the reader's toolbar. */
  private pushOwnMeasurements(): void {
    const model = this.modelInstance;
    const tools = this.binding.toolsOf(this.binding.viewers()[1]);
    if (!model || !tools) return;
    const mine = model.second.findings.flatMap((f) => f.location.measurements);
    const present = tools.store.list({ layer: OWN_LAYER });
    const missing = mine.filter((m) => !present.some((p) => p.id === m.id));
    if (missing.length === 0) {
      if (present.length > 0) this.onOwnMeasurements(tools);
      return;
    }
    this.pushingMeasurements = true;
    try {
      tools.measurements = [...present, ...missing];
    } finally {
      this.pushingMeasurements = false;
    }
    this.onOwnMeasurements(tools);
  }

  private readonly firstLayer = new FirstReadingLayer();

  /** Draws the first reading, locked, where it belongs (never while blinded). */
  private async showFirstReading(): Promise<void> {
    await this.firstLayer.show({
      model: this.modelInstance,
      viewers: this.binding.viewers(),
      overlayFirst: this.overlayFirst,
      toolsOf: (viewer) => this.binding.toolsOf(viewer),
      color: FIRST_COLOR,
    });
  }

  // ---- Rendering ----

  private findFinding(id: string): { finding: Finding; role: ReadingRole } | null {
    for (const reading of this.snapshot?.readings ?? []) {
      if (reading.role === 'first' && this.modelInstance?.blinded) continue;
      const finding = reading.findings.find((f) => f.id === id);
      if (finding) return { finding, role: reading.role };
    }
    return null;
  }

  private number(value: number, digits = 1): string {
    return formatNumber(value, this.locale, digits);
  }

  private time(iso: string): string {
    return new Intl.DateTimeFormat(normalizeLocale(this.locale), { dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(iso),
    );
  }

  override render(): TemplateResult {
    const opinion = this.snapshot;
    const model = this.modelInstance;
    if (!opinion || !model) {
      return html`<div part="base" class="pending">
        ${
          this.errorMessage
            ? html`<p part="error" role="alert">${this.errorMessage}</p>`
            : html`<p>Waiting for the study…</p>`
        }
      </div>`;
    }
    const submitted = model.submitted;
    return html`<section part="base" aria-label="Second opinion">
      <header part="header">
        <h2>Second opinion</h2>
        <span class="reader">${model.second.reader.name}</span>
        <span part="status" role="status">${this.statusText(submitted)}</span>
      </header>
      ${
        model.blinded
          ? html`<div part="blinded" class="blinded">
              <p>Blinded read: the first reading is hidden until you reveal it. Make your own reading first.</p>
              <button type="button" @click=${() => this.unblind()} ?disabled=${!model.first}>
                Reveal first reading
              </button>
            </div>`
          : nothing
      }
      ${this.renderTable(opinion)}
      ${model.blinded ? nothing : renderFirstReport(model.first, this.firstDocument, this.documentUrls)}
      ${this.renderTexts()} ${model.blinded ? nothing : this.renderScore(opinion)}
      ${this.errorMessage ? html`<p part="error" role="alert">${this.errorMessage}</p>` : nothing}
      <footer>
        <button type="button" class="secondary" @click=${() => this.openPrintable()}>Printable report</button>
        <button part="submit" type="button" class="primary" @click=${() => this.submit()}>
          ${submitted ? 'Submitted' : 'Submit second opinion'}
        </button>
      </footer>
    </section>`;
  }

  private statusText(submitted: boolean): string {
    if (submitted && this.snapshot?.submittedAt) {
      const when = `Submitted ${this.time(this.snapshot.submittedAt)}`;
      if (this.storeState === 'storing') return `${when} · storing in PACS…`;
      if (this.storeState === 'stored') return `${when} · stored in PACS`;
      if (this.storeState === 'failed') return `${when} · NOT stored in PACS`;
      return when;
    }
    if (this.noAutosave) return 'Draft';
    switch (this.saveState) {
      case 'saving':
        return 'Saving draft…';
      case 'saved':
        return this.savedAt ? `Draft saved ${this.time(this.savedAt)}` : 'Draft saved';
      case 'failed':
        return 'Draft NOT saved in this browser';
      case 'idle':
        return 'Draft';
    }
  }

  private renderTable(opinion: SecondOpinion): TemplateResult {
    const model = this.modelInstance!;
    const blinded = model.blinded;
    const first = model.first;
    const second = model.second;
    const rows = blinded
      ? second.findings.map((finding) => this.renderBlindedRow(finding))
      : opinion.concordance.pairs.map((pair, index) => this.renderPair(pair, index, first, second));
    return html`<section part="table" aria-labelledby="findings-title">
      <h3 id="findings-title">${blinded ? 'Your findings' : 'Findings: first and second reading'}</h3>
      ${
        blinded
          ? nothing
          : html`<div class="columns" aria-hidden="true">
              <span class="first">First · ${first?.reader.name ?? 'no first reading'}</span>
              <span class="second">Second · ${second.reader.name}</span>
            </div>`
      }
      ${
        rows.length
          ? html`<ol class="pairs">
              ${rows}
            </ol>`
          : html`<p class="empty">
              No findings yet. Measure on the images with the tools; each measurement becomes a finding.
            </p>`
      }
    </section>`;
  }

  private renderBlindedRow(finding: Finding): TemplateResult {
    return html`<li part="row" class="pair blinded-row">
      <div class="cell second">${this.renderOwnFinding(finding)}</div>
    </li>`;
  }

  private renderPair(pair: FindingPair, index: number, first: Reading | undefined, second: Reading): TemplateResult {
    const a = pair.firstFindingId ? first?.findings.find((f) => f.id === pair.firstFindingId) : undefined;
    const b = pair.secondFindingId ? second.findings.find((f) => f.id === pair.secondFindingId) : undefined;
    const key = (pair.secondFindingId ?? pair.firstFindingId)!;
    const unmatchedSecond = second.findings.filter(
      (f) => !this.snapshot!.concordance.pairs.some((p) => p.secondFindingId === f.id && p.firstFindingId),
    );
    const signed = (value: number, digits: number): string => `${value > 0 ? '+' : ''}${this.number(value, digits)}`;
    const facts: string[] = [];
    if (pair.method !== 'unmatched') facts.push(`matched by ${pair.method}`);
    if (pair.distanceMm !== undefined) facts.push(`${this.number(pair.distanceMm)} mm apart`);
    if (pair.overlap !== undefined) facts.push(`Dice ${this.number(pair.overlap, 2)}`);
    if (pair.sizeDeltaMm !== undefined) {
      facts.push(
        `Δ size ${signed(pair.sizeDeltaMm, 1)} mm${pair.sizeDeltaPercent !== undefined ? ` (${signed(pair.sizeDeltaPercent, 0)} %)` : ''}`,
      );
    }
    return html`<li part="row" class=${`pair verdict-${pair.verdict}`} aria-label=${`Finding pair ${index + 1}`}>
      <div class="cell first">
        ${
          a
            ? html`${this.renderFindingButton(a, 'first')}
              ${
                !b && unmatchedSecond.length
                  ? html`<label class="pair-with"
                      >Pair with
                      <select
                        @change=${(e: Event) => {
                          const id = (e.target as HTMLSelectElement).value;
                          if (id) this.run(() => this.modelInstance?.pair(a.id, id));
                        }}
                      >
                        <option value="">—</option>
                        ${unmatchedSecond.map(
                          (f) => html`<option value=${f.id}>${f.description || CATEGORY_LABELS[f.category]}</option>`,
                        )}
                      </select></label
                    >`
                  : nothing
              }`
            : html`<span class="none">not reported</span>`
        }
      </div>
      <div class="cell second">${b ? this.renderOwnFinding(b) : html`<span class="none">not reported</span>`}</div>
      <div class="meta">
        <span class="facts"
          >${facts.length ? facts.join(' · ') : 'no counterpart'}${
            pair.comment ? html`<br /><q class="comment">${pair.comment}</q>` : nothing
          }</span
        >
        ${
          a && b
            ? html`<button type="button" class="link" @click=${() => this.run(() => this.modelInstance?.unpair(b.id))}>
                Unpair
              </button>`
            : nothing
        }
        ${
          a && b
            ? html`<select
                part="verdict"
                aria-label="Verdict"
                @change=${(e: Event) =>
                  this.run(() => this.modelInstance?.setVerdict(key, (e.target as HTMLSelectElement).value as Verdict))}
              >
                ${MATCHED_VERDICTS.map(
                  (v) => html`<option value=${v} ?selected=${v === pair.verdict}>${VERDICT_LABELS[v]}</option>`,
                )}
              </select>`
            : html`<span part="verdict" class="verdict">${VERDICT_LABELS[pair.verdict]}</span>`
        }
        ${pair.confirmed ? html`<span class="confirmed" title="Confirmed by the second reader">✓</span>` : nothing}
      </div>
    </li>`;
  }

  /** "slice 39/60" for the image a finding is on, when a bound viewer shows that series. */
  private sliceOf(finding: Finding): string | null {
    const sop = finding.location.measurements[0]?.sopInstanceUid ?? finding.location.images[0]?.sopInstanceUid;
    if (!sop) return null;
    for (const viewer of this.binding.viewers()) {
      const instances = viewer?.seriesModel?.instances;
      const index = instances?.findIndex((i) => i.sopInstanceUid === sop) ?? -1;
      if (instances && index >= 0) return `slice ${index + 1}/${instances.length}`;
    }
    return null;
  }

  private renderFindingButton(finding: Finding, role: ReadingRole): TemplateResult {
    const size = formatFindingSize(finding, this.locale);
    const facts: string[] = [];
    if (size !== undefined) facts.push(size);
    const segment = finding.location.segment;
    if (segment?.volumeMm3 !== undefined) facts.push(`${this.number(segment.volumeMm3 / 1000, 2)} cm³ (SEG)`);
    const slice = this.sliceOf(finding);
    if (slice) facts.push(slice);
    if (finding.severity) facts.push(finding.severity);
    return html`<button
      part="finding"
      type="button"
      class=${`finding ${role}${this.selectedFindingId === finding.id ? ' selected' : ''}`}
      aria-pressed=${this.selectedFindingId === finding.id ? 'true' : 'false'}
      @click=${() => this.showFinding(finding.id)}
    >
      <span class="category">${CATEGORY_LABELS[finding.category]}</span>
      ${finding.description ? html`<span class="description">${finding.description}</span>` : nothing}
      ${
        role === 'first' && finding.text && finding.text !== finding.description && isDocumentReading(this.first)
          ? html`<span class="text">${finding.text}</span>`
          : nothing
      }
      ${facts.length ? html`<span class="values">${facts.join(' · ')}</span>` : nothing}
    </button>`;
  }

  private renderOwnFinding(finding: Finding): TemplateResult {
    const update = (patch: Partial<Omit<Finding, 'id'>>): void =>
      this.run(() => this.modelInstance?.updateFinding(finding.id, patch));
    return html`${this.renderFindingButton(finding, 'second')}
      <div class="edit">
        <select
          aria-label="Category"
          @change=${(e: Event) => update({ category: (e.target as HTMLSelectElement).value as FindingCategory })}
        >
          ${FINDING_CATEGORIES.map(
            (c) => html`<option value=${c} ?selected=${c === finding.category}>${CATEGORY_LABELS[c]}</option>`,
          )}
        </select>
        <select
          aria-label="Severity"
          @change=${(e: Event) => {
            const value = (e.target as HTMLSelectElement).value;
            update(value ? { severity: value as FindingSeverity } : { severity: undefined });
          }}
        >
          <option value="" ?selected=${!finding.severity}>Severity…</option>
          ${FINDING_SEVERITIES.map((s) => html`<option value=${s} ?selected=${s === finding.severity}>${s}</option>`)}
        </select>
        <input
          aria-label="Description"
          .value=${finding.description}
          @change=${(e: Event) => update({ description: (e.target as HTMLInputElement).value })}
        />
        <button type="button" class="key-image" @click=${() => void this.addKeyImage(finding.id)}>
          Key image${finding.keyImages?.length ? ` (${finding.keyImages.length})` : ''}
        </button>
        ${(finding.keyImages ?? []).map(
          (k) =>
            html`<img
              class="thumb"
              src=${k.dataUrl}
              alt=${`Key image, ${k.caption ?? 'captured'} ${this.time(k.capturedAt)}`}
            />`,
        )}
      </div>`;
  }

  /**
   * Captures the second reader's viewer, annotations included, as a key image of a finding of the
   * second reading. Resolves with false when no image is shown.
   */
  async addKeyImage(findingId: string): Promise<boolean> {
    const viewer = this.binding.viewers()[1];
    const series = viewer?.seriesModel;
    const instance = series?.instances[viewer!.sliceIndex];
    if (!viewer || !series || !instance) return false;
    const blob = await viewer.captureImage();
    const dataUrl = await new Promise<string>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as string);
      reader.onerror = () => reject(reader.error ?? new Error('The key image could not be read.'));
      reader.readAsDataURL(blob);
    });
    const finding = this.modelInstance?.second.findings.find((f) => f.id === findingId);
    if (!finding) return false;
    const keyImage: KeyImage = {
      image: { studyUid: series.studyUid, seriesUid: series.seriesUid, sopInstanceUid: instance.sopInstanceUid },
      dataUrl,
      capturedAt: new Date().toISOString(),
      caption: `slice ${viewer.sliceIndex + 1}/${series.instances.length}`,
    };
    this.run(() =>
      this.modelInstance?.updateFinding(findingId, { keyImages: [...(finding.keyImages ?? []), keyImage] }),
    );
    return true;
  }

  private renderTexts(): TemplateResult {
    const second = this.modelInstance!.second;
    return html`<div class="texts">
      <label
        >Impression
        <textarea
          part="text"
          rows="3"
          .value=${second.impression}
          @input=${(e: Event) => this.run(() => this.modelInstance?.setImpression((e.target as HTMLTextAreaElement).value))}
        ></textarea>
      </label>
      <label
        >Recommendations
        <textarea
          part="text"
          rows="2"
          .value=${second.recommendations}
          @input=${(e: Event) =>
            this.run(() => this.modelInstance?.setRecommendations((e.target as HTMLTextAreaElement).value))}
        ></textarea>
      </label>
    </div>`;
  }

  private renderScore(opinion: SecondOpinion): TemplateResult {
    const score = opinion.concordance.radpeer;
    return html`<fieldset part="radpeer">
        <legend>ACR RADPEER score</legend>
        ${RADPEER_SCORES.map(
          (s) =>
            html`<label class=${`score score-${s[0]}`}>
              <input
                type="radio"
                name="radpeer"
                .value=${s}
                .checked=${s === score}
                @change=${() => this.run(() => this.modelInstance?.setRadpeer(s))}
              />
              <strong>${s}</strong> <span>${RADPEER_DESCRIPTIONS[s]}</span>
            </label>`,
        )}
      </fieldset>
      <label class="comment"
        >Peer-learning comment
        <textarea
          part="text"
          rows="2"
          .value=${opinion.concordance.peerLearningComment ?? ''}
          @input=${(e: Event) =>
            this.run(() => this.modelInstance?.setPeerLearningComment((e.target as HTMLTextAreaElement).value))}
        ></textarea>
      </label>`;
  }
}
