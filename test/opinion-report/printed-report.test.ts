/**
 * The screen and the paper say the same: for every measurement kind, the value line that
 * `<measurement-tools>` lists and the size that `<opinion-report>` shows for a finding are the
 * words of the printable report (`printableReport()`), in the same locale. No server needed:
 * the measurements are built from points, as a reading loaded from JSON or SR is.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/opinion-report/define.js';
import '@secondread/measurement-tools/define.js';
import {
  createMeasurement,
  MEASUREMENT_KINDS,
  messagesFor,
  SecondOpinionModel,
  type Measurement,
  type MeasurementKind,
  type MeasurementValues,
} from '@secondread/core';
import type { OpinionReport } from '@secondread/opinion-report';
import type { MeasurementTools } from '@secondread/measurement-tools';

const STUDY = '1.2.826.0.1.3680043.8.498.1';
const SERIES = '1.2.826.0.1.3680043.8.498.2';
const FRAME = '1.2.826.0.1.3680043.8.498.3';
const Z = -40;
type Point = readonly [number, number, number];
const p = (x: number, y: number): Point => [x, y, Z];

/** Points of one measurement of each kind, and (for ROIs) HU statistics as a loaded reading carries them. */
const SHAPES: Record<MeasurementKind, { points: Point[]; values?: MeasurementValues; text?: string }> = {
  length: { points: [p(-10, 0), p(12.34, 0)] },
  angle: { points: [p(0, 20), p(0, 0), p(17, 9)] },
  'cobb-angle': { points: [p(0, 0), p(30, 4), p(0, 20), p(30, 31)] },
  bidirectional: { points: [p(-8, 0), p(8.25, 0), p(0, -5.5), p(0, 6)] },
  'ellipse-roi': {
    points: [p(-14, 30), p(14, 30), p(0, 21), p(0, 39)],
    values: { meanHu: 58.6, stdHu: 4.4, minHu: 41, maxHu: 77, pixelCount: 812 },
  },
  'rectangle-roi': {
    points: [p(20, 20), p(41.5, 32)],
    values: { meanHu: -812.2, stdHu: 31.7, minHu: -901, maxHu: -700 },
  },
  'freehand-roi': {
    points: [p(-40, -40), p(-20, -44), p(-18, -25), p(-35, -20)],
    values: { meanHu: 12, stdHu: 9.5, minHu: -20, maxHu: 44 },
  },
  probe: { points: [p(5, 5)], values: { hu: -3.4 } },
  arrow: { points: [p(0, 0), p(10, 10)], text: 'compare with prior' },
  label: { points: [p(3, -3)], text: 'artefact' },
};

function measurementOf(kind: MeasurementKind): Measurement {
  const shape = SHAPES[kind];
  return createMeasurement(
    {
      kind,
      points: shape.points,
      studyUid: STUDY,
      seriesUid: SERIES,
      sopInstanceUid: `1.2.826.0.1.3680043.8.498.4.${MEASUREMENT_KINDS.indexOf(kind) + 1}`,
      frameOfReferenceUid: FRAME,
      readerId: 'second',
      ...(shape.values ? { values: shape.values } : {}),
      ...(shape.text ? { text: shape.text } : {}),
    },
    { id: `m-${kind}` },
  );
}

/** Text content with ordinary white space collapsed (the narrow no-break space before units stays). */
const text = (node: Element | null | undefined): string => (node?.textContent ?? '').replace(/[ \t\r\n]+/g, ' ').trim();

async function mount(locale: string) {
  const measurements = MEASUREMENT_KINDS.map(measurementOf);
  const model = new SecondOpinionModel({ studyUid: STUDY, reader: { name: 'Dr B. Second' } });
  // A first reading without findings: every finding of the second reader is a row of the concordance table.
  const second = model.opinion.readings.find((r) => r.role === 'second')!;
  model.setFirstReading({
    ...second,
    id: 'first-reading',
    role: 'first',
    reader: { name: 'Dr A. First' },
    findings: [],
  });
  for (const m of measurements) {
    model.addFinding({ category: 'other', description: `Finding by ${m.kind}`, measurements: [m] });
  }
  const root = await fixture<HTMLDivElement>(
    html`<div>
      <measurement-tools locale=${locale}></measurement-tools>
      <opinion-report no-autosave locale=${locale} study-uid=${STUDY} .opinion=${model.opinion}></opinion-report>
    </div>`,
  );
  const tools = root.querySelector<MeasurementTools>('measurement-tools')!;
  const report = root.querySelector<OpinionReport>('opinion-report')!;
  tools.measurements = measurements;
  await tools.updateComplete;
  await report.updateComplete;
  const printed = new DOMParser().parseFromString(report.printableReport()!, 'text/html');
  return { tools, report, printed };
}

