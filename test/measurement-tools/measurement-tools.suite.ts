/**
 * The shared `<measurement-tools>` suite: the toolbar's core behaviour, run against any class and
 * tag, bound by `for=` to a viewer of any class and tag (the registered defaults, and a vendor's
 * subclasses under their own tags: `default-tag.test.ts`, `vendor-tag.test.ts`). Real data: the
 * phantom from the test Orthanc, drawn on with real pointer events.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { createMeasurement, type Measurement, type Vec3 } from '@secondread/core';
import type { CtViewer } from '@secondread/ct-viewer';
import { OWN_LAYER, type MeasurementTools } from '@secondread/measurement-tools';
import { FakeEngine } from '../support/fake-engine.ts';
import { nextEvent, testEnv, until } from '../support/browser-helpers.ts';
import { loadPhantom, wcagViolations } from '../ct-viewer/ct-viewer.suite.ts';
import { drag, pagePoint, seriesRefOf, showSlice } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;
const nodule = truth.nodules[0]!;
const series = seriesRefOf(truth);

/** Continuous image coordinates of an axial patient point of the phantom. */
function pixelOf(xMm: number, yMm: number): [number, number] {
  return [
    (xMm - truth.firstImagePositionPatient[0]) / truth.pixelSpacingMm[1],
    (yMm - truth.firstImagePositionPatient[1]) / truth.pixelSpacingMm[0],
  ];
}

/** A horizontal line of `lengthMm` through the nodule, on its slice. */
function lineThroughNodule(lengthMm: number): [Vec3, Vec3] {
  const z = truth.instances[nodule.sliceIndex]!.imagePositionPatient[2];
  const [x, y] = nodule.centerMm;
  return [
    [x - lengthMm / 2, y, z],
    [x + lengthMm / 2, y, z],
  ];
}

/** A length of `lengthMm` through the nodule, as JSON from elsewhere would give it. */
function lengthMeasurement(id: string, lengthMm: number): Measurement {
  return createMeasurement(
    {
      kind: 'length',
      points: lineThroughNodule(lengthMm),
      studyUid: truth.studyInstanceUid,
      seriesUid: truth.seriesInstanceUid,
      sopInstanceUid: nodule.sopInstanceUid,
      frameOfReferenceUid: truth.frameOfReferenceUid,
      readerId: 'reader',
    },
    { id },
  );
}

/** The mm of the length the list shows for `id` (`Length 15.0 mm`). */
function listedLengthMm(tools: MeasurementTools, id: string): number {
  const text = tools.shadowRoot!.querySelector(`[part=item][data-id="${id}"] .values`)?.textContent ?? '';
  const match = /Length\s(\d+(?:\.\d+)?)\smm/.exec(text);
  if (!match) throw new Error(`no length in the list item of ${id}: "${text}"`);
  return Number(match[1]);
}

export interface ViewerUnderTest {
  readonly Viewer: typeof CtViewer;
  readonly tag: string;
}

let counter = 0;

