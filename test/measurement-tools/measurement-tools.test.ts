import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import { createMeasurement } from '@secondread/core';
import type { CtViewer } from '@secondread/ct-viewer';
import type { MeasurementAddEvent, MeasurementTools } from '@secondread/measurement-tools';
import { nextEvent, pixelToCss, seriesLoaded, testEnv, until } from '../ct-viewer/helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;
const nodule = truth.nodules[0]!;

interface Pair {
  viewer: CtViewer;
  tools: MeasurementTools;
}

async function pair(id: string, size = 640): Promise<Pair> {
  const root = await fixture<HTMLDivElement>(
    html`<div style="display:flex;gap:8px">
      <ct-viewer id=${id} hide-toolbar style=${`width:${size}px;height:${size}px`}></ct-viewer>
      <measurement-tools for=${id} style="width:260px"></measurement-tools>
    </div>`,
  );
  const viewer = root.querySelector<CtViewer>('ct-viewer')!;
  const tools = root.querySelector<MeasurementTools>('measurement-tools')!;
  await showPhantom(viewer);
  return { viewer, tools };
}

/** Points the viewer at the phantom baseline on Orthanc and waits for its first image. */
async function showPhantom(viewer: CtViewer): Promise<void> {
  const loaded = seriesLoaded(viewer);
  viewer.dicomwebRoot = env.dicomwebRoot!;
  viewer.studyUid = truth.studyInstanceUid;
  viewer.seriesUid = truth.seriesInstanceUid;
  await loaded;
}

/** Page coordinates of the centre of image pixel (column, row) — fractional pixels allowed. */
function pagePoint(viewer: CtViewer, column: number, row: number): [number, number] {
  const area = viewer.shadowRoot!.querySelector('.engine')!.getBoundingClientRect();
  const [x, y] = pixelToCss(viewer, truth.columns, truth.rows, column - 0.5, row - 0.5);
  return [Math.round(area.left + x), Math.round(area.top + y)];
}

async function drag(from: [number, number], to: [number, number]): Promise<void> {
  await sendMouse({ type: 'move', position: from });
  await sendMouse({ type: 'down', button: 'left' });
  for (let i = 1; i <= 6; i++) {
    const t = i / 6;
    await sendMouse({
      type: 'move',
      position: [Math.round(from[0] + (to[0] - from[0]) * t), Math.round(from[1] + (to[1] - from[1]) * t)],
    });
  }
  await sendMouse({ type: 'up', button: 'left' });
}

/** Image pixel coordinates (continuous, pixel centres at integers) of a patient point on an axial slice. */
function pixelOf(xMm: number, yMm: number): [number, number] {
  return [xMm - truth.firstImagePositionPatient[0], yMm - truth.firstImagePositionPatient[1]];
}

async function showSlice(viewer: CtViewer, index: number): Promise<void> {
  viewer.sliceIndex = index;
  await until(() => viewer.sliceIndex === index, 10_000, `slice ${index}`);
  await new Promise((r) => setTimeout(r, 200));
}

