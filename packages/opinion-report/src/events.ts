import { EVENT_INIT, type Finding, type FollowUpSummary, type ReadingRole, type SecondOpinion } from '@secondread/core';

/** The `ct-error` event this element fires, shared by every element (from `@secondread/core`). */
export { SecondReadErrorEvent, type SecondReadErrorDetail } from '@secondread/core';

export interface ReportEventDetail {
  /** The whole structured second opinion, validated against the schema. No patient identity. */
  readonly opinion: SecondOpinion;
  /**
   * The follow-up comparison (`<opinion-report>.followup` set): growth per nodule, the readers'
   * Lung-RADS suggestions and categories or Fleischner recommendations, their discrepancy.
   * Intervals in days, never study dates.
   */
  readonly followup?: FollowUpSummary;
}

/** Every edit of the second opinion (for autosave by the host, or live review). */
export class ReportChangeEvent extends Event {
  constructor(readonly detail: ReportEventDetail) {
    super('ct-report-change', EVENT_INIT);
  }
}

/**
 * The second reader submitted: fired once per submission, however often Submit is pressed (again
 * when an opinion edited after its submission, an amendment, is submitted).
 */
export class ReportSubmitEvent extends Event {
  constructor(readonly detail: ReportEventDetail) {
    super('ct-report-submit', EVENT_INIT);
  }
}

export interface FindingSelectDetail {
  readonly finding: Finding;
  /** The role of the reading the finding belongs to. */
  readonly role: ReadingRole;
}

/** The reader picked a finding (the viewers show it). */
export class FindingSelectEvent extends Event {
  constructor(readonly detail: FindingSelectDetail) {
    super('ct-finding-select', EVENT_INIT);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'ct-report-change': ReportChangeEvent;
    'ct-report-submit': ReportSubmitEvent;
    'ct-finding-select': FindingSelectEvent;
  }
}

export interface ReportStoreDetail {
  readonly studyUid: string;
  readonly seriesUid: string;
  /** SOP Instance UID of the DICOM SR the server confirmed (STOW-RS). */
  readonly sopInstanceUid: string;
  /**
   * For an amendment (the opinion was edited after the PACS stored it): the earlier SR, which
   * stays on the PACS and is named in this one's Predecessor Documents Sequence (0040,A360).
   */
  readonly predecessorSopInstanceUid?: string;
}

/** The submitted second opinion is stored on the DICOMweb server as a DICOM SR (TID 1500). */
export class ReportStoreEvent extends Event {
  constructor(readonly detail: ReportStoreDetail) {
    super('ct-report-store', EVENT_INIT);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'ct-report-store': ReportStoreEvent;
  }
}

/** Every event `<opinion-report>` fires, typed on the global event map (framework bindings are built from this list). */
export const OPINION_REPORT_EVENTS = [
  'ct-report-change',
  'ct-report-submit',
  'ct-finding-select',
  'ct-report-store',
  'ct-error',
] as const satisfies readonly (keyof GlobalEventHandlersEventMap)[];
