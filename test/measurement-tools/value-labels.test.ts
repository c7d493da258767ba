/**
 * Every measurement kind shows its value on the image, in its reader's colour: the reader's own
 * layer in the drawing colour, the first reader's layer in `--ct-first-reader-color` (#ffb454 by
 * default) whatever its state (locked, hovered, selected); the probe's HU is on the image; a
 * drawing finished by clicks is not left in Cornerstone's selection green. Read from the SVG
 * layer's text and colour attributes.
 */
import { expect } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { MEASUREMENT_KINDS, type Measurement, type MeasurementKind } from '@secondread/core';
import type { CtViewer } from '@secondread/ct-viewer';
import { testEnv, until } from '../support/browser-helpers.ts';
import {
  annotationSvg,
  click,
  drag,
  mountPair,
  pagePoint,
  parkMouse,
  settle,
  showSeries,
  measurementsOfEveryKind,
  seriesRefOf,
  showSlice,
} from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;
const series = seriesRefOf(truth);
const roi = truth.regions.uniform.suggestedRoi;

/** The drawing colour of the reader's own measurements (Cornerstone's default). */
const OWN = 'rgb(255, 255, 0)';
/** `--ct-first-reader-color`'s default, #ffb454. */
const AMBER = 'rgb(255, 180, 84)';
/** Cornerstone's hover and selection colours. */
const GREENS = ['rgb(0, 255, 0)', 'rgb(0, 220, 0)'];

/** What each kind's label on the image must say. */
const VALUE_TEXT: Record<MeasurementKind, RegExp> = {
  length: /\d mm/,
  angle: /\d\s?°/,
  'cobb-angle': /\d\s?°/,
  bidirectional: /\d mm/,
  'ellipse-roi': /mm²[\s\S]*HU|HU[\s\S]*mm²/,
  'rectangle-roi': /mm²[\s\S]*HU|HU[\s\S]*mm²/,
  'freehand-roi': /mm²[\s\S]*HU|HU[\s\S]*mm²/,
  probe: /HU/,
  arrow: /see prior/,
  label: /L1/,
};

function measurementsFor(prefix: string, readerId: string): Measurement[] {
  return measurementsOfEveryKind(truth, {
    prefix,
    readerId,
    label: (kind) => `${prefix} ${kind}`,
    text: (kind) => (kind === 'arrow' ? 'see prior' : 'L1'),
  });
}

/** The label Cornerstone draws for one annotation: its text and fill, or null. */
function labelOf(viewer: CtViewer, uid: string): { text: string; fill: string } | null {
  const text = annotationSvg(viewer).querySelector(`g[data-annotation-uid="${CSS.escape(uid)}"] text`);
  return text ? { text: text.textContent ?? '', fill: text.getAttribute('fill') ?? '' } : null;
}

/** Every kind has its label, with its value, in `color`. */
async function expectLabels(viewer: CtViewer, uidOf: (kind: MeasurementKind) => string, color: string): Promise<void> {
  for (const kind of MEASUREMENT_KINDS) {
    await until(() => VALUE_TEXT[kind].test(labelOf(viewer, uidOf(kind))?.text ?? ''), 5000, `${kind} value label`);
    // (A layer drawn again shows its new colour on the next render.)
    await until(() => labelOf(viewer, uidOf(kind))?.fill === color, 2000, `${kind} label in ${color}`).catch(() => {});
    const label = labelOf(viewer, uidOf(kind))!;
    expect(label.fill, `${kind} label "${label.text}"`).to.equal(color);
  }
}

/** The colours of every line, outline and handle in the layer. */
function strokes(viewer: CtViewer): string[] {
  return [...annotationSvg(viewer).querySelectorAll('[stroke]')].map((e) => e.getAttribute('stroke') ?? '');
}

/** The HU a label shows (`-850 HU`, with a real minus or a hyphen). */
function huOf(text: string): number {
  const match = /([-−]?\d+(?:[.,]\d+)?)\s*HU/.exec(text);
  if (!match) throw new Error(`no HU in "${text}"`);
  return Number(match[1]!.replace('−', '-').replace(',', '.'));
}

