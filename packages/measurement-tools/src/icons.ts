import { svg, type SVGTemplateResult } from 'lit';
import type { MeasurementKind } from '@secondread/core';

/** 20×20 line icons for the tools (drawn for this project). */
export const TOOL_ICONS: Readonly<Record<MeasurementKind | 'none', SVGTemplateResult>> = {
  none: svg`<path d="M5 3l10 7-4.5 1.2L13 16l-2 1-2.4-4.8L5 15z"/>`,
  length: svg`<path d="M3 17L17 3M3 14v3h3M17 6V3h-3"/>`,
  angle: svg`<path d="M3 16h14M3 16L13 4M8 16a6 6 0 0 0-1.5-4"/>`,
  'cobb-angle': svg`<path d="M2 6l8 3M18 6l-8 3M3 15h14"/>`,
  bidirectional: svg`<path d="M3 10h14M10 4v12"/><circle cx="10" cy="10" r="1.5"/>`,
  'ellipse-roi': svg`<ellipse cx="10" cy="10" rx="7.5" ry="5"/>`,
  'rectangle-roi': svg`<rect x="3" y="5" width="14" height="10"/>`,
  'freehand-roi': svg`<path d="M4 12c-2-4 3-8 7-7s7 4 4 8-9 3-11-1z"/>`,
  probe: svg`<circle cx="10" cy="10" r="3"/><path d="M10 2v4M10 14v4M2 10h4M14 10h4"/>`,
  arrow: svg`<path d="M4 16L15 5M15 5h-6M15 5v6"/>`,
  label: svg`<path d="M3 5h14M10 5v11M7 16h6"/>`,
};

/** Keyboard shortcuts (with the toolbar or the viewer focused). */
export const TOOL_SHORTCUTS: Readonly<Record<MeasurementKind | 'none', string>> = {
  none: 'Escape',
  length: 'l',
  angle: 'a',
  'cobb-angle': 'c',
  bidirectional: 'b',
  'ellipse-roi': 'e',
  'rectangle-roi': 'r',
  'freehand-roi': 'f',
  probe: 'p',
  arrow: 'w',
  label: 't',
};
