/*
 * Over ~500 lines on purpose: about half of it is the element's documented public API (the class
 * header, 19 properties, the public getters and methods with their JSDoc, from which the Custom
 * Elements Manifest and the README tables are generated). The work is in the modules beside it:
 * viewer-binding, draft-controller, opinion-controller, store-state, pacs, first-reading-layer,
 * own-measurements, viewer-images, concordance-table, finding-view, radpeer-view, report-header.
 */
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import {
  formatNumber,
  messagesFor,
  normalizeLocale,
  READING_ERROR_CODES,
  SecondReadError,
  type Catalogue,
  type ReadingErrorCode,
  acceptValue,
  FINDING_CATEGORIES,
  oneOf,
  parseSecondOpinion,
  renderReportHtml,
  toViewerError,
  SecondOpinionModel,
  summarizeFollowUp,
  type ErrorCode,
  type FollowUpSetup,
  type FollowUpSummary,
  type LungRadsCategory,
  type NoduleDescription,
  type NoduleType,
  type Finding,
  type FindingCategory,
  type Reader,
  type Reading,
  type ReadingRole,
  type SecondOpinion,
} from '@secondread/core';
import { ViewerErrorEvent } from '@secondread/ct-viewer';
import type { FhirExportOptions, SecondOpinionSrExportOptions } from '@secondread/standards';
import type { MeasurementTools } from '@secondread/measurement-tools';
import { DraftController } from './draft-controller.js';
import { FindingSelectEvent, ReportChangeEvent, ReportStoreEvent, ReportSubmitEvent } from './events.js';
import { DocumentUrlController, renderFirstReport, type FirstReadingDocument } from './first-reading-document.js';
import { FirstReadingLayer } from './first-reading-layer.js';
import { OpinionController } from './opinion-controller.js';
import { opinionReportStyles } from './opinion-report.styles.js';
import { fhirBundleWithReport, openInNewTab, type FhirBundle } from './printable.js';
import { loadFirstReading, pacsTarget, storeOpinionSr } from './pacs.js';
import { renderTable } from './concordance-table.js';
import { renderFollowUp } from './followup-view.js';
import { OwnMeasurementsSync } from './own-measurements.js';
import { renderScore, renderTexts } from './radpeer-view.js';
import {
  renderBlindedNotice,
  renderError,
  renderFooter,
  renderHeader,
  statusText,
  type ShownError,
} from './report-header.js';
import type { ReportView } from './report-view.js';
import { StoreStateController } from './store-state.js';
import { ViewerBindingController } from './viewer-binding.js';
import { captureKeyImage, sliceOf } from './viewer-images.js';

/** How long an autosaved draft is kept once the PACS stored the opinion (`draft-retention`). */
const TAG = 'opinion-report';

export const DRAFT_RETENTIONS = ['until-stored', 'keep'] as const;
export type DraftRetention = (typeof DRAFT_RETENTIONS)[number];

/** The first reading's colour in the viewers. */
const FIRST_COLOR = 'var(--ct-first-reader-color, #ffb454)';

