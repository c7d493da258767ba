/**
 * On LIDC-IDRI-0001 through Orthanc: every tool drawn with real pointer events, the values read
 * from the events, saved as JSON and loaded into a fresh viewer and toolbar, which must show the
 * same values and the same picture (image and annotations, compared pixel by pixel).
 */
import { expect } from '@open-wc/testing';
import {
  computeGeometry,
  isRoiKind,
  measurementPixelValues,
  type Measurement,
  type MeasurementDocument,
} from '@secondread/core';
import type { MeasurementAddEvent } from '@secondread/measurement-tools';
import { nextEvent, testEnv, until } from '../ct-viewer/helpers.ts';
import { engineRoiStatistics } from '../../packages/cornerstone/src/annotation-tools.ts';
import {
  annotationSvg,
  click,
  differingPixels,
  drag,
  mountPair,
  pagePoint,
  parkMouse,
  settle,
  showSeries,
  showSlice,
  trace,
  viewerPicture,
  type Pair,
  type SeriesRef,
} from './helpers.ts';

const env = await testEnv();
const lidcSeries = env.studies.find((s) => s.source === 'lidc-ct');
const phantomTruth = env.phantom.baseline.truth;
/**
 * LIDC-IDRI-0001 through Orthanc; on a machine without the shared data, the generated phantom
 * (same gestures, scaled to its 256 × 256 images).
 */
const lidc: SeriesRef = lidcSeries
  ? { studyUid: lidcSeries.studyUid, seriesUid: lidcSeries.seriesUid, columns: 512, rows: 512 }
  : {
      studyUid: phantomTruth.studyInstanceUid,
      seriesUid: phantomTruth.seriesInstanceUid,
      columns: phantomTruth.columns,
      rows: phantomTruth.rows,
    };
const dataName = lidcSeries ? 'LIDC-IDRI-0001' : 'the phantom (no shared data here)';
/** Gesture coordinates are written for 512 × 512 images. */
const GESTURE_SCALE = lidc.columns / 512;
const SLICE = lidcSeries ? 70 : 30;
const SIZE = 512;

/**
 * Largest number of differing pixels (any channel off by > 48 of 255) between the drawn and
 * the reloaded picture of 512 × 512. The two are expected to be identical; the slack covers
 * anti-aliasing of text. One measurement moved by 2 mm (≈ 3 px) changes several hundred
 * pixels, which the negative check below proves.
 */
const PICTURE_TOLERANCE_PX = 40;

async function lidcPair(id: string): Promise<Pair> {
  const pair = await mountPair(id, SIZE);
  await showSeries(pair.viewer, env.dicomwebRoot!, lidc);
  await showSlice(pair.viewer, SLICE);
  return pair;
}

function annotationIds(pair: Pair): Set<string> {
  return new Set(
    [...annotationSvg(pair.viewer).querySelectorAll('[data-annotation-uid]')].map(
      (e) => e.getAttribute('data-annotation-uid') ?? '',
    ),
  );
}

