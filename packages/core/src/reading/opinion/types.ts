/**
 * What a {@link SecondOpinionModel} takes ({@link OpinionModelInit}, {@link FindingInput}) and
 * tells its subscribers ({@link OpinionChange}).
 */
import type { Measurement } from '../../measurements/types.js';
import type { CodedConcept, FindingCategory, FindingSeverity, ImageReference, Reader, Reading } from '../types.js';

/** What a {@link SecondOpinionModel} starts from. */
export interface OpinionModelInit {
  readonly studyUid: string;
  /** The second reader (the one using the model). */
  readonly reader: Reader;
  /** The reading under review; its role is forced to `first`. It can also come later ({@link SecondOpinionModel.setFirstReading}). */
  readonly first?: Reading;
  /** The second opinion's id; a new UUID by default. */
  readonly id?: string;
  /** Read blinded: the first reading is held but must not be shown until {@link SecondOpinionModel.unblind}. */
  readonly blinded?: boolean;
  /** Distance for automatic pairs (mm); `DEFAULT_MATCH_THRESHOLD_MM` (10) by default. */
  readonly matchThresholdMm?: number;
  /** The clock, for timestamps (tests pass a fixed one). */
  readonly now?: () => Date;
}

/**
 * What changed, passed to subscribers with the new snapshot. `radpeer` covers the score and the
 * peer-learning comment, `text` the impression and recommendations, `pair` pairing and
 * unpairing. `findingId` names the finding concerned when there is exactly one.
 */
export type OpinionChange = {
  kind:
    | 'finding-add'
    | 'finding-change'
    | 'finding-remove'
    | 'text'
    | 'pair'
    | 'verdict'
    | 'radpeer'
    | 'first'
    | 'unblind'
    | 'submit'
    | 'load';
  findingId?: string;
};

/** What {@link SecondOpinionModel.addFinding} takes. */
export interface FindingInput {
  readonly category: FindingCategory;
  /** By default the category's name and, when measured, its size (e.g. `Nodule, 16.0 mm`). */
  readonly description?: string;
  readonly measurements?: readonly Measurement[];
  readonly images?: readonly ImageReference[];
  readonly severity?: FindingSeverity;
  readonly text?: string;
  readonly site?: CodedConcept | string;
}
