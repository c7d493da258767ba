/**
 * The templates of `<ct-viewer>` around the image: the toolbar, the slice slider, the progress
 * bar, the loading, error and empty panels and the warning banner. Pure functions of what they
 * show and the callbacks they call; the element owns the state.
 */
import { html, nothing, type TemplateResult } from 'lit';
import {
  ERROR_HINTS,
  isWindowPresetName,
  WINDOW_PRESET_LABELS,
  WINDOW_PRESETS,
  type Part10Series,
  type ViewerError,
  type WindowPresetName,
} from '@secondread/core';
import { ZOOM_STEP } from './key-map.js';

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
export function renderToolbar(state: ToolbarState, actions: ToolbarActions): TemplateResult {
  const onPreset = (event: Event): void => {
    const value = (event.target as HTMLSelectElement).value;
    if (isWindowPresetName(value)) actions.onPreset(value);
  };
  return html`<div part="toolbar" role="toolbar" aria-label="Viewer controls">
    <label class="visually-hidden" for="preset">Window preset</label>
    <select id="preset" .value=${state.windowPreset} @change=${onPreset} title="Window preset">
      ${WINDOW_PRESETS.map((p) => html`<option value=${p} ?selected=${p === state.windowPreset}>${WINDOW_PRESET_LABELS[p]}</option>`)}
    </select>
    <button aria-pressed=${String(state.invert)} title="Invert (I)" @click=${actions.onInvert}>Invert</button>
    <button title="Fit and reset (0)" @click=${actions.onReset}>Reset</button>
    <button title="Zoom in (+)" aria-label="Zoom in" @click=${() => actions.onZoom(ZOOM_STEP)}>+</button>
    <button title="Zoom out (−)" aria-label="Zoom out" @click=${() => actions.onZoom(1 / ZOOM_STEP)}>−</button>
    <button
      class="cine"
      aria-pressed=${String(state.cine)}
      title="Cine: play or pause (Space)"
      @click=${actions.onCine}
    >
      ${state.cine ? 'Pause' : 'Play'}
    </button>
    ${
      state.localSeries.length > 1
        ? html`<label class="visually-hidden" for="series">Series</label>
            <select
              id="series"
              @change=${(e: Event) => actions.onSeries(Number((e.target as HTMLSelectElement).value))}
              title="Series"
            >
              ${state.localSeries.map(
                (s, i) =>
                  html`<option value=${i} ?selected=${s.model.seriesUid === state.seriesUid}>
                    ${s.model.study.seriesDescription || `Series ${i + 1}`} (${s.model.instances.length})
                  </option>`,
              )}
            </select>`
        : nothing
    }
    <slot name="toolbar"></slot>
  </div>`;
}

/** The `slider` part: one step per slice, or nothing for a single image. */
export function renderSlider(index: number, count: number, onSlice: (index: number) => void) {
  if (count <= 1) return nothing;
  return html`<input
    part="slider"
    type="range"
    min="0"
    max=${count - 1}
    .value=${String(index)}
    aria-label="Slice"
    aria-valuetext=${`Slice ${index + 1} of ${count}`}
    @input=${(e: Event) => onSlice(Number((e.target as HTMLInputElement).value))}
  />`;
}

/** The `progress` part while `loaded` of `total` images are decoded; nothing once all are. */
export function renderProgress(loaded: number, total: number, failed = 0) {
  if (total <= 0 || loaded >= total) return nothing;
  return html`<div
    part="progress"
    role="progressbar"
    aria-label="Loading images"
    aria-valuemin="0"
    aria-valuemax=${total}
    aria-valuenow=${loaded}
    aria-valuetext=${`${loaded} of ${total} images loaded${failed ? `, ${failed} failed (retrying)` : ''}`}
  >
    <div style="width:${(100 * loaded) / total}%"></div>
  </div>`;
}

/** The `loading` part; see-through when the preview already shows the first slice. */
export function renderLoadingPanel(overPreview: boolean): TemplateResult {
  return html`<div class="panel ${overPreview ? 'over-preview' : ''}" part="loading" role="status">
    <div class="spinner"></div>
    <p>Loading series…</p>
  </div>`;
}

/** The `error` part: the message, a hint for its code, the code, and a retry button. */
export function renderErrorPanel(error: ViewerError, onRetry: () => void): TemplateResult {
  return html`<div class="panel" part="error" role="alert">
    <h2>Cannot show this series</h2>
    <p>${error.message}</p>
    <p>${ERROR_HINTS[error.code]}</p>
    <p><small>Error code: ${error.code}</small></p>
    <div><button @click=${onRetry}>Try again</button></div>
  </div>`;
}

/** The `empty` part: drop files here, or choose them. */
export function renderEmptyPanel(onFiles: (files: File[]) => void): TemplateResult {
  const choose = (event: Event): void =>
    (event.currentTarget as HTMLElement).parentElement?.querySelector<HTMLInputElement>('input[type=file]')?.click();
  return html`<div class="panel" part="empty">
    <h2>No series</h2>
    <p>Drop a folder of DICOM files here, or choose files.</p>
    <div>
      <button @click=${choose}>Choose files…</button>
      <input
        type="file"
        multiple
        hidden
        aria-label="DICOM files"
        @change=${(e: Event) => {
          const input = e.target as HTMLInputElement;
          if (input.files?.length) onFiles([...input.files]);
        }}
      />
    </div>
  </div>`;
}

/** A non-fatal warning over the image, with a button that dismisses it. */
export function renderWarningBanner(message: string, onDismiss: () => void): TemplateResult {
  return html`<div class="banner" role="status">
    ${message} <button aria-label="Dismiss" @click=${onDismiss}>×</button>
  </div>`;
}
