/**
 * Measurements never span slices: a drawing left pending (a stray click, a half-drawn angle, a
 * press Cornerstone still holds back, a drag in progress) is cancelled when the slice changes,
 * by any means, and the next drawing is saved on its own slice. Real mouse, keyboard and wheel
 * (CDP input events); every saved measurement is checked against the plane of the image its
 * `sopInstanceUid` names.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { MEASUREMENT_KINDS, type InstanceInfo, type Measurement, type MeasurementKind } from '@secondread/core';
import { syncViewers, type CtViewer } from '@secondread/ct-viewer';
import type { MeasurementTools } from '@secondread/measurement-tools';
import { testEnv, until } from '../support/browser-helpers.ts';
import { sendWheel } from '../support/wheel.ts';
import {
  annotationSvg,
  click,
  drag,
  mountPair,
  pagePoint,
  parkMouse,
  settle,
  showSeries,
  showSlice,
  trace,
  seriesRefOf,
} from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;
const series = seriesRefOf(truth);

const START = 20;
const STEPS = 4;

/** How the reader (or the page) changes the slice. */
const MEANS = ['keys', 'wheel', 'slider', 'api', 'sync'] as const;
type Means = (typeof MEANS)[number];

/** Distance of a point from an image's plane, mm (computed here, not by the code under test). */
function offPlaneMm(point: readonly number[], instance: InstanceInfo): number {
  const o = instance.imageOrientationPatient!;
  const n = [o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]];
  const length = Math.hypot(n[0]!, n[1]!, n[2]!);
  const p = instance.imagePositionPatient!;
  return Math.abs(((point[0]! - p[0]) * n[0]! + (point[1]! - p[1]) * n[1]! + (point[2]! - p[2]) * n[2]!) / length);
}

/** Every measurement lies on the plane of the image its `sopInstanceUid` names. */
function expectEachOnItsSlice(viewer: CtViewer, measurements: readonly Measurement[]): void {
  for (const m of measurements) {
    const instance = viewer.seriesModel!.instances.find((i) => i.sopInstanceUid === m.sopInstanceUid);
    expect(instance, `${m.kind} names an image of the series`).to.not.equal(undefined);
    for (const point of m.points) {
      expect(offPlaneMm(point, instance!), `${m.kind} point ${point.join(', ')}`).to.be.below(1e-6);
    }
  }
}

/** Image (column, row) → page point on `viewer`. */
const at = (viewer: CtViewer, column: number, row: number): [number, number] => pagePoint(viewer, series, column, row);

/** Draws one `kind` properly on the slice on screen, with the mouse. */
async function drawOne(viewer: CtViewer, kind: MeasurementKind): Promise<void> {
  const p = (column: number, row: number): [number, number] => at(viewer, column, row);
  switch (kind) {
    case 'length':
    case 'bidirectional':
    case 'arrow':
      await drag(p(60, 70), p(130, 90));
      break;
    case 'angle':
      await drag(p(60, 120), p(110, 120));
      await click(p(110, 170));
      break;
    case 'cobb-angle':
      await drag(p(60, 60), p(130, 60));
      await drag(p(60, 110), p(130, 140));
      break;
    case 'ellipse-roi':
    case 'rectangle-roi':
      await drag(p(90, 100), p(130, 125));
      break;
    case 'freehand-roi':
      await trace([p(70, 70), p(140, 70), p(140, 130), p(70, 130), p(70, 72)]);
      break;
    case 'probe':
    case 'label':
      await click(p(100, 100));
      break;
  }
  // Past Cornerstone's double-click window (400 ms), which holds a click back.
  await settle(700);
  await parkMouse(viewer);
}

/**
 * Leaves a `kind` pending on the slice on screen: a click (which starts every tool that draws
 * from point to point, and which Cornerstone holds back for 400 ms), or, for the freehand ROI, a
 * drag in progress. Returns what ends it (the freehand's release), if anything.
 */
