import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '@secondread/ct-viewer/define.js';
import { WINDOW_PRESET_VALUES, WINDOW_PRESETS } from '@secondread/core';
import type { CtViewer, SeriesLoadEvent, VoiChangeEvent } from '@secondread/ct-viewer';
import { canvasLuminanceAt, canvasStats, nextEvent, pixelToCss, testEnv, until } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;

async function loadedViewer(attributes = ''): Promise<CtViewer> {
  const el = await fixture<CtViewer>(html`<ct-viewer style="width:420px;height:460px"></ct-viewer>`);
  for (const attr of attributes.split(' ').filter(Boolean)) {
    const [name, value = ''] = attr.split('=');
    el.setAttribute(name!, value);
  }
  const loaded = nextEvent<SeriesLoadEvent>(el, 'ct-series-load');
  el.dicomwebRoot = env.dicomwebRoot!;
  el.studyUid = truth.studyInstanceUid;
  el.seriesUid = truth.seriesInstanceUid;
  await loaded;
  await until(() => canvasStats(el).nonBlack > 0.05, 10_000, 'image on canvas');
  return el;
}

function engineElement(el: CtViewer): HTMLElement {
  return el.shadowRoot!.querySelector<HTMLElement>('.engine')!;
}

function centreOf(element: Element): [number, number] {
  const r = element.getBoundingClientRect();
  return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];
}

