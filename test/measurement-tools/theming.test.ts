import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import '@secondread/opinion-report/define.js';

/** The light theme a host page sets on a wrapper: every element's controls must follow it. */
const LIGHT = {
  background: 'rgb(255, 255, 255)',
  text: 'rgb(17, 17, 17)',
  border: 'rgb(136, 136, 136)',
  onAccent: 'rgb(255, 255, 0)',
  accent: 'rgb(0, 85, 170)',
};

async function themed(): Promise<HTMLElement> {
  const root = await fixture<HTMLDivElement>(
    html`<div
      style="--ct-control-background:#fff;--ct-panel-text-color:#111;--ct-border-color:#888;--ct-on-accent-color:#ff0;--ct-accent-color:#05a"
    >
      <ct-viewer style="width:400px;height:300px"></ct-viewer>
      <measurement-tools></measurement-tools>
      <opinion-report no-autosave study-uid="1.2.3"></opinion-report>
    </div>`,
  );
  for (const el of root.children) await (el as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
  return root;
}

function control(host: Element, selector: string): CSSStyleDeclaration {
  const el = host.shadowRoot!.querySelector(selector);
  expect(el, `${host.localName} ${selector}`).to.exist;
  return getComputedStyle(el!);
}

function expectThemed(style: CSSStyleDeclaration, what: string): void {
  expect(style.backgroundColor, `${what} background`).to.equal(LIGHT.background);
  expect(style.color, `${what} text`).to.equal(LIGHT.text);
  expect(style.borderTopColor, `${what} border`).to.equal(LIGHT.border);
}

describe('theming tokens shared by the three elements', () => {
  it('buttons and selects of every element follow the control tokens set on a wrapper', async () => {
    const root = await themed();
    const viewer = root.querySelector('ct-viewer')!;
    const tools = root.querySelector('measurement-tools')!;
    const report = root.querySelector('opinion-report')!;
    expectThemed(control(viewer, "[part='toolbar'] select"), 'ct-viewer select');
    expectThemed(control(viewer, "[part='toolbar'] button:not([aria-pressed='true'])"), 'ct-viewer button');
    expectThemed(control(tools, "button[data-tool]:not([aria-pressed='true'])"), 'measurement-tools button');
    expectThemed(control(report, 'button:not(.primary):not(.link)'), 'opinion-report button');
    expectThemed(control(report, 'textarea'), 'opinion-report textarea');
  });

  it('accent-coloured buttons take --ct-on-accent-color for their text', async () => {
    const root = await themed();
    const pressed = control(root.querySelector('measurement-tools')!, "button[aria-pressed='true']");
    expect(pressed.backgroundColor).to.equal(LIGHT.accent);
    expect(pressed.color).to.equal(LIGHT.onAccent);
    const primary = control(root.querySelector('opinion-report')!, 'button.primary');
    expect(primary.backgroundColor).to.equal(LIGHT.accent);
    expect(primary.color).to.equal(LIGHT.onAccent);
  });

  it('without tokens the controls keep the dark default look', async () => {
    const root = await fixture<HTMLDivElement>(
      html`<div>
        <measurement-tools></measurement-tools><opinion-report no-autosave study-uid="1.2.3"></opinion-report>
      </div>`,
    );
    for (const el of root.children) await (el as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    for (const host of root.children) {
      const style = control(host, 'button:not(.primary):not(.link):not([aria-pressed="true"])');
      expect(style.backgroundColor, host.localName).to.equal('rgba(255, 255, 255, 0.06)');
      expect(style.borderTopColor, host.localName).to.equal('rgba(255, 255, 255, 0.18)');
      expect(style.color, host.localName).to.equal('rgb(232, 238, 242)');
    }
  });

  it('<measurement-tools> exposes a base part that holds the toolbar and the list', async () => {
    const root = await fixture<HTMLDivElement>(html`<div><measurement-tools></measurement-tools></div>`);
    const tools = root.querySelector('measurement-tools')!;
    await (tools as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    const base = tools.shadowRoot!.querySelector('[part~="base"]');
    expect(base).to.exist;
    expect(base!.querySelector('[part~="toolbar"]')).to.exist;
    const style = document.createElement('style');
    style.textContent = 'measurement-tools::part(base) { outline: 3px solid rgb(1, 2, 3); }';
    document.head.append(style);
    try {
      expect(getComputedStyle(base!).outlineColor).to.equal('rgb(1, 2, 3)');
    } finally {
      style.remove();
    }
  });
});
