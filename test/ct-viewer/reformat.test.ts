/**
 * Reformatted planes of `<ct-viewer>` on the phantom, whose geometry and nodules are known:
 * the nodule at its true (x, y, z) shows where it belongs in the coronal and sagittal planes
 * (pixels), with its true diameter across the reformatted direction; the orientation markers
 * of each plane; the events' orientation and patient position; slabs; the MPR layout.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '@secondread/ct-viewer/define.js';
import { findingCentre, parseSegmentation, segmentationToReading, type Vec3 } from '@secondread/core';
import type { CtViewer, SliceChangeEvent } from '@secondread/ct-viewer';
import { nextEvent, seriesLoaded, testEnv, until } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;
const nodule = truth.nodules.find((n) => n.id === 'N1')!;

type Plane = 'axial' | 'coronal' | 'sagittal' | 'acquisition';

async function viewerWith(attributes: string, size = 'width:420px;height:440px'): Promise<CtViewer> {
  const el = await fixture<CtViewer>(html`<ct-viewer style=${size}></ct-viewer>`);
  for (const attr of attributes.split(' ').filter(Boolean)) {
    const [name, value = ''] = attr.split('=');
    el.setAttribute(name!, value);
  }
  const loaded = seriesLoaded(el);
  el.dicomwebRoot = env.dicomwebRoot!;
  el.studyUid = truth.studyInstanceUid;
  el.seriesUid = truth.seriesInstanceUid;
  await loaded;
  return el;
}

async function planesReady(el: CtViewer, count: number): Promise<void> {
  await until(
    () => el.planes.length === count && el.planes.every((p) => p.status === 'ready'),
    60_000,
    'reformatted planes ready',
  );
}

function planeCanvas(el: CtViewer, plane: Plane): HTMLCanvasElement {
  const canvas = el.shadowRoot!.querySelector<HTMLCanvasElement>(`.plane[data-plane=${plane}] canvas`);
  if (!canvas) throw new Error(`no canvas for the ${plane} plane`);
  return canvas;
}

/** Luminance of a plane's canvas at CSS point (x, y) of its image area. */
function luminance(el: CtViewer, plane: Plane, x: number, y: number): number {
  const canvas = planeCanvas(el, plane);
  const scale = canvas.width / canvas.getBoundingClientRect().width;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  const [r, g, b] = context.getImageData(Math.round(x * scale), Math.round(y * scale), 1, 1).data;
  return (r! + g! + b!) / 3;
}

/** Bright pixels (above `threshold`) in a square around (x, y): their centroid and extent in CSS px. */
function blob(el: CtViewer, plane: Plane, x: number, y: number, half: number, threshold: number) {
  const canvas = planeCanvas(el, plane);
  const scale = canvas.width / canvas.getBoundingClientRect().width;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  const x0 = Math.round((x - half) * scale);
  const y0 = Math.round((y - half) * scale);
  const size = Math.round(2 * half * scale);
  const { data } = context.getImageData(x0, y0, size, size);
  let n = 0;
  let sx = 0;
  let sy = 0;
  let minY = Infinity;
  let maxY = -Infinity;
  let minX = Infinity;
  let maxX = -Infinity;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const k = 4 * (j * size + i);
      const l = (data[k]! + data[k + 1]! + data[k + 2]!) / 3;
      if (l < threshold) continue;
      n++;
      sx += i;
      sy += j;
      minX = Math.min(minX, i);
      maxX = Math.max(maxX, i);
      minY = Math.min(minY, j);
      maxY = Math.max(maxY, j);
    }
  }
  return {
    pixels: n,
    x: (x0 + sx / n + 0.5) / scale,
    y: (y0 + sy / n + 0.5) / scale,
    widthPx: (maxX - minX + 1) / scale,
    heightPx: (maxY - minY + 1) / scale,
  };
}

function markers(el: CtViewer, plane: Plane): Record<'top' | 'bottom' | 'left' | 'right', string> {
  const text = (side: string): string =>
    el.shadowRoot!.querySelector(`.plane[data-plane=${plane}] .marker.${side}`)?.textContent?.trim() ?? '';
  return { top: text('top'), bottom: text('bottom'), left: text('left'), right: text('right') };
}

const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];

/** Luminance statistics of a square of `halfMm` around a patient point on a plane's canvas. */
function regionStats(el: CtViewer, plane: Plane, point: Vec3, halfMm: number): { max: number; mean: number } {
  const [x, y] = el.planePatientToCanvas(plane, point)!;
  const half = halfMm / el.planes.find((p) => p.plane === plane)!.mmPerPixel!;
  const canvas = planeCanvas(el, plane);
  const scale = canvas.width / canvas.getBoundingClientRect().width;
  const size = Math.round(2 * half * scale);
  const { data } = canvas
    .getContext('2d', { willReadFrequently: true })!
    .getImageData(Math.round((x - half) * scale), Math.round((y - half) * scale), size, size);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) {
    const l = (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
    max = Math.max(max, l);
    sum += l;
  }
  return { max, mean: sum / (data.length / 4) };
}

