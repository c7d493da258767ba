/**
 * The measurement list: inline rename and text editing by keyboard, and only the measurements
 * of the series the viewer shows.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { createMeasurement, type Measurement } from '@secondread/core';
import type { MeasurementChangeEvent, MeasurementTools } from '@secondread/measurement-tools';
import type { PhantomTruth } from '@secondread/phantom';
import { nextEvent, seriesLoaded, testEnv, until } from '../ct-viewer/helpers.ts';
import { annotationSvg, mountPair, settle, showSeries, type Pair } from './helpers.ts';

const env = await testEnv();
const baseline = env.phantom.baseline.truth;
const followup = env.phantom.followup.truth;

const seriesOf = (truth: PhantomTruth) => ({
  studyUid: truth.studyInstanceUid,
  seriesUid: truth.seriesInstanceUid,
  columns: truth.columns,
  rows: truth.rows,
});

/** A length on one slice of a phantom series, from (x0, y0) to (x1, y1) mm. */
function lengthOn(truth: PhantomTruth, sliceIndex: number, id: string, ends: [number, number, number, number]) {
  const instance = truth.instances[sliceIndex]!;
  const z = instance.imagePositionPatient[2];
  return createMeasurement(
    {
      kind: 'length',
      points: [
        [ends[0], ends[1], z],
        [ends[2], ends[3], z],
      ],
      studyUid: truth.studyInstanceUid,
      seriesUid: truth.seriesInstanceUid,
      sopInstanceUid: instance.sopInstanceUid,
      frameOfReferenceUid: truth.frameOfReferenceUid,
      readerId: 'dr-b',
      label: id,
    },
    { id },
  );
}

function arrowOn(truth: PhantomTruth, sliceIndex: number, id: string, text: string): Measurement {
  const instance = truth.instances[sliceIndex]!;
  const z = instance.imagePositionPatient[2];
  return createMeasurement(
    {
      kind: 'arrow',
      points: [
        [40, 40, z],
        [60, 60, z],
      ],
      studyUid: truth.studyInstanceUid,
      seriesUid: truth.seriesInstanceUid,
      sopInstanceUid: instance.sopInstanceUid,
      frameOfReferenceUid: truth.frameOfReferenceUid,
      readerId: 'dr-b',
      label: 'Arrow 1',
      text,
    },
    { id },
  );
}

const shadow = (tools: MeasurementTools): ShadowRoot => tools.shadowRoot!;
const item = (tools: MeasurementTools, id: string): HTMLElement =>
  shadow(tools).querySelector<HTMLElement>(`[part=item][data-id="${id}"]`)!;
const field = (tools: MeasurementTools): HTMLInputElement | null =>
  shadow(tools).querySelector<HTMLInputElement>('input[part=field]');
const focused = (tools: MeasurementTools): Element | null => shadow(tools).activeElement;

async function phantomPair(id: string): Promise<Pair> {
  const pair = await mountPair(id, 420);
  await showSeries(pair.viewer, env.dicomwebRoot!, seriesOf(baseline));
  return pair;
}

/** Texts the viewer's annotation layer shows. */
function drawnTexts(pair: Pair): string[] {
  return [...annotationSvg(pair.viewer).querySelectorAll('text')].map((t) => t.textContent ?? '');
}

