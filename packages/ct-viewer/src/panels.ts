/**
 * The templates of `<ct-viewer>` around the image: the toolbar, the slice slider, the progress
 * bar, the loading, error and empty panels and the warning banner. Pure functions of what they
 * show and the callbacks they call; the element owns the state.
 */
import { html, nothing, type TemplateResult } from 'lit';
import {
  isWindowPresetName,
  WINDOW_PRESETS,
  type Catalogue,
  type Part10Series,
  type ErrorCode,
  type ViewerError,
  type WindowPresetName,
} from '@secondread/core';
import { ZOOM_STEP } from './key-map.js';
import { cssProperties } from './css-properties.js';

/** What the toolbar shows. */
export interface ToolbarState {
  readonly windowPreset: WindowPresetName;
  readonly invert: boolean;
  /** The image series of a local drop, to choose from when there are several. */
  readonly localSeries: readonly Part10Series[];
  /** SeriesInstanceUID of the series on screen. */
  readonly seriesUid: string | null;
  /** Cine is playing. */
  readonly cine: boolean;
}

/** What the toolbar's controls do. */
export interface ToolbarActions {
  readonly onPreset: (preset: WindowPresetName) => void;
  readonly onInvert: () => void;
  readonly onReset: () => void;
  readonly onZoom: (factor: number) => void;
  /** The reader chose the `index`-th of `localSeries`. */
  readonly onSeries: (index: number) => void;
  /** Play or pause cine. */
  readonly onCine: () => void;
}

/** The `toolbar` part: window preset, invert, reset, zoom, the series of a drop, the `toolbar` slot. */
export function renderToolbar(state: ToolbarState, actions: ToolbarActions, t: Catalogue): TemplateResult {
  const onPreset = (event: Event): void => {
    const value = (event.target as HTMLSelectElement).value;
    if (isWindowPresetName(value)) actions.onPreset(value);
  };
  return html`<div part="toolbar" role="toolbar" aria-label=${t.viewer.toolbar}>
    <label class="visually-hidden" for="preset">${t.viewer.windowPreset}</label>
    <select
      id="preset"
      part="preset-select"
      .value=${state.windowPreset}
      @change=${onPreset}
      title=${t.viewer.windowPreset}
    >
      ${WINDOW_PRESETS.map((p) => html`<option value=${p} ?selected=${p === state.windowPreset}>${t.windowPreset[p]}</option>`)}
    </select>
    <button
      part=${state.invert ? 'toolbar-button invert active' : 'toolbar-button invert'}
      ?data-active=${state.invert}
      aria-pressed=${String(state.invert)}
      title=${t.viewer.invertTitle}
      @click=${actions.onInvert}
    >
      ${t.viewer.invert}
    </button>
    <button part="toolbar-button reset" title=${t.viewer.resetTitle} @click=${actions.onReset}>
      ${t.viewer.reset}
    </button>
    <button
      part="toolbar-button zoom-in"
      title=${t.viewer.zoomInTitle}
      aria-label=${t.viewer.zoomIn}
      @click=${() => actions.onZoom(ZOOM_STEP)}
    >
      +
    </button>
    <button
      part="toolbar-button zoom-out"
      title=${t.viewer.zoomOutTitle}
      aria-label=${t.viewer.zoomOut}
      @click=${() => actions.onZoom(1 / ZOOM_STEP)}
    >
      −
    </button>
    <button
      part=${state.cine ? 'toolbar-button cine active' : 'toolbar-button cine'}
      class="cine"
      ?data-active=${state.cine}
      aria-pressed=${String(state.cine)}
      title=${t.viewer.cineTitle}
      @click=${actions.onCine}
    >
      ${state.cine ? t.viewer.cinePause : t.viewer.cinePlay}
    </button>
    ${
      state.localSeries.length > 1
        ? html`<label class="visually-hidden" for="series">${t.viewer.series}</label>
            <select
              id="series"
              part="series-select"
              @change=${(e: Event) => actions.onSeries(Number((e.target as HTMLSelectElement).value))}
              title=${t.viewer.series}
            >
              ${state.localSeries.map(
                (s, i) =>
                  html`<option value=${i} ?selected=${s.model.seriesUid === state.seriesUid}>
                    ${s.model.study.seriesDescription || t.viewer.seriesNumber(String(i + 1))}
                    (${s.model.instances.length})
                  </option>`,
              )}
            </select>`
        : nothing
    }
    <slot name="toolbar"></slot>
  </div>`;
}

