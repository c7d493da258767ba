/**
 * Drawing over many measurements: while a new one is dragged, the others are frozen (their SVG
 * is parked outside Cornerstone's renderer so it does not redraw and measure them every frame);
 * they must stay visible meanwhile and come back to the renderer when the drag ends.
 */
import { expect } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import { createMeasurement, type Measurement } from '@secondread/core';
import type { MeasurementAddEvent } from '@secondread/measurement-tools';
import { nextEvent, testEnv, until } from '../ct-viewer/helpers.ts';
import { annotationSvg, mountPair, pagePoint, parkMouse, settle, showSeries, showSlice } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;
const series = {
  studyUid: truth.studyInstanceUid,
  seriesUid: truth.seriesInstanceUid,
  columns: truth.columns,
  rows: truth.rows,
};
const SLICE = 30;
const COUNT = 40;

/** Distinct annotations with an SVG group anywhere in the viewer (the layer or the frozen copy). */
function groupsIn(root: ParentNode): Set<string> {
  return new Set(
    [...root.querySelectorAll('[data-annotation-uid]')].map((e) => e.getAttribute('data-annotation-uid')!),
  );
}

describe('<measurement-tools> with many measurements on a slice', () => {
  it('keeps the others visible while drawing, and gives them back to the renderer after the drag', async () => {
    const { viewer, tools } = await mountPair('many', 512);
    await showSeries(viewer, env.dicomwebRoot!, series);
    await showSlice(viewer, SLICE);
    const instance = truth.instances[SLICE]!;
    const [x0, y0, z] = instance.imagePositionPatient;
    const existing: Measurement[] = Array.from({ length: COUNT }, (_, i) =>
      createMeasurement({
        kind: 'length',
        points: [
          [x0 + 20 + (i % 4) * 55, y0 + 20 + Math.floor(i / 4) * 22, z],
          [x0 + 60 + (i % 4) * 55, y0 + 20 + Math.floor(i / 4) * 22, z],
        ],
        studyUid: truth.studyInstanceUid,
        seriesUid: truth.seriesInstanceUid,
        sopInstanceUid: instance.sopInstanceUid,
        frameOfReferenceUid: truth.frameOfReferenceUid,
        imageOrientationPatient: [1, 0, 0, 0, 1, 0],
        readerId: 'reader',
      }),
    );
    tools.measurements = existing;
    await until(() => groupsIn(viewer.shadowRoot!).size >= COUNT, 10_000, `${COUNT} annotations drawn`);
    await settle(300);
    const before = groupsIn(annotationSvg(viewer));

    tools.tool = 'length';
    await tools.toolReady;
    const added = nextEvent<MeasurementAddEvent>(tools, 'ct-measurement-add');
    const from = pagePoint(viewer, series, 30, 235);
    const to = pagePoint(viewer, series, 120, 235);
    await sendMouse({ type: 'move', position: from });
    await sendMouse({ type: 'down', button: 'left' });
    for (let i = 1; i <= 4; i++) {
      await sendMouse({
        type: 'move',
        position: [Math.round(from[0] + ((to[0] - from[0]) * i) / 8), from[1]],
      });
    }
    // Mid-drag: every other annotation is still on screen (in the layer or its frozen copy).
    const midDrag = groupsIn(viewer.shadowRoot!);
    for (const uid of before) expect(midDrag.has(uid), `annotation ${uid} visible while drawing`).to.equal(true);
    const frozen = viewer.shadowRoot!.querySelector('.secondread-frozen-annotations');
    expect(
      frozen?.querySelectorAll('[data-annotation-uid]').length ?? 0,
      'others frozen during the drag',
    ).to.be.greaterThan(0);
    for (let i = 5; i <= 8; i++) {
      await sendMouse({
        type: 'move',
        position: [Math.round(from[0] + ((to[0] - from[0]) * i) / 8), from[1]],
      });
    }
    await sendMouse({ type: 'up', button: 'left' });
    const { measurement } = (await added).detail;
    expect(measurement.values.lengthMm).to.be.closeTo(90 * truth.pixelSpacingMm[1], 1.5);
    await parkMouse(viewer);
    await settle(300);

    // After the drag: nothing left frozen, and the renderer draws all of them plus the new one.
    expect(viewer.shadowRoot!.querySelector('.secondread-frozen-annotations [data-annotation-uid]')).to.equal(null);
    await until(() => groupsIn(annotationSvg(viewer)).size === before.size + 1, 5000, 'all annotations in the layer');
    expect(tools.measurements).to.have.length(COUNT + 1);

    // They are live again: the next slice shows none of them, coming back shows all.
    await showSlice(viewer, SLICE + 1);
    await until(() => groupsIn(viewer.shadowRoot!).size === 0, 5000, 'none on another slice');
    await showSlice(viewer, SLICE);
    await until(() => groupsIn(annotationSvg(viewer)).size === before.size + 1, 5000, 'all back on their slice');
  });
});
