/**
 * The shipped themes (@secondread/ct-viewer/themes/light.css and acme.css) and the default look,
 * checked on real screen pixels: each element is rendered in Chromium under each theme, the page
 * is photographed (test/support/screenshot.ts), and colours sampled at known points must equal
 * the theme's tokens (alpha-blended over what lies beneath, as the compositor does). No golden
 * images: every expected colour comes from the theme's own tokens, read through the browser.
 */
import { expect, fixture, html } from '@open-wc/testing';
import axe from 'axe-core';
import { setViewport } from '@web/test-runner-commands';
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import '@secondread/opinion-report/define.js';
import { PAGE_BACKGROUNDS, STORY_THEMES, type StoryTheme } from '../../stories/themes.ts';
import { contrastRatio, over, parseRgb, screenshotPixels, type Rgba, type Screenshot } from '../support/screenshot.ts';

// The themes and their portal page colours, as the stories and the demo show them.
const THEMES = STORY_THEMES;
type Theme = StoryTheme;
const PAGE = PAGE_BACKGROUNDS;

const sheets = new Map<Theme, HTMLLinkElement>();

/** Links a theme's style sheet the way a portal does (<link rel="stylesheet">), once. */
async function linkTheme(theme: Exclude<Theme, 'default'>): Promise<void> {
  if (sheets.has(theme)) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = new URL(`../../packages/ct-viewer/themes/${theme}.css`, import.meta.url).href;
  const loaded = new Promise((resolve, reject) => {
    link.onload = resolve;
    link.onerror = () => reject(new Error(`${link.href} did not load`));
  });
  document.head.append(link);
  sheets.set(theme, link);
  await loaded;
}

