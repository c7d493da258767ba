/**
 * Text and PDF first readings in `<opinion-report>`: dcmtk's Basic Text SR and Encapsulated PDF
 * (test/support/text-reports.ts) imported in the browser with `importFirstReading`; the free-text
 * findings are listed as the first reading's, the second reader pairs one by hand with a measured
 * finding and `ct-report-change` records the manual pair; the PDF's pages are drawn by pdf.js into
 * canvases with a findable text layer, a damaged PDF gives a typed message and a `ct-error`.
 */
import { expect } from '@open-wc/testing';
import axe from 'axe-core';
import { importFirstReading } from '@secondread/standards';
import type { ReportChangeEvent } from '@secondread/opinion-report';
import { nextEvent, until } from '../support/browser-helpers.ts';
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

/** The PDF panel's pages once pdf.js drew them (`data-state="shown"`), or its error message. */
async function pdfPanel(report: HTMLElement): Promise<ShadowRoot> {
  const root = report.shadowRoot!;
  await until(
    () => !!root.querySelector('[part="first-document"][data-state="shown"], .document-error'),
    30_000,
    'the PDF panel shows its pages or an error',
  );
  return root;
}

/** Pixels of a canvas that are not (nearly) white. */
function inkedPixels(canvas: HTMLCanvasElement): number {
  const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  let inked = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i]! < 200 || data[i + 1]! < 200 || data[i + 2]! < 200) inked++;
  }
  return inked;
}

/** True for a failure of Vite's dev client itself (its HMR socket, off in the test server), not of the page. */
function fromViteClient(error: unknown): boolean {
  return error instanceof Error && /@vite\/client/.test(error.stack ?? '');
}

/** Collects uncaught errors and rejections of the page while a test runs. */
function pageErrors(): { errors: string[]; stop: () => void } {
  const errors: string[] = [];
  const onError = (event: ErrorEvent): void => {
    if (!fromViteClient(event.error)) errors.push(String(event.error ?? event.message));
  };
  const onRejection = (event: PromiseRejectionEvent): void => {
    if (!fromViteClient(event.reason)) errors.push(String(event.reason));
  };
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return {
    errors,
    stop: () => {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    },
  };
}