/**
 * The second opinion: the first and the second reading side by side, their findings matched,
 * the size differences, the second reader's verdicts and ACR RADPEER score, impression and
 * recommendations. The data lives in a framework-free {@link SecondOpinionModel}; every edit is
 * validated, autosaved in IndexedDB (restored after a reload or a crash) and announced as
 * `ct-report-change`; Submit sends the whole structured second opinion once as
 * `ct-report-submit`. Events carry no patient identity. With `dicomweb-root` the submitted opinion is
 * stored on the PACS; whether it is stored is kept with the draft (a failed or unconfirmed store
 * still reads "NOT stored" after a reload, and Submit retries), and once the PACS confirmed it the
 * draft is removed from the browser unless `draft-retention="keep"`. An edit after that is an
 * amendment, kept as a draft that reads "changed since stored in PACS, NOT stored" (after a reload
 * too) until it is submitted: it is then stored as a new SR naming the earlier one in its
 * Predecessor Documents Sequence. Autosave that cannot happen
 * (IndexedDB blocked or full) and a draft changed meanwhile in another tab are told at once; the
 * other tab's draft is never overwritten.
 *
 * Bind it to the viewers with `for="first-viewer second-viewer"`: the first reading is drawn
 * locked in the first viewer (and, with `overlay-first`, in the second too); the second reader's
 * findings come from the `<measurement-tools>` bound to the second viewer. With one id, both
 * readings share that viewer.
 *
 * @summary First and second reading side by side: matching, verdicts, RADPEER, structured report events.
 *
 * With `followup` set (a prior study's reading and the interval), a follow-up section compares
 * the nodules of each reader's current reading with the prior: growth table (long and short
 * axis, mean diameter, change, VDT, new/resolved), the Lung-RADS v2022 suggestion with the rule
 * that fired (screening) or the Fleischner 2017 recommendation (incidental), the second reader's
 * category (suggestion kept beside it) and the first vs second reader discrepancy, highlighted.
 * @fires ct-report-change - `{ opinion, followup? }` after every edit (the draft, validated; `followup` is the {@link FollowUpSummary} when `followup` is set).
 * @fires ct-report-submit - `{ opinion, followup? }` once per submission, however often Submit is pressed; an opinion edited after it was submitted (an amendment: its second reading `amended`) fires it again when submitted again.
 * @fires ct-finding-select - `{ finding, role }` when a finding is picked; the viewers show it.
 * @fires ct-report-store - `{ studyUid, seriesUid, sopInstanceUid, predecessorSopInstanceUid? }` when the PACS confirmed the submitted opinion's DICOM SR; `predecessorSopInstanceUid` names the earlier SR an amendment supersedes.
 * @fires ct-error - `{ code, message, fatal }`: `invalid-report` (bad input, or not ready to submit), `storage` (draft not saved), or a DICOMweb code (`network`, `http-status`, `unauthorized`…) when storing or loading an SR failed, `store-unavailable` when the server has no STOW-RS (a static DICOMweb tree).
 *
 * @csspart base - The whole report.
 * @csspart header - Title, reader and save status.
 * @csspart status - The save / submit status text.
 * @csspart first-report - The first reader's own report (text or PDF first readings): impression, recommendations, PDF.
 * @csspart first-document - The scrolling panel showing the pages of the first reader's PDF (drawn by pdf.js, no script).
 * @csspart first-document-page - One page of the first reader's PDF: a canvas fitted to the panel's width, with a text layer.
 * @csspart blinded - The notice shown while the first reading is hidden.
 * @csspart table - The concordance table.
 * @csspart row - One pair of findings.
 * @csspart finding - A finding (button that shows it in the viewers); the selected one also has `selected` (`::part(finding selected)`).
 * @csspart selected - Added to the part names of the selected finding.
 * @csspart finding-field - Category, severity and description fields of the second reader's finding.
 * @csspart key-image-button - The button that adds a key image to a finding.
 * @csspart pair-select - The picker that pairs an unmatched first finding with a second one.
 * @csspart unpair-button - The button that unpairs two findings.
 * @csspart reveal-button - The button that reveals the first reading of a blinded read.
 * @csspart print-button - The Printable report button.
 * @csspart verdict - The verdict picker of a pair.
 * @csspart radpeer - The RADPEER score group.
 * @csspart text - Impression, recommendations and comment fields.
 * @csspart followup - The follow-up comparison (prior vs current study).
 * @csspart followup-table - A reader's growth table.
 * @csspart followup-row - One nodule of a growth table.
 * @csspart followup-category - A reader's suggested and final category (or Fleischner recommendation).
 * @csspart followup-discrepancy - The readers' category discrepancy and its management consequence.
 * @csspart submit - The submit button.
 * @csspart error - The message shown when input is refused.
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
 * @cssprop [--ct-first-reader-color=#ffb454] - Colour of the first reading.
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

  /**
   * How long the autosaved draft (texts, key-image PNGs) stays in this browser: `until-stored`
   * (default) removes it once the PACS confirmed the submitted opinion (`ct-report-store`);
   * `keep` keeps it, marked as stored, until {@link clearDraft}.
   */
  @property({ attribute: 'draft-retention' }) draftRetention: DraftRetention = 'until-stored';

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

  /**
   * Language of every label, message, error and RADPEER text of the report and of its printable
   * report, and locale of their dates and numbers: a BCP 47 tag (`de`, `de-DE`, `ru`) or a POSIX
   * one (`de_DE`, `de_DE.UTF-8`, read as `de-DE`). English, German and Russian have catalogues;
   * another language shows English words with that locale's numbers. An invalid tag falls back to
   * the browser's locale, with one warning. Default: the browser's locale (the printable report's
   * default stays `en-GB`).
   */
  @property() locale?: string;

  /** The first reading (read-only here). */
  @property({ attribute: false }) first?: Reading;

  /**
   * The first reader's report document, for a first reading read from an Encapsulated PDF
   * (`importFirstReading(bytes).document` of `@secondread/standards`; `first-from-pacs` sets it):
   * its pages are drawn by pdf.js (loaded when first needed) without running any script from it.
   * Never part of the opinion or its events.
   */
  @property({ attribute: false }) firstDocument?: FirstReadingDocument;

  private readonly documentUrls = new DocumentUrlController(this);

  /**
   * Follow-up reading: the prior study's reading, the interval in days, the link offset, the
   * context (`screening` or `incidental`), nodule types by finding id, the first reader's
   * category. Unset: no follow-up section.
   */
  @property({ attribute: false }) followup?: FollowUpSetup;

  /** The second reader's Lung-RADS category; undefined takes the suggestion. */
  @state() private secondCategory?: LungRadsCategory;

  /** Nodule types the second reader picked in the follow-up table, by finding id. */
  @state() private noduleTypes: Readonly<Record<string, NoduleType>> = {};

  @state() private errorMessage: ShownError | null = null;
  @state() private selectedFindingId: string | null = null;
  private readonly pacsStore = new StoreStateController(this);

  /** The model and its subscription: the element reads the opinion from it and keeps no copy. */
  private readonly opinionState = new OpinionController(this, (opinion) => this.onModelChange(opinion));
  /** The first reading's layer must be drawn again (the opinion changed). */
  private firstLayerStale = false;
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
  private readonly draft = new DraftController(this, {
    key: () => this.draftKey(),
    failed: (message) => this.report('storage', message),
  });
  private submitDispatched = false;

  /** The model behind the report (null until the study is known). */
  get model(): SecondOpinionModel | null {
    return this.opinionState.model;
  }

  private get modelInstance(): SecondOpinionModel | null {
    return this.opinionState.model;
  }

  /** The current second opinion (the draft, or the submitted one), or null before the study is known. */
  get opinion(): SecondOpinion | null {
    return this.opinionState.opinion;
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
    return this.opinionState.opinion?.readings ?? (this.first ? [this.first] : []);
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
   * Submits the second opinion: validated, `ct-report-submit` fired once per submission (again
   * after an edit: an amendment is a new submission). Returns the submitted opinion, or null
   * (with `ct-error` and a visible message) when it cannot be submitted yet.
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
      const followup = this.followUpSummary;
      this.dispatchEvent(new ReportSubmitEvent({ opinion: submitted, ...(followup ? { followup } : {}) }));
      this.save();
    }
    if (this.dicomwebRoot && this.pacsStore.wanted) {
      void this.storeInPacs();
    }
    return submitted;
  }

  /**
   * Stores the submitted opinion on the PACS as a DICOM SR (it references the first reading's SR
   * when that came from one). Resolves with the SR's SOP Instance UID, or null on failure (with
   * `ct-error` and a visible message; the draft stays in IndexedDB, marked as not stored, and
   * Submit retries, also after a reload). Once stored, the draft is cleared per {@link draftRetention}.
   *
   * An opinion edited after the PACS stored it is an amendment: the report says at once that the
   * PACS holds the earlier version (also after a reload), and storing it again writes a new SR
   * (new SOP Instance UID, in the earlier SR's series, Instance Number + 1) whose Predecessor
   * Documents Sequence (0040,A360) names the earlier SR, which stays on the PACS.
   */
  async storeInPacs(): Promise<string | null> {
    const model = this.modelInstance;
    const root = this.dicomwebRoot;
    if (this.pacsStore.state === 'stored' && this.pacsStore.sopInstanceUid) return this.pacsStore.sopInstanceUid;
    if (!model?.submitted || !root) return null;
    const amends = this.pacsStore.lastStored ?? undefined;
    this.pacsStore.storing();
    // Kept as "sent, not confirmed": if the page closes now, the reload says it is not stored.
    this.save();
    try {
      const { stored, warnings } = await storeOpinionSr(
        pacsTarget(root, this.headers),
        model.opinion,
        this.srExportOptions ?? {},
        amends,
      );
      this.pacsStore.stored(stored, warnings);
      this.errorMessage = null;
      // The PACS holds the opinion now: the browser forgets the draft (key images, texts) unless
      // told to keep it, or unless the reader changed it while it was being stored.
      if (this.draftRetention === 'keep' || this.pacsStore.state === 'changed') this.save();
      else if (!this.noAutosave) void this.draft.clear();
      this.dispatchEvent(
        new ReportStoreEvent({
          studyUid: stored.studyUid,
          seriesUid: stored.seriesUid,
          sopInstanceUid: stored.sopInstanceUid,
          ...(amends?.seriesUid ? { predecessorSopInstanceUid: amends.sopInstanceUid } : {}),
        }),
      );
      return stored.sopInstanceUid;
    } catch (error) {
      const failure = toViewerError(error);
      this.pacsStore.failed(failure);
      this.errorMessage = null;
      this.save();
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
    const opinion = this.opinionState.opinion;
    if (!opinion) return null;
    return renderReportHtml(opinion, { ...options, ...(this.locale ? { locale: this.locale } : {}) });
  }

  /**
   * The opinion as a FHIR R4 Bundle (DiagnosticReport, Practitioner, one Observation per finding
   * and measurement) with the printable report as `presentedForm`. `subject` only when the host
   * passes one. With `followup` set, the follow-up Observations too (Lung-RADS categories,
   * growth; see `FhirExportOptions.followup`).
   */
  async fhirBundle(options: FhirExportOptions = {}): Promise<FhirBundle | null> {
    const opinion = this.opinionState.opinion;
    const html = this.printableReport();
    if (!opinion || html === null) return null;
    const followup = this.followUpSummary;
    return fhirBundleWithReport(opinion, html, { ...(followup ? { followup } : {}), ...options });
  }

  private openPrintable(): void {
    const html = this.printableReport();
    if (html !== null) openInNewTab(html);
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
      this.errorMessage = {
        message: `The first reading could not be loaded from the image server: ${failure.message}`,
        summary: (t) => t.report.firstReadingNotLoaded,
      };
      this.dispatchEvent(new ViewerErrorEvent({ code: failure.code, message: failure.message, fatal: false }));
      return null;
    }
  }

  /** Forgets the saved draft (e.g. after the host stored the submitted opinion). */
  async clearDraft(): Promise<void> {
    await this.draft.clear();
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
    if (changed.has('followup') && this.followup) this.checkFollowUp(this.followup);
    // A value outside its list is ignored (one warning): the last valid one stays.
    if (
      changed.has('draftRetention') &&
      !acceptValue(TAG, 'draft-retention', this.draftRetention, oneOf(DRAFT_RETENTIONS))
    ) {
      this.draftRetention = changed.get('draftRetention') ?? 'until-stored';
    }
    if (
      changed.has('defaultCategory') &&
      !acceptValue(TAG, 'default-category', this.defaultCategory, oneOf(FINDING_CATEGORIES))
    ) {
      this.defaultCategory = changed.get('defaultCategory') ?? 'other';
    }
    // An invalid locale is told about when it is set (it then falls back to the browser's).
    if (changed.has('locale')) normalizeLocale(this.locale);
    // Another study: its own opinion and draft (the previous one stays saved under its key).
    const studyUid = this.studyUidKnown();
    if (this.modelInstance && studyUid && this.modelInstance.opinion.studyUid !== studyUid) this.resetModel();
    if (changed.has('first') && this.first && this.modelInstance) {
      const first = this.first;
      if (first.studyUid !== this.modelInstance.opinion.studyUid) {
        this.refuse(
          new Error(`The first reading is of study ${first.studyUid}, not of the study read here.`),
          (t) => t.report.otherStudy,
        );
      } else if (this.modelInstance.first?.id !== first.id || this.modelInstance.first !== first) {
        this.run(() => this.modelInstance?.setFirstReading(first));
      }
    }
    if (!this.modelInstance && !this.creating && this.studyUidKnown()) this.creating = this.createModel();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('for') && changed.get('for') !== undefined) this.binding.rebind();
    if (changed.has('overlayFirst') || this.firstLayerStale) {
      this.firstLayerStale = false;
      void this.showFirstReading();
    }
  }

  private studyUidKnown(): string | undefined {
    return (
      this.studyUid ?? this.first?.studyUid ?? this.binding.viewers().find((v) => v?.seriesModel)?.seriesModel?.studyUid
    );
  }

  private reader(): Reader {
    return {
      name: this.readerName || this.t.report.secondReader,
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
      restored =
        (await this.draft.restore((draft) => {
          const model = SecondOpinionModel.fromJSON(draft.opinion);
          // Once per submission: a draft edited after its submission is not submitted any more.
          this.submitDispatched = draft.submitDispatched && draft.opinion.submittedAt !== undefined;
          this.pacsStore.restore(draft);
          return model;
        })) ?? null;
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
    this.opinionState.reset();
    this.firstLayerStale = true;
    this.creating = null;
    this.submitDispatched = false;
    this.pacsStore.reset();
    this.draft.reset();
    this.errorMessage = null;
    this.selectedFindingId = null;
  }

  private adopt(model: SecondOpinionModel, fresh: boolean): void {
    this.opinionState.adopt(model);
    this.firstLayerStale = true;
    this.blinded = model.blinded;
    this.pushOwnMeasurements();
    if (!fresh) this.announce(model.opinion);
  }

  private onModelChange(opinion: SecondOpinion): void {
    // An edit after submission is an amendment (the model drops `submittedAt`): it is submitted,
    // announced and stored anew, and the report says the PACS holds the earlier version.
    if (!this.modelInstance?.submitted) {
      this.submitDispatched = false;
      this.pacsStore.edited();
    }
    this.firstLayerStale = true;
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
    const followup = this.followUpSummary;
    this.dispatchEvent(new ReportChangeEvent({ opinion: valid, ...(followup ? { followup } : {}) }));
  }

  /**
   * The follow-up comparison of both readers (the first only once unblinded), or null without
   * `followup` or when it cannot be computed (the message is shown and `ct-error` fired).
   */
  get followUpSummary(): FollowUpSummary | null {
    const setup = this.followup;
    const model = this.modelInstance;
    if (!setup || !model) return null;
    try {
      const categories = { ...setup.categories, ...(this.secondCategory ? { second: this.secondCategory } : {}) };
      const nodules: Record<string, NoduleDescription> = { ...setup.nodules };
      for (const [id, type] of Object.entries(this.noduleTypes)) nodules[id] = { ...nodules[id], type };
      return summarizeFollowUp(
        { ...setup, categories, nodules },
        { ...(model.blinded || !model.first ? {} : { first: model.first }), second: model.second },
      );
    } catch {
      return null;
    }
  }

  /** Bad follow-up input: a visible message and `ct-error`, and no follow-up section. */
  private checkFollowUp(setup: FollowUpSetup): void {
    const model = this.modelInstance;
    try {
      summarizeFollowUp(setup, { second: model?.second ?? { ...setup.prior, findings: [] } });
    } catch (error) {
      this.refuse(error);
    }
  }

  private renderFollowUpSection(): TemplateResult | typeof nothing {
    return renderFollowUp(
      {
        number: (value, digits) => this.number(value, digits),
        onCategory: (category) => {
          this.secondCategory = category;
          const opinion = this.modelInstance?.opinion;
          if (opinion) this.announce(opinion);
        },
        onNoduleType: (findingId, type) => {
          this.noduleTypes = { ...this.noduleTypes, [findingId]: type };
          const opinion = this.modelInstance?.opinion;
          if (opinion) this.announce(opinion);
        },
      },
      this.followUpSummary,
    );
  }

  /** Writes the draft (in order: the last edit wins). */
  private save(): void {
    if (this.noAutosave || !this.modelInstance) return;
    this.draft.save({
      opinion: this.modelInstance.opinion,
      submitDispatched: this.submitDispatched,
      ...this.pacsStore.draftFields(),
    });
  }

  /** Resolves when every edit so far is in IndexedDB. */
  get saved(): Promise<void> {
    return this.draft.saved;
  }

  private run(action: () => void): void {
    try {
      action();
      this.errorMessage = null;
    } catch (error) {
      this.refuse(error);
    }
  }

  private refuse(error: unknown, summary: (t: Catalogue) => string = refusalSummary(error)): void {
    const message = error instanceof Error ? error.message : String(error);
    this.errorMessage = { message, summary };
    this.report('invalid-report', message);
  }

  /** The words of {@link locale}. */
  private get t(): Catalogue {
    return messagesFor(this.locale);
  }

  private report(code: ErrorCode, message: string): void {
    this.dispatchEvent(new ViewerErrorEvent({ code, message, fatal: false }));
  }

  private readonly ownMeasurements = new OwnMeasurementsSync(
    (edit) => this.run(edit),
    () => this.defaultCategory,
  );

  /** The reader drew, moved or deleted a measurement: the second reading follows. */
  private onOwnMeasurements(tools: MeasurementTools): void {
    this.ownMeasurements.pull(tools, this.modelInstance);
  }

  /** Puts the second reading's measurements (e.g. from a restored draft) into the reader's toolbar. */
  private pushOwnMeasurements(): void {
    this.ownMeasurements.push(this.binding.toolsOf(this.binding.viewers()[1]), this.modelInstance);
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
    for (const reading of this.opinionState.opinion?.readings ?? []) {
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
    const opinion = this.opinionState.opinion;
    const model = this.modelInstance;
    const t = this.t;
    const lang = ifDefined(normalizeLocale(this.locale));
    if (!opinion || !model) {
      return html`<div part="base" class="pending" lang=${lang}>
        ${this.errorMessage ? renderError(this.errorMessage, t) : html`<p>${t.report.waiting}</p>`}
      </div>`;
    }
    const view = this.view(model, opinion);
    const status = statusText({
      submittedAt: model.submitted ? opinion.submittedAt : undefined,
      storeState: this.pacsStore.state,
      autosave: !this.noAutosave,
      saveState: this.draft.state,
      autosaveOff: this.draft.failure !== null,
      savedAt: this.draft.savedAt,
      time: (iso) => this.time(iso),
      t,
    });
    return html`<section part="base" aria-label=${t.report.title} lang=${lang}>
      ${renderHeader(model, status, t)} ${renderBlindedNotice(model, () => this.unblind(), t)}
      ${renderTable(view, opinion)} ${this.renderFollowUpSection()}
      ${model.blinded ? nothing : renderFirstReport(model.first, this.firstDocument, this.documentUrls, t)}
      ${renderTexts(view)} ${model.blinded ? nothing : renderScore(view, opinion)}
      ${renderError(this.errorMessage ?? this.pacsStore.notice() ?? this.draft.notice((iso) => this.time(iso)), t)}
      ${renderFooter(model.submitted, this.pacsStore.state, { print: () => this.openPrintable(), submit: () => this.submit() }, t)}
    </section>`;
  }

  /** What the templates see of this element. */
  private view(model: SecondOpinionModel, opinion: SecondOpinion): ReportView {
    return {
      model,
      opinion,
      locale: this.locale,
      t: this.t,
      selectedFindingId: this.selectedFindingId,
      number: (value, digits) => this.number(value, digits),
      time: (iso) => this.time(iso),
      edit: (action) =>
        this.run(() => {
          const current = this.modelInstance;
          if (current) action(current);
        }),
      sliceOf: (finding) => sliceOf(finding, this.binding.viewers(), this.t),
      showFinding: (id) => void this.showFinding(id),
      addKeyImage: (id) => this.addKeyImage(id),
    };
  }

  /**
   * Captures the second reader's viewer, annotations included, as a key image of a finding of the
   * second reading. Resolves with false when no image is shown.
   */
  async addKeyImage(findingId: string): Promise<boolean> {
    const keyImage = await captureKeyImage(this.binding.viewers()[1], this.t);
    const finding = this.modelInstance?.second.findings.find((f) => f.id === findingId);
    if (!keyImage || !finding) return false;
    this.run(() =>
      this.modelInstance?.updateFinding(findingId, { keyImages: [...(finding.keyImages ?? []), keyImage] }),
    );
    return true;
  }
}

/** The catalogue's sentence for a refused edit: the reading model's code when it has one. */
function refusalSummary(error: unknown): (t: Catalogue) => string {
  const code = error instanceof SecondReadError ? (error.code as string) : '';
  return (READING_ERROR_CODES as readonly string[]).includes(code)
    ? (t) => t.readingError[code as ReadingErrorCode]
    : (t) => t.errorSummary['invalid-report'];
}
