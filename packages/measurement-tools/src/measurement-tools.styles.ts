import { css } from 'lit';
import { controlStyles, panelStyles } from '@secondread/ct-viewer/internal.js';

/** Styles of `<measurement-tools>` in the `secondread` cascade layer; tokens are `--ct-*`. */
const ownStyles = css`
  @layer secondread {
    [part='toolbar'] {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
      padding: 6px;
    }
    button {
      padding: 4px;
    }
    button[aria-pressed='true'] {
      border-color: var(--_control-accent);
    }
    button:disabled {
      opacity: 0.4;
      cursor: default;
    }
    svg {
      width: 20px;
      height: 20px;
      display: block;
      fill: none;
      stroke: currentColor;
      stroke-width: 1.6;
      stroke-linecap: round;
      stroke-linejoin: round;
    }
    [part='list'] {
      list-style: none;
      margin: 0;
      padding: 0 6px 6px;
      display: grid;
      gap: 4px;
      max-height: var(--ct-measurement-list-height, 320px);
      overflow: auto;
    }
    [part='item'] {
      display: grid;
      grid-template-columns: 1fr auto;
      gap: 4px;
      align-items: start;
    }
    [part='item'] > button.jump {
      text-align: start;
      display: grid;
      gap: 2px;
      min-width: 0;
    }
    [part='item'][aria-current='true'] > button.jump {
      border-color: var(--_accent);
    }
    .actions {
      display: flex;
      gap: 4px;
    }
    input[part='field'] {
      background: var(--_control-bg);
      border-color: var(--_control-accent);
      min-width: 0;
    }
    .name {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .values,
    .where {
      color: var(--_muted);
      font-variant-numeric: tabular-nums;
    }
    .locked {
      font-style: italic;
    }
    [part='empty'] {
      color: var(--_muted);
      padding: 6px 10px 10px;
      margin: 0;
    }
  }
`;

/** The shared panel and control look, then this element's own rules. */
export const measurementToolsStyles = [panelStyles, controlStyles, ownStyles];
