import { expect } from '@open-wc/testing';
import {
  createMeasurement,
  MAX_MEASUREMENTS_PER_LOAD,
  MAX_POINTS_PER_MEASUREMENT,
  MeasurementError,
  serializeMeasurements,
  type Measurement,
  type Vec3,
} from '@secondread/core';
import type { MeasurementAddEvent } from '@secondread/measurement-tools';
import { canvasStats, nextEvent, pixelToCss, testEnv, until } from '../ct-viewer/helpers.ts';
import { nextFrames, watchMisuse } from '../support/misuse.ts';
import { drag, mountPair, pagePoint, showSeries, showSlice } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;
const nodule = truth.nodules[0]!;
const phantom = {
  studyUid: truth.studyInstanceUid,
  seriesUid: truth.seriesInstanceUid,
  columns: truth.columns,
  rows: truth.rows,
};

/** Assigns a value whatever its declared type: what a careless host page's script does. */
const set = (target: object, key: string, value: unknown): void => void Reflect.set(target, key, value);

describe('<measurement-tools> used wrongly', () => {
  it('ignores invalid tools, measurements and locales with one warning each, and still measures', async function () {
    this.timeout(120_000);
    const { viewer, tools } = await mountPair('v-misuse');
    await showSeries(viewer, env.dicomwebRoot!, phantom);
    await showSlice(viewer, nodule.sliceIndex);
    tools.tool = 'length';
    await tools.toolReady;
    const [x, y] = pixelToCss(viewer, truth.columns, truth.rows, nodule.insideVoxel[0], nodule.insideVoxel[1]);
    await until(() => viewer.valueAt(x, y) === nodule.hu, 10_000, 'nodule HU');
    await nextFrames();
    const before = canvasStats(viewer);

    const watch = watchMisuse();
    try {
      const cases: [string, () => void][] = [
        ...['nope', '', 'LENGTH', 'toolName'].map((v): [string, () => void] => [
          `tool="${v}"`,
          () => tools.setAttribute('tool', v),
        ]),
        ['tool = 42', () => set(tools, 'tool', 42)],
        ['tool = {}', () => set(tools, 'tool', {})],
        ['measurements = "abc"', () => set(tools, 'measurements', 'abc')],
        ['measurements = {}', () => set(tools, 'measurements', {})],
        ['measurements = [{ kind: "nope" }]', () => set(tools, 'measurements', [{ kind: 'nope' }])],
        ['measurements = [null]', () => set(tools, 'measurements', [null])],
        ['locale="not a locale!"', () => tools.setAttribute('locale', 'not a locale!')],
      ];
      for (const [what, apply] of cases) {
        apply();
        await tools.updateComplete;
        await tools.toolReady;
        await nextFrames();
        const warnings = watch.takeWarnings();
        expect(warnings, `${what}: one warning`).to.have.length(1);
        expect(tools.tool, `${what}: tool`).to.equal('length');
        expect(tools.measurements, `${what}: measurements`).to.have.length(0);
        expect(viewer.valueAt(x, y), `${what}: HU`).to.equal(nodule.hu);
        const stats = canvasStats(viewer);
        expect(stats.nonBlack, `${what}: picture`).to.be.closeTo(before.nonBlack, 0.01);
        expect(stats.std, `${what}: contrast`).to.be.closeTo(before.std, before.std * 0.02);
      }
      expect(watch.pageErrors, 'no page error, no unhandled rejection').to.deep.equal([]);

      // The tool that stayed active still measures, and the list shows it in a valid locale.
      tools.setAttribute('locale', 'de_DE');
      const r = nodule.diameterMm / 2;
      const start = (nodule.centerMm[0] - r - truth.firstImagePositionPatient[0]) / truth.pixelSpacingMm[0];
      const end = (nodule.centerMm[0] + r - truth.firstImagePositionPatient[0]) / truth.pixelSpacingMm[0];
      const row = (nodule.centerMm[1] - truth.firstImagePositionPatient[1]) / truth.pixelSpacingMm[1];
      const added = nextEvent<MeasurementAddEvent>(tools, 'ct-measurement-add');
      await drag(pagePoint(viewer, phantom, start, row), pagePoint(viewer, phantom, end, row));
      const { measurement } = (await added).detail;
      expect(measurement.kind).to.equal('length');
      expect(measurement.values.lengthMm).to.be.closeTo(nodule.diameterMm, 2 * truth.pixelSpacingMm[0]);
      await until(() => tools.shadowRoot!.querySelectorAll('[part=item]').length === 1, 5000, 'list item');
      // German decimals: a comma.
      expect(tools.shadowRoot!.querySelector('[part=item] .values')!.textContent).to.match(/\d+,\d\smm/);
      expect(watch.takeWarnings(), 'a POSIX locale is read silently').to.deep.equal([]);
      expect(watch.pageErrors).to.deep.equal([]);
    } finally {
      watch.stop();
    }
  });

  it('loads up to the documented limits, and refuses more at once with a typed error', async function () {
    this.timeout(120_000);
    const { viewer, tools } = await mountPair('v-limits');
    await showSeries(viewer, env.dicomwebRoot!, phantom);
    const slice = truth.instances[nodule.sliceIndex]!;
    await showSlice(viewer, nodule.sliceIndex);
    const [x0, y0, z] = slice.imagePositionPatient;
    const reference = {
      studyUid: truth.studyInstanceUid,
      seriesUid: truth.seriesInstanceUid,
      sopInstanceUid: slice.sopInstanceUid,
      frameOfReferenceUid: truth.frameOfReferenceUid,
      imageOrientationPatient: [1, 0, 0, 0, 1, 0] as const,
      readerId: 'reader',
    };
    // Spread over every slice, as a big reading would be; a tenth on the slice shown.
    const many: Measurement[] = Array.from({ length: MAX_MEASUREMENTS_PER_LOAD }, (_, i) => {
      const on = truth.instances[i % truth.instances.length]!;
      const [x, y, zi] = on.imagePositionPatient;
      return createMeasurement({
        ...reference,
        sopInstanceUid: on.sopInstanceUid,
        kind: 'length',
        points: [
          [x + 20 + (i % 10) * 10, y + 30, zi],
          [x + 25 + (i % 10) * 10, y + 60, zi],
        ],
      });
    });
    const outline: Vec3[] = Array.from({ length: MAX_POINTS_PER_MEASUREMENT }, (_, i) => [
      x0 + 120 + 40 * Math.cos((2 * Math.PI * i) / MAX_POINTS_PER_MEASUREMENT),
      y0 + 120 + 40 * Math.sin((2 * Math.PI * i) / MAX_POINTS_PER_MEASUREMENT),
      z,
    ]);
    const freehand = createMeasurement({ ...reference, kind: 'freehand-roi', points: outline });

    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push(entry.duration);
    });
    observer.observe({ type: 'longtask', buffered: false });
    const watch = watchMisuse();
    try {
      tools.measurements = [freehand];
      await until(() => tools.shadowRoot!.querySelectorAll('[part=item]').length === 1, 10_000, 'the freehand ROI');
      await nextFrames();
      await new Promise((resolve) => setTimeout(resolve, 300));
      tools.loadJSON(JSON.parse(JSON.stringify(serializeMeasurements(many))) as unknown);
      await until(() => tools.measurements.length === MAX_MEASUREMENTS_PER_LOAD, 10_000, 'the lengths');
      await nextFrames();
      await new Promise((resolve) => setTimeout(resolve, 300));
      // What the limits cost is measured, not asserted (it depends on the machine's load: 0.2-0.7 s
      // on two shared cores); what is asserted is that anything above them costs nothing.
      longTasks.length = 0;

      // One more than the limits: refused at once with a typed error, nothing loaded.
      const tooMany = serializeMeasurements([...many, freehand]);
      let refused: unknown = null;
      let started = performance.now();
      try {
        tools.loadJSON(tooMany);
      } catch (error) {
        refused = error;
      }
      expect(performance.now() - started, 'refused at once').to.be.below(100);
      expect(refused).to.be.instanceOf(MeasurementError);
      expect((refused as MeasurementError).code).to.equal('too-large');
      const huge = JSON.parse(JSON.stringify(serializeMeasurements([freehand]))) as {
        measurements: { points: Vec3[] }[];
      };
      huge.measurements[0]!.points = Array.from({ length: 200_000 }, (_, i) => outline[i % outline.length]!);
      started = performance.now();
      expect(() => tools.loadJSON(huge)).to.throw(
        MeasurementError,
        new RegExp(`at most ${MAX_POINTS_PER_MEASUREMENT} points`),
      );
      expect(performance.now() - started, 'refused before reading the points').to.be.below(100);
      started = performance.now();
      expect(() => (tools.measurements = [{ ...freehand, points: huge.measurements[0]!.points }])).not.to.throw();
      expect(performance.now() - started, 'a property refused at once too').to.be.below(100);
      expect(watch.takeWarnings().join(' ')).to.match(new RegExp(`at most ${MAX_POINTS_PER_MEASUREMENT} points`));
      expect(tools.measurements).to.have.length(MAX_MEASUREMENTS_PER_LOAD);
      expect(watch.pageErrors).to.deep.equal([]);
      expect(
        longTasks.filter((ms) => ms > 200),
        'main-thread tasks over 200 ms',
      ).to.deep.equal([]);
    } finally {
      observer.disconnect();
      watch.stop();
    }
  });
});
