/**
 * Hostile input is inert in `<measurement-tools>`: measurement labels and arrow/label texts
 * that carry HTML/SVG payloads — loaded from JSON, given as the first reader's layer, and typed
 * by the reader into the inline field — are shown as literal text in the list and in
 * Cornerstone's SVG layer on the image. Nothing runs, no element from a payload appears in any
 * shadow root, no page error.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import {
  createMeasurement,
  MEASUREMENT_KINDS,
  serializeMeasurements,
  type Measurement,
  type MeasurementKind,
  type Vec3,
} from '@secondread/core';
import type { CtViewer } from '@secondread/ct-viewer';
import { testEnv, until } from '../support/browser-helpers.ts';
import { deepText, expectInert, PAYLOADS, watchPageErrors } from '../support/hostile.ts';
import { annotationSvg, mountPair, showSeries, showSlice, type SeriesRef } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;
const series: SeriesRef = {
  studyUid: truth.studyInstanceUid,
  seriesUid: truth.seriesInstanceUid,
  columns: truth.columns,
  rows: truth.rows,
};
const roi = truth.regions.uniform.suggestedRoi;
const instance = truth.instances[roi.sliceIndex]!;
const z = instance.imagePositionPatient[2];
const [cx, cy] = roi.centerMm;

const POINTS: Record<MeasurementKind, [number, number][]> = {
  length: [
    [cx - 40, cy - 40],
    [cx - 10, cy - 40],
  ],
  angle: [
    [cx - 40, cy + 30],
    [cx - 20, cy + 30],
    [cx - 20, cy + 50],
  ],
  'cobb-angle': [
    [cx + 20, cy - 45],
    [cx + 50, cy - 45],
    [cx + 20, cy - 35],
    [cx + 50, cy - 25],
  ],
  bidirectional: [
    [cx - 40, cy + 60],
    [cx, cy + 60],
    [cx - 20, cy + 55],
    [cx - 20, cy + 65],
  ],
  'ellipse-roi': [
    [cx + 6, cy - 15],
    [cx + 14, cy - 15],
    [cx + 10, cy - 19],
    [cx + 10, cy - 11],
  ],
  'rectangle-roi': [
    [cx + 20, cy + 10],
    [cx + 35, cy + 25],
  ],
  'freehand-roi': [
    [cx - 30, cy - 10],
    [cx - 20, cy - 10],
    [cx - 20, cy],
    [cx - 30, cy],
  ],
  probe: [[cx, cy]],
  arrow: [
    [cx + 40, cy + 40],
    [cx + 55, cy + 55],
  ],
  label: [[cx + 40, cy - 60]],
};

const payloadList = Object.values(PAYLOADS);

/** Every kind, each label (and arrow/label text) carrying a payload. */
function hostileMeasurements(prefix: string, readerId: string): Measurement[] {
  return MEASUREMENT_KINDS.map((kind, i) =>
    createMeasurement(
      {
        kind,
        points: POINTS[kind].map(([x, y]): Vec3 => [x, y, z]),
        studyUid: truth.studyInstanceUid,
        seriesUid: truth.seriesInstanceUid,
        sopInstanceUid: instance.sopInstanceUid,
        frameOfReferenceUid: truth.frameOfReferenceUid,
        readerId,
        label: `${prefix} ${payloadList[i % payloadList.length]}`,
        ...(kind === 'arrow'
          ? { text: `see ${PAYLOADS.svg}` }
          : kind === 'label'
            ? { text: `L1 ${PAYLOADS.script}` }
            : {}),
        imageOrientationPatient: [1, 0, 0, 0, 1, 0],
      },
      { id: `${prefix}-${kind}` },
    ),
  );
}

/** The text Cornerstone draws for one annotation in its SVG layer. */
function svgText(viewer: CtViewer, uid: string): string {
  return [...annotationSvg(viewer).querySelectorAll(`g[data-annotation-uid="${CSS.escape(uid)}"] text`)]
    .map((t) => t.textContent ?? '')
    .join(' ');
}

