/**
 * Cobb angle and freehand ROI drawn with real pointer events on the phantom, checked against
 * the geometry of the construction and the phantom's ground truth; ROI values cross-checked
 * against Cornerstone's own statistics (`cachedStats`).
 */
import { expect } from '@open-wc/testing';
import type { MeasurementAddEvent } from '@secondread/measurement-tools';
import { nextEvent, testEnv, until } from '../ct-viewer/helpers.ts';
import { engineRoiStatistics, type EngineRoiStatistics } from '../../packages/cornerstone/src/annotation-tools.ts';
import { drag, mountPair, pagePoint, parkMouse, showSeries, showSlice, trace, type Pair } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;
const phantom = {
  studyUid: truth.studyInstanceUid,
  seriesUid: truth.seriesInstanceUid,
  columns: truth.columns,
  rows: truth.rows,
};

async function phantomPair(id: string): Promise<Pair> {
  const pair = await mountPair(id);
  await showSeries(pair.viewer, env.dicomwebRoot!, phantom);
  return pair;
}

/** Page point of a patient position (x, y in mm) on an axial phantom slice. */
function at(pair: Pair, xMm: number, yMm: number): [number, number] {
  const [x0, y0] = truth.firstImagePositionPatient;
  return pagePoint(pair.viewer, phantom, (xMm - x0) / truth.pixelSpacingMm[1], (yMm - y0) / truth.pixelSpacingMm[0]);
}

/** Shoelace area of a polygon given in mm. */
function shoelaceMm2(points: readonly (readonly [number, number])[]): number {
  let twice = 0;
  points.forEach(([x1, y1], i) => {
    const [x2, y2] = points[(i + 1) % points.length]!;
    twice += x1 * y2 - x2 * y1;
  });
  return Math.abs(twice) / 2;
}

/** Cornerstone computes `cachedStats` while it renders: wait for them, then for the trailing recomputation. */
async function engineStatsOf(id: string): Promise<EngineRoiStatistics> {
  await until(() => engineRoiStatistics(id) !== null, 10_000, `Cornerstone statistics of ${id}`);
  await new Promise((r) => setTimeout(r, 300));
  return engineRoiStatistics(id)!;
}

