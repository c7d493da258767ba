import type { EngineAnnotation, Measurement, SecondOpinionModel } from '@secondread/core';
import type { CtViewer } from '@secondread/ct-viewer';
import type { MeasurementTools } from '@secondread/measurement-tools';

/** Layer name of the first reading in the viewers and toolbars. */
export const FIRST_LAYER = 'reading-first';

/** Where and how the first reading is drawn. */
export interface FirstReadingTargets {
  readonly model: SecondOpinionModel | null;
  /** [first reader's viewer, second reader's viewer]. */
  readonly viewers: readonly [CtViewer | null, CtViewer | null];
  /** Also draw it in the second reader's viewer. */
  readonly overlayFirst: boolean;
  /** The toolbar bound to a viewer, if any (it then owns the viewer's annotations). */
  readonly toolsOf: (viewer: CtViewer | null) => MeasurementTools | null;
  /** The first reader's colour. */
  readonly color: string;
}

/**
 * The first reading drawn, locked, in the viewers where it belongs: the first viewer, and with
 * `overlayFirst` the second one; never while the read is blinded (the layer is emptied). Through
 * the viewer's `<measurement-tools>` when it has one (so the toolbar lists it), else directly on
 * the viewer's annotation engine, dashed. A viewer is redrawn only when what it should show changed.
 */
export class FirstReadingLayer {
  /** What each toolbar or viewer shows now (measurement ids and edit times). */
  private shown = new WeakMap<object, string>();

  async show({ model, viewers, overlayFirst, toolsOf, color }: FirstReadingTargets): Promise<void> {
    const [firstViewer, secondViewer] = viewers;
    const measurements: Measurement[] =
      model && !model.blinded && model.first ? model.first.findings.flatMap((f) => [...f.location.measurements]) : [];
    const targets = new Set<CtViewer | null>([firstViewer, overlayFirst ? secondViewer : null]);
    for (const viewer of [firstViewer, secondViewer]) {
      if (!viewer) continue;
      const list = targets.has(viewer) ? measurements : [];
      const signature = list.map((m) => `${m.id}@${m.updatedAt}`).join('|');
      const tools = toolsOf(viewer);
      const holder: object = tools ?? viewer;
      if (this.shown.get(holder) === signature) continue;
      if (tools) {
        this.shown.set(holder, signature);
        await tools.addLayer(FIRST_LAYER, list, { locked: true, color });
      } else if (viewer.annotations) {
        this.shown.set(holder, signature);
        const annotations: EngineAnnotation[] = list.map((m) => ({
          id: m.id,
          kind: m.kind,
          points: m.points,
          sopInstanceUid: m.sopInstanceUid,
          frameOfReferenceUid: m.frameOfReferenceUid,
          ...(m.text !== undefined ? { text: m.text } : {}),
        }));
        await viewer.annotations.showLayer(FIRST_LAYER, annotations, { locked: true, color, dashed: true });
      }
    }
  }
}