describe('<measurement-tools> hostile input is inert', () => {
  afterEach(() => {
    delete window.__pwned;
  });

  it('labels and arrow texts with HTML/SVG payloads, from JSON and as the first reader’s layer: literal text in the list and on the image', async () => {
    const errors = watchPageErrors();
    try {
      const { viewer, tools } = await mountPair('v-hostile');
      await showSeries(viewer, env.dicomwebRoot!, series);
      await showSlice(viewer, roi.sliceIndex);
      // The reader's own measurements through the JSON import, the first reader's as a layer.
      tools.loadJSON(JSON.parse(JSON.stringify(serializeMeasurements(hostileMeasurements('own', 'dr-b')))));
      await tools.addLayer('first-reading', hostileMeasurements('first', 'dr-a'), {
        color: 'var(--ct-first-reader-color, #ffb454)',
      });
      await until(() => svgText(viewer, 'own-arrow').includes(PAYLOADS.svg), 5000, 'arrow text on the image');
      await until(() => svgText(viewer, 'first-label').includes(PAYLOADS.script), 5000, 'first reader’s label text');
      // The arrow's and the label's texts are drawn on the image as text.
      expect(svgText(viewer, 'own-label')).to.include(PAYLOADS.script);
      expect(svgText(viewer, 'first-arrow')).to.include(PAYLOADS.svg);

      // The list: every label (and text) as literal text.
      for (const prefix of ['own', 'first']) {
        for (const [i, kind] of MEASUREMENT_KINDS.entries()) {
          const item = tools.shadowRoot!.querySelector(`[part=item][data-id="${prefix}-${kind}"]`);
          if (!item) continue; // a layer the list does not show
          expect(item.querySelector('.name')!.textContent, `${prefix} ${kind}`).to.include(
            payloadList[i % payloadList.length],
          );
        }
      }
      const ownArrow = tools.shadowRoot!.querySelector('[part=item][data-id="own-arrow"] .values')!;
      expect(ownArrow.textContent).to.include(PAYLOADS.svg);
      for (const payload of payloadList) expect(deepText(tools.shadowRoot!)).to.include(payload);

      await expectInert(tools.shadowRoot!);
      await expectInert(viewer.shadowRoot!);
      await expectInert(document);
    } finally {
      errors.stop();
    }
    expect(errors.errors, 'no page errors').to.deep.equal([]);
  });

  it('a payload typed into the inline rename field stays text', async () => {
    const errors = watchPageErrors();
    try {
      const { viewer, tools } = await mountPair('v-hostile-typed');
      await showSeries(viewer, env.dicomwebRoot!, series);
      await showSlice(viewer, roi.sliceIndex);
      tools.measurements = hostileMeasurements('typed', 'dr-b').filter((m) => m.kind === 'length');
      await until(() => Boolean(tools.shadowRoot!.querySelector('[data-id="typed-length"]')), 5000, 'list item');
      tools.shadowRoot!.querySelector<HTMLButtonElement>('[data-id="typed-length"] button.jump')!.focus();
      await sendKeys({ press: 'F2' });
      await until(() => tools.shadowRoot!.querySelector('[part=field]') !== null, 5000, 'inline field');
      // The field opens with the label selected: typing replaces it.
      await sendKeys({ type: PAYLOADS.img });
      await sendKeys({ press: 'Enter' });
      await until(() => tools.store.get('typed-length')?.label === PAYLOADS.img, 5000, 'typed label stored');
      await tools.updateComplete;
      expect(tools.shadowRoot!.querySelector('[data-id="typed-length"] .name')!.textContent).to.equal(PAYLOADS.img);
      await expectInert(tools.shadowRoot!);
      await expectInert(viewer.shadowRoot!);
    } finally {
      errors.stop();
    }
    expect(errors.errors, 'no page errors').to.deep.equal([]);
  });
});
