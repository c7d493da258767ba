/**
 * The first reader's own report when it is a text or a PDF (a TID 2000 text SR or an
 * Encapsulated PDF imported by `@secondread/standards`): its impression and recommendations, and
 * the PDF's pages drawn by pdf.js (`pdf-renderer.ts`, imported only when a PDF is shown) into
 * canvases with a text layer, with no script from the PDF ever running. The open and download
 * links use a `blob:` URL that the controller creates once per document and revokes when the
 * document changes or the element leaves the page.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { SecondReadErrorEvent, toViewerError, type Catalogue, type Reading, type ViewerError } from '@secondread/core';
import type { PdfPages } from './pdf-renderer.js';

/** A report document to show beside a first reading (e.g. `importFirstReading(...).document`). */
export interface FirstReadingDocument {
  readonly mediaType: string;
  readonly bytes: Uint8Array;
  readonly title?: string;
}

/** What the PDF panel shows: pdf.js loading, the pages (being drawn, then shown), or why not. */
type PdfPanelState =
  | { readonly status: 'loading' }
  | { readonly status: 'drawing' | 'shown'; readonly pages: PdfPages }
  | { readonly status: 'error'; readonly error: ViewerError };

/**
 * Keeps one `blob:` URL for the current document (for the open and download links) and, for a
 * PDF, draws its pages with pdf.js into the panel's canvases: pdf.js is imported the first time a
 * PDF is shown, the pages are redrawn when the panel's width changes, and a PDF that cannot be read
 * or drawn becomes a visible message and a non-fatal `ct-error` (`corrupt`).
 */
export class DocumentUrlController implements ReactiveController {
  private document: FirstReadingDocument | undefined;
  private url: string | undefined;
  private pdfDocument: FirstReadingDocument | undefined;
  private pdf: PdfPanelState | undefined;
  private pages: HTMLElement | undefined;
  private drawnWidth = 0;
  private resizeObserver: ResizeObserver | undefined;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  /** The URL of `document` (a new one when it changed; the old one is revoked). */
  urlOf(document: FirstReadingDocument): string {
    if (document !== this.document || !this.url) {
      this.revoke();
      this.document = document;
      const copy = new Uint8Array(document.bytes.byteLength);
      copy.set(document.bytes);
      this.url = URL.createObjectURL(new Blob([copy], { type: document.mediaType }));
    }
    return this.url;
  }

  /** The pages of the PDF `document`, drawn by pdf.js (loaded now if it is not yet). */
  pdfPanel(document: FirstReadingDocument, title: string, t: Catalogue): TemplateResult {
    if (document !== this.pdfDocument || !this.pdf) this.open(document);
    const state = this.pdf!;
    if (state.status === 'loading') {
      return html`<p class="document-status" role="status">${t.report.loadingDocument(title)}</p>`;
    }
    if (state.status === 'error') {
      const message = t.language === 'en' ? state.error.message : t.errorSummary[state.error.code];
      return html`<p class="document-error" role="alert" data-code=${state.error.code}>${message}</p>`;
    }
    const count = state.pages.pageCount;
    const numbers = Array.from({ length: count }, (_, i) => i + 1);
    return html`<div
        part="first-document"
        class="first-document"
        role="group"
        aria-label=${title}
        data-state=${state.status}
        ${ref(this.observePages)}
      >
        ${numbers.map(
          (n) =>
            html`<div class="pdf-page" data-page=${n}>
              <canvas
                part="first-document-page"
                role="img"
                aria-label=${t.report.documentPage(title, String(n), String(count))}
              ></canvas>
              <div class="pdf-text-layer"></div>
            </div>`,
        )}
      </div>
      <p class="document-pages">${t.report.pages(count, String(count))}</p>`;
  }

  hostUpdated(): void {
    const state = this.pdf;
    if (!state || (state.status !== 'drawing' && state.status !== 'shown') || !this.pages?.isConnected) return;
    const width = Math.floor(this.pages.querySelector<HTMLElement>('.pdf-page')?.clientWidth ?? 0);
    if (width > 0 && width !== this.drawnWidth) void this.draw(state.pages, width);
  }

  hostDisconnected(): void {
    this.revoke();
    this.closePdf();
  }

  private readonly observePages = (element: Element | undefined): void => {
    if (element === this.pages) return;
    this.resizeObserver?.disconnect();
    this.pages = element as HTMLElement | undefined;
    this.drawnWidth = 0;
    if (!this.pages) return;
    this.resizeObserver ??= new ResizeObserver(() => this.host.requestUpdate());
    this.resizeObserver.observe(this.pages);
  };

