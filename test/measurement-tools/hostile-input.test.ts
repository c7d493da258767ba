/**
 * Hostile input is inert in `<measurement-tools>`: measurement labels and arrow/label texts
 * that carry HTML/SVG payloads — loaded from JSON, given as the first reader's layer, and typed
 * by the reader into the inline field — are shown as literal text in the list and in
 * Cornerstone's SVG layer on the image. Nothing runs, no element from a payload appears in any
 * shadow root, no page error.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { MEASUREMENT_KINDS, serializeMeasurements, type Measurement } from '@secondread/core';
import type { CtViewer } from '@secondread/ct-viewer';
import { testEnv, until } from '../support/browser-helpers.ts';
import { deepText, expectInert, PAYLOADS, watchPageErrors } from '../support/hostile.ts';
import { annotationSvg, measurementsOfEveryKind, mountPair, seriesRefOf, showSeries, showSlice } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;
const series = seriesRefOf(truth);
const roi = truth.regions.uniform.suggestedRoi;

const payloadList = Object.values(PAYLOADS);

/** Every kind, each label (and arrow/label text) carrying a payload. */
function hostileMeasurements(prefix: string, readerId: string): Measurement[] {
  return measurementsOfEveryKind(truth, {
    prefix,
    readerId,
    label: (_kind, i) => `${prefix} ${payloadList[i % payloadList.length]}`,
    text: (kind) => (kind === 'arrow' ? `see ${PAYLOADS.svg}` : `L1 ${PAYLOADS.script}`),
  });
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
