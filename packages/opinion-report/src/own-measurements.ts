import { FINDING_CATEGORIES, type FindingCategory, type SecondOpinionModel } from '@secondread/core';
import { OWN_LAYER, type MeasurementTools } from '@secondread/measurement-tools';

/**
 * Keeps the second reading and the second reader's toolbar in step: every measurement the reader
 * draws, moves or deletes becomes (or changes, or removes) a finding ({@link pull}), and the
 * second reading's measurements (e.g. from a restored draft) are put back into the toolbar
 * ({@link push}) without echoing back.
 */
export class OwnMeasurementsSync {
  private pushing = false;

  /**
   * @param run runs an edit of the model (a refused edit is shown by the element)
   * @param defaultCategory the category a new finding gets
   */
  constructor(
    private readonly run: (edit: () => void) => void,
    private readonly defaultCategory: () => FindingCategory,
  ) {}

  /** The reader drew, moved or deleted a measurement: the second reading follows. */
  pull(tools: MeasurementTools, model: SecondOpinionModel | null): void {
    if (this.pushing || !model) return;
    const studyUid = model.opinion.studyUid;
    const own = tools.store.list({ layer: OWN_LAYER }).filter((m) => m.studyUid === studyUid);
    const wanted = this.defaultCategory();
    const category = (FINDING_CATEGORIES as readonly string[]).includes(wanted) ? wanted : 'other';
    this.run(() => model.syncMeasurements(own, { category }));
  }

  /** Puts the second reading's measurements into the reader's toolbar, then reads the toolbar back. */
  push(tools: MeasurementTools | null, model: SecondOpinionModel | null): void {
    if (!model || !tools) return;
    const mine = model.second.findings.flatMap((f) => f.location.measurements);
    const present = tools.store.list({ layer: OWN_LAYER });
    const missing = mine.filter((m) => !present.some((p) => p.id === m.id));
    if (missing.length === 0) {
      if (present.length > 0) this.pull(tools, model);
      return;
    }
    this.pushing = true;
    try {
      tools.measurements = [...present, ...missing];
    } finally {
      this.pushing = false;
    }
    this.pull(tools, model);
  }
}