async function leavePending(viewer: CtViewer, kind: MeasurementKind): Promise<() => Promise<void>> {
  const stray = at(viewer, 190, 190);
  if (kind === 'freehand-roi') {
    await sendMouse({ type: 'move', position: stray });
    await sendMouse({ type: 'down', button: 'left' });
    for (const [dx, dy] of [
      [20, 0],
      [40, 10],
      [40, 40],
      [20, 50],
    ]) {
      await sendMouse({ type: 'move', position: [stray[0] + dx!, stray[1] + dy!] });
    }
    return () => sendMouse({ type: 'up', button: 'left' });
  }
  await click(stray);
  // Click tools: past the double-click window, so that Cornerstone really started the drawing
  // (and for one of them, moving with the pointer). Probe and label complete on their click:
  // what is pending there is Cornerstone's held-back press itself.
  if (kind !== 'probe' && kind !== 'label') {
    await settle(600);
    await sendMouse({ type: 'move', position: [stray[0] + 30, stray[1] + 20] });
  }
  return async () => undefined;
}

/** Changes the slice of `viewer` by `STEPS`, the way `means` says. */
async function changeSlice(viewer: CtViewer, means: Means, partner: CtViewer | null): Promise<void> {
  const target = viewer.sliceIndex + STEPS;
  switch (means) {
    case 'keys':
      viewer.focus();
      for (let i = 0; i < STEPS; i++) await sendKeys({ press: 'ArrowDown' });
      break;
    case 'wheel': {
      const over = at(viewer, 128, 40);
      for (let i = 0; i < STEPS; i++) {
        await sendWheel(over, 100);
        await until(() => viewer.sliceIndex === START + i + 1, 5000, `wheel step ${i + 1}`);
      }
      break;
    }
    case 'slider': {
      const slider = viewer.shadowRoot!.querySelector<HTMLInputElement>('[part=slider]')!;
      slider.focus();
      for (let i = 0; i < STEPS; i++) await sendKeys({ press: 'ArrowRight' });
      break;
    }
    case 'api':
      viewer.sliceIndex = target;
      break;
    case 'sync':
      partner!.sliceIndex = target;
      break;
  }
  await until(() => viewer.sliceIndex === target, 10_000, `slice ${target} by ${means}`);
  await settle(300);
}

/** Unlinks the viewers a test linked. */
let unlink: (() => void) | null = null;
afterEach(async () => {
  unlink?.();
  unlink = null;
  // A failed test may leave the button down (the freehand drag): the next one starts released.
  await resetMouse();
});

async function pairWithPartner(
  id: string,
  withPartner: boolean,
  size = 640,
): Promise<{
  viewer: CtViewer;
  tools: MeasurementTools;
  partner: CtViewer | null;
}> {
  const { viewer, tools } = await mountPair(id, size);
  await showSeries(viewer, env.dicomwebRoot!, series);
  let partner: CtViewer | null = null;
  if (withPartner) {
    partner = await fixture<CtViewer>(html`<ct-viewer hide-toolbar style="width:240px;height:240px"></ct-viewer>`);
    await showSeries(partner, env.dicomwebRoot!, series);
    const sync = syncViewers([viewer, partner], { voi: false, camera: false });
    unlink = () => sync.disconnect();
  }
  await showSlice(viewer, START);
  if (partner) await until(() => partner.sliceIndex === START, 10_000, 'partner follows');
  return { viewer, tools, partner };
}

/** Nothing of a measurement is drawn on slice `index` (no ghost of a cancelled drawing). */
async function expectNothingDrawnOn(viewer: CtViewer, index: number): Promise<void> {
  await showSlice(viewer, index);
  const svg = annotationSvg(viewer);
  const shapes = svg.querySelectorAll('line, circle, ellipse, rect, path, polyline, polygon, text');
  expect(shapes.length, `shapes on slice ${index}: ${svg.innerHTML.slice(0, 300)}`).to.equal(0);
}

