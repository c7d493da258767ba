/**
 * A DICOM SEG as the first reading: a real LIDC reader's nodule outline on LIDC-IDRI-0001 (or,
 * on a machine without the shared data, a SEG the test support writes from the phantom), and a
 * second reading drawn across the same nodule with real pointer events.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import '@secondread/opinion-report/define.js';
import {
  findingCentre,
  parseSegmentation,
  patientToPixel,
  segmentationToReading,
  type Finding,
  type SeriesModel,
} from '@secondread/core';
import type { CtViewer } from '@secondread/ct-viewer';
import type { MeasurementAddEvent, MeasurementTools } from '@secondread/measurement-tools';
import type { OpinionReport } from '@secondread/opinion-report';
import { nextEvent, seriesLoaded, testEnv, until } from '../ct-viewer/helpers.ts';
import { drag, pagePoint, showSlice } from '../measurement-tools/helpers.ts';

const env = await testEnv();
const lidcSeries = env.studies.find((s) => s.source === 'lidc-ct');
const useLidc = Boolean(env.segmentations.lidc && lidcSeries);
const segUrl = useLidc ? env.segmentations.lidc! : env.segmentations.phantom;
const series = useLidc
  ? { studyUid: lidcSeries!.studyUid, seriesUid: lidcSeries!.seriesUid }
  : { studyUid: env.phantom.baseline.truth.studyInstanceUid, seriesUid: env.phantom.baseline.truth.seriesInstanceUid };

/** The outline points of a SEG finding on one image, as image pixels. */
function outlinePixels(
  finding: Finding,
  model: SeriesModel,
  sopInstanceUid: string,
): { column: number; row: number }[] {
  const instance = model.instances.find((i) => i.sopInstanceUid === sopInstanceUid)!;
  const outline = finding.location.measurements.find((m) => m.sopInstanceUid === sopInstanceUid)!;
  return outline.points.map((p) =>
    patientToPixel(instance.imagePositionPatient!, instance.imageOrientationPatient!, model.pixelSpacingMm!, p),
  );
}

describe(`<opinion-report> with a DICOM SEG as the first reading (${useLidc ? 'LIDC-IDRI-0001' : 'phantom'})`, () => {
  it('shows the SEG locked in the first viewer and matches a second reading drawn across the nodule', async () => {
    const root = await fixture<HTMLDivElement>(html`
      <div style="display:grid;grid-template-columns:420px 420px 420px;gap:6px">
        <ct-viewer id="seg-first" hide-toolbar style="height:420px"></ct-viewer>
        <div>
          <ct-viewer id="seg-second" hide-toolbar style="height:420px"></ct-viewer>
          <measurement-tools for="seg-second" reader-id="second"></measurement-tools>
        </div>
        <opinion-report
          for="seg-first seg-second"
          reader-name="Dr B. Second"
          default-category="nodule"
          no-autosave
        ></opinion-report>
      </div>
    `);
    const [first, second] = [...root.querySelectorAll('ct-viewer')] as [CtViewer, CtViewer];
    const tools = root.querySelector<MeasurementTools>('measurement-tools')!;
    const report = root.querySelector<OpinionReport>('opinion-report')!;
    await Promise.all(
      [first, second].map((viewer) => {
        const loaded = seriesLoaded(viewer);
        viewer.dicomwebRoot = env.dicomwebRoot!;
        viewer.studyUid = series.studyUid;
        viewer.seriesUid = series.seriesUid;
        return loaded;
      }),
    );

    // The first reading is the SEG, parsed in the browser.
    const segmentation = parseSegmentation(await (await fetch(segUrl)).arrayBuffer());
    const reading = segmentationToReading(segmentation, { role: 'first', reader: { name: 'LIDC reader (SEG)' } });
    expect(reading.studyUid).to.equal(series.studyUid);
    report.first = reading;
    await report.ready;
    const nodule = reading.findings[0]!;
    expect(nodule.category).to.equal('nodule');

    // The slice through the middle of the nodule, and the outline there.
    const model = second.seriesModel!;
    const centre = findingCentre(nodule)!;
    const outlines = nodule.location.measurements;
    const middle = outlines.reduce((best, m) =>
      Math.abs(m.points[0]![2] - centre[2]) < Math.abs(best.points[0]![2] - centre[2]) ? m : best,
    );
    const sliceIndex = model.instances.findIndex((i) => i.sopInstanceUid === middle.sopInstanceUid);
    expect(sliceIndex).to.be.at.least(0);
    await showSlice(first, sliceIndex);
    await showSlice(second, sliceIndex);

    // The outline is drawn (locked) in the first viewer, not in the second (no overlay).
    const svgShapes = (viewer: CtViewer): number =>
      viewer.shadowRoot!.querySelector('svg.svg-layer')?.querySelectorAll('path, polyline, polygon, line').length ?? 0;
    await until(() => svgShapes(first) > 0, 10_000, 'SEG outline drawn in the first viewer');
    expect(svgShapes(second)).to.equal(0);

    // The second reader draws the nodule's widest horizontal extent on that slice.
    const pixels = outlinePixels(nodule, model, middle.sopInstanceUid);
    const rowMid = (Math.min(...pixels.map((p) => p.row)) + Math.max(...pixels.map((p) => p.row))) / 2;
    const left = Math.min(...pixels.map((p) => p.column));
    const right = Math.max(...pixels.map((p) => p.column));
    tools.tool = 'length';
    await tools.toolReady;
    const added = nextEvent<MeasurementAddEvent>(tools, 'ct-measurement-add');
    const ref = { ...series, columns: model.columns, rows: model.rows };
    // Outline points are pixel edges: the extent runs from edge to edge, pixel centres ± 0.5.
    await drag(pagePoint(second, ref, left, rowMid), pagePoint(second, ref, right, rowMid));
    const line = (await added).detail.measurement;
    const spacing = model.pixelSpacingMm![1];
    expect(line.values.lengthMm).to.be.closeTo((right - left) * spacing, 2 * spacing);

    // Matched to the SEG's nodule, with the size difference reported.
    await until(
      () => report.opinion!.concordance.pairs.some((p) => p.firstFindingId && p.secondFindingId),
      5000,
      'pair',
    );
    const pair = report.opinion!.concordance.pairs.find((p) => p.firstFindingId === nodule.id)!;
    expect(pair.secondFindingId).to.be.a('string');
    expect(['distance', 'overlap']).to.include(pair.method);
    expect(pair.distanceMm).to.be.lessThan(10);
    expect(pair.sizeDeltaMm).to.be.a('number');
    expect(pair.verdict).to.equal('agree');
    // Every other segment of the SEG stays unconfirmed by the second reader.
    for (const other of report.opinion!.concordance.pairs.filter((p) => p !== pair)) {
      expect(other.secondFindingId).to.equal(undefined);
      expect(other.verdict).to.equal('not-confirmed-by-second');
    }
    // Overlaid on the second reader's images on request, and taken away again.
    const ownShapes = svgShapes(second);
    report.overlayFirst = true;
    await until(() => svgShapes(second) > ownShapes, 5000, 'first reading overlaid on the second viewer');
    report.overlayFirst = false;
    await until(() => svgShapes(second) === ownShapes, 5000, 'overlay removed');

    const text = report.shadowRoot!.textContent!;
    expect(text).to.include('LIDC reader (SEG)');
    expect(text).to.match(/cm³ \(SEG\)/);
  });
});