/** Draws one of each tool, in its own part of the image (image pixel coordinates). */
async function drawEveryTool(pair: Pair): Promise<Measurement[]> {
  const p = (column: number, row: number): [number, number] =>
    pagePoint(pair.viewer, lidc, column * GESTURE_SCALE, row * GESTURE_SCALE);
  const drawn: Measurement[] = [];
  const gestures: [Measurement['kind'], () => Promise<void>][] = [
    ['ellipse-roi', () => drag(p(80, 320), p(105, 342))],
    // Each gesture starts clear of the text boxes drawn before it (they sit to the right of
    // their annotation, as wide as the machine's fonts make them: DejaVu is wider than most).
    ['rectangle-roi', () => drag(p(270, 300), p(310, 338))],
    ['freehand-roi', () => trace([p(60, 392), p(112, 386), p(118, 440), p(66, 446), p(60, 392)])],
    ['length', () => drag(p(60, 110), p(130, 150))],
    [
      'angle',
      async () => {
        await drag(p(250, 100), p(300, 100));
        await click(p(300, 155));
      },
    ],
    [
      'cobb-angle',
      async () => {
        await drag(p(60, 200), p(130, 200));
        await drag(p(60, 240), p(130, 265));
      },
    ],
    ['bidirectional', () => drag(p(250, 210), p(320, 232))],
    ['probe', () => click(p(330, 440))],
    ['arrow', () => drag(p(470, 345), p(496, 305))],
    ['label', () => click(p(420, 180))],
  ];
  pair.tools.annotationText = 'see prior';
  for (const [kind, gesture] of gestures) {
    pair.tools.tool = kind;
    await pair.tools.toolReady;
    const added = nextEvent<MeasurementAddEvent>(pair.tools, 'ct-measurement-add', 10_000);
    await gesture();
    const { measurement } = (
      await added.catch((error: Error) => {
        throw new Error(`${kind}: ${error.message}`);
      })
    ).detail;
    expect(measurement.kind, kind).to.equal(kind);
    drawn.push(measurement);
  }
  pair.tools.tool = 'none';
  // Clicking a label selects it (Cornerstone draws it in the selection colour): deselect, as a
  // fresh viewer shows nothing selected.
  pair.viewer.annotations!.select(null);
  await parkMouse(pair.viewer);
  return drawn;
}

/**
 * The picture once the annotations are drawn (`count` of them carry an SVG group with their id:
 * text boxes) and Cornerstone's statistics have settled.
 */
async function settledPicture(pair: Pair, count: number): Promise<ImageData> {
  await until(() => annotationIds(pair).size === count, 10_000, `${count} annotation groups drawn`);
  await settle(500);
  return viewerPicture(pair.viewer);
}

