/**
 * The overlay of `<ct-viewer>` as a template: the four corner texts, the orientation markers and
 * the scale bar. A pure function of what it is given (no element, no engine), so the element only
 * collects the numbers and every overlay line has one home.
 */
import { html, nothing, type TemplateResult } from 'lit';
import {
  formatDicomDate,
  formatNumber,
  messagesFor,
  orientationMarkers,
  positionAlongNormal,
  sliceNormal,
  slabLabel,
  type OrientationMarkers,
  type SeriesModel,
  type SlabMode,
  type Voi,
} from '@secondread/core';
import { cssProperties } from './css-properties.js';
import type { PlaneState } from './plane-controller.js';

/** The value under the pointer: HU (or the RGB colour of a colour image) and the image pixel it was read at. */
export interface HoverValue {
  readonly value: number | null;
  readonly rgb?: readonly [number, number, number];
  readonly column: number;
  readonly row: number;
}

/** Everything the overlay shows. */
export interface OverlayState {
  readonly series: SeriesModel;
  /** The displayed slice, in position order. */
  readonly index: number;
  readonly voi: Voi | null;
  /** Zoom relative to "fit". */
  readonly zoom: number;
  /** Millimetres per CSS pixel of the image area at the current zoom, or null when unknown. */
  readonly mmPerPixel: number | null;
  /** Width of the image area, CSS pixels (the scale bar takes at most a fifth of it). */
  readonly viewportWidthPx: number;
  readonly hover: HoverValue | null;
  readonly locale: string | undefined;
  readonly showPatientInfo: boolean;
  readonly hideOverlays: boolean;
  readonly renderer: 'gpu' | 'cpu' | null;
}

/** Scale bar lengths to choose from, mm. */
export const SCALE_STEPS_MM: readonly number[] = [1, 2, 5, 10, 20, 50, 100, 200, 500];

/**
 * The overlay's image line: the DICOM Instance Number, which reports cite ("image 8"), then the
 * position in the stack, which can run the other way (`Im 8 (23/30)`). Without an Instance
 * Number: `Im – (23/30)`.
 */
export function sliceLabel(instanceNumber: number | null, index: number, count: number, locale?: string): string {
  return messagesFor(locale).viewer.overlayImage(String(instanceNumber ?? '–'), String(index + 1), String(count));
}

/** The longest scale step that fits in a fifth of the image area, and its length in pixels. */
export function scaleBarFor(mmPerPixel: number | null, viewportWidthPx: number): { px: number; mm: number } | null {
  if (!mmPerPixel) return null;
  const target = viewportWidthPx / 5;
  const mm = [...SCALE_STEPS_MM].reverse().find((step) => step / mmPerPixel <= target) ?? SCALE_STEPS_MM[0]!;
  return { px: Math.round(mm / mmPerPixel), mm };
}

/** One overlay corner: a line per entry, so formatting the source never changes the layout. */
function corner(position: 'tl' | 'tr' | 'bl' | 'br', lines: readonly string[], warnings: readonly string[] = []) {
  return html`<div class="corner ${position}">
    ${lines.filter(Boolean).map((line) => html`<div>${line}</div>`)}
    ${warnings.map((line) => html`<div class="warn">${line}</div>`)}
  </div>`;
}

/** The value line under the pointer: `-116 HU`, or `RGB 255 0 0` on a colour image. */
function hoverLine(hover: HoverValue, number: (value: number, digits?: number) => string): string {
  if (hover.rgb) return `RGB ${hover.rgb.join(' ')}`;
  return hover.value === null ? '' : `${number(hover.value, 0)} HU`;
}