describe('<measurement-tools> geometry on the phantom', () => {
  it('measures a Cobb angle of a known 30° construction within 0.5°', async () => {
    const pair = await phantomPair('v-cobb');
    await showSlice(pair.viewer, 30);
    pair.tools.tool = 'cobb-angle';
    await pair.tools.toolReady;
    const added = nextEvent<MeasurementAddEvent>(pair.tools, 'ct-measurement-add');
    // Line 1 horizontal, line 2 rising at 30°; both 100 mm long (250 CSS px, so whole-pixel
    // pointer positions move each direction by < 0.2°).
    const slope = Math.tan((30 * Math.PI) / 180);
    await drag(at(pair, -90, -70), at(pair, 10, -70));
    await drag(at(pair, -90, -10), at(pair, 10, -10 + 100 * slope));
    await parkMouse();
    const { measurement } = (await added).detail;
    expect(measurement.kind).to.equal('cobb-angle');
    expect(measurement.points).to.have.length(4);
    expect(measurement.values.angleDeg).to.be.closeTo(30, 0.5);
    // The lines end where they were drawn (within one CSS pixel, 0.4 mm).
    const ends: [number, number][] = [
      [-90, -70],
      [10, -70],
      [-90, -10],
      [10, -10 + 100 * slope],
    ];
    measurement.points.forEach((p, i) => {
      expect(p[0]).to.be.closeTo(ends[i]![0], 0.5);
      expect(p[1]).to.be.closeTo(ends[i]![1], 0.5);
    });
    await until(() => pair.tools.shadowRoot!.querySelector('[part=item] .values')?.textContent?.includes('°') ?? false);
    expect(pair.tools.shadowRoot!.querySelector('[part=item] .values')!.textContent).to.match(/(29\.\d|30(\.\d)?)°/);
  });

  it('measures a freehand polygon: area within 2 % of the analytic area, HU mean of the uniform region within 1 HU, as Cornerstone does', async () => {
    const pair = await phantomPair('v-freehand');
    const uniform = truth.regions.uniform;
    await showSlice(pair.viewer, uniform.suggestedRoi.sliceIndex);
    pair.tools.tool = 'freehand-roi';
    await pair.tools.toolReady;
    // An irregular pentagon well inside the uniform (liver-like) ellipse.
    const polygon: [number, number][] = [
      [-70, -20],
      [-20, -30],
      [-5, 5],
      [-30, 25],
      [-65, 15],
    ];
    for (const [x, y] of polygon) {
      const [cx, cy] = uniform.centerMm;
      const [rx, ry] = uniform.radiiMm;
      expect(((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2, 'vertex inside the uniform region').to.be.below(0.8);
    }
    const added = nextEvent<MeasurementAddEvent>(pair.tools, 'ct-measurement-add');
    await trace([...polygon, polygon[0]!].map(([x, y]) => at(pair, x, y)));
    await parkMouse();
    const { measurement } = (await added).detail;
    expect(measurement.kind).to.equal('freehand-roi');
    expect(measurement.points.length).to.be.at.least(polygon.length);
    const analytic = shoelaceMm2(polygon);
    expect(measurement.values.areaMm2).to.be.closeTo(analytic, 0.02 * analytic);
    expect(measurement.values.meanHu).to.be.closeTo(uniform.hu, 1);
    expect(measurement.values.stdHu).to.be.closeTo(0, 1);
    expect(measurement.values.minHu).to.equal(uniform.hu);
    expect(measurement.values.maxHu).to.equal(uniform.hu);
    // About one pixel per mm²: the pixel count agrees with the area.
    expect(measurement.values.pixelCount).to.be.closeTo(analytic, 0.03 * analytic);

    // Cornerstone's own statistics of the same annotation: same HU, area within 1 %.
    const engine = await engineStatsOf(measurement.id);
    expect(engine.meanHu).to.be.closeTo(measurement.values.meanHu!, 0.5);
    expect(engine.stdHu).to.be.closeTo(measurement.values.stdHu!, 0.5);
    expect(engine.areaMm2).to.be.closeTo(measurement.values.areaMm2!, 0.01 * measurement.values.areaMm2!);
  });

  it('agrees with Cornerstone on ellipse and rectangle ROI statistics in the uniform region', async () => {
    const pair = await phantomPair('v-roi-engine');
    const roi = truth.regions.uniform.suggestedRoi;
    await showSlice(pair.viewer, roi.sliceIndex);
    const [cx, cy] = roi.centerMm;
    pair.tools.tool = 'ellipse-roi';
    await pair.tools.toolReady;
    let added = nextEvent<MeasurementAddEvent>(pair.tools, 'ct-measurement-add');
    await drag(at(pair, cx - 10, cy), at(pair, cx + 5, cy + 12));
    const ellipse = (await added).detail.measurement;
    pair.tools.tool = 'rectangle-roi';
    await pair.tools.toolReady;
    added = nextEvent<MeasurementAddEvent>(pair.tools, 'ct-measurement-add');
    await drag(at(pair, cx - 30, cy - 25), at(pair, cx - 15, cy - 15));
    const rectangle = (await added).detail.measurement;
    await parkMouse();
    for (const m of [ellipse, rectangle]) {
      const engine = await engineStatsOf(m.id);
      expect(m.values.meanHu, m.kind).to.equal(truth.regions.uniform.hu);
      expect(engine.meanHu, m.kind).to.be.closeTo(m.values.meanHu!, 0.5);
      expect(engine.stdHu, m.kind).to.be.closeTo(m.values.stdHu!, 0.5);
      expect(engine.minHu, m.kind).to.equal(m.values.minHu);
      expect(engine.maxHu, m.kind).to.equal(m.values.maxHu);
      expect(engine.areaMm2, m.kind).to.be.closeTo(m.values.areaMm2!, 0.01 * m.values.areaMm2!);
    }
  });
});