  private open(document: FirstReadingDocument): void {
    this.closePdf();
    this.pdfDocument = document;
    const state: PdfPanelState = { status: 'loading' };
    this.pdf = state;
    import('./pdf-renderer.js')
      .then(async ({ openPdf }) => {
        const pages = await openPdf(document.bytes);
        if (this.pdf !== state) return void pages.destroy();
        this.pdf = { status: 'drawing', pages };
        this.host.requestUpdate();
      })
      .catch((error: unknown) => {
        if (this.pdf === state) this.fail(error);
      });
  }

  private async draw(pages: PdfPages, width: number): Promise<void> {
    this.drawnWidth = width;
    const container = this.pages!;
    const figures = [...container.querySelectorAll<HTMLElement>('.pdf-page')];
    try {
      await Promise.all(
        figures.map((figure, i) =>
          pages.drawPage(
            i + 1,
            figure.querySelector('canvas')!,
            figure.querySelector<HTMLElement>('.pdf-text-layer')!,
            width,
          ),
        ),
      );
    } catch (error) {
      if (this.pdf && 'pages' in this.pdf && this.pdf.pages === pages) this.fail(error);
      return;
    }
    if (this.pdf?.status === 'drawing' && this.pdf.pages === pages && this.drawnWidth === width) {
      this.pdf = { status: 'shown', pages };
      this.host.requestUpdate();
    }
  }

  private fail(error: unknown): void {
    if (this.pdf && 'pages' in this.pdf) void this.pdf.pages.destroy();
    const failure = toViewerError(error, 'render');
    this.pdf = { status: 'error', error: failure };
    this.host.requestUpdate();
    this.host.dispatchEvent(new SecondReadErrorEvent({ code: failure.code, message: failure.message, fatal: false }));
  }

  private closePdf(): void {
    if (this.pdf && 'pages' in this.pdf) void this.pdf.pages.destroy();
    this.pdf = undefined;
    this.pdfDocument = undefined;
    this.drawnWidth = 0;
  }

  private revoke(): void {
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = undefined;
    this.document = undefined;
  }
}

/** True for a first reading read from a text report or a PDF (it has a report to show). */
export function isDocumentReading(reading: Reading | undefined): boolean {
  const kind = reading?.source?.kind;
  return kind === 'text-sr' || kind === 'pdf';
}

/**
 * The first report panel: the first reading's impression and recommendations (text reports) and,
 * with a PDF document, its pages drawn by pdf.js (part `first-document`, one canvas per page, part
 * `first-document-page`, fitted to the panel's width, with a transparent text layer so the text can
 * be found, selected and read by assistive technology), the page count, and links to open the PDF
 * in a new tab and to download it. pdf.js runs without eval and without its scripting sandbox, so
 * nothing in the PDF runs script. A PDF that cannot be read shows why, in place of the pages.
 * Nothing for a first reading of measurements.
 */
export function renderFirstReport(
  first: Reading | undefined,
  document: FirstReadingDocument | undefined,
  urls: DocumentUrlController,
  t: Catalogue,
): TemplateResult | typeof nothing {
  if (!first || !isDocumentReading(first)) return nothing;
  const pdf = first.source?.kind === 'pdf' && document?.mediaType === 'application/pdf' ? document : undefined;
  const title = pdf?.title ?? first.source?.document?.title ?? t.report.firstReport;
  const url = pdf ? urls.urlOf(pdf) : undefined;
  return html`<section part="first-report" class="first-report" aria-label=${t.report.firstReportRegion}>
    <h3>${t.report.firstReportOf(first.reader.name)}</h3>
    ${
      first.impression
        ? html`<p class="first-impression"><strong>${t.report.impression}</strong> <span>${first.impression}</span></p>`
        : nothing
    }
    ${
      first.recommendations
        ? html`<p class="first-recommendations">
            <strong>${t.report.recommendations}</strong> <span>${first.recommendations}</span>
          </p>`
        : nothing
    }
    ${
      url
        ? html`${urls.pdfPanel(pdf!, title, t)}
            <p class="document-links">
              <a href=${url} target="_blank" rel="noopener">${t.report.openDocument(title)}</a> ·
              <a href=${url} download="first-report.pdf">${t.report.download}</a>
            </p>`
        : first.source?.kind === 'pdf'
          ? html`<p class="none">${t.report.pdfUnavailable}</p>`
          : nothing
    }
  </section>`;
}