describe('<ct-viewer> interaction', () => {
  it('scrolls with keys: arrows, PageUp/PageDown, Home/End', async () => {
    const el = await loadedViewer();
    el.focus();
    const start = el.sliceIndex;
    await sendKeys({ press: 'ArrowDown' });
    await until(() => el.sliceIndex === start + 1, 5000, 'ArrowDown');
    await sendKeys({ press: 'ArrowUp' });
    await until(() => el.sliceIndex === start, 5000, 'ArrowUp');
    await sendKeys({ press: 'End' });
    await until(() => el.sliceIndex === truth.sliceCount - 1, 5000, 'End');
    await sendKeys({ press: 'Home' });
    await until(() => el.sliceIndex === 0, 5000, 'Home');
    await sendKeys({ press: 'PageDown' });
    await until(() => el.sliceIndex === Math.round(truth.sliceCount / 10), 5000, 'PageDown');
  });

  it('scrolls with the mouse wheel and the slice slider, and reports slice changes', async () => {
    const el = await loadedViewer();
    const start = el.sliceIndex;
    const changes: number[] = [];
    el.addEventListener('ct-slice-change', (e) => changes.push(e.detail.index));
    const [x, y] = centreOf(engineElement(el));
    // No wait for the lazily loaded tools: the wheel scrolls from the first image on.
    engineElement(el).dispatchEvent(
      new WheelEvent('wheel', { deltaY: 100, clientX: x, clientY: y, bubbles: true, cancelable: true }),
    );
    await until(() => el.sliceIndex !== start, 5000, 'wheel scroll');
    expect(Math.abs(el.sliceIndex - start)).to.be.greaterThan(0);
    const slider = el.shadowRoot!.querySelector<HTMLInputElement>('[part=slider]')!;
    slider.value = '5';
    slider.dispatchEvent(new Event('input'));
    await until(() => el.sliceIndex === 5, 5000, 'slider');
    expect(changes).to.include(5);
    expect(el.sliceCount).to.equal(truth.sliceCount);
  });

  it('applies every window preset by attribute', async () => {
    const el = await loadedViewer();
    expect(el.voi).to.deep.equal({ center: truth.window.center, width: truth.window.width });
    for (const preset of WINDOW_PRESETS.filter((p) => p !== 'default')) {
      const changed = nextEvent<VoiChangeEvent>(el, 'ct-voi-change');
      el.setAttribute('window-preset', preset);
      const { detail } = await changed;
      expect(detail.center).to.be.closeTo(WINDOW_PRESET_VALUES[preset].center, 0.5);
      expect(detail.width).to.be.closeTo(WINDOW_PRESET_VALUES[preset].width, 0.5);
      expect(el.voi!.width).to.be.closeTo(WINDOW_PRESET_VALUES[preset].width, 0.5);
    }
    el.setAttribute('window-preset', 'default');
    await until(() => Math.abs(el.voi!.width - truth.window.width) < 0.5, 5000, 'default window');
  });

  it('windows with a real mouse drag and with the voi property; the pixels follow', async () => {
    const el = await loadedViewer();
    el.voi = { center: 40, width: 400 };
    await until(() => Math.abs(el.voi!.width - 400) < 0.5, 5000, 'voi property');
    // Soft tissue (40 HU) is mid-grey at W400/L40.
    el.sliceIndex = 30;
    await until(() => el.sliceIndex === 30, 5000, 'slice 30');
    const [sx, sy] = pixelToCss(el, truth.columns, truth.rows, 127, 87);
    await until(() => canvasLuminanceAt(el, sx, sy) > 90 && canvasLuminanceAt(el, sx, sy) < 170, 5000, 'mid grey');
    const before = el.voi!;
    const [x, y] = centreOf(engineElement(el));
    // No wait for the lazily loaded tools: the wheel scrolls from the first image on.
    await sendMouse({ type: 'move', position: [x, y] });
    await sendMouse({ type: 'down', button: 'left' });
    for (let i = 1; i <= 5; i++) await sendMouse({ type: 'move', position: [x + 20 * i, y + 10 * i] });
    await sendMouse({ type: 'up', button: 'left' });
    await until(
      () => el.voi!.width !== before.width || el.voi!.center !== before.center,
      5000,
      'drag changes the window',
    );
  });

  it('inverts: air turns from black to white', async () => {
    const el = await loadedViewer();
    const [ax, ay] = pixelToCss(el, truth.columns, truth.rows, 3, 3);
    await until(() => canvasLuminanceAt(el, ax, ay) < 20, 5000, 'black air');
    el.invert = true;
    await until(() => canvasLuminanceAt(el, ax, ay) > 235, 5000, 'white air');
  });

  it('zooms, resets, and shows HU under the pointer', async () => {
    const el = await loadedViewer();
    const scaleText = (): string => el.shadowRoot!.querySelector('[part=scale-bar]')?.textContent ?? '';
    el.zoomBy(4);
    await until(
      () => /Zoom 400%/.test(el.shadowRoot!.querySelector('.corner.bl')!.textContent!),
      5000,
      `zoom 400% (${el.shadowRoot!.querySelector('.corner.bl')!.textContent})`,
    );
    const zoomedScale = scaleText();
    el.resetView();
    await until(() => /Zoom 100%/.test(el.shadowRoot!.querySelector('.corner.bl')!.textContent!), 5000, 'zoom 100%');
    expect(scaleText()).not.to.equal(zoomedScale);
    const [x, y] = pixelToCss(el, truth.columns, truth.rows, 3, 3);
    const rect = engineElement(el).getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(rect.left + x), Math.round(rect.top + y)] });
    await until(
      () => /-1[\s,.]?000 HU/.test(el.shadowRoot!.querySelector('.corner.br')!.textContent!),
      5000,
      'HU readout',
    );
  });

  it('shows orientation markers from the image orientation and a scale bar', async () => {
    const el = await loadedViewer();
    const text = (sel: string): string => el.shadowRoot!.querySelector(sel)!.textContent!.trim();
    expect(text('.marker.left')).to.equal('R');
    expect(text('.marker.right')).to.equal('L');
    expect(text('.marker.top')).to.equal('A');
    expect(text('.marker.bottom')).to.equal('P');
    expect(text('[part=scale-bar]')).to.match(/\d+ mm/);
    const tr = text('.corner.tr');
    // The phantom numbers its instances in position order: Instance Number = index + 1.
    expect(tr).to.include(`Im ${el.sliceIndex + 1} (${el.sliceIndex + 1}/${truth.sliceCount})`);
    expect(tr).to.include('Thk 2.5 mm');
  });

  it('is accessible', async () => {
    const el = await loadedViewer();
    await expect(el).to.be.accessible();
  });
});
