import { expect } from '@open-wc/testing';
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
});
