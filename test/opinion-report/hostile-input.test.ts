/**
 * Hostile input is inert in `<opinion-report>` and its printable report: reader names,
 * institution, finding descriptions, texts and sites, measurement labels, impression,
 * recommendations, the verdict and peer-learning comments, and imported first reports (a
 * TID 1500 SR written by the real exporter and a TID 2000 Basic Text SR rewritten with dcmjs,
 * their TEXT items carrying HTML/SVG payloads) are shown as literal text in the element (findings,
 * texts, the first report panel) and in `printableReport()` rendered in an iframe. Nothing runs,
 * no element from a payload appears in any shadow root or the printed document, no page error.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/opinion-report/define.js';
import { createMeasurement, SecondOpinionModel, type Measurement, type Reading } from '@secondread/core';
import { exportReadingSr, importFirstReading } from '@secondread/standards';
import type { OpinionReport } from '@secondread/opinion-report';
import { readPart10, writePart10, type NaturalDataset } from '../../packages/phantom/src/dicom.ts';
import { Agreement } from '../../stories/opinion-report.stories.ts';
import { until } from '../support/browser-helpers.ts';
import { deepText, expectInert, hostile, injectedElements, PAYLOADS, watchPageErrors } from '../support/hostile.ts';

const STUDY = '1.2.826.0.1.3680043.8.498.11';
const SERIES = '1.2.826.0.1.3680043.8.498.12';
const FRAME = '1.2.826.0.1.3680043.8.498.13';

const T = {
  secondReader: hostile('Dr B.', 'img'),
  firstReader: hostile('Dr A.', 'svg'),
  institution: hostile('General', 'style'),
  firstDescription: hostile('Nodule', 'script'),
  firstText: hostile('Spiculated', 'url'),
  description: hostile('Mass', 'svg'),
  text: hostile('Irregular', 'img'),
  site: hostile('Upper lobe', 'style'),
  label: hostile('Length', 'script'),
  arrow: hostile('see prior', 'img'),
  impression: hostile('Impression', 'script'),
  recommendations: hostile('Follow up', 'style'),
  firstImpression: hostile('First impression', 'img'),
  verdictComment: hostile('Larger', 'svg'),
  peerLearning: hostile('Discuss', 'script'),
} as const;

function measurement(id: string, kind: 'length' | 'arrow', label: string, text?: string): Measurement {
  return createMeasurement(
    {
      kind,
      points: [
        [0, 0, -40],
        [12, 0, -40],
      ],
      studyUid: STUDY,
      seriesUid: SERIES,
      sopInstanceUid: `${SERIES}.${id.length}`,
      frameOfReferenceUid: FRAME,
      readerId: 'second',
      label,
      ...(text ? { text } : {}),
    },
    { id },
  );
}

/** A first reading whose every text carries a payload, made with the model as a reader would. */
function hostileFirstReading(): Reading {
  const first = new SecondOpinionModel({
    studyUid: STUDY,
    reader: { name: T.firstReader, institution: T.institution },
  });
  first.addFinding({
    category: 'nodule',
    description: T.firstDescription,
    text: T.firstText,
    measurements: [measurement('first-length', 'length', T.label)],
  });
  first.setImpression(T.firstImpression);
  first.setRecommendations(T.recommendations);
  const reading = first.opinion.readings.find((r) => r.role === 'second')!;
  return { ...reading, id: 'first-reading', role: 'first' };
}

/** The second opinion with payloads in every text the reader writes. */
function hostileOpinion(firstReading: Reading = hostileFirstReading()): SecondOpinionModel {
  const model = new SecondOpinionModel({
    studyUid: STUDY,
    reader: { name: T.secondReader, institution: T.institution },
  });
  model.setFirstReading(firstReading);
  const finding = model.addFinding({
    category: 'mass',
    description: T.description,
    text: T.text,
    site: T.site,
    measurements: [measurement('own-length', 'length', T.label), measurement('own-arrow', 'arrow', T.label, T.arrow)],
  });
  const firstFinding = model.opinion.readings.find((r) => r.role === 'first')!.findings[0];
  if (firstFinding) {
    model.pair(firstFinding.id, finding.id);
    model.setVerdict(finding.id, 'disagree', T.verdictComment);
  }
  model.setImpression(T.impression);
  model.setRecommendations(T.recommendations);
  model.setPeerLearningComment(T.peerLearning);
  return model;
}

