/**
 * <opinion-report> on a follow-up: the viewers show the phantom's follow-up study (N1 has grown
 * from 12 to 16 mm), the prior reading is the baseline's; the second reader measures N1 with
 * real pointer events. Growth, VDT and the Lung-RADS suggestion are shown and in the payloads;
 * the first reader's category differs and the discrepancy is highlighted; the second reader
 * overrides the category and both the suggestion and the choice are kept.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import '@secondread/opinion-report/define.js';
import type { CtViewer } from '@secondread/ct-viewer';
import type { MeasurementTools } from '@secondread/measurement-tools';
import type { ReportChangeEvent, ReportSubmitEvent } from '@secondread/opinion-report';
import { intervalDaysBetween, type Reading } from '@secondread/core';
import { phantomFirstReading } from '@secondread/phantom/first-reading';
import { nextEvent, seriesLoaded, until } from '../ct-viewer/helpers.ts';
import { env, measureAcross, n1 } from './helpers.ts';

const baseline = env.phantom.baseline.truth;
const followup = env.phantom.followup.truth;

const asNodules = (reading: Reading): Reading => ({
  ...reading,
  findings: reading.findings.map((f) => ({ ...f, category: 'nodule' })),
});

async function followUpWorkspace() {
  const root = await fixture<HTMLDivElement>(html`
    <div style="display:grid;grid-template-columns:380px 380px 520px;gap:6px">
      <ct-viewer id="fu-first" hide-toolbar style="height:380px"></ct-viewer>
      <div>
        <ct-viewer id="fu-second" hide-toolbar style="height:380px"></ct-viewer>
        <measurement-tools for="fu-second" reader-id="second"></measurement-tools>
      </div>
      <opinion-report
        for="fu-first fu-second"
        reader-name="Dr B. Second"
        reader-id="second"
        default-category="nodule"
        no-autosave
      ></opinion-report>
    </div>
  `);
  const [first, second] = [...root.querySelectorAll('ct-viewer')] as [CtViewer, CtViewer];
  const report = root.querySelector('opinion-report')!;
  report.first = asNodules(phantomFirstReading(followup));
  report.followup = {
    prior: asNodules(phantomFirstReading(baseline)),
    intervalDays: intervalDaysBetween(baseline.studyDate, followup.studyDate),
    context: 'screening',
    categories: { first: '3' },
  };
  await Promise.all(
    [first, second].map((viewer) => {
      const loaded = seriesLoaded(viewer);
      viewer.dicomwebRoot = env.dicomwebRoot!;
      viewer.studyUid = followup.studyInstanceUid;
      viewer.seriesUid = followup.seriesInstanceUid;
      return loaded;
    }),
  );
  await report.ready;
  const tools = root.querySelector('measurement-tools') as MeasurementTools;
  return { first, second, tools, report };
}

describe('<opinion-report> follow-up', () => {
  it('shows growth, VDT and the Lung-RADS suggestion, highlights the readers’ discrepancy, and sends both categories', async function () {
    this.timeout(120_000);
    const ws = await followUpWorkspace();
    const { report } = ws;
    const section = () => report.shadowRoot!.querySelector<HTMLElement>('[part=followup]');
    await until(() => section() !== null, 5000, 'the follow-up section');
    expect(section()!.textContent).to.include('182 days');

    // The second reader measures N1 (16 mm at follow-up) with the mouse.
    const nodule = { ...n1, sliceIndex: followup.nodules[0]!.sliceIndex };
    const changed = nextEvent<ReportChangeEvent>(report, 'ct-report-change');
    await measureAcross(ws, nodule, 16);
    await changed;
    const secondBlock = () => section()!.querySelector<HTMLElement>('.followup-reader[data-role=second]');
    await until(() => secondBlock()?.querySelector('[part=followup-row]') != null, 5000, 'the second reader’s row');
    const row = secondBlock()!.querySelector<HTMLElement>('[part=followup-row]')!;
    // 12.0 → 16.0 mm (±0.5 mm for a drag on 1 mm pixels): growth, VDT from diameters (146 days at 16 mm).
    const summary = report.followUpSummary!;
    const second = summary.readers.find((r) => r.role === 'second')!;
    const growth = second.rows[0]!.growth;
    expect(growth.prior!.meanDiameterMm).to.equal(12);
    const currentMm = growth.current!.meanDiameterMm;
    expect(currentMm).to.be.closeTo(16, 0.5);
    expect(growth.meanDiameterChangeMm).to.be.closeTo(currentMm - 12, 1e-9);
    expect(growth.status).to.equal('growing');
    expect(growth.vdtBasis).to.equal('diameter');
    const expectedVdt = (182 * Math.LN2) / (3 * Math.log(currentMm / 12));
    expect(growth.volumeDoublingTimeDays).to.be.closeTo(expectedVdt, 1e-6);
    expect(row.querySelector('.status')!.textContent).to.equal('growing');
    expect(row.querySelector('.vdt')!.textContent).to.equal(`${Math.round(expectedVdt)} d (from diameters)`);
    expect(row.querySelector('.change')!.textContent).to.match(new RegExp(`^\\+${(currentMm - 12).toFixed(1)} mm`));
    expect(row.querySelector('.lung-rads')!.textContent).to.match(/^solid, 1[56]\.\d mm, growing → 4B$/);
    expect(second.assessment).to.deep.include({ suggested: '4B', category: '4B', overridden: false });

    // First reader 3, second 4B: a discrepancy that changes management, highlighted.
    const discrepancy = () => section()!.querySelector<HTMLElement>('[part=followup-discrepancy]');
    await until(() => discrepancy() !== null, 5000, 'the discrepancy');
    expect(discrepancy()!.textContent).to.include('3 → 4B: 6-month LDCT → diagnostic CT, PET/CT or tissue sampling');
    expect(getComputedStyle(discrepancy()!).color).to.not.equal(getComputedStyle(section()!).color);

    // The reader's nodule type drives the rule: as a ground-glass nodule it would be a 2.
    const typeSelect = () => row.querySelector<HTMLSelectElement>('.type select')!;
    expect(typeSelect().value).to.equal('solid');
    typeSelect().value = 'non-solid';
    typeSelect().dispatchEvent(new Event('change'));
    await report.updateComplete;
    expect(secondBlock()!.querySelector('.suggested')!.textContent).to.equal('2');
    expect(discrepancy()!.textContent).to.include('3 → 2: 6-month LDCT → 12-month LDCT');
    const solidAgain = secondBlock()!.querySelector<HTMLSelectElement>('.type select')!;
    solidAgain.value = 'solid';
    solidAgain.dispatchEvent(new Event('change'));
    await report.updateComplete;
    expect(secondBlock()!.querySelector('.suggested')!.textContent).to.equal('4B');
    await expect(report).to.be.accessible();

    // The second reader overrides the suggestion with 4A: both are kept and announced.
    const select = secondBlock()!.querySelector<HTMLSelectElement>('.category select')!;
    const announced = nextEvent<ReportChangeEvent>(report, 'ct-report-change');
    select.value = '4A';
    select.dispatchEvent(new Event('change'));
    const change = await announced;
    const secondAfter = change.detail.followup!.readers.find((r) => r.role === 'second')!;
    expect(secondAfter.assessment).to.deep.include({ suggested: '4B', category: '4A', overridden: true });
    await report.updateComplete;
    expect(discrepancy()!.textContent).to.include('3 → 4A: 6-month LDCT → 3-month LDCT');
    expect(secondBlock()!.querySelector('.final')!.textContent).to.equal('4A');

    // Submit: the payload carries growth, categories and the interval, never dates or PatientID.
    report.model!.setRadpeer('2b');
    const submitted = nextEvent<ReportSubmitEvent>(report, 'ct-report-submit');
    report.submit();
    const detail = (await submitted).detail;
    expect(detail.followup!.intervalDays).to.equal(182);
    expect(detail.followup!.discrepancy).to.equal('3 → 4A: 6-month LDCT → 3-month LDCT');
    const firstReader = detail.followup!.readers.find((r) => r.role === 'first')!;
    expect(firstReader.assessment).to.deep.include({ suggested: '4B', category: '3', overridden: true });
    // The FHIR bundle has both readers' categories.
    const bundle = (await report.fhirBundle())!;
    const categories = (bundle.entry ?? [])
      .map(
        (e) =>
          e.resource as {
            resourceType: string;
            code?: { coding?: { code?: string }[] };
            valueCodeableConcept?: { text?: string };
          },
      )
      .filter((r) => r.resourceType === 'Observation' && r.code?.coding?.[0]?.code === 'LUNG-RADS')
      .map((r) => r.valueCodeableConcept?.text);
    expect(categories).to.deep.equal(['3', '4A']);
    const json = JSON.stringify(detail);
    expect(json).to.not.include(followup.patient.id);
    expect(json).to.not.include(followup.studyDate);
    expect(json).to.not.include(baseline.studyDate);
  });

  it('refuses a bad follow-up setup with a visible message and ct-error', async () => {
    const ws = await followUpWorkspace();
    const errors: string[] = [];
    ws.report.addEventListener('ct-error', (e) => errors.push(e.detail.code));
    ws.report.followup = { ...ws.report.followup!, intervalDays: -3 };
    await ws.report.updateComplete;
    expect(errors).to.deep.equal(['invalid-report']);
    expect(ws.report.shadowRoot!.querySelector('[part=error]')!.textContent).to.include('intervalDays');
    expect(ws.report.shadowRoot!.querySelector('[part=followup]')).to.equal(null);
  });
});