describe('<measurement-tools>: measurements never span slices', () => {
  it('a stray click, 4 slices by keyboard at once, then a drag: only the drag is saved, on its own slice', async () => {
    const { viewer, tools } = await pairWithPartner('v-stray-keys', false);
    tools.tool = 'length';
    await tools.toolReady;
    // The reported sequence: the click and the keys within Cornerstone's double-click window.
    await click(at(viewer, 100, 100));
    viewer.focus();
    for (let i = 0; i < STEPS; i++) await sendKeys({ press: 'ArrowDown' });
    await until(() => viewer.sliceIndex === START + STEPS, 5000, 'keyboard scroll');
    await settle(300);
    await drag(at(viewer, 60, 70), at(viewer, 130, 90));
    await settle(700);
    const saved = tools.measurements;
    expect(saved.map((m) => m.kind)).to.deep.equal(['length']);
    const onScreen = viewer.seriesModel!.instances[START + STEPS]!;
    expect(saved[0]!.sopInstanceUid).to.equal(onScreen.sopInstanceUid);
    expectEachOnItsSlice(viewer, saved);
    // The length the reader dragged: 70 × 20 pixels.
    const spacing = truth.pixelSpacingMm[0];
    expect(saved[0]!.values.lengthMm).to.be.closeTo(Math.hypot(70, 20) * spacing, 2 * spacing);
    await expectNothingDrawnOn(viewer, START);
  });

  it('the wheel scrolls while a length is pending, cancels it, and the next drag is saved on its slice', async () => {
    const { viewer, tools } = await pairWithPartner('v-stray-wheel', false);
    tools.tool = 'length';
    await tools.toolReady;
    const stray = at(viewer, 100, 100);
    await click(stray);
    await settle(600);
    await sendMouse({ type: 'move', position: [stray[0] + 60, stray[1] + 40] });
    // Pending: the line follows the pointer.
    await until(() => annotationSvg(viewer).querySelectorAll('line').length > 0, 5000, 'pending line');
    for (let i = 1; i <= STEPS; i++) {
      await sendWheel(stray, 100);
      await until(() => viewer.sliceIndex === START + i, 5000, `wheel step ${i}`);
    }
    await settle(300);
    expect(annotationSvg(viewer).querySelectorAll('line').length, 'the pending line is gone').to.equal(0);
    await drag(at(viewer, 60, 70), at(viewer, 130, 90));
    await settle(700);
    expect(tools.measurements).to.have.length(1);
    expect(tools.measurements[0]!.sopInstanceUid).to.equal(
      viewer.seriesModel!.instances[START + STEPS]!.sopInstanceUid,
    );
    expectEachOnItsSlice(viewer, tools.measurements);
    // And back up: the wheel scrolls both ways, with nothing pending in the way.
    await sendWheel(stray, -100);
    await until(() => viewer.sliceIndex === START + STEPS - 1, 5000, 'wheel up');
  });

  const kinds = MEASUREMENT_KINDS;
  kinds.forEach((kind, i) => {
    const means = MEANS[i % MEANS.length]!;
    const clickKind = kind === 'probe' || kind === 'label';
    const title = clickKind
      ? `a ${kind} click just before the slice changes (${means}) counts on its slice; the next ${kind} is saved on its own slice`
      : `a pending ${kind} is cancelled when the slice changes (${means}); the next ${kind} is saved on its own slice`;
    it(title, async () => {
      const { viewer, tools, partner } = await pairWithPartner(`v-span-${kind}`, means === 'sync');
      tools.tool = kind;
      await tools.toolReady;
      const release = await leavePending(viewer, kind);
      await changeSlice(viewer, means, partner);
      await release();
      await settle(700);
      // Probe and label are complete with their click, which counts on the slice it was made on
      // however soon the slice changes (Cornerstone holds the click back for 400 ms). Nothing
      // else may be saved from a pending drawing.
      const early = tools.measurements;
      if (clickKind) {
        expect(early.map((m) => m.sopInstanceUid)).to.deep.equal([
          viewer.seriesModel!.instances[START]!.sopInstanceUid,
        ]);
        expectEachOnItsSlice(viewer, early);
      } else {
        expect(early, 'nothing saved from the pending drawing').to.have.length(0);
      }
      const before = early.length;
      await drawOne(viewer, kind);
      await until(() => tools.measurements.length > before, 5000, `${kind} saved`);
      const saved = tools.measurements.slice(before);
      expect(saved.map((m) => m.kind)).to.deep.equal([kind]);
      expect(saved[0]!.sopInstanceUid).to.equal(viewer.seriesModel!.instances[START + STEPS]!.sopInstanceUid);
      expectEachOnItsSlice(viewer, saved);
      if (before === 0) await expectNothingDrawnOn(viewer, START);
    });
  });

  for (const kind of ['probe', 'label'] as const) {
    it(`a ${kind} click followed by a slice change within 400 ms counts, on the slice it was made on`, async () => {
      const { viewer, tools } = await pairWithPartner(`v-quick-${kind}`, false);
      const roi = truth.regions.uniform.suggestedRoi;
      await showSlice(viewer, roi.sliceIndex);
      tools.tool = kind;
      await tools.toolReady;
      const column = (roi.centerMm[0] - truth.firstImagePositionPatient[0]) / truth.pixelSpacingMm[1];
      const row = (roi.centerMm[1] - truth.firstImagePositionPatient[1]) / truth.pixelSpacingMm[0];
      // Out of the uniform region: the same point there has another HU.
      const away = truth.regions.uniform.sliceIndexRange[1] + 3;
      let changedAt = 0;
      viewer.addEventListener('ct-slice-change', () => (changedAt ||= performance.now()));
      const point = at(viewer, column, row);
      await sendMouse({ type: 'move', position: point });
      const pressedAt = performance.now(); // no later than the press itself
      await sendMouse({ type: 'down', button: 'left' });
      viewer.sliceIndex = away;
      await sendMouse({ type: 'up', button: 'left' });
      await until(() => viewer.sliceIndex === away, 5000, 'slice changed');
      // The point of the test: the slice changed while Cornerstone still held the click back.
      expect(changedAt - pressedAt, 'slice changed within the double-click window').to.be.below(400);
      await settle(700);
      const saved = tools.measurements;
      expect(saved.map((m) => m.kind)).to.deep.equal([kind]);
      expect(saved[0]!.sopInstanceUid).to.equal(viewer.seriesModel!.instances[roi.sliceIndex]!.sopInstanceUid);
      expectEachOnItsSlice(viewer, saved);
      expect(saved[0]!.points[0]![0]).to.be.closeTo(roi.centerMm[0], truth.pixelSpacingMm[1]);
      expect(saved[0]!.points[0]![1]).to.be.closeTo(roi.centerMm[1], truth.pixelSpacingMm[0]);
      if (kind === 'probe') expect(saved[0]!.values.hu).to.equal(truth.regions.uniform.hu);
      // Drawn where it was made, not on the slice shown now.
      await expectNothingDrawnOn(viewer, away);
      await showSlice(viewer, roi.sliceIndex);
      await until(() => annotationSvg(viewer).querySelectorAll('circle, text, path, line').length > 0, 5000, 'drawn');
    });
  }

  it('a pending drawing in one viewer neither swallows the next viewer’s press nor stops its wheel', async () => {
    // Both on screen (the page is 800 × 600): input goes where the pointer is.
    const a = await pairWithPartner('v-two-a', false, 280);
    const b = await pairWithPartner('v-two-b', false, 280);
    expect(b.viewer.getBoundingClientRect().bottom).to.be.at.most(window.innerHeight);
    a.tools.tool = 'angle';
    b.tools.tool = 'length';
    await Promise.all([a.tools.toolReady, b.tools.toolReady]);
    await click(at(a.viewer, 100, 100));
    await settle(600);
    await sendMouse({ type: 'move', position: at(a.viewer, 140, 120) });
    const over = at(b.viewer, 128, 40);
    await sendWheel(over, 100);
    await until(() => b.viewer.sliceIndex === START + 1, 5000, 'the other viewer scrolls');
    await drag(at(b.viewer, 60, 70), at(b.viewer, 130, 90));
    await settle(700);
    expect(b.tools.measurements.map((m) => m.kind)).to.deep.equal(['length']);
    expect(a.tools.measurements).to.have.length(0);
    expectEachOnItsSlice(b.viewer, b.tools.measurements);
    expect(
      annotationSvg(a.viewer).querySelectorAll('line').length,
      'the first viewer’s pending angle is gone',
    ).to.equal(0);
  });

  it('a viewer removed with a drawing pending leaves the page’s tools free', async () => {
    const first = await pairWithPartner('v-removed', false);
    first.tools.tool = 'length';
    await first.tools.toolReady;
    await click(at(first.viewer, 100, 100));
    await settle(600);
    first.viewer.parentElement!.remove();
    await settle(400);
    const next = await pairWithPartner('v-after-removed', false);
    next.tools.tool = 'length';
    await next.tools.toolReady;
    await sendWheel(at(next.viewer, 128, 40), 100);
    await until(() => next.viewer.sliceIndex === START + 1, 5000, 'wheel after the removal');
    await drag(at(next.viewer, 60, 70), at(next.viewer, 130, 90));
    await settle(700);
    expect(next.tools.measurements).to.have.length(1);
    expectEachOnItsSlice(next.viewer, next.tools.measurements);
  });
});