describe('<measurement-tools>: values on the image, in the reader’s colour', () => {
  it('every kind shows its value on the image in the reader’s own colour; the probe shows its HU', async () => {
    const { viewer, tools } = await mountPair('v-labels-own');
    await showSeries(viewer, env.dicomwebRoot!, series);
    await showSlice(viewer, roi.sliceIndex);
    tools.measurements = measurementsFor('own', 'dr-b');
    await expectLabels(viewer, (kind) => `own-${kind}`, OWN);
    // The probe's HU on the image is the pixel's, as in the list.
    expect(huOf(labelOf(viewer, 'own-probe')!.text)).to.equal(truth.regions.uniform.hu);
    const item = tools.shadowRoot!.querySelector('[part=item][data-id="own-probe"] .values')!;
    expect(huOf(item.textContent!)).to.equal(truth.regions.uniform.hu);
  });

  it('the first reader’s layer: every value in --ct-first-reader-color (#ffb454 by default), locked, hovered or selected', async () => {
    const { viewer, tools } = await mountPair('v-labels-first');
    await showSeries(viewer, env.dicomwebRoot!, series);
    await showSlice(viewer, roi.sliceIndex);
    // What <opinion-report> passes for the first reading.
    await tools.addLayer('first-reading', measurementsFor('first', 'dr-a'), {
      color: 'var(--ct-first-reader-color, #ffb454)',
    });
    await expectLabels(viewer, (kind) => `first-${kind}`, AMBER);
    expect(strokes(viewer).filter((s) => s !== AMBER)).to.deep.equal([]);

    // Selected from the list: still amber (a thicker line shows the selection).
    (tools.shadowRoot!.querySelector('[data-id="first-length"] button.jump') as HTMLButtonElement).click();
    await settle(300);
    expect(labelOf(viewer, 'first-length')!.fill).to.equal(AMBER);
    // Hovered: the pointer on the length's end.
    const end = measurementsFor('first', 'dr-a').find((m) => m.kind === 'length')!.points[1]!;
    const [px, py] = pagePoint(
      viewer,
      series,
      (end[0] - truth.firstImagePositionPatient[0]) / truth.pixelSpacingMm[1],
      (end[1] - truth.firstImagePositionPatient[1]) / truth.pixelSpacingMm[0],
    );
    await sendMouse({ type: 'move', position: [px - 3, py] });
    await sendMouse({ type: 'move', position: [px, py] });
    await settle(300);
    expect(labelOf(viewer, 'first-length')!.fill).to.equal(AMBER);
    expect(strokes(viewer).filter((s) => GREENS.includes(s))).to.deep.equal([]);
    await parkMouse(viewer);

    // The page's token, read where the viewer is.
    document.documentElement.style.setProperty('--ct-first-reader-color', 'rgb(0, 200, 255)');
    try {
      await tools.addLayer('first-reading', measurementsFor('first', 'dr-a'), {
        color: 'var(--ct-first-reader-color, #ffb454)',
      });
      await expectLabels(viewer, (kind) => `first-${kind}`, 'rgb(0, 200, 255)');
    } finally {
      document.documentElement.style.removeProperty('--ct-first-reader-color');
    }
  });

  it('an angle finished with clicks is in the reader’s colour after Escape, not in selection green', async () => {
    const { viewer, tools } = await mountPair('v-labels-angle');
    await showSeries(viewer, env.dicomwebRoot!, series);
    await showSlice(viewer, roi.sliceIndex);
    tools.tool = 'angle';
    await tools.toolReady;
    const p = (column: number, row: number): [number, number] => pagePoint(viewer, series, column, row);
    await click(p(60, 120));
    await sendMouse({ type: 'move', position: p(110, 120) });
    await click(p(110, 120));
    await sendMouse({ type: 'move', position: p(110, 170) });
    await click(p(110, 170));
    // Escape at once: the last click may still be held back by Cornerstone; the angle is kept.
    viewer.focus();
    await sendKeys({ press: 'Escape' });
    await until(() => tools.measurements.length === 1, 5000, 'the angle is saved');
    await settle(600);
    expect(tools.tool).to.equal('none');
    const [angle] = tools.measurements;
    expect(angle!.kind).to.equal('angle');
    expect(angle!.values.angleDeg).to.be.closeTo(90, 2);
    const check = (when: string): void => {
      expect(labelOf(viewer, angle!.id)?.fill, `label ${when}`).to.equal(OWN);
      expect(
        strokes(viewer).filter((s) => s !== OWN),
        `lines ${when}`,
      ).to.deep.equal([]);
    };
    check('with the pointer still on the last point');
    await parkMouse(viewer);
    await settle(200);
    check('with the pointer away');
    // A length dragged next is in the reader's colour too once done.
    tools.tool = 'length';
    await tools.toolReady;
    await drag(p(150, 60), p(200, 80));
    await settle(600);
    await parkMouse(viewer);
    await settle(200);
    expect(tools.measurements).to.have.length(2);
    check('after the next drawing');
  });
});
