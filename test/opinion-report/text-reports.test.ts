/**
 * Text and PDF first readings in `<opinion-report>`: dcmtk's Basic Text SR and Encapsulated PDF
 * (test/support/text-reports.ts) imported in the browser with `importFirstReading`; the free-text
 * findings are listed as the first reading's, the second reader pairs one by hand with a measured
 * finding and `ct-report-change` records the manual pair; the PDF is shown in a sandboxed frame
 * without scripts on a `blob:` URL holding the PDF's bytes.
 */
import { expect } from '@open-wc/testing';
import axe from 'axe-core';
import { importFirstReading } from '@secondread/standards';
import type { ReportChangeEvent } from '@secondread/opinion-report';
import { nextEvent } from '../support/browser-helpers.ts';
import { measureAcross, n1, workspace } from './helpers.ts';

/** WCAG 2 A/AA violations (axe-core) in the report, shadow root included. */
async function violations(element: Element): Promise<string[]> {
  const result = await axe.run(element, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

const fixture = async (name: string): Promise<Uint8Array> => {
  const response = await fetch(`/__data/cache/fixtures/text-reports/${name}`);
  expect(response.ok, name).to.be.true;
  return new Uint8Array(await response.arrayBuffer());
};

describe('<opinion-report> with a text first reading (Basic Text SR)', () => {
  it('lists the free-text findings and the impression, and records a manual pair in the concordance', async () => {
    const imported = importFirstReading(await fixture('basic-text-sr.dcm'));
    expect(imported.kind).to.equal('text-sr');
    const ws = await workspace({ key: `text-report-${Date.now()}`, firstReading: imported.reading });
    const root = ws.report.shadowRoot!;
    const firstFindings = [...root.querySelectorAll('.finding.first')].map((b) => b.textContent ?? '');
    expect(firstFindings.length).to.equal(imported.reading.findings.length);
    expect(firstFindings[0]).to.include(imported.reading.findings[0]!.description);
    expect(firstFindings[1]).to.include('No enlarged lymph nodes.');
    const panel = root.querySelector('[part="first-report"]')!;
    expect(panel.textContent).to.include(imported.reading.impression);
    expect(panel.textContent).to.include(imported.reading.recommendations);
    expect(await violations(ws.report)).to.deep.equal([]);

    await measureAcross(ws, n1, n1.diameterMm);
    await ws.report.updateComplete;
    const select = [...root.querySelectorAll<HTMLSelectElement>('.pair-with select')][0]!;
    const option = [...select.options].find((o) => o.value);
    expect(option, 'the measured finding is offered').to.exist;
    const changed = nextEvent<ReportChangeEvent>(ws.report, 'ct-report-change');
    select.value = option!.value;
    select.dispatchEvent(new Event('change'));
    const { opinion } = (await changed).detail;
    const pair = opinion.concordance.pairs.find((p) => p.firstFindingId === 'finding-1');
    expect(pair?.secondFindingId).to.equal(option!.value);
    expect(pair?.method).to.equal('manual');
    expect(opinion.readings.find((r) => r.role === 'first')?.source?.kind).to.equal('text-sr');
  });
});

describe('<opinion-report> with a PDF first reading (Encapsulated PDF)', () => {
  it('shows the PDF in a sandboxed frame without scripts, from a blob: URL holding its bytes', async () => {
    const imported = importFirstReading(await fixture('encapsulated-pdf.dcm'));
    expect(imported.kind).to.equal('pdf');
    if (imported.kind !== 'pdf') return;
    const ws = await workspace({ key: `pdf-report-${Date.now()}`, firstReading: imported.reading });
    ws.report.firstDocument = imported.document;
    await ws.report.updateComplete;
    const frame = ws.report.shadowRoot!.querySelector<HTMLIFrameElement>('iframe[part="first-document"]')!;
    expect(frame).to.exist;
    expect(frame.hasAttribute('sandbox')).to.be.true;
    expect(frame.getAttribute('sandbox')).to.not.include('allow-scripts');
    expect(frame.src.startsWith('blob:')).to.be.true;
    const shown = new Uint8Array(await (await fetch(frame.src)).arrayBuffer());
    expect(shown.byteLength).to.equal(imported.document.bytes.byteLength);
    expect(shown.every((byte, i) => byte === imported.document.bytes[i])).to.be.true;
    expect(frame.title).to.equal('CT chest report');
    // Chromium shows no PDF viewer in a sandboxed frame: the panel links to the same blob.
    const links = [...ws.report.shadowRoot!.querySelectorAll<HTMLAnchorElement>('.document-links a')];
    expect(links.map((a) => a.href)).to.deep.equal([frame.src, frame.src]);
    expect(links[0]!.rel).to.equal('noopener');
    expect(await violations(ws.report)).to.deep.equal([]);
  });
});
