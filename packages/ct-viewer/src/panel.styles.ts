import { css } from 'lit';

/**
 * The look SecondRead's panels share (`<measurement-tools>`, `<opinion-report>`): the `--ct-*`
 * tokens resolved once into private `--_*` properties, and the host box. In the `secondread`
 * cascade layer, so a host page's own rules win.
 */
export const panelStyles = css`
  @layer secondread {
    :host {
      --_bg: var(--ct-panel-background, rgba(16, 22, 28, 0.96));
      --_fg: var(--ct-panel-text-color, var(--ct-viewer-overlay-color, #e8eef2));
      --_muted: var(--ct-muted-color, #93a4b3);
      --_accent: var(--ct-accent-color, #4fb3ff);
      --_first: var(--ct-first-reader-color, #ffb454);
      --_danger: var(--ct-danger-color, #ff6b6b);
      --_radius: var(--ct-radius, 6px);
      --_font: var(--ct-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
      display: block;
      background: var(--_bg);
      color: var(--_fg);
      font: var(--ct-font-size, 13px) / 1.45 var(--_font);
      border-radius: var(--_radius);
    }
  }
`;