/** Waits for two animation frames (the engine draws on the next one). */
const frames = (): Promise<void> =>
  new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));

function overlayText(el: CtViewer, plane: Plane): string {
  return el.shadowRoot!.querySelector(`.plane[data-plane=${plane}] [part=overlay]`)?.textContent ?? '';
}

describe('<ct-viewer> reformatted planes (phantom)', () => {
  for (const plane of ['coronal', 'sagittal'] as const) {
    it(`shows the nodule at its true position and size in the ${plane} plane`, async () => {
      const el = await viewerWith(`orientation=${plane} window-preset=lung`);
      await planesReady(el, 1);
      const moved = nextEvent<SliceChangeEvent>(el, 'ct-slice-change');
      el.showPoint(nodule.centerMm);
      const change = (await moved).detail;
      expect(change.orientation).to.equal(plane);
      const axis = plane === 'coronal' ? 1 : 0;
      // The plane passes through the nodule's centre (within half a voxel of the resampling grid).
      expect(Math.abs(change.positionMm! - nodule.centerMm[axis])).to.be.below(0.51);
      expect(Math.abs(change.centreMm![axis] - nodule.centerMm[axis])).to.be.below(0.51);
      const state = el.planes[0]!;
      expect(state.plane).to.equal(plane);
      await until(
        () => {
          const [x, y] = el.planePatientToCanvas(plane, nodule.centerMm)!;
          return luminance(el, plane, x, y) > 200;
        },
        10_000,
        'nodule drawn',
      );
      const [x, y] = el.planePatientToCanvas(plane, nodule.centerMm)!;
      // Lung window (W 1500 L -600): lung around the nodule (-850 HU) is dark grey (~85), the nodule (+60 HU) ~240.
      const outside =
        plane === 'coronal'
          ? add(nodule.centerMm, [nodule.diameterMm, 0, 0])
          : add(nodule.centerMm, [0, nodule.diameterMm, 0]);
      const [ox, oy] = el.planePatientToCanvas(plane, outside)!;
      expect(luminance(el, plane, ox, oy)).to.be.within(60, 110);
      const mmPerPx = state.mmPerPixel!;
      const found = blob(el, plane, x, y, (nodule.diameterMm * 0.9) / mmPerPx, 162);
      expect(found.pixels).to.be.above(20);
      // Its centre at the true position, within one voxel (1 mm in-plane, 2.5 mm between slices).
      expect(Math.abs(found.x - x) * mmPerPx).to.be.below(1.01);
      expect(Math.abs(found.y - y) * mmPerPx).to.be.below(truth.sliceSpacingMm);
      // Its diameter along z (across the acquired slices) is the true one, within a slice.
      expect(Math.abs(found.heightPx * mmPerPx - nodule.diameterMm)).to.be.below(truth.sliceSpacingMm + 0.5);
      expect(Math.abs(found.widthPx * mmPerPx - nodule.diameterMm)).to.be.below(2);
    });
  }

  it('puts the orientation markers right for each plane, and patient right on the left', async () => {
    const el = await viewerWith('layout=mpr', 'width:640px;height:520px');
    await planesReady(el, 3);
    expect(el.planes.map((p) => p.plane)).to.deep.equal(['axial', 'coronal', 'sagittal']);
    expect(markers(el, 'axial')).to.deep.equal({ top: 'A', bottom: 'P', left: 'R', right: 'L' });
    expect(markers(el, 'coronal')).to.deep.equal({ top: 'S', bottom: 'I', left: 'R', right: 'L' });
    expect(markers(el, 'sagittal')).to.deep.equal({ top: 'S', bottom: 'I', left: 'A', right: 'P' });
    // The markers say what the pixels are: patient right (x < 0) is drawn left of patient left.
    const centre = el.planes[0]!.centreMm!;
    for (const plane of ['axial', 'coronal'] as const) {
      const right = el.planePatientToCanvas(plane, add(centre, [-50, 0, 0]))!;
      const left = el.planePatientToCanvas(plane, add(centre, [50, 0, 0]))!;
      expect(right[0]).to.be.below(left[0]);
    }
    const anterior = el.planePatientToCanvas('sagittal', add(centre, [0, -50, 0]))!;
    const posterior = el.planePatientToCanvas('sagittal', add(centre, [0, 50, 0]))!;
    expect(anterior[0]).to.be.below(posterior[0]);
    const superior = el.planePatientToCanvas('coronal', add(centre, [0, 0, 50]))!;
    const inferior = el.planePatientToCanvas('coronal', add(centre, [0, 0, -50]))!;
    expect(superior[1]).to.be.below(inferior[1]);
  });

  it('refuses to reformat a series with uneven spacing: typed error, visible message, the stack stays', async () => {
    // One slice left out: a 5 mm gap among 2.5 mm steps.
    const urls = env.phantom.baseline.urls;
    const el = await fixture<CtViewer>(html`<ct-viewer style="width:420px;height:440px"></ct-viewer>`);
    const loaded = seriesLoaded(el);
    el.urls = urls.filter((url) => !url.endsWith(truth.instances[30]!.fileName));
    await loaded;
    const refused = nextEvent(el, 'ct-error');
    el.orientation = 'coronal';
    const error = (await refused).detail;
    expect(error.code).to.equal('reformat');
    expect(error.fatal).to.equal(false);
    expect(error.message).to.match(/uneven/i);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role=alert], .banner')?.textContent ?? '').to.match(/uneven/i);
    expect(el.planes).to.deep.equal([]);
    expect(el.shadowRoot!.querySelector('.planes')).to.equal(null);
    expect(el.shadowRoot!.querySelector('.engine')!.classList.contains('behind')).to.equal(false);
  });

  it('shows a slab in the overlay and toggles a 10 mm MIP with the M key', async () => {
    const el = await viewerWith('orientation=axial window-preset=lung');
    await planesReady(el, 1);
    el.showPoint(add(nodule.centerMm, [0, 0, nodule.diameterMm / 2 + 2]));
    await el.updateComplete;
    expect(overlayText(el, 'axial')).not.to.match(/MIP/);
    el.focus();
    await sendKeys({ press: 'm' });
    await until(() => /MIP 10 mm/.test(overlayText(el, 'axial')), 5000, 'MIP in the overlay');
    expect(el.slabThicknessMm).to.equal(10);
    expect(el.slabMode).to.equal('mip');
    el.slabMode = 'minip';
    await until(() => /MinIP 10 mm/.test(overlayText(el, 'axial')), 5000, 'MinIP in the overlay');
    await sendKeys({ press: 'm' });
    await until(() => !/MIP|MinIP/.test(overlayText(el, 'axial')), 5000, 'thin again');
    expect(el.slabThicknessMm).to.equal(0);
  });

  it('links the three planes of the MPR layout: the crosshair follows a plane that scrolls, dragging it moves the others', async () => {
    const el = await viewerWith('layout=mpr', 'width:640px;height:520px');
    await planesReady(el, 3);
    el.showPoint(nodule.centerMm);
    await el.updateComplete;
    const at = (plane: Plane): Vec3 => el.planes.find((p) => p.plane === plane)!.centreMm!;
    expect(Math.abs(at('axial')[2] - nodule.centerMm[2])).to.be.below(0.51);
    expect(Math.abs(at('coronal')[1] - nodule.centerMm[1])).to.be.below(0.51);
    expect(Math.abs(at('sagittal')[0] - nodule.centerMm[0])).to.be.below(0.51);
    expect(el.shadowRoot!.querySelectorAll('.plane .crosshair-line').length).to.equal(6);
    // Dragging the crosshair centre on the axial plane moves the coronal and sagittal planes.
    const handle = el.shadowRoot!.querySelector<SVGCircleElement>('.plane[data-plane=axial] .crosshair-handle')!;
    const box = handle.getBoundingClientRect();
    const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
    const { sendMouse } = await import('@web/test-runner-commands');
    await sendMouse({ type: 'move', position: [Math.round(x), Math.round(y)] });
    await sendMouse({ type: 'down', button: 'left' });
    await sendMouse({ type: 'move', position: [Math.round(x) + 20, Math.round(y) + 10] });
    await sendMouse({ type: 'move', position: [Math.round(x) + 40, Math.round(y) + 20] });
    await sendMouse({ type: 'up', button: 'left' });
    const axialMm = el.planes.find((p) => p.plane === 'axial')!.mmPerPixel!;
    await until(() => Math.abs(at('sagittal')[0] - (nodule.centerMm[0] + 40 * axialMm)) < 1.5, 5000, 'sagittal moved');
    expect(Math.abs(at('coronal')[1] - (nodule.centerMm[1] + 20 * axialMm))).to.be.below(1.5);
    // The axial plane itself stays where it was.
    expect(Math.abs(at('axial')[2] - nodule.centerMm[2])).to.be.below(0.51);
  });
});