/** The `slider` part: one step per slice, or nothing for a single image. */
export function renderSlider(index: number, count: number, onSlice: (index: number) => void, t: Catalogue) {
  if (count <= 1) return nothing;
  return html`<input
    part="slider"
    type="range"
    min="0"
    max=${count - 1}
    .value=${String(index)}
    aria-label=${t.viewer.slice}
    aria-valuetext=${t.viewer.sliceOf(String(index + 1), String(count))}
    @input=${(e: Event) => onSlice(Number((e.target as HTMLInputElement).value))}
  />`;
}

/** The `progress` part while `loaded` of `total` images are decoded; nothing once all are. */
export function renderProgress(loaded: number, total: number, failed: number, t: Catalogue) {
  if (total <= 0 || loaded >= total) return nothing;
  return html`<div
    part="progress"
    role="progressbar"
    aria-label=${t.viewer.loadingImages}
    aria-valuemin="0"
    aria-valuemax=${total}
    aria-valuenow=${loaded}
    aria-valuetext=${[t.viewer.imagesLoaded(String(loaded), String(total)), ...(failed ? [t.viewer.imagesFailed(String(failed))] : [])].join(', ')}
  >
    <div ${cssProperties({ width: `${(100 * loaded) / total}%` })}></div>
  </div>`;
}

/** The `loading` part; see-through when the preview already shows the first slice. */
export function renderLoadingPanel(overPreview: boolean, t: Catalogue): TemplateResult {
  return html`<div class="panel ${overPreview ? 'over-preview' : ''}" part="loading" role="status">
    <div class="spinner"></div>
    <p>${t.viewer.loadingSeries}</p>
  </div>`;
}

/**
 * What a reader is told of an error: in English its own message (the most precise there is);
 * in another language the catalogue's sentence for its code, with the English message (the
 * server's or the parser's words) kept under "Technical details" for support.
 */
export function renderErrorMessage(code: ErrorCode, message: string, t: Catalogue, summary?: string): TemplateResult {
  if (t.language === 'en') return html`${message}`;
  return html`${summary ?? t.errorSummary[code]}
    <details class="technical">
      <summary>${t.common.technicalDetails}</summary>
      <span lang="en">${message}</span>
    </details>`;
}

/** The `error` part: the message, a hint for its code, the code, and a retry button. */
export function renderErrorPanel(error: ViewerError, onRetry: () => void, t: Catalogue): TemplateResult {
  return html`<div class="panel" part="error" role="alert">
    <h2>${t.viewer.errorTitle}</h2>
    <p>${renderErrorMessage(error.code, error.message, t)}</p>
    <p>${t.errorHint[error.code]}</p>
    <p><small>${t.common.errorCode(error.code)}</small></p>
    <div><button part="retry-button" @click=${onRetry}>${t.viewer.tryAgain}</button></div>
  </div>`;
}

/** The `empty` part: drop files here, or choose them. */
export function renderEmptyPanel(onFiles: (files: File[]) => void, t: Catalogue): TemplateResult {
  const choose = (event: Event): void =>
    (event.currentTarget as HTMLElement).parentElement?.querySelector<HTMLInputElement>('input[type=file]')?.click();
  return html`<div class="panel" part="empty">
    <h2>${t.viewer.noSeries}</h2>
    <p>${t.viewer.dropHint}</p>
    <div>
      <button part="choose-button" @click=${choose}>${t.viewer.chooseFiles}</button>
      <input
        type="file"
        multiple
        hidden
        aria-label=${t.viewer.dicomFiles}
        @change=${(e: Event) => {
          const input = e.target as HTMLInputElement;
          if (input.files?.length) onFiles([...input.files]);
        }}
      />
    </div>
  </div>`;
}

/** A non-fatal warning over the image, with a button that dismisses it. */
export function renderWarningBanner(
  warning: { readonly code: ErrorCode; readonly message: string; readonly notice?: 'contextLost' },
  onDismiss: () => void,
  t: Catalogue,
): TemplateResult {
  return html`<div class="banner" part="banner" role="status">
    ${renderErrorMessage(warning.code, warning.message, t, warning.notice ? t.viewer[warning.notice] : undefined)}
    <button part="dismiss-button" aria-label=${t.common.dismiss} @click=${onDismiss}>×</button>
  </div>`;
}