describe('<measurement-tools>', () => {
  it('measures the nodule diameter with a length drawn by real pointer events', async () => {
    const { viewer, tools } = await pair('v-length');
    await showSlice(viewer, nodule.sliceIndex);
    tools.tool = 'length';
    await tools.toolReady;
    const r = nodule.diameterMm / 2;
    const added = nextEvent<MeasurementAddEvent>(tools, 'ct-measurement-add');
    await drag(
      pagePoint(viewer, ...pixelOf(nodule.centerMm[0] - r, nodule.centerMm[1])),
      pagePoint(viewer, ...pixelOf(nodule.centerMm[0] + r, nodule.centerMm[1])),
    );
    const { measurement } = (await added).detail;
    expect(measurement.kind).to.equal('length');
    expect(measurement.points).to.have.length(2);
    expect(measurement.studyUid).to.equal(truth.studyInstanceUid);
    expect(measurement.seriesUid).to.equal(truth.seriesInstanceUid);
    expect(measurement.sopInstanceUid).to.equal(nodule.sopInstanceUid);
    // Pointer positions are whole CSS pixels (about 0.4 mm here): within one pixel spacing.
    expect(measurement.values.lengthMm).to.be.closeTo(nodule.diameterMm, truth.pixelSpacingMm[0]);
    for (const p of measurement.points) expect(p[2]).to.be.closeTo(nodule.centerMm[2], 1e-6);
    await until(() => tools.shadowRoot!.querySelectorAll('[part=item]').length === 1, 5000, 'list item');
    expect(tools.shadowRoot!.querySelector('[part=item] .values')!.textContent).to.match(/1[12](\.\d)?\smm/);
  });

  it('reports HU statistics of an ellipse inside a uniform region, and undo/redo it', async () => {
    const { viewer, tools } = await pair('v-ellipse');
    const roi = truth.regions.uniform.suggestedRoi;
    await showSlice(viewer, roi.sliceIndex);
    tools.tool = 'ellipse-roi';
    await tools.toolReady;
    const [cx, cy] = roi.centerMm;
    const [rx, ry] = roi.radiiMm;
    const added = nextEvent<MeasurementAddEvent>(tools, 'ct-measurement-add');
    // Cornerstone draws an ellipse from its centre outwards.
    await drag(pagePoint(viewer, ...pixelOf(cx, cy)), pagePoint(viewer, ...pixelOf(cx + rx, cy + ry)));
    const { measurement } = (await added).detail;
    expect(measurement.kind).to.equal('ellipse-roi');
    expect(measurement.values.meanHu).to.be.closeTo(truth.regions.uniform.hu, 1);
    expect(measurement.values.stdHu).to.be.closeTo(0, 1);
    expect(measurement.values.areaMm2).to.be.closeTo(Math.PI * rx * ry, 0.05 * Math.PI * rx * ry);

    const removed = nextEvent(tools, 'ct-measurement-remove');
    tools.undo();
    await removed;
    expect(tools.measurements).to.have.length(0);
    const again = nextEvent<MeasurementAddEvent>(tools, 'ct-measurement-add');
    tools.redo();
    expect((await again).detail.measurement.values.meanHu).to.be.closeTo(truth.regions.uniform.hu, 1);
    expect(tools.measurements).to.have.length(1);
  });

  it('reloads measurements from JSON into a fresh viewer with the same values, and locks a layer', async () => {
    const first = await pair('v-json-a');
    await showSlice(first.viewer, nodule.sliceIndex);
    first.tools.tool = 'length';
    await first.tools.toolReady;
    const added = nextEvent<MeasurementAddEvent>(first.tools, 'ct-measurement-add');
    await drag(pagePoint(first.viewer, 60, 100), pagePoint(first.viewer, 90, 130));
    const drawn = (await added).detail.measurement;
    const json = JSON.parse(JSON.stringify(first.tools.toJSON())) as unknown;

    const second = await pair('v-json-b');
    second.tools.loadJSON(json);
    expect(second.tools.measurements).to.have.length(1);
    expect(second.tools.measurements[0]!.values).to.deep.equal(drawn.values);
    expect(second.tools.measurements[0]!.points).to.deep.equal(drawn.points);

    await second.tools.addLayer('first-reader', [{ ...drawn, id: 'first-1', label: 'First reader' }], {
      color: '#ffb020',
    });
    await until(() => second.tools.shadowRoot!.querySelectorAll('[part=item]').length === 2, 5000, 'two items');
    const lockedItem = second.tools.shadowRoot!.querySelector('[data-id=first-1]')!;
    expect(lockedItem.textContent).to.include('locked');
    expect(lockedItem.querySelector('button[aria-label^=Delete]')).to.equal(null);
    (lockedItem.querySelector('button.jump') as HTMLButtonElement).click();
    second.tools.focus();
    await sendKeys({ press: 'Delete' });
    expect(second.tools.measurements.map((m) => m.id)).to.include('first-1');
  });

  it('keeps two viewers with two toolbars apart', async () => {
    const a = await pair('v-apart-a', 420);
    const b = await pair('v-apart-b', 420);
    await showSlice(a.viewer, nodule.sliceIndex);
    await showSlice(b.viewer, nodule.sliceIndex);
    a.tools.tool = 'length';
    await a.tools.toolReady;
    const added = nextEvent<MeasurementAddEvent>(a.tools, 'ct-measurement-add');
    await drag(pagePoint(a.viewer, 60, 100), pagePoint(a.viewer, 100, 140));
    await added;
    await new Promise((r) => setTimeout(r, 300));
    expect(a.tools.measurements).to.have.length(1);
    expect(b.tools.measurements).to.have.length(0);
    const lines = (v: CtViewer): number =>
      v.shadowRoot!.querySelectorAll('svg [data-annotation-uid], svg g[data-annotation-uid]').length;
    expect(lines(a.viewer)).to.be.greaterThan(0);
    expect(lines(b.viewer)).to.equal(0);
  });

  it('reports rectangle ROI statistics, a probe HU and a bidirectional long/short axis', async () => {
    const { viewer, tools } = await pair('v-more');
    const roi = truth.regions.uniform.suggestedRoi;
    await showSlice(viewer, roi.sliceIndex);
    const [cx, cy] = roi.centerMm;

    tools.tool = 'rectangle-roi';
    await tools.toolReady;
    let added = nextEvent<MeasurementAddEvent>(tools, 'ct-measurement-add');
    await drag(pagePoint(viewer, ...pixelOf(cx - 20, cy - 15)), pagePoint(viewer, ...pixelOf(cx + 20, cy + 15)));
    const rectangle = (await added).detail.measurement;
    expect(rectangle.kind).to.equal('rectangle-roi');
    expect(rectangle.values.meanHu).to.be.closeTo(truth.regions.uniform.hu, 1);
    expect(rectangle.values.areaMm2).to.be.closeTo(40 * 30, 0.06 * 40 * 30);

    tools.tool = 'probe';
    await tools.toolReady;
    added = nextEvent<MeasurementAddEvent>(tools, 'ct-measurement-add');
    const at = pagePoint(viewer, ...pixelOf(cx, cy));
    await sendMouse({ type: 'move', position: at });
    await sendMouse({ type: 'down', button: 'left' });
    await sendMouse({ type: 'up', button: 'left' });
    const probe = (await added).detail.measurement;
    expect(probe.kind).to.equal('probe');
    expect(probe.values.hu).to.equal(truth.regions.uniform.hu);

    tools.tool = 'bidirectional';
    await tools.toolReady;
    added = nextEvent<MeasurementAddEvent>(tools, 'ct-measurement-add');
    // Away from the rectangle's edges, which would otherwise be grabbed for editing.
    await drag(pagePoint(viewer, ...pixelOf(cx - 20, cy + 30)), pagePoint(viewer, ...pixelOf(cx + 20, cy + 30)));
    const bidirectional = (await added).detail.measurement;
    expect(bidirectional.kind).to.equal('bidirectional');
    expect(bidirectional.values.lengthMm).to.be.closeTo(40, truth.pixelSpacingMm[0]);
    expect(bidirectional.values.shortAxisMm).to.be.a('number');
    expect(bidirectional.values.shortAxisMm!).to.be.at.most(bidirectional.values.lengthMm!);
    expect(tools.measurements.map((m) => m.kind)).to.deep.equal(['rectangle-roi', 'probe', 'bidirectional']);
  });

  it('binds to the enclosing viewer when nested, and takes keyboard shortcuts', async () => {
    const viewer = await fixture<CtViewer>(
      html`<ct-viewer hide-toolbar style="width:420px;height:420px">
        <measurement-tools style="position:absolute;top:0;left:0;width:240px"></measurement-tools>
      </ct-viewer>`,
    );
    const tools = viewer.querySelector<MeasurementTools>('measurement-tools')!;
    await showPhantom(viewer);
    viewer.focus();
    await sendKeys({ press: 'e' });
    await until(() => tools.tool === 'ellipse-roi', 5000, 'shortcut e');
    expect(tools.shadowRoot!.querySelector('[data-tool=ellipse-roi]')!.getAttribute('aria-pressed')).to.equal('true');
    await sendKeys({ press: 'l' });
    await until(() => tools.tool === 'length', 5000, 'shortcut l');
    await sendKeys({ press: 'Escape' });
    await until(() => tools.tool === 'none', 5000, 'Escape');
    // Bound to this viewer: drawing works without a `for` attribute.
    tools.tool = 'length';
    await tools.toolReady;
    const added = nextEvent<MeasurementAddEvent>(tools, 'ct-measurement-add');
    const rect = viewer.shadowRoot!.querySelector('.engine')!.getBoundingClientRect();
    await drag(
      [Math.round(rect.left + rect.width * 0.6), Math.round(rect.top + rect.height * 0.5)],
      [Math.round(rect.left + rect.width * 0.8), Math.round(rect.top + rect.height * 0.6)],
    );
    await added;
    viewer.focus();
    const removed = nextEvent(tools, 'ct-measurement-remove');
    await sendKeys({ down: 'Control' });
    await sendKeys({ press: 'z' });
    await sendKeys({ up: 'Control' });
    await removed;
    expect(tools.measurements).to.have.length(0);
  });

  it('draws a locked layer in its own colour, dashed, and a drag cannot move it', async () => {
    const { viewer, tools } = await pair('v-layer', 420);
    const instance = viewer.seriesModel!.instances[viewer.sliceIndex]!;
    const z = instance.imagePositionPatient![2];
    const first = createMeasurement(
      {
        kind: 'length',
        points: [
          [-60, -30, z],
          [-20, 10, z],
        ],
        studyUid: truth.studyInstanceUid,
        seriesUid: truth.seriesInstanceUid,
        sopInstanceUid: instance.sopInstanceUid,
        readerId: 'first-reader',
        label: 'First reader',
      },
      { id: 'first-layer-1' },
    );
    await tools.addLayer('first-reading', [first], { color: 'rgb(255, 0, 255)' });
    const strokes = (): string[] =>
      [...viewer.shadowRoot!.querySelectorAll('svg [stroke]')].map((e) => e.getAttribute('stroke') ?? '');
    await until(() => strokes().includes('rgb(255, 0, 255)'), 5000, 'layer colour');
    expect([...viewer.shadowRoot!.querySelectorAll('svg [stroke-dasharray]')].length).to.be.greaterThan(0);
    // Try to drag the locked line's end away (navigation mode).
    tools.tool = 'none';
    await tools.toolReady;
    await drag(pagePoint(viewer, ...pixelOf(-60, -30)), pagePoint(viewer, ...pixelOf(-90, -60)));
    expect(tools.store.get('first-layer-1')!.points).to.deep.equal(first.points);
  });

  it('measures an angle (drag, then click), and places an arrow and a label with their text', async () => {
    const { viewer, tools } = await pair('v-angle');
    await showSlice(viewer, 30);
    tools.tool = 'angle';
    await tools.toolReady;
    let added = nextEvent<MeasurementAddEvent>(tools, 'ct-measurement-add');
    // A right angle: (−80, 0) → vertex (−40, 0) → (−40, −40) in patient mm.
    await drag(pagePoint(viewer, ...pixelOf(-80, 0)), pagePoint(viewer, ...pixelOf(-40, 0)));
    const third = pagePoint(viewer, ...pixelOf(-40, -40));
    await sendMouse({ type: 'move', position: third });
    await sendMouse({ type: 'down', button: 'left' });
    await sendMouse({ type: 'up', button: 'left' });
    const angle = (await added).detail.measurement;
    expect(angle.kind).to.equal('angle');
    expect(angle.points).to.have.length(3);
    expect(angle.values.angleDeg).to.be.closeTo(90, 2);

    tools.annotationText = 'compare with prior';
    await tools.updateComplete;
    tools.tool = 'arrow';
    await tools.toolReady;
    added = nextEvent<MeasurementAddEvent>(tools, 'ct-measurement-add');
    await drag(pagePoint(viewer, ...pixelOf(40, 40)), pagePoint(viewer, ...pixelOf(60, 60)));
    const arrow = (await added).detail.measurement;
    expect(arrow.kind).to.equal('arrow');
    expect(arrow.text).to.equal('compare with prior');

    tools.tool = 'label';
    await tools.toolReady;
    added = nextEvent<MeasurementAddEvent>(tools, 'ct-measurement-add');
    const at = pagePoint(viewer, ...pixelOf(60, -40));
    await sendMouse({ type: 'move', position: at });
    await sendMouse({ type: 'down', button: 'left' });
    await sendMouse({ type: 'up', button: 'left' });
    const label = (await added).detail.measurement;
    expect(label.kind).to.equal('label');
    expect(label.points).to.have.length(1);
    expect(label.text).to.equal('compare with prior');
  });

  it('has an accessible toolbar with a button per tool', async () => {
    const { tools } = await pair('v-a11y', 300);
    expect(tools.shadowRoot!.querySelectorAll('[part~=tool]').length).to.equal(11);
    await expect(tools).to.be.accessible();
  });
});
