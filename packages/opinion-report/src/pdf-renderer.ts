/**
 * Draws a PDF's pages with pdf.js (`pdfjs-dist`). This module is only imported (dynamically, by
 * `first-reading-document.ts`) when a PDF first report is shown, so pages without one never load
 * pdf.js.
 *
 * Nothing from the PDF runs as script: pdf.js's scripting sandbox (`pdf.sandbox.mjs`) is never
 * loaded, `isEvalSupported: false` keeps pdf.js from compiling fonts with `new Function`, and
 * forms are drawn as appearances, never as live widgets. The parser runs in pdf.js's worker,
 * served from the same origin as this module (a strict CSP needs `worker-src 'self'`).
 */
import { GlobalWorkerOptions, TextLayer, getDocument, type PDFDocumentProxy, type RenderTask } from 'pdfjs-dist';
import { ViewerError } from '@secondread/core';

// The worker is pdf.js's own self-contained module, resolved by the bundler next to this one (Vite
// copies it as an asset). A page that already configured pdf.js's worker keeps its choice.
if (!GlobalWorkerOptions.workerSrc && !GlobalWorkerOptions.workerPort) {
  GlobalWorkerOptions.workerSrc = new URL('pdfjs-dist/build/pdf.worker.min.mjs', import.meta.url).href;
}

/** An open PDF whose pages can be drawn into canvases. */
export interface PdfPages {
  readonly pageCount: number;
  /**
   * Draws page `pageNumber` (1-based) into `canvas`, fitted to `cssWidth` CSS pixels, and lays its
   * text (transparent, selectable, findable) into `textLayer` over it. A later call for the same
   * canvas cancels the earlier one.
   */
  drawPage(pageNumber: number, canvas: HTMLCanvasElement, textLayer: HTMLElement, cssWidth: number): Promise<void>;
  /** Releases the document and its worker. */
  destroy(): Promise<void>;
}

/** Opens `bytes` as a PDF; rejects with a `ViewerError` (`corrupt`) when it cannot be read. */
export async function openPdf(bytes: Uint8Array): Promise<PdfPages> {
  // pdf.js transfers the buffer to its worker: hand it a copy so the caller's bytes stay usable.
  const data = bytes.slice();
  const task = getDocument({ data, isEvalSupported: false, enableXfa: false, stopAtErrors: true, verbosity: 0 });
  let document: PDFDocumentProxy;
  try {
    document = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    throw new ViewerError('corrupt', `The first report's PDF cannot be read: ${messageOf(error)}.`, undefined, {
      cause: error,
    });
  }
  if (document.numPages < 1) {
    await document.destroy();
    throw new ViewerError('corrupt', "The first report's PDF has no pages.");
  }
  return new OpenPdf(document);
}

class OpenPdf implements PdfPages {
  private readonly tasks = new WeakMap<HTMLCanvasElement, { render: RenderTask; text: TextLayer }>();

  constructor(private readonly document: PDFDocumentProxy) {}

  get pageCount(): number {
    return this.document.numPages;
  }

  async drawPage(
    pageNumber: number,
    canvas: HTMLCanvasElement,
    textLayer: HTMLElement,
    cssWidth: number,
  ): Promise<void> {
    const previous = this.tasks.get(canvas);
    previous?.render.cancel();
    previous?.text.cancel();
    let page;
    try {
      page = await this.document.getPage(pageNumber);
    } catch (error) {
      throw new ViewerError(
        'corrupt',
        `Page ${pageNumber} of the first report's PDF cannot be read: ${messageOf(error)}.`,
      );
    }
    const scale = cssWidth / page.getViewport({ scale: 1 }).width;
    const viewport = page.getViewport({ scale });
    const pixelRatio = globalThis.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.floor(viewport.width * pixelRatio));
    canvas.height = Math.max(1, Math.floor(viewport.height * pixelRatio));
    canvas.style.setProperty('aspect-ratio', `${viewport.width} / ${viewport.height}`);
    textLayer.replaceChildren();
    textLayer.style.setProperty('--total-scale-factor', String(scale));
    const render = page.render({
      canvas,
      viewport,
      ...(pixelRatio !== 1 ? { transform: [pixelRatio, 0, 0, pixelRatio, 0, 0] } : {}),
    });
    const text = new TextLayer({ textContentSource: page.streamTextContent(), container: textLayer, viewport });
    this.tasks.set(canvas, { render, text });
    try {
      await Promise.all([render.promise, text.render()]);
    } catch (error) {
      if (isCancelled(error)) return;
      throw new ViewerError(
        'corrupt',
        `Page ${pageNumber} of the first report's PDF cannot be drawn: ${messageOf(error)}.`,
      );
    }
  }

  async destroy(): Promise<void> {
    await this.document.destroy();
  }
}

function isCancelled(error: unknown): boolean {
  return error instanceof Error && (error.name === 'RenderingCancelledException' || error.name === 'AbortException');
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\.$/, '') || 'unknown error';
}