describe('<ct-viewer> rotation, flips and cine', () => {
  it('turns and mirrors a reformatted plane; the markers follow the pixels', async () => {
    const el = await viewerWith('orientation=coronal rotation=90');
    await planesReady(el, 1);
    await until(() => markers(el, 'coronal').right === 'S', 5000, 'rotated markers');
    expect(markers(el, 'coronal')).to.deep.equal({ top: 'R', bottom: 'L', left: 'I', right: 'S' });
    const centre = el.planes[0]!.centreMm!;
    const superior = el.planePatientToCanvas('coronal', add(centre, [0, 0, 50]))!;
    const inferior = el.planePatientToCanvas('coronal', add(centre, [0, 0, -50]))!;
    expect(superior[0]).to.be.above(inferior[0]);
    el.rotation = 0;
    el.flipHorizontal = true;
    await until(() => markers(el, 'coronal').right === 'R', 5000, 'flipped markers');
    expect(markers(el, 'coronal')).to.deep.equal({ top: 'S', bottom: 'I', left: 'L', right: 'R' });
    const right = el.planePatientToCanvas('coronal', add(centre, [-50, 0, 0]))!;
    const left = el.planePatientToCanvas('coronal', add(centre, [50, 0, 0]))!;
    expect(right[0]).to.be.above(left[0]);
  });

  it('plays cine on the stack, loops, toggles with Space and stops when the reader scrolls', async () => {
    const el = await viewerWith('cine-fps=30');
    el.sliceIndex = truth.sliceCount - 3;
    await until(() => el.sliceIndex === truth.sliceCount - 3, 5000, 'near the end');
    const seen: number[] = [];
    el.addEventListener('ct-slice-change', (e) => seen.push(e.detail.index));
    el.focus();
    await sendKeys({ press: 'Space' });
    expect(el.cine).to.equal(true);
    // It wraps from the last slice to the first.
    await until(() => seen.includes(0) && seen.includes(2), 10_000, 'cine looped');
    await sendKeys({ press: 'Space' });
    expect(el.cine).to.equal(false);
    const paused = el.sliceIndex;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(el.sliceIndex).to.equal(paused);
    el.cine = true;
    await until(() => el.sliceIndex !== paused, 5000, 'playing again');
    const engine = el.shadowRoot!.querySelector('.engine')!;
    engine.dispatchEvent(new WheelEvent('wheel', { deltaY: 100, bubbles: true, cancelable: true, composed: true }));
    await el.updateComplete;
    expect(el.cine).to.equal(false);
  });
});

