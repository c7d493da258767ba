import { css } from 'lit';
import { controlStyles } from './control.styles.js';

/**
 * Styles of `<ct-viewer>`. Public tokens are `--ct-*`; private `--_*` copies live on `:host`
 * so that host pages override the tokens, never the internals. Everything sits in the
 * `secondread` cascade layer, so a host page's unlayered rules win.
 */
const ownStyles = css`
  @layer secondread {
    :host {
      --_bg: var(--ct-viewer-background, #000);
      --_fg: var(--ct-viewer-overlay-color, #e8eef2);
      --_accent: var(--ct-accent-color, #4fb3ff);
      --_danger: var(--ct-danger-color, #ff6b6b);
      --_font: var(--ct-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
      --_overlay-size: var(--ct-overlay-font-size, 12px);
      --_panel-bg: var(--ct-panel-background, rgba(16, 22, 28, 0.96));
      --_radius: var(--ct-radius, 6px);
      --_warning: var(--ct-warning-color, #ffcc66);
      display: block;
      position: relative;
      min-width: 120px;
      min-height: 120px;
      width: 100%;
      height: 480px;
      contain: strict;
      background: var(--_bg);
      color: var(--_fg);
      font-family: var(--_font);
      font-size: var(--_overlay-size);
      user-select: none;
      outline: none;
    }
    :host(:focus-visible) {
      box-shadow: inset 0 0 0 2px var(--_accent);
    }
    :host([hidden]) {
      display: none;
    }
    .base {
      position: absolute;
      inset: 0;
      display: grid;
      grid-template-rows: auto 1fr;
    }
    [part='toolbar'] {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      align-items: center;
      padding: 4px 6px;
      background: var(--_panel-bg);
      border-bottom: 1px solid var(--_border);
      font-size: var(--_font-size);
    }
    [part='toolbar'] select,
    [part='toolbar'] button,
    .panel button,
    .banner button {
      padding: 3px 8px;
    }
    .stage {
      position: relative;
      overflow: hidden;
      min-height: 0;
    }
    [part='viewport'] {
      position: absolute;
      inset: 0 22px 0 0;
    }
    .engine {
      width: 100%;
      height: 100%;
    }
    /* The tool's cursor (set by the engine adapter as --secondread-cursor): a CSS cursor, not an image. */
    .engine * {
      cursor: var(--secondread-cursor, default);
    }
    /* Reformatted planes replace the stack, which keeps loading (and its size) behind them. */
    .engine.behind {
      visibility: hidden;
    }
    .planes {
      position: absolute;
      inset: 0;
      display: grid;
      gap: 2px;
      background: var(--_bg);
    }
    .planes.mpr {
      grid-template-columns: 1fr 1fr;
      grid-template-rows: 1fr 1fr;
    }
    .planes.mpr .plane[data-plane='axial'] {
      grid-row: 1 / 3;
    }
    .plane {
      position: relative;
      overflow: hidden;
      min-width: 0;
      min-height: 0;
    }
    .plane-view {
      position: absolute;
      inset: 0 22px 0 0;
    }
    .plane-engine {
      width: 100%;
      height: 100%;
    }
    .plane-pending {
      position: absolute;
      inset: 0;
      display: grid;
      place-content: center;
      text-align: center;
    }
    .crosshair {
      position: absolute;
      inset: 0 22px 0 0;
      width: calc(100% - 22px);
      height: 100%;
      pointer-events: none;
      overflow: hidden;
    }
    .crosshair-line {
      stroke-width: 1;
      opacity: 0.8;
    }
    .crosshair-line.axial {
      stroke: #4fb3ff;
    }
    .crosshair-line.coronal {
      stroke: #7ddc7a;
    }
    .crosshair-line.sagittal {
      stroke: #ffb347;
    }
    .crosshair-handle {
      fill: transparent;
      stroke: var(--_fg);
      stroke-width: 1.5;
      pointer-events: all;
      cursor: move;
      touch-action: none;
    }
    /* The slice's own pixels are not there: nothing of another slice may show through. */
    .engine.stale {
      opacity: 0;
    }
    [part='placeholder'] {
      position: absolute;
      inset: 0 22px 0 0;
      display: grid;
      place-content: center;
      text-align: center;
      background: var(--_bg);
      color: var(--_fg);
      pointer-events: none;
    }
    [part='placeholder'].failed p:first-child {
      color: var(--_danger);
    }
    .preview {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      pointer-events: none;
    }
    .preview[hidden] {
      display: none;
    }
    .panel.over-preview {
      background: transparent;
      place-content: end center;
      pointer-events: none;
    }
    [part='overlay'] {
      position: absolute;
      inset: 0 22px 0 0;
      pointer-events: none;
      text-shadow:
        0 0 2px #000,
        0 0 4px #000;
      line-height: 1.35;
    }
    .corner {
      position: absolute;
      padding: 6px 8px;
      white-space: nowrap;
      /* Leave the middle to the orientation markers in narrow viewers (side by side). */
      max-width: calc(50% - 18px);
      box-sizing: border-box;
    }
    .corner > div {
      overflow: hidden;
      text-overflow: ellipsis;
    }
    /* Text corners follow the writing direction (start/end); the orientation markers, the slider
       and the scale bar belong to the image, which is never mirrored, so they stay physical. */
    .tl {
      top: 0;
      inset-inline-start: 0;
    }
    .tr {
      top: 0;
      inset-inline-end: 0;
      text-align: end;
    }
    .bl {
      bottom: 0;
      inset-inline-start: 0;
    }
    .br {
      bottom: 0;
      inset-inline-end: 0;
      text-align: end;
    }
    .warn {
      color: var(--_warning);
    }
    .marker {
      position: absolute;
      font-weight: 600;
      font-size: calc(var(--_overlay-size) + 2px);
    }
    .marker.top {
      top: 4px;
      left: 50%;
      transform: translateX(-50%);
    }
    .marker.bottom {
      bottom: 40px;
      left: 50%;
      transform: translateX(-50%);
    }
    .marker.left {
      left: 4px;
      top: 50%;
      transform: translateY(-50%);
    }
    .marker.right {
      right: 4px;
      top: 50%;
      transform: translateY(-50%);
    }
    [part='scale-bar'] {
      position: absolute;
      bottom: 8px;
      left: 50%;
      transform: translateX(-50%);
      text-align: center;
    }
    [part='scale-bar'] .bar {
      height: 4px;
      border: 1px solid var(--_fg);
      border-top: none;
      margin: 0 auto 2px;
    }
    [part='slider'] {
      position: absolute;
      top: 0;
      right: 0;
      bottom: 0;
      width: 22px;
      writing-mode: vertical-lr;
      direction: ltr;
      margin: 0;
      accent-color: var(--_accent);
      background: var(--_panel-bg);
    }
    [part='progress'] {
      position: absolute;
      left: 0;
      right: 22px;
      bottom: 0;
      height: 3px;
      background: color-mix(in srgb, var(--_fg) 10%, transparent);
    }
    [part='progress'] > div {
      height: 100%;
      background: var(--_accent);
      transition: width 120ms linear;
    }
    .panel {
      position: absolute;
      inset: 0;
      display: grid;
      place-content: center;
      text-align: center;
      gap: 8px;
      padding: 16px;
      font-size: calc(var(--_font-size) + 1px);
      background: var(--_bg);
    }
    .panel h2 {
      margin: 0;
      font-size: 16px;
    }
    .panel p {
      margin: 0;
      max-width: 48ch;
    }
    [part='error'] h2 {
      color: var(--_danger);
    }
    .banner {
      position: absolute;
      left: 50%;
      top: 8px;
      transform: translateX(-50%);
      background: var(--_panel-bg);
      border: 1px solid var(--_danger);
      border-radius: var(--_radius);
      padding: 4px 10px;
      pointer-events: auto;
    }
    .spinner {
      width: 28px;
      height: 28px;
      margin: 0 auto;
      border: 3px solid color-mix(in srgb, var(--_fg) 20%, transparent);
      border-top-color: var(--_accent);
      border-radius: 50%;
      animation: spin 0.9s linear infinite;
    }
    @keyframes spin {
      to {
        transform: rotate(360deg);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .spinner {
        animation: none;
      }
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
    :host(:state(dragover)) .stage {
      outline: 2px dashed var(--_accent);
      outline-offset: -6px;
    }
  }
`;

/** The shared control look, then the viewer's own rules. */
export const ctViewerStyles = [controlStyles, ownStyles];
