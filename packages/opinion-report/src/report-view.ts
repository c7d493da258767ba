import type { Catalogue, Finding, SecondOpinion, SecondOpinionModel } from '@secondread/core';

/**
 * What the report's templates need from the element: the data to show, the locale's wording of
 * numbers and times, and the actions behind the controls. The templates keep no state.
 */
export interface ReportView {
  readonly model: SecondOpinionModel;
  readonly opinion: SecondOpinion;
  readonly locale: string | undefined;
  /** The words of the report's locale. */
  readonly t: Catalogue;
  /** The finding shown in the viewers, if any. */
  readonly selectedFindingId: string | null;
  /** A number in the report's locale (one decimal by default). */
  number(value: number, digits?: number): string;
  /** A date and time (ISO 8601) in the report's locale. */
  time(iso: string): string;
  /** Runs an edit on the model at the time of the event; a refused edit shows its message. */
  edit(action: (model: SecondOpinionModel) => void): void;
  /** "slice 39/60" for the image a finding is on, when a bound viewer shows that series. */
  sliceOf(finding: Finding): string | null;
  showFinding(findingId: string): void;
  addKeyImage(findingId: string): Promise<boolean>;
}