async function mount(model: SecondOpinionModel): Promise<OpinionReport> {
  const report = await fixture<OpinionReport>(
    html`<opinion-report no-autosave study-uid=${model.opinion.studyUid} .opinion=${model.opinion}></opinion-report>`,
  );
  await report.updateComplete;
  return report;
}

/** Values of the text fields (textareas, inputs) in every shadow root below `root`. */
function fieldValues(root: ShadowRoot): string {
  const values: string[] = [];
  const walk = (r: ShadowRoot | Element): void => {
    for (const el of r.querySelectorAll<HTMLTextAreaElement | HTMLInputElement>('textarea, input'))
      values.push(el.value);
    for (const el of r.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(root);
  return values.join('\n');
}

/** `source` rendered as a document of its own in an iframe (scripts allowed: they must find nothing to run). */
async function printed(source: string): Promise<{ doc: Document; win: Window & { __pwned?: unknown } }> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width:800px;height:600px';
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.srcdoc = source;
  document.body.append(frame);
  await loaded;
  return { doc: frame.contentDocument!, win: frame.contentWindow! as Window & { __pwned?: unknown } };
}

/** The printed document did not run or parse any payload. */
async function expectPrintedInert(source: string, shown: readonly string[]): Promise<void> {
  const { doc, win } = await printed(source);
  await expectInert(doc);
  expect(win.__pwned, 'payload ran in the printed report').to.equal(undefined);
  expect(injectedElements(doc), 'injected elements in the printed report').to.deep.equal([]);
  // The printed report's own markup is intact: one style element, no payload closed it.
  expect(doc.querySelectorAll('style').length).to.be.greaterThan(0);
  const text = doc.body.textContent ?? '';
  for (const value of shown) expect(text, 'literal text in the printed report').to.include(value);
}

/** Rewrites every TEXT item's value (and every person name) of an SR content tree, in place. */
function poisonContent(items: NaturalDataset[] | undefined, payloads: string[]): void {
  for (const item of items ?? []) {
    if (item.ValueType === 'TEXT') item.TextValue = `${String(item.TextValue)} ${payloads[0]}`;
    if (item.ValueType === 'PNAME') item.PersonName = [{ Alphabetic: `EVIL^${PAYLOADS.svg}` }];
    payloads.push(payloads.shift()!);
    poisonContent(item.ContentSequence as NaturalDataset[] | undefined, payloads);
  }
}

describe('<opinion-report> hostile input is inert', () => {
  let errors: ReturnType<typeof watchPageErrors>;
  beforeEach(() => {
    errors = watchPageErrors();
  });
  afterEach(() => {
    errors.stop();
    delete window.__pwned;
    document.querySelectorAll('iframe').forEach((f) => f.remove());
    expect(errors.errors, 'no page errors').to.deep.equal([]);
  });

  it('reader names, findings, texts and comments with payloads are literal text in the element', async () => {
    const report = await mount(hostileOpinion());
    const root = report.shadowRoot!;
    await until(() => deepText(root).includes(T.description), 5000, 'the finding in the report');
    const shown = `${deepText(root)}\n${fieldValues(root)}`;
    for (const value of [T.description, T.firstDescription, T.impression, T.recommendations, T.peerLearning]) {
      expect(shown, 'literal text in the element').to.include(value);
    }
    expect(deepText(root), 'the readers').to.include(T.firstReader).and.to.include(T.secondReader);
    expect(deepText(root), 'the verdict comment').to.include(T.verdictComment);
    await expectInert(root);
    await expectInert(document);
  });

  it('the reader name and institution attributes with payloads stay text', async () => {
    const report = await fixture<OpinionReport>(
      html`<opinion-report
        no-autosave
        study-uid=${STUDY}
        reader-name=${T.secondReader}
        institution=${T.institution}
      ></opinion-report>`,
    );
    await report.ready;
    await report.updateComplete;
    const second = report.opinion!.readings.find((r) => r.role === 'second')!;
    expect(second.reader.name).to.equal(T.secondReader);
    await expectInert(report.shadowRoot!);
    await expectPrintedInert(report.printableReport()!, [T.secondReader]);
  });

  it('printableReport(): every text with a payload is literal text in the printed document, nothing runs', async () => {
    const report = await mount(hostileOpinion());
    const source = report.printableReport({ title: hostile('Report', 'style'), brand: hostile('Brand', 'script') })!;
    await expectPrintedInert(source, [
      T.secondReader,
      T.firstReader,
      T.institution,
      T.description,
      T.firstDescription,
      T.text,
      T.firstText,
      T.label,
      T.impression,
      T.firstImpression,
      T.recommendations,
      T.verdictComment,
      T.peerLearning,
    ]);
  });

  it('a TID 1500 SR with payloads in its TEXT items, imported as the first reading, stays text', async () => {
    const sr = exportReadingSr(hostileFirstReading());
    const imported = importFirstReading(sr.buffer);
    expect(imported.kind).to.equal('sr');
    const finding = imported.reading.findings[0]!;
    expect(finding.description).to.equal(T.firstDescription);
    const report = await mount(hostileOpinion(imported.reading));
    const root = report.shadowRoot!;
    await until(() => deepText(root).includes(T.firstDescription), 5000, 'the imported finding');
    await expectInert(root);
    await expectPrintedInert(report.printableReport()!, [T.firstDescription, T.firstImpression]);
  });

  it('a TID 2000 text SR rewritten with dcmjs so its TEXT items carry payloads stays text, in the first report panel too', async () => {
    const response = await fetch('/__data/cache/fixtures/text-reports/basic-text-sr.dcm');
    expect(response.ok, 'basic-text-sr.dcm').to.be.true;
    const { meta, dataset } = readPart10(new Uint8Array(await response.arrayBuffer()));
    const payloads = Object.values(PAYLOADS).map(String);
    poisonContent(dataset.ContentSequence as NaturalDataset[], payloads);
    const bytes = writePart10(dataset, {
      mediaStorageSopClassUid: meta.MediaStorageSOPClassUID as string,
      mediaStorageSopInstanceUid: meta.MediaStorageSOPInstanceUID as string,
      transferSyntaxUid: meta.TransferSyntaxUID as string,
      implementationClassUid: meta.ImplementationClassUID as string,
    });
    const imported = importFirstReading(bytes);
    expect(imported.kind).to.equal('text-sr');
    const { reading } = imported;
    const texts = [reading.impression, reading.recommendations, ...reading.findings.map((f) => f.description)];
    const poisoned = texts.filter((t) => payloads.some((p) => t.includes(p)));
    expect(poisoned.length, `payloads in the imported texts: ${JSON.stringify(texts)}`).to.be.greaterThan(1);

    const model = new SecondOpinionModel({ studyUid: reading.studyUid, reader: { name: 'Dr B. Second' } });
    model.setFirstReading(reading);
    const report = await mount(model);
    const root = report.shadowRoot!;
    await until(() => root.querySelector('[part="first-report"]') !== null, 5000, 'the first report panel');
    const panel = root.querySelector('[part="first-report"]')!;
    for (const text of [reading.impression, reading.recommendations].filter(Boolean)) {
      expect(deepText(panel), 'first report panel').to.include(text.split('\n')[0]!);
    }
    for (const finding of reading.findings) expect(deepText(root)).to.include(finding.description);
    await expectInert(root);
    await expectPrintedInert(
      report.printableReport()!,
      poisoned.map((t) => t.split('\n')[0]!),
    );
  });

  it('a Storybook story given a reader name with a payload (its control) shows it as text', async () => {
    const args = { blinded: false, 'overlay-first': false, 'reader-name': T.secondReader };
    const root = await fixture<HTMLDivElement>(
      html`<div>${(Agreement.render as (a: typeof args, context: unknown) => unknown)(args, {})}</div>`,
    );
    const report = root.querySelector<OpinionReport>('opinion-report')!;
    await report.updateComplete;
    expect(report.getAttribute('reader-name')).to.equal(T.secondReader);
    await expectInert(root);
    await expectInert(report.shadowRoot!);
  });
});
