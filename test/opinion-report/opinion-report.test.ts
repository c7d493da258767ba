import { expect } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import '@secondread/opinion-report/define.js';
import type { SecondOpinion } from '@secondread/core';
import type { ViewerErrorEvent } from '@secondread/ct-viewer';
import type { OpinionReport, ReportSubmitEvent } from '@secondread/opinion-report';
// The draft store is internal to the element (not exported by the package): the tests open it directly.
import { draftStore } from '../../packages/opinion-report/src/draft-store.ts';
import { nextEvent, until } from '../ct-viewer/helpers.ts';
import { showSlice } from '../measurement-tools/helpers.ts';
import { firstReading, measureAcross, n1, n2, truth, workspace } from './helpers.ts';

function shadow(report: OpinionReport): ShadowRoot {
  return report.shadowRoot!;
}

/** Serialised, the opinion carries none of the patient's identity. */
function expectNoPatientIdentity(opinion: SecondOpinion): void {
  const text = JSON.stringify(opinion);
  for (const value of [truth.patient.name, truth.patient.id, truth.patient.birthDate, truth.accessionNumber]) {
    expect(text).not.to.include(value);
  }
}

describe('<opinion-report>', () => {
  it('matches a second reading to a scripted first reading, with deltas, a missed finding and RADPEER', async () => {
    const ws = await workspace({ key: `e2e-${Date.now()}`, firstReading: firstReading() });
    const { report, tools } = ws;

    // The first reading is drawn, locked, in the first viewer.
    await until(() => ws.first.shadowRoot!.querySelector('svg') !== null, 5000, 'annotation layer');

    const changes: SecondOpinion[] = [];
    report.addEventListener('ct-report-change', (e) => changes.push(e.detail.opinion));

    // The second reader measures N1 larger than the first (15 mm vs 12 mm) and finds N2.
    const big = await measureAcross(ws, n1, 15);
    expect(big.values.lengthMm).to.be.closeTo(15, truth.pixelSpacingMm[0]);
    await until(
      () => report.opinion!.readings.find((r) => r.role === 'second')!.findings.length === 1,
      5000,
      'finding 1',
    );
    await measureAcross(ws, n2, n2.diameterMm);
    await until(
      () => report.opinion!.readings.find((r) => r.role === 'second')!.findings.length === 2,
      5000,
      'finding 2',
    );
    expect(changes.length).to.be.greaterThan(1);
    expect(tools.measurements.filter((m) => m.readerId === 'second')).to.have.length(2);

    // The concordance table pairs N1 with N1 and lists N2 as missed by the first reader.
    const rows = () => [...shadow(report).querySelectorAll('[part=row]')];
    await until(() => rows().length === 2, 5000, 'two rows');
    // Matched, but a new measurement is categorised 'other' until the reader says what it is.
    expect(report.opinion!.concordance.pairs.find((p) => p.firstFindingId && p.secondFindingId)!.verdict).to.equal(
      'disagree',
    );
    const matchedRow = () =>
      rows().find((row) => row.querySelector('[part~=finding].first') && row.querySelector('[part~=finding].second'))!;
    const matchedCategory = matchedRow().querySelector<HTMLSelectElement>('select[aria-label=Category]')!;
    matchedCategory.value = 'nodule';
    matchedCategory.dispatchEvent(new Event('change'));
    await until(
      () =>
        report.opinion!.concordance.pairs.some((p) => p.firstFindingId && p.secondFindingId && p.verdict === 'agree'),
      5000,
      'agree once both call it a nodule',
    );
    const pairs = report.opinion!.concordance.pairs;
    const matched = pairs.find((p) => p.firstFindingId && p.secondFindingId)!;
    expect(matched.method).to.equal('distance');
    expect(matched.sizeDeltaMm).to.be.closeTo(3, 1);
    expect(matched.distanceMm).to.be.lessThan(2);
    const missed = pairs.find((p) => !p.firstFindingId)!;
    expect(missed.verdict).to.equal('missed-by-first');
    expect(shadow(report).textContent).to.match(/Missed by first reader/);

    // Categorise the new finding as a nodule through the UI.
    const missedRow = rows().find((row) => row.classList.contains('verdict-missed-by-first'))!;
    const category = missedRow.querySelector<HTMLSelectElement>('select[aria-label=Category]')!;
    category.value = 'nodule';
    category.dispatchEvent(new Event('change'));
    await until(
      () => report.opinion!.readings.find((r) => r.role === 'second')!.findings.every((f) => f.category === 'nodule'),
      5000,
      'category',
    );

    // A key image of the enlarged nodule, with its measurement drawn on it, attached to the finding.
    await showSlice(ws.second, n1.sliceIndex);
    const secondOf = () => report.opinion!.readings.find((r) => r.role === 'second')!;
    const n1Finding = secondOf().findings.find(
      (f) => f.location.measurements[0]!.sopInstanceUid === n1.sopInstanceUid,
    )!;
    expect(await report.addKeyImage(n1Finding.id)).to.equal(true);
    const keyImage = secondOf().findings.find((f) => f.id === n1Finding.id)!.keyImages![0]!;
    expect(keyImage.image.sopInstanceUid).to.equal(n1.sopInstanceUid);
    expect(keyImage.dataUrl).to.match(/^data:image\/png;base64,/);
    const bitmap = await createImageBitmap(await (await fetch(keyImage.dataUrl)).blob());
    expect(bitmap.width).to.be.greaterThan(100);

    // Submitting without a RADPEER score is refused, visibly and with a typed error.
    const refused = nextEvent<ViewerErrorEvent>(report, 'ct-error');
    expect(report.submit()).to.equal(null);
    expect((await refused).detail.code).to.equal('invalid-report');
    await report.updateComplete;
    expect(shadow(report).querySelector('[part=error]')!.textContent).to.match(/RADPEER/i);

    // "2" without the clinical-significance modifier is not a RADPEER score.
    expect(() => report.model!.setRadpeer('2')).to.throw(/modifier|2a|2b/i);

    // Score 2b, write an impression, submit: one event with the whole structured opinion.
    shadow(report).querySelector<HTMLInputElement>('input[type=radio][value="2b"]')!.click();
    const impression = shadow(report).querySelector<HTMLTextAreaElement>('textarea')!;
    impression.value = 'Enlarging RUL nodule; new left lower lobe nodule.';
    impression.dispatchEvent(new Event('input'));
    const submits: ReportSubmitEvent[] = [];
    report.addEventListener('ct-report-submit', (e) => submits.push(e));
    const submitButton = shadow(report).querySelector<HTMLButtonElement>('[part=submit]')!;
    submitButton.click();
    submitButton.click();
    expect(report.submit()).to.not.equal(null);
    expect(submits).to.have.length(1);
    const opinion = submits[0]!.detail.opinion;
    expect(submits[0]!.bubbles && submits[0]!.composed).to.equal(true);
    expect(opinion.schema).to.equal('secondread/second-opinion');
    expect(opinion.version).to.be.a('string');
    expect(opinion.concordance.radpeer).to.equal('2b');
    expect(opinion.submittedAt).to.be.a('string');
    const second = opinion.readings.find((r) => r.role === 'second')!;
    expect(second.status).to.equal('final');
    expect(second.impression).to.equal('Enlarging RUL nodule; new left lower lobe nodule.');
    expect(opinion.readings.find((r) => r.role === 'first')!.findings).to.have.length(1);
    expect(opinion.concordance.pairs).to.have.length(2);
    expectNoPatientIdentity(opinion);

    // The printable report and the FHIR bundle carry the same opinion, and no patient identity.
    const printable = report.printableReport()!;
    expect(printable).to.match(/^<!doctype html>/i);
    expect(printable).to.include('2b');
    expect(printable).to.include('Enlarging RUL nodule; new left lower lobe nodule.');
    expect(printable).to.include('Dr A. First');
    const bundle = (await report.fhirBundle())!;
    expect(bundle.resourceType).to.equal('Bundle');
    const diagnostic = bundle.entry!.map((e) => e.resource!).find((r) => r.resourceType === 'DiagnosticReport') as {
      presentedForm?: { contentType?: string; data?: string }[];
      conclusion?: string;
      subject?: unknown;
    };
    expect(diagnostic.conclusion).to.include('Enlarging RUL nodule');
    expect(diagnostic.subject).to.equal(undefined);
    const form = diagnostic.presentedForm![0]!;
    expect(form.contentType).to.match(/^text\/html/);
    const decoded = new TextDecoder().decode(Uint8Array.from(atob(form.data!), (c) => c.charCodeAt(0)));
    expect(decoded).to.equal(printable);
    const observations = bundle.entry!.filter((e) => e.resource!.resourceType === 'Observation');
    expect(observations.length).to.be.at.least(3);
    const text = JSON.stringify(bundle);
    for (const value of [truth.patient.name, truth.patient.id, truth.accessionNumber])
      expect(text).not.to.include(value);
  });

  it('clicking a finding shows its slice in both viewers and fires ct-finding-select', async () => {
    const ws = await workspace({ key: `select-${Date.now()}`, firstReading: firstReading() });
    await showSlice(ws.second, 5);
    const selected = nextEvent<Event & { detail: { role: string } }>(ws.report, 'ct-finding-select');
    shadow(ws.report).querySelector<HTMLButtonElement>('[part~=finding].first')!.click();
    expect((await selected).detail.role).to.equal('first');
    await until(() => ws.first.sliceIndex === n1.sliceIndex && ws.second.sliceIndex === n1.sliceIndex, 5000, 'slice');
  });

  it('blinded: the first reading stays hidden until revealed, and the order is recorded', async () => {
    const ws = await workspace({ key: `blind-${Date.now()}`, blinded: true, firstReading: firstReading() });
    const { report } = ws;
    expect(report.hasAttribute('blinded')).to.equal(true);
    expect(shadow(report).querySelector('[part=blinded]')).to.not.equal(null);
    expect(shadow(report).querySelector('[part~=finding].first')).to.equal(null);
    expect(shadow(report).querySelector('[part=radpeer]')).to.equal(null);
    await measureAcross(ws, n1, 14);
    await until(
      () => report.opinion!.readings.find((r) => r.role === 'second')!.findings.length === 1,
      5000,
      'finding',
    );
    expect(() => report.model!.setRadpeer('1')).to.throw();
    expect(report.opinion!.blinding!.blinded).to.equal(true);
    expect(report.opinion!.blinding!.unblindedAt).to.equal(undefined);

    shadow(report).querySelector<HTMLButtonElement>('[part=blinded] button')!.click();
    await report.updateComplete;
    expect(report.hasAttribute('blinded')).to.equal(false);
    const blinding = report.opinion!.blinding!;
    expect(Date.parse(blinding.unblindedAt!)).to.be.at.least(Date.parse(blinding.startedAt));
    expect(shadow(report).querySelector('[part~=finding].first')).to.not.equal(null);
    expect(report.opinion!.concordance.pairs.find((p) => p.firstFindingId && p.secondFindingId)).to.not.equal(
      undefined,
    );
  });

  it('restores the draft exactly after a reload, measurements included', async () => {
    const key = `reload-${Date.now()}`;
    const ws = await workspace({ key, firstReading: firstReading() });
    await measureAcross(ws, n1, 13);
    await until(
      () => ws.report.opinion!.readings.find((r) => r.role === 'second')!.findings.length === 1,
      5000,
      'finding',
    );
    const textarea = shadow(ws.report).querySelector<HTMLTextAreaElement>('textarea')!;
    textarea.value = 'Stable nodule.';
    textarea.dispatchEvent(new Event('input'));
    shadow(ws.report).querySelector<HTMLInputElement>('input[type=radio][value="1"]')!.click();
    await ws.report.saved;
    // Let late measurement updates (pixel values) settle, then take the reference.
    await new Promise((r) => setTimeout(r, 500));
    await ws.report.saved;
    const before = ws.report.opinion!;
    const stored = await draftStore.get(key);
    expect(stored!.opinion).to.deep.equal(before);

    // "Reload": everything goes, a fresh page builds the same workspace with the same key.
    const reloaded = await workspace({ key, firstReading: firstReading() });
    await until(() => reloaded.report.opinion !== null, 5000, 'restored');
    const after = reloaded.report.opinion!;
    expect(after.id).to.equal(before.id);
    expect(
      JSON.stringify(
        after.readings.find((r) => r.role === 'second'),
        null,
        1,
      ),
    ).to.equal(
      JSON.stringify(
        before.readings.find((r) => r.role === 'second'),
        null,
        1,
      ),
    );
    expect(after.concordance.radpeer).to.equal('1');
    expect(after.concordance.pairs).to.deep.equal(before.concordance.pairs);
    // The reader's measurement is back in the toolbar, editable, on the same points.
    const own = before.readings.find((r) => r.role === 'second')!.findings[0]!.location.measurements[0]!;
    await until(() => reloaded.tools.measurements.some((m) => m.id === own.id), 5000, 'measurement restored');
    expect(reloaded.tools.measurements.find((m) => m.id === own.id)!.points).to.deep.equal(own.points);
    expect(shadow(reloaded.report).querySelector<HTMLTextAreaElement>('textarea')!.value).to.equal('Stable nodule.');
    await reloaded.report.clearDraft();
    expect(await draftStore.get(key)).to.equal(undefined);
  });

  it('refuses an invalid opinion with a typed error and keeps the current one', async () => {
    const ws = await workspace({ key: `invalid-${Date.now()}`, firstReading: firstReading() });
    const before = ws.report.opinion!;
    const refused = nextEvent<ViewerErrorEvent>(ws.report, 'ct-error');
    ws.report.opinion = { ...before, concordance: { ...before.concordance, radpeer: '2' } } as unknown as SecondOpinion;
    expect((await refused).detail.code).to.equal('invalid-report');
    expect(ws.report.opinion).to.equal(before);
    await ws.report.updateComplete;
    expect(shadow(ws.report).querySelector('[part=error]')!.textContent).to.match(/radpeer/i);
  });
});