describe('<opinion-report> with a PDF first reading (Encapsulated PDF)', () => {
  it("draws the PDF's pages with pdf.js into canvases, with its text findable, and links to its bytes", async () => {
    const imported = importFirstReading(await fixture('encapsulated-pdf.dcm'));
    expect(imported.kind).to.equal('pdf');
    if (imported.kind !== 'pdf') return;
    const watch = pageErrors();
    const ws = await workspace({ key: `pdf-report-${Date.now()}`, firstReading: imported.reading });
    const errorsFired: string[] = [];
    ws.report.addEventListener('ct-error', (event) => errorsFired.push(event.detail.message));
    try {
      ws.report.firstDocument = imported.document;
      await ws.report.updateComplete;
      const root = await pdfPanel(ws.report);
      expect(root.querySelector('.document-error')?.textContent ?? '', 'no error message').to.equal('');
      const panel = root.querySelector<HTMLElement>('[part="first-document"]')!;
      expect(panel.getAttribute('aria-label')).to.equal('CT chest report');
      // The fixture is a one-page PDF printed by Chromium (test/support/text-reports.ts); pdf.js counts its pages.
      const canvases = [...root.querySelectorAll<HTMLCanvasElement>('canvas[part="first-document-page"]')];
      expect(canvases.length).to.equal(1);
      expect(root.querySelector('.document-pages')!.textContent).to.equal('1 page');
      expect(canvases[0]!.getAttribute('aria-label')).to.equal('CT chest report, page 1 of 1');
      for (const canvas of canvases) {
        // Fitted to the panel's width (in device pixels), drawn with ink on a white page.
        const page = canvas.parentElement!;
        expect(Math.abs(canvas.width - Math.floor(page.clientWidth * devicePixelRatio))).to.be.at.most(1);
        expect(canvas.getBoundingClientRect().width).to.be.closeTo(page.clientWidth, 1);
        // Chromium prints on US Letter portrait (8.5 x 11 in): the height follows the page's proportions.
        expect(canvas.height / canvas.width).to.be.closeTo(11 / 8.5, 0.01);
        const inked = inkedPixels(canvas);
        expect(inked, 'ink on the page').to.be.greaterThan(500);
        expect(inked, 'mostly white paper').to.be.lessThan(canvas.width * canvas.height * 0.2);
      }
      // The text layer holds the printed words, transparent over the canvas, where find and selection reach them.
      const text = (root.querySelector('.pdf-text-layer')!.textContent ?? '').replace(/\s+/g, ' ');
      for (const words of [
        'CT chest report',
        'Solid nodule in the right lung with smooth margins.',
        'Solitary right lung nodule, follow-up CT in 3 months.',
        'Dr Paula Printer',
      ]) {
        expect(text, words).to.include(words);
      }
      const span = [...root.querySelectorAll<HTMLElement>('.pdf-text-layer span')].find((s) =>
        s.textContent?.includes('Solid nodule'),
      )!;
      expect(getComputedStyle(span).color).to.equal('rgba(0, 0, 0, 0)');
      const spanBox = span.getBoundingClientRect();
      const canvasBox = canvases[0]!.getBoundingClientRect();
      expect(spanBox.width, 'the text sits on the page').to.be.greaterThan(0);
      expect(spanBox.left).to.be.within(canvasBox.left, canvasBox.right);
      expect(spanBox.top).to.be.within(canvasBox.top, canvasBox.bottom);
      // No frame, nothing of the PDF's own runs: the pages are canvases of this shadow root.
      expect(root.querySelector('iframe, embed, object')).to.equal(null);
      // The open and download links still hand out the PDF's own bytes.
      const links = [...root.querySelectorAll<HTMLAnchorElement>('.document-links a')];
      expect(links.length).to.equal(2);
      expect(links[0]!.href).to.equal(links[1]!.href);
      expect(links[0]!.href.startsWith('blob:')).to.be.true;
      expect(links[0]!.rel).to.equal('noopener');
      const shown = new Uint8Array(await (await fetch(links[0]!.href)).arrayBuffer());
      expect(shown.byteLength).to.equal(imported.document.bytes.byteLength);
      expect(shown.every((byte, i) => byte === imported.document.bytes[i])).to.be.true;
      expect(await violations(ws.report)).to.deep.equal([]);
      expect(errorsFired).to.deep.equal([]);
      expect(watch.errors).to.deep.equal([]);
    } finally {
      watch.stop();
    }
  });

  it('shows a typed message and fires a non-fatal ct-error for a damaged PDF (cut in half)', async () => {
    const imported = importFirstReading(await fixture('encapsulated-pdf.dcm'));
    if (imported.kind !== 'pdf') throw new Error('the fixture is an Encapsulated PDF');
    const watch = pageErrors();
    const ws = await workspace({ key: `pdf-damaged-${Date.now()}`, firstReading: imported.reading });
    try {
      const bytes = imported.document.bytes;
      const fired = nextEvent(ws.report, 'ct-error', 30_000);
      ws.report.firstDocument = { ...imported.document, bytes: bytes.slice(0, Math.floor(bytes.byteLength / 2)) };
      const { detail } = await fired;
      expect(detail.code).to.equal('corrupt');
      expect(detail.fatal).to.equal(false);
      const root = await pdfPanel(ws.report);
      const message = root.querySelector<HTMLElement>('.document-error')!;
      expect(message).to.exist;
      expect(message.dataset.code).to.equal('corrupt');
      expect(message.getAttribute('role')).to.equal('alert');
      expect(message.textContent).to.equal(detail.message);
      expect(message.textContent).to.match(/^The first report's PDF cannot be read/);
      expect(root.querySelector('canvas[part="first-document-page"]')).to.equal(null);
      // The links stay: the reader can still try the file in another program.
      expect(root.querySelectorAll('.document-links a').length).to.equal(2);
      expect(watch.errors).to.deep.equal([]);
    } finally {
      watch.stop();
    }
  });
});
