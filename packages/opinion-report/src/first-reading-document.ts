/**
 * The first reader's own report when it is a text or a PDF (a TID 2000 text SR or an
 * Encapsulated PDF imported by `@secondread/standards`): its impression and recommendations, and
 * the PDF in a sandboxed frame. The PDF's bytes are shown through a `blob:` URL that this
 * controller creates once per document and revokes when the document changes or the element
 * leaves the page.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { Reading } from '@secondread/core';

/** A report document to show beside a first reading (e.g. `importFirstReading(...).document`). */
export interface FirstReadingDocument {
  readonly mediaType: string;
  readonly bytes: Uint8Array;
  readonly title?: string;
}

/** Keeps one `blob:` URL for the current document. */
export class DocumentUrlController implements ReactiveController {
  private document: FirstReadingDocument | undefined;
  private url: string | undefined;

  constructor(host: ReactiveControllerHost) {
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

  hostDisconnected(): void {
    this.revoke();
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
 * with a PDF document, the PDF in an `<iframe sandbox>` (no `allow-scripts`: nothing in it runs
 * script) with links to open it in a new tab and to download it. Chromium does not run its PDF
 * viewer inside any sandboxed frame (measured with Chromium 156: the frame stays empty), so there
 * the links are the way to read it; browsers whose viewer renders in sandboxed frames show it in
 * place. Nothing for a first reading of measurements.
 */
export function renderFirstReport(
  first: Reading | undefined,
  document: FirstReadingDocument | undefined,
  urls: DocumentUrlController,
): TemplateResult | typeof nothing {
  if (!first || !isDocumentReading(first)) return nothing;
  const pdf = first.source?.kind === 'pdf' && document?.mediaType === 'application/pdf' ? document : undefined;
  const title = pdf?.title ?? first.source?.document?.title ?? 'First report';
  const url = pdf ? urls.urlOf(pdf) : undefined;
  return html`<section part="first-report" class="first-report" aria-label="First reader's report">
    <h3>First report · ${first.reader.name}</h3>
    ${
      first.impression
        ? html`<p class="first-impression"><strong>Impression</strong> <span>${first.impression}</span></p>`
        : nothing
    }
    ${
      first.recommendations
        ? html`<p class="first-recommendations">
            <strong>Recommendations</strong> <span>${first.recommendations}</span>
          </p>`
        : nothing
    }
    ${
      url
        ? html`<iframe part="first-document" class="first-document" sandbox="" title=${title} src=${url}></iframe>
            <p class="document-links">
              <a href=${url} target="_blank" rel="noopener">Open ${title} in a new tab</a> ·
              <a href=${url} download="first-report.pdf">Download</a>
            </p>`
        : first.source?.kind === 'pdf'
          ? html`<p class="none">The PDF of the first report is not available here.</p>`
          : nothing
    }
  </section>`;
}