export function measurementToolsSuite(Tools: typeof MeasurementTools, tag: string, viewer: ViewerUnderTest): void {
  /**
   * A viewer (640 px square) and the tools under test bound to it: by `for`, or `nested` in it
   * (no `for`).
   */
  async function mountPair(
    options: { engine?: FakeEngine; nested?: boolean } = {},
  ): Promise<{ viewer: CtViewer; tools: MeasurementTools }> {
    const { engine, nested = false } = options;
    const root = await fixture<HTMLDivElement>(html`<div style="display:flex;gap:8px"></div>`);
    const v = document.createElement(viewer.tag) as CtViewer;
    const tools = document.createElement(tag) as MeasurementTools;
    expect(v).to.be.instanceOf(viewer.Viewer);
    expect(tools).to.be.instanceOf(Tools);
    v.id = `suite-viewer-${++counter}`;
    v.setAttribute('hide-toolbar', '');
    v.style.cssText = 'display:block;width:640px;height:640px';
    if (engine) v.engine = engine;
    tools.style.width = '260px';
    if (nested) {
      v.append(tools);
      root.append(v);
    } else {
      tools.setAttribute('for', v.id);
      root.append(v, tools);
    }
    await Promise.all([v.updateComplete, tools.updateComplete]);
    return { viewer: v, tools };
  }

  describe(`<${tag}> on <${viewer.tag}> (the <measurement-tools> suite)`, () => {
    it('draws a length across the nodule with the mouse and lists it with its mm', async () => {
      const { viewer: v, tools } = await mountPair();
      await loadPhantom(v);
      await showSlice(v, nodule.sliceIndex);
      tools.tool = 'length';
      await tools.toolReady;
      const added = nextEvent(tools, 'ct-measurement-add');
      const [a, b] = lineThroughNodule(15);
      await drag(pagePoint(v, series, ...pixelOf(a[0], a[1])), pagePoint(v, series, ...pixelOf(b[0], b[1])));
      const { measurement } = (await added).detail;
      expect(measurement.kind).to.equal('length');
      expect(measurement.sopInstanceUid).to.equal(nodule.sopInstanceUid);
      // Whole CSS pixels of the mouse: within a pixel's spacing of 15 mm.
      expect(measurement.values.lengthMm).to.be.closeTo(15, 2 * truth.pixelSpacingMm[0]);
      await tools.updateComplete;
      expect(listedLengthMm(tools, measurement.id)).to.be.closeTo(measurement.values.lengthMm!, 0.05);
    });

    it('shows measurements loaded as JSON with the values computed from their points', async () => {
      const { viewer: v, tools } = await mountPair();
      await loadPhantom(v);
      const loaded = lengthMeasurement('loaded-1', 20);
      tools.measurements = [loaded];
      await tools.updateComplete;
      expect(tools.measurements.map((m) => m.id)).to.deep.equal(['loaded-1']);
      expect(tools.measurements[0]!.values.lengthMm).to.be.closeTo(20, 1e-6);
      expect(listedLengthMm(tools, 'loaded-1')).to.equal(20);
      // And it is drawn on the viewer, on the nodule's slice.
      await showSlice(v, nodule.sliceIndex);
      const label = (): string =>
        v.shadowRoot!.querySelector('svg.svg-layer g[data-annotation-uid="loaded-1"] text')?.textContent ?? '';
      await until(() => /\b20(\.0+)?\smm/.test(label()), 10_000, 'the length drawn with its value');
    });

    it('has no WCAG 2 A/AA violations with a measurement listed', async () => {
      const { viewer: v, tools } = await mountPair();
      await loadPhantom(v);
      tools.measurements = [lengthMeasurement('a11y-1', 12)];
      tools.tool = 'length';
      await tools.toolReady;
      expect(tools.shadowRoot!.querySelectorAll('[part=item]')).to.have.length(1);
      expect(await wcagViolations(tools)).to.deep.equal([]);
    });

    it('nested in a viewer on a fake engine (given through `engine`): tool, drawing, values, list', async () => {
      const engine = new FakeEngine();
      // Nested, without `for`: the tools find the viewer they are in.
      const { viewer: v, tools } = await mountPair({ engine, nested: true });
      await loadPhantom(v);
      const fake = engine.viewports[0]!.annotations;
      tools.tool = 'length';
      await tools.toolReady;
      expect(fake.tool).to.equal('length');
      const added = nextEvent(tools, 'ct-measurement-add');
      fake.draw({
        id: 'fake-1',
        kind: 'length',
        points: lineThroughNodule(18),
        sopInstanceUid: nodule.sopInstanceUid,
        frameOfReferenceUid: truth.frameOfReferenceUid,
      });
      const { measurement } = (await added).detail;
      expect(measurement.id).to.equal('fake-1');
      expect(measurement.values.lengthMm).to.be.closeTo(18, 1e-6);
      await tools.updateComplete;
      expect(listedLengthMm(tools, 'fake-1')).to.equal(18);
      // Measurements loaded as JSON go to the engine as the reader's own layer.
      tools.measurements = [...tools.measurements, lengthMeasurement('json-1', 10)];
      await until(
        () => (fake.layers.get(OWN_LAYER)?.annotations ?? []).map((a) => a.id).includes('json-1'),
        5000,
        'the loaded measurement shown on the fake engine',
      );
      expect(fake.layers.get(OWN_LAYER)!.options.locked).to.equal(false);
    });
  });
}
