import { css } from 'lit';

/**
 * The form controls SecondRead's elements share (`<ct-viewer>`, `<measurement-tools>`,
 * `<opinion-report>`): buttons, selects, text inputs and text areas, with their focus ring and
 * the pressed / primary accent look. The `--ct-*` tokens are resolved once on `:host` into
 * private `--_*` properties; an element's own rules come after this sheet and refine spacing.
 * In the `secondread` cascade layer, so a host page's own rules win.
 */
export const controlStyles = css`
  @layer secondread {
    :host {
      --_control-accent: var(--ct-accent-color, #4fb3ff);
      --_control-bg: var(--ct-control-background, rgba(255, 255, 255, 0.06));
      --_control-fg: var(--ct-panel-text-color, var(--ct-viewer-overlay-color, #e8eef2));
      --_border: var(--ct-border-color, rgba(255, 255, 255, 0.18));
      --_on-accent: var(--ct-on-accent-color, #000);
      --_control-radius: var(--ct-radius, 6px);
    }
    button,
    select,
    textarea,
    input:not([type='range'], [type='file']) {
      font: inherit;
      font-family: var(--ct-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
      color: var(--_control-fg);
      background: var(--_control-bg);
      border: 1px solid var(--_border);
      border-radius: var(--_control-radius);
      padding: 4px 6px;
    }
    button {
      cursor: pointer;
    }
    select option {
      color: #000;
    }
    [part='toolbar'] button[aria-pressed='true'],
    button.primary {
      background: var(--_control-accent);
      color: var(--_on-accent);
    }
    :is(button, select, textarea, input):focus-visible {
      outline: 2px solid var(--_control-accent);
      outline-offset: 1px;
    }
  }
`;
