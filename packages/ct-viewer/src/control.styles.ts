import { css } from 'lit';

/**
 * The form controls SecondRead's elements share (`<ct-viewer>`, `<measurement-tools>`,
 * `<opinion-report>`): buttons, selects, text inputs and text areas, with their focus ring and
 * the active / primary accent look. The `--ct-*` tokens are resolved once on `:host` into
 * private `--_*` properties; an element's own rules come after this sheet and refine spacing.
 * In the `secondread` cascade layer, so a host page's own rules win.
 *
 * Active controls (the pressed tool, Invert while on) carry the `active` part name beside their
 * own (`part="tool active"`) and `data-active`; the current list item and the selected finding
 * carry `selected` and `data-selected` the same way. Their highlight is
 * declared `!important`, so a host's `::part(tool)` rule (which beats any rule of the shadow
 * root) cannot wipe it out: the host changes it through `--ct-active-background` /
 * `--ct-active-color` (read on the control itself, so they may be set in a `::part(tool active)`
 * rule) and styles everything else with `::part(tool active)`; likewise `--ct-selected-background`
 * and `::part(item-button selected)`.
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
      --_selected-bg: var(--ct-selected-background, color-mix(in srgb, var(--_control-accent) 22%, transparent));
      --_font-size: var(--ct-font-size, 13px);
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
    button.primary {
      background: var(--_control-accent);
      color: var(--_on-accent);
    }
    [data-active] {
      background: var(--ct-active-background, var(--_control-accent)) !important;
      color: var(--ct-active-color, var(--_on-accent)) !important;
    }
    [data-selected] {
      background: var(--ct-selected-background, var(--_selected-bg)) !important;
    }
    :is(button, select, textarea, input):focus-visible {
      outline: 2px solid var(--_control-accent);
      outline-offset: 1px;
    }
  }
`;
