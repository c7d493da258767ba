import { css } from 'lit';

/**
 * The first report's PDF pages (first-reading-document.ts): page canvases fitted to the panel's
 * width in a scrolling column, and pdf.js's text layer (transparent text over each canvas, laid
 * out by pdf.js through `--total-scale-factor`) so the text can be found and selected.
 */
export const firstDocumentStyles = css`
  @layer secondread {
    .first-document {
      display: flex;
      flex-direction: column;
      gap: 8px;
      max-height: 480px;
      overflow: auto;
      scrollbar-gutter: stable;
      padding: 4px;
      border: 1px solid var(--_muted);
      background: #525659;
    }
    .pdf-page {
      position: relative;
      flex: none;
      line-height: 0;
    }
    .pdf-page canvas {
      display: block;
      width: 100%;
      height: auto;
      background: #fff;
    }
    .pdf-text-layer {
      --scale-round-x: 1px;
      --scale-round-y: 1px;
      --min-font-size: 1;
      --text-scale-factor: calc(var(--total-scale-factor) * var(--min-font-size));
      --min-font-size-inv: calc(1 / var(--min-font-size));
      position: absolute;
      inset: 0;
      overflow: clip;
      line-height: 1;
      text-align: initial;
      transform-origin: 0 0;
      forced-color-adjust: none;
    }
    .pdf-text-layer :is(span, br) {
      position: absolute;
      color: transparent;
      white-space: pre;
      cursor: text;
      transform-origin: 0% 0%;
    }
    .pdf-text-layer > :not(.markedContent),
    .pdf-text-layer .markedContent span:not(.markedContent) {
      --font-height: 0;
      --scale-x: 1;
      --rotate: 0deg;
      font-size: calc(var(--text-scale-factor) * var(--font-height));
      transform: rotate(var(--rotate)) scaleX(var(--scale-x)) scale(var(--min-font-size-inv));
    }
    .pdf-text-layer .markedContent {
      display: contents;
    }
    .pdf-text-layer ::selection {
      background: rgb(0 0 255 / 0.25);
    }
    .document-error {
      padding: 8px;
      border: 1px solid currentColor;
    }
  }
`;