describe('<measurement-tools> list', () => {
  it('renames a measurement inline by keyboard: F2 or the rename button, Enter commits, Escape cancels', async () => {
    const { tools } = await phantomPair('v-rename');
    tools.measurements = [lengthOn(baseline, 30, 'len-1', [-60, 0, -20, 0])];
    await until(() => Boolean(item(tools, 'len-1')), 5000, 'list item');

    // F2 on the focused item opens the field, focused, with the label selected.
    item(tools, 'len-1').querySelector<HTMLButtonElement>('button.jump')!.focus();
    await sendKeys({ press: 'F2' });
    await until(() => field(tools) !== null, 5000, 'inline field');
    expect(focused(tools)).to.equal(field(tools));
    expect(field(tools)!.getAttribute('aria-label')).to.equal('Label of len-1');
    await expect(tools).to.be.accessible();
    const changed = nextEvent<MeasurementChangeEvent>(tools, 'ct-measurement-change');
    // Typed letters are text, not tool shortcuts ("l" is the length tool, "e" the ellipse).
    await sendKeys({ type: 'Right lower lobe' });
    expect(tools.tool).to.equal('none');
    await sendKeys({ press: 'Enter' });
    expect((await changed).detail.measurement.label).to.equal('Right lower lobe');
    expect(tools.store.get('len-1')!.label).to.equal('Right lower lobe');
    await tools.updateComplete;
    expect(field(tools)).to.equal(null);
    expect(item(tools, 'len-1').querySelector('.name')!.textContent).to.equal('Right lower lobe');
    // Focus goes back to the item's rename button.
    expect(focused(tools)?.getAttribute('data-edit')).to.equal('label');

    // The rename button (Enter on it) opens the field; Escape cancels without a change.
    let changes = 0;
    tools.addEventListener('ct-measurement-change', () => changes++);
    await sendKeys({ press: 'Enter' });
    await until(() => field(tools) !== null, 5000, 'inline field again');
    await sendKeys({ type: 'discarded' });
    await sendKeys({ press: 'Escape' });
    await tools.updateComplete;
    expect(field(tools)).to.equal(null);
    expect(tools.store.get('len-1')!.label).to.equal('Right lower lobe');
    expect(tools.tool, 'Escape in the field does not reach the tool shortcut').to.equal('none');
    expect(changes).to.equal(0);
    expect(focused(tools)?.getAttribute('data-edit')).to.equal('label');

    // Undo restores the old label.
    const undone = nextEvent<MeasurementChangeEvent>(tools, 'ct-measurement-change');
    tools.undo();
    expect((await undone).detail.measurement.label).to.equal('len-1');
  });

  it('edits the text of an arrow inline, and the drawing shows the new text', async () => {
    const pair = await phantomPair('v-text');
    const { tools, viewer } = pair;
    const arrow = arrowOn(baseline, viewer.sliceIndex, 'arrow-1', 'old text');
    tools.measurements = [arrow];
    await until(() => drawnTexts(pair).includes('old text'), 10_000, 'arrow text drawn');
    const button = item(tools, 'arrow-1').querySelector<HTMLButtonElement>('button[data-edit=text]')!;
    expect(button.getAttribute('aria-label')).to.equal('Edit text of Arrow 1');
    button.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => field(tools) !== null, 5000, 'text field');
    expect(field(tools)!.value).to.equal('old text');
    expect(field(tools)!.getAttribute('aria-label')).to.equal('Text of Arrow 1');
    const changed = nextEvent<MeasurementChangeEvent>(tools, 'ct-measurement-change');
    await sendKeys({ type: 'compare with prior' });
    await sendKeys({ press: 'Enter' });
    const { measurement } = (await changed).detail;
    expect(measurement.text).to.equal('compare with prior');
    expect(measurement.points).to.deep.equal(arrow.points);
    await until(() => drawnTexts(pair).includes('compare with prior'), 10_000, 'new text drawn');
    expect(drawnTexts(pair)).not.to.include('old text');
    expect(item(tools, 'arrow-1').querySelector('.values')!.textContent).to.include('compare with prior');

    // Escape leaves the text as it is.
    button.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => field(tools) !== null, 5000, 'text field again');
    await sendKeys({ type: 'nothing' });
    await sendKeys({ press: 'Escape' });
    await tools.updateComplete;
    expect(tools.store.get('arrow-1')!.text).to.equal('compare with prior');
    await settle(200);
    expect(drawnTexts(pair)).to.include('compare with prior');
  });

  it('shows only the measurements of the series on screen, in the list and in the drawing', async () => {
    const pair = await phantomPair('v-series');
    const { tools, viewer } = pair;
    const slice = 20;
    const own = [
      lengthOn(baseline, slice, 'baseline-1', [-60, 0, -20, 0]),
      lengthOn(followup, slice, 'followup-1', [-60, 20, -20, 20]),
      lengthOn(followup, slice, 'followup-2', [20, -30, 60, -30]),
    ];
    tools.measurements = own;
    viewer.sliceIndex = slice;
    const listed = (): string[] =>
      [...shadow(tools).querySelectorAll('[part=item]')].map((e) => e.getAttribute('data-id') ?? '');
    const drawn = (): string[] => [
      ...new Set(
        [...annotationSvg(viewer).querySelectorAll('[data-annotation-uid]')].map(
          (e) => e.getAttribute('data-annotation-uid') ?? '',
        ),
      ),
    ];
    await until(() => listed().length === 1 && drawn().length === 1, 10_000, 'baseline measurement only');
    expect(listed()).to.deep.equal(['baseline-1']);
    expect(drawn()).to.deep.equal(['baseline-1']);

    // The viewer switches to the follow-up series: its two measurements, and nothing else.
    let loaded = seriesLoaded(viewer);
    viewer.studyUid = followup.studyInstanceUid;
    viewer.seriesUid = followup.seriesInstanceUid;
    await loaded;
    viewer.sliceIndex = slice;
    await until(() => listed().length === 2 && drawn().length === 2, 10_000, 'follow-up measurements only');
    expect(listed()).to.deep.equal(['followup-1', 'followup-2']);
    expect(drawn().sort()).to.deep.equal(['followup-1', 'followup-2']);
    // All three stay in the model (and in the JSON).
    expect(tools.measurements.map((m) => m.id)).to.deep.equal(own.map((m) => m.id));
    expect(tools.toJSON().measurements).to.have.length(3);

    // Removing the follow-up's measurements leaves an empty list that says where the others are.
    tools.store.remove('followup-1');
    tools.store.remove('followup-2');
    await until(() => listed().length === 0, 5000, 'empty list');
    expect(shadow(tools).querySelector('[part=empty]')!.textContent).to.include('1 on other series');

    // Back to the baseline: its measurement comes back.
    loaded = seriesLoaded(viewer);
    viewer.studyUid = baseline.studyInstanceUid;
    viewer.seriesUid = baseline.seriesInstanceUid;
    await loaded;
    viewer.sliceIndex = slice;
    await until(() => listed().length === 1 && drawn().length === 1, 10_000, 'baseline measurement again');
    expect(listed()).to.deep.equal(['baseline-1']);
    expect(drawn()).to.deep.equal(['baseline-1']);
  });
});