/** The `overlay` part: corner texts (unless hidden), orientation markers and scale bar. */
export function renderOverlay(state: OverlayState): TemplateResult {
  const { series, index, locale } = state;
  const t = messagesFor(locale).viewer;
  const number = (value: number, digits = 1): string => formatNumber(value, locale, digits);
  const instance = series.instances[index];
  const orientation = instance?.imageOrientationPatient;
  const markers = orientation ? orientationMarkers(orientation) : null;
  const position =
    instance?.imagePositionPatient && orientation
      ? positionAlongNormal(instance.imagePositionPatient, sliceNormal(orientation))
      : null;
  const { voi, hover } = state;
  const patient = series.patient;
  const left = [
    series.study.studyDescription,
    series.study.studyDate ? formatDicomDate(series.study.studyDate, locale) : '',
    ...(state.showPatientInfo
      ? [
          patient.name,
          patient.id ? t.overlayPatientId(patient.id) : '',
          patient.birthDate ? t.overlayBirthDate(formatDicomDate(patient.birthDate, locale)) : '',
        ]
      : []),
  ].filter(Boolean);
  const right = [
    [series.modality, series.study.seriesDescription].filter(Boolean).join(' · '),
    sliceLabel(instance?.instanceNumber ?? null, index, series.instances.length, locale),
    position !== null ? t.overlayPosition(number(position)) : '',
    instance?.sliceThicknessMm ? t.overlayThickness(number(instance.sliceThicknessMm, 2)) : '',
  ].filter(Boolean);
  const warnings = [
    series.spacing.uneven ? t.unevenSpacing : '',
    series.spacing.gantryTiltDeg > 0.5 ? t.gantryTilt(number(series.spacing.gantryTiltDeg)) : '',
    state.renderer === 'cpu' ? t.cpuRendering : '',
  ].filter(Boolean);
  const scale = scaleBarFor(state.mmPerPixel, state.viewportWidthPx);
  return html`<div part="overlay" aria-hidden=${state.hideOverlays ? 'true' : 'false'}>
    ${
      state.hideOverlays
        ? nothing
        : html`${corner('tl', left)} ${corner('tr', right, warnings)}
          ${corner('bl', [voi ? t.overlayWindow(String(Math.round(voi.width)), String(Math.round(voi.center))) : '', t.overlayZoom(String(Math.round(state.zoom * 100)))])}
          ${corner('br', hover ? [hoverLine(hover, number), `(${hover.column}, ${hover.row})`] : [])}`
    }
    ${markerSpans(markers)}
    ${
      scale
        ? html`<div part="scale-bar">
            <div class="bar" ${cssProperties({ width: `${scale.px}px` })}></div>
            ${scale.mm} mm
          </div>`
        : nothing
    }
  </div>`;
}

/** Overlay names of the planes. */
export const PLANE_LABELS: Record<PlaneState['plane'], string> = {
  axial: 'Axial',
  coronal: 'Coronal',
  sagittal: 'Sagittal',
  acquisition: 'Acquisition',
};

/** The four orientation markers of a plane or slice. */
function markerSpans(markers: OrientationMarkers | null) {
  return markers
    ? html`<span class="marker top">${markers.top}</span><span class="marker bottom">${markers.bottom}</span>
        <span class="marker left">${markers.left}</span><span class="marker right">${markers.right}</span>`
    : nothing;
}

/** What the overlay of a reformatted plane shows. */
export interface PlaneOverlayState {
  readonly plane: PlaneState;
  readonly series: SeriesModel;
  readonly voi: Voi | null;
  readonly slabThicknessMm: number;
  readonly slabMode: SlabMode;
  readonly viewportWidthPx: number;
  readonly locale: string | undefined;
  readonly hideOverlays: boolean;
}

/** The `overlay` part of one reformatted plane: plane, slice, position, slab, window, markers, scale bar. */
export function renderPlaneOverlay(state: PlaneOverlayState): TemplateResult {
  const { plane, series, voi, locale } = state;
  const number = (value: number, digits = 1): string => formatNumber(value, locale, digits);
  const right = [
    [series.modality, PLANE_LABELS[plane.plane]].filter(Boolean).join(' · '),
    plane.count ? `Sl ${plane.index + 1}/${plane.count}` : '',
    plane.positionMm !== null ? `Pos ${number(plane.positionMm)} mm` : '',
    slabLabel(state.slabThicknessMm, state.slabMode),
  ].filter(Boolean);
  const scale = scaleBarFor(plane.mmPerPixel, state.viewportWidthPx);
  return html`<div part="overlay" aria-hidden=${state.hideOverlays ? 'true' : 'false'}>
    ${
      state.hideOverlays
        ? nothing
        : html`${corner('tr', right)}
          ${corner('bl', [voi ? `W ${Math.round(voi.width)} L ${Math.round(voi.center)}` : '', `Zoom ${Math.round(plane.zoom * 100)}%`])}`
    }
    ${markerSpans(plane.markers)}
    ${
      scale
        ? html`<div part="scale-bar">
            <div class="bar" ${cssProperties({ width: `${scale.px}px` })}></div>
            ${scale.mm} mm
          </div>`
        : nothing
    }
  </div>`;
}