const lidcSeries = env.studies.find((s) => s.source === 'lidc-ct');
const useLidc = Boolean(env.segmentations.lidc && lidcSeries);

describe(`<ct-viewer> slab MIP (${useLidc ? 'LIDC-IDRI-0001' : 'phantom'})`, () => {
  it('a 10 mm MIP through the nodule has a higher maximum than the thin slice', async () => {
    const el = await fixture<CtViewer>(html`<ct-viewer style="width:420px;height:440px"></ct-viewer>`);
    const loaded = seriesLoaded(el, 60_000);
    el.dicomwebRoot = env.dicomwebRoot!;
    let centre: Vec3;
    if (useLidc) {
      const segmentation = parseSegmentation(await (await fetch(env.segmentations.lidc!)).arrayBuffer());
      const reading = segmentationToReading(segmentation, { role: 'first', reader: { name: 'LIDC reader' } });
      centre = findingCentre(reading.findings[0]!)!;
      el.studyUid = lidcSeries!.studyUid;
      el.seriesUid = lidcSeries!.seriesUid;
    } else {
      // The small nodule, 4 mm off the plane: the thin slice misses it, a 10 mm slab holds it.
      const small = truth.nodules.find((n) => n.id === 'N2')!;
      centre = add(small.centerMm, [0, 0, 4]);
      el.studyUid = truth.studyInstanceUid;
      el.seriesUid = truth.seriesInstanceUid;
    }
    await loaded;
    // A window wide enough that nothing in the lung saturates.
    el.voi = { center: 1000, width: 4000 };
    el.orientation = 'axial';
    await planesReady(el, 1);
    el.voi = { center: 1000, width: 4000 };
    el.showPoint(centre);
    await frames();
    await frames();
    const thin = regionStats(el, 'axial', centre, 15);
    el.slabThicknessMm = 10;
    await until(() => /MIP 10 mm/.test(overlayText(el, 'axial')), 5000, 'MIP on');
    await frames();
    await frames();
    const mip = regionStats(el, 'axial', centre, 15);
    expect(mip.max).to.be.above(thin.max);
    expect(mip.mean).to.be.above(thin.mean);
  });
});