describe(`<measurement-tools> on ${dataName}: draw, save, reload`, () => {
  it('draws every tool, and a fresh viewer loaded from the JSON shows the same values and the same picture', async () => {
    const a = await lidcPair('lidc-draw');
    const drawn = await drawEveryTool(a);
    expect(drawn.map((m) => m.kind)).to.have.length(10);
    const sop = a.viewer.seriesModel!.instances[SLICE]!.sopInstanceUid;
    for (const m of drawn) {
      expect(m.sopInstanceUid, m.kind).to.equal(sop);
      expect(m.seriesUid).to.equal(lidc.seriesUid);
    }
    // Values that mean something on this image: sizes in mm and HU in the CT range.
    const byKind = new Map(drawn.map((m) => [m.kind, m]));
    const columnSpacingMm = lidcSeries ? 0.703125 : phantomTruth.pixelSpacingMm[1];
    expect(byKind.get('length')!.values.lengthMm).to.be.closeTo(
      Math.hypot(70, 40) * GESTURE_SCALE * columnSpacingMm,
      1.5,
    );
    expect(byKind.get('angle')!.values.angleDeg).to.be.closeTo(90, 2);
    expect(byKind.get('cobb-angle')!.values.angleDeg).to.be.closeTo((Math.atan2(25, 70) * 180) / Math.PI, 1);
    for (const kind of ['ellipse-roi', 'rectangle-roi', 'freehand-roi'] as const) {
      const { values } = byKind.get(kind)!;
      expect(values.meanHu, kind).to.be.within(-1100, 3000);
      // The smallest ROI covers ~25 × 22 px of 512 (about 12 × 11 px of the phantom's 256).
      expect(values.areaMm2, kind).to.be.greaterThan(lidcSeries ? 100 : 60);
      expect(values.pixelCount, kind).to.be.greaterThan(lidcSeries ? 100 : 60);
    }
    expect(byKind.get('probe')!.values.hu).to.be.a('number');
    expect(byKind.get('arrow')!.text).to.equal('see prior');
    expect(byKind.get('label')!.text).to.equal('see prior');
    await settle(500);
    const groups = annotationIds(a).size;
    expect(groups, 'annotation groups with text').to.be.at.least(7);
    const pictureA = await settledPicture(a, groups);
    const finalA = a.tools.measurements;

    // Save and reload into a fresh viewer + toolbar.
    const json = JSON.parse(JSON.stringify(a.tools.toJSON())) as MeasurementDocument;
    const b = await lidcPair('lidc-reload');
    let changesAfterLoad = 0;
    b.tools.addEventListener('ct-measurement-change', () => changesAfterLoad++);
    b.tools.loadJSON(json);
    expect(b.tools.measurements.map((m) => m.id)).to.deep.equal(finalA.map((m) => m.id));
    await until(
      () => b.viewer.annotations?.slicePixels(sop) != null,
      10_000,
      'pixels of the slice in the fresh viewer',
    );
    const slice = b.viewer.annotations!.slicePixels(sop)!;
    for (const before of finalA) {
      const after = b.tools.store.get(before.id)!;
      expect(after.values, before.kind).to.deep.equal(before.values);
      expect(after.points, before.kind).to.deep.equal(before.points);
      // Recomputed from the fresh viewer's own pixels and the saved points: the same numbers.
      const recomputed = {
        ...measurementPixelValues(after.kind, after.points, slice),
        ...computeGeometry(after.kind, after.points, after.imageOrientationPatient),
      };
      for (const [key, value] of Object.entries(recomputed)) {
        expect((before.values as Record<string, number>)[key], `${before.kind} ${key}`).to.be.closeTo(value, 1e-9);
      }
    }
    const pictureB = await settledPicture(b, groups);
    // Drawing the loaded set (Cornerstone recomputes ROI statistics) is not an edit.
    expect(changesAfterLoad, 'change events after loading').to.equal(0);
    expect(b.tools.store.canUndo, 'undo steps after loading').to.equal(false);
    const difference = differingPixels(pictureA, pictureB);
    expect(difference, 'pixels differing between drawn and reloaded').to.be.at.most(PICTURE_TOLERANCE_PX);

    // Cornerstone's own statistics, in the drawing and in the reloading viewer, agree with the
    // model's (real texture: mean and SD within 0.5 HU, min and max equal, area within 1 %).
    for (const pair of [a, b]) {
      const element = pair.viewer.shadowRoot!.querySelector<HTMLDivElement>('.engine')!;
      for (const m of pair.tools.measurements.filter((x) => isRoiKind(x.kind))) {
        await until(() => engineRoiStatistics(m.id, element) !== null, 10_000, `statistics of ${m.kind}`);
        const engine = engineRoiStatistics(m.id, element)!;
        expect(engine.meanHu, `${m.kind} mean`).to.be.closeTo(m.values.meanHu!, 0.5);
        expect(engine.stdHu, `${m.kind} SD`).to.be.closeTo(m.values.stdHu!, 0.5);
        expect(engine.minHu, `${m.kind} min`).to.equal(m.values.minHu);
        expect(engine.maxHu, `${m.kind} max`).to.equal(m.values.maxHu);
        expect(engine.areaMm2, `${m.kind} area`).to.be.closeTo(m.values.areaMm2!, 0.01 * m.values.areaMm2!);
      }
    }

    // Negative check: the same set with one measurement moved by 2 mm must exceed the tolerance.
    const lengthIndex = json.measurements.findIndex((m) => m.kind === 'length');
    const moved: MeasurementDocument = {
      ...json,
      measurements: json.measurements.map((m, i) =>
        i === lengthIndex ? { ...m, points: m.points.map(([x, y, z]) => [x + 2, y, z] as const) } : m,
      ),
    };
    b.tools.loadJSON(moved);
    await settle(300);
    const pictureMoved = await settledPicture(b, groups);
    const movedDifference = differingPixels(pictureA, pictureMoved);
    expect(movedDifference, 'a length moved by 2 mm is caught').to.be.greaterThan(PICTURE_TOLERANCE_PX * 3);
    console.log(`picture difference: reloaded ${difference} px, one length moved 2 mm ${movedDifference} px`);
  });
});