/** The printed report's words for one finding: its size in the concordance table and its measurement's values. */
function printedFinding(printed: Document, kind: MeasurementKind): { size: string | null; values: string } {
  const description = `Finding by ${kind}`;
  const cell = [...printed.querySelectorAll('table.concordance td')].find((td) => text(td).includes(description));
  expect(cell, `${kind}: concordance cell`).to.exist;
  const article = [...printed.querySelectorAll('article.finding')].find((a) =>
    text(a.querySelector('h4')).includes(description),
  );
  expect(article, `${kind}: finding block`).to.exist;
  const parts = [...article!.querySelectorAll('table.measurements .value')].map((v) => text(v));
  const size = cell!.querySelector('.size');
  return { size: size ? text(size) : null, values: parts.join(' · ') };
}

/** The element's words: the `<measurement-tools>` value line and the `<opinion-report>` finding facts. */
function shownFinding(tools: MeasurementTools, report: OpinionReport, kind: MeasurementKind) {
  const item = tools.shadowRoot!.querySelector(`[part=item][data-id="m-${kind}"]`);
  expect(item, `${kind}: list item`).to.exist;
  const button = [...report.shadowRoot!.querySelectorAll('[part~=finding]')].find((b) =>
    text(b.querySelector('.description')).includes(`Finding by ${kind}`),
  );
  expect(button, `${kind}: finding button`).to.exist;
  return { line: text(item!.querySelector('.values')), facts: text(button!.querySelector('.values')) };
}

for (const locale of ['de-DE', 'en-GB']) {
  describe(`<measurement-tools>, <opinion-report> and the printed report say the same (${locale})`, () => {
    for (const kind of MEASUREMENT_KINDS) {
      it(`for a ${kind} measurement`, async () => {
        const { tools, report, printed } = await mount(locale);
        const paper = printedFinding(printed, kind);
        const screen = shownFinding(tools, report, kind);
        const quoted = SHAPES[kind].text ? `“${SHAPES[kind].text}”` : '';
        expect(screen.line, 'value line').to.equal([paper.values, quoted].filter(Boolean).join(' · '));
        if (paper.size === null) {
          expect(screen.facts, 'no size on screen either').not.to.match(/mm/);
        } else {
          expect(screen.facts.split(' · ')[0], 'size').to.equal(paper.size);
        }
        // What they say is right: the size is the finding's largest diameter (lines first, else the ROI's extent).
        const expectedSize: Partial<Record<MeasurementKind, number>> = {
          length: 22.34,
          bidirectional: 16.25,
          'ellipse-roi': 28,
          'rectangle-roi': Math.hypot(21.5, 12),
          'freehand-roi': Math.hypot(15, 24),
        };
        const mm = expectedSize[kind];
        if (mm === undefined) expect(paper.size, 'no size').to.equal(null);
        else {
          const number = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
          expect(paper.size).to.equal(`${number.format(mm)}\u202fmm`);
        }
      });
    }

    it('shows every value of a measurement with its unit (ROI: area and HU statistics)', async () => {
      const { tools, report } = await mount(locale);
      const { line } = shownFinding(tools, report, 'ellipse-roi');
      const n = (value: number, digits: number) =>
        new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
      // The value names are the locale's language too (messagesFor(locale).value).
      const words = messagesFor(locale).value;
      expect(line).to.equal(
        [
          `${words.areaMm2} ${n(Math.PI * 14 * 9, 1)}\u202fmm²`,
          `${words.meanHu} ${n(58.6, 0)}\u202fHU`,
          `${words.stdHu} ${n(4.4, 0)}\u202fHU`,
          `${words.minHu} ${n(41, 0)}\u202fHU`,
          `${words.maxHu} ${n(77, 0)}\u202fHU`,
        ].join(' · '),
      );
      if (locale === 'de-DE') expect(line).to.match(/^Fläche .* · Mittelwert /);
    });
  });
}