async function mount(theme: Theme): Promise<HTMLDivElement> {
  if (theme !== 'default') await linkTheme(theme);
  const root = await fixture<HTMLDivElement>(
    html`<div
      data-ct-theme=${theme === 'default' ? 'none' : theme}
      style="background:${PAGE[theme]};padding:8px;width:460px;display:grid;gap:8px"
    >
      <ct-viewer invert style="width:440px;height:150px"></ct-viewer>
      <measurement-tools tool="length"></measurement-tools>
      <opinion-report no-autosave study-uid="1.2.3"></opinion-report>
    </div>`,
  );
  for (const el of root.children) await (el as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
  await document.fonts.ready;
  return root;
}

/** A token's value as the browser resolves it inside `root` (computed `rgb()`), with its default. */
function token(root: Element, name: string, fallback: string): Rgba {
  const probe = document.createElement('span');
  probe.style.color = `var(${name}, ${fallback})`;
  root.append(probe);
  const value = getComputedStyle(probe).color;
  probe.remove();
  return parseRgb(value);
}

function inShadow(host: Element, selector: string): HTMLElement {
  const el = host.shadowRoot!.querySelector<HTMLElement>(selector);
  expect(el, `${host.localName} ${selector}`).to.exist;
  return el!;
}

/** A point inside `el`, `dx` px in from its left edge, at half its height. */
function leftInside(el: Element, dx: number): [number, number] {
  const r = el.getBoundingClientRect();
  return [r.left + dx, r.top + r.height / 2];
}

function expectColor(shot: Screenshot, point: [number, number], expected: Rgba, what: string): Rgba {
  const actual = shot.at(point[0], point[1]);
  const off = Math.max(...[0, 1, 2].map((i) => Math.abs(actual[i]! - expected[i]!)));
  expect(
    off,
    `${what}: pixel ${actual.slice(0, 3).join(',')} vs token ${expected.slice(0, 3).join(',')}`,
  ).to.be.at.most(2);
  return actual;
}

/** Every theme's colours, resolved in its wrapper. */
function palette(root: Element) {
  const page = parseRgb(getComputedStyle(root).backgroundColor);
  const accent = token(root, '--ct-accent-color', '#4fb3ff');
  const panel = over(token(root, '--ct-panel-background', 'rgba(16, 22, 28, 0.96)'), page);
  const control = over(token(root, '--ct-control-background', 'rgba(255, 255, 255, 0.06)'), panel);
  const active = token(root, '--ct-active-background', `rgb(${accent.slice(0, 3).join(',')})`);
  return {
    page,
    accent,
    panel,
    control,
    active: over(active, panel),
    viewer: over(token(root, '--ct-viewer-background', '#000'), page),
  };
}

before(async () => {
  // All three elements on screen at once: the screenshot holds the viewport only.
  await setViewport({ width: 800, height: 1200 });
});

for (const theme of THEMES) {
  describe(`theme "${theme}" on real pixels`, () => {
    it('<ct-viewer>: toolbar, image area, buttons and the active Invert button show the theme', async () => {
      const root = await mount(theme);
      const viewer = root.querySelector('ct-viewer')!;
      const colours = palette(root);
      const shot = await screenshotPixels();
      const toolbar = inShadow(viewer, '[part~="toolbar"]');
      const t = toolbar.getBoundingClientRect();
      expectColor(shot, [t.right - 4, t.top + t.height / 2], colours.panel, 'toolbar background');
      const stage = viewer.shadowRoot!.querySelector('.stage')!.getBoundingClientRect();
      expectColor(shot, [stage.left + 4, stage.bottom - 4], colours.viewer, 'image area background');
      const reset = inShadow(viewer, '[part~="reset"]');
      const resetBg = expectColor(shot, leftInside(reset, 4), colours.control, 'Reset button background');
      const invert = inShadow(viewer, '[part~="invert"]');
      expect(invert.part.contains('active'), 'Invert is active').to.be.true;
      const invertBg = expectColor(shot, leftInside(invert, 4), colours.active, 'active Invert background');
      expect(contrastRatio(parseRgb(getComputedStyle(reset).color), resetBg)).to.be.at.least(4.5);
      expect(contrastRatio(parseRgb(getComputedStyle(invert).color), invertBg)).to.be.at.least(4.5);
    });

    it('<measurement-tools>: panel, tool buttons and the active tool show the theme', async () => {
      const root = await mount(theme);
      const tools = root.querySelector('measurement-tools')!;
      const colours = palette(root);
      const shot = await screenshotPixels();
      const toolbar = inShadow(tools, '[part~="toolbar"]').getBoundingClientRect();
      expectColor(shot, [toolbar.right - 3, toolbar.top + 2], colours.panel, 'panel background');
      const pressed = inShadow(tools, '[part~="tool"][data-tool="length"]');
      expect(pressed.part.contains('active')).to.be.true;
      const activeBg = expectColor(shot, leftInside(pressed, 3), colours.active, 'active tool background');
      // Both themes leave the active tool in their accent colour.
      expect(activeBg.slice(0, 3)).to.deep.equal(over(colours.accent, colours.panel).slice(0, 3));
      const idle = inShadow(tools, '[part~="tool"][data-tool="angle"]');
      const idleBg = expectColor(shot, leftInside(idle, 3), colours.control, 'idle tool background');
      expect(contrastRatio(parseRgb(getComputedStyle(idle).color), idleBg)).to.be.at.least(4.5);
      expect(contrastRatio(parseRgb(getComputedStyle(pressed).color), activeBg)).to.be.at.least(4.5);
      const empty = inShadow(tools, '[part="empty"]');
      const emptyBg = shot.at(...leftInside(empty, 2));
      expect(contrastRatio(parseRgb(getComputedStyle(empty).color), emptyBg), 'muted text').to.be.at.least(4.5);
      // Corners follow --ct-radius: square (acme) shows the button's border at its very corner.
      const corner = shot.at(idle.getBoundingClientRect().left, idle.getBoundingClientRect().top);
      const border = parseRgb(getComputedStyle(idle).borderTopColor);
      if (theme === 'acme') expect(corner.slice(0, 3)).to.deep.equal(border.slice(0, 3));
      else
        expectColor(
          shot,
          [idle.getBoundingClientRect().left, idle.getBoundingClientRect().top],
          colours.panel,
          'rounded corner',
        );
    });

    it('<opinion-report>: panel, controls and the primary button show the theme', async () => {
      const root = await mount(theme);
      const report = root.querySelector('opinion-report')!;
      const colours = palette(root);
      const shot = await screenshotPixels();
      const base = inShadow(report, '[part~="base"]');
      expectColor(shot, leftInside(base, 5), colours.panel, 'report background');
      const submit = inShadow(report, '[part~="submit"]');
      const submitBg = expectColor(
        shot,
        leftInside(submit, 4),
        over(colours.accent, colours.panel),
        'submit background',
      );
      expect(contrastRatio(parseRgb(getComputedStyle(submit).color), submitBg)).to.be.at.least(4.5);
      const print = inShadow(report, '[part~="print-button"]');
      const printBg = expectColor(shot, leftInside(print, 4), colours.control, 'print button background');
      expect(contrastRatio(parseRgb(getComputedStyle(print).color), printBg)).to.be.at.least(4.5);
    });

    it('passes axe-core colour contrast (WCAG AA) on all three elements', async () => {
      const root = await mount(theme);
      const result = await axe.run(root, { runOnly: { type: 'rule', values: ['color-contrast'] } });
      expect(
        result.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`)),
      ).to.deep.equal([]);
    });
  });
}

describe('active states survive ::part restyling', () => {
  it("a host's ::part(tool) background leaves the pressed tool in the accent colour", async () => {
    const style = document.createElement('style');
    style.textContent = `
      .restyled measurement-tools::part(tool) { background: rgb(250, 250, 250); color: rgb(20, 20, 20); }
      .restyled ct-viewer::part(toolbar-button) { background: rgb(250, 250, 250); color: rgb(20, 20, 20); }`;
    document.head.append(style);
    try {
      const root = await fixture<HTMLDivElement>(
        html`<div class="restyled" style="background:#fff;padding:8px;--ct-accent-color:#05a;--ct-on-accent-color:#fff">
          <ct-viewer invert style="width:400px;height:120px"></ct-viewer>
          <measurement-tools tool="length"></measurement-tools>
        </div>`,
      );
      for (const el of root.children) await (el as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
      const tools = root.querySelector('measurement-tools')!;
      const viewer = root.querySelector('ct-viewer')!;
      const shot = await screenshotPixels();
      const accent: Rgba = [0, 85, 170, 255];
      expectColor(shot, leftInside(inShadow(tools, '[data-tool="length"]'), 3), accent, 'pressed tool');
      expectColor(shot, leftInside(inShadow(tools, '[data-tool="angle"]'), 3), [250, 250, 250, 255], 'other tool');
      expectColor(shot, leftInside(inShadow(viewer, '[part~="invert"]'), 4), accent, 'Invert while on');
      expectColor(shot, leftInside(inShadow(viewer, '[part~="reset"]'), 4), [250, 250, 250, 255], 'Reset');
      // ::part(tool active) still reaches the pressed one, and the tokens change its highlight there.
      style.textContent += `.restyled measurement-tools::part(tool active) { --ct-active-background: rgb(200, 30, 40); }`;
      const again = await screenshotPixels();
      expectColor(
        again,
        leftInside(inShadow(tools, '[data-tool="length"]'), 3),
        [200, 30, 40, 255],
        'pressed tool, retinted',
      );
    } finally {
      style.remove();
    }
  });
});
