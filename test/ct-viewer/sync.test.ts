import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '@secondread/ct-viewer/define.js';
import { syncViewers, type CtViewer } from '@secondread/ct-viewer';
import { canvasStats, filesFrom, seriesLoaded, testEnv, until, viewerCanvas } from './helpers.ts';
import { settle } from '../support/browser-helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;

async function twoViewers(): Promise<[CtViewer, CtViewer]> {
  const host = await fixture<HTMLDivElement>(html`
    <div style="display:flex;gap:8px">
      <ct-viewer style="width:360px;height:400px"></ct-viewer>
      <ct-viewer style="width:360px;height:400px"></ct-viewer>
    </div>
  `);
  const viewers = [...host.querySelectorAll('ct-viewer')] as [CtViewer, CtViewer];
  await Promise.all(
    viewers.map((viewer) => {
      const loaded = seriesLoaded(viewer);
      viewer.dicomwebRoot = env.dicomwebRoot!;
      viewer.studyUid = truth.studyInstanceUid;
      viewer.seriesUid = truth.seriesInstanceUid;
      return loaded;
    }),
  );
  for (const viewer of viewers) await until(() => canvasStats(viewer).nonBlack > 0.05, 10_000, 'image on canvas');
  return viewers;
}

/** Luminance of every canvas pixel, for comparing what two viewers show. */
function luminance(viewer: CtViewer): Float32Array {
  const canvas = viewerCanvas(viewer);
  const { data } = canvas
    .getContext('2d', { willReadFrequently: true })!
    .getImageData(0, 0, canvas.width, canvas.height);
  const out = new Float32Array(data.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = (data[i * 4]! + data[i * 4 + 1]! + data[i * 4 + 2]!) / 3;
  return out;
}

function meanAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).to.equal(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

describe('syncViewers', () => {
  it('links scrolling, window/level and zoom/pan, per axis, both ways', async () => {
    const [left, right] = await twoViewers();
    const sync = syncViewers([left, right]);

    left.sliceIndex = truth.nodules[0]!.sliceIndex;
    await until(() => right.sliceIndex === truth.nodules[0]!.sliceIndex, 5000, 'right follows the slice');

    right.voi = { center: 40, width: 400 };
    await until(() => Math.abs((left.voi?.width ?? 0) - 400) < 0.5, 5000, 'left follows the window');
    expect(left.voi!.center).to.be.closeTo(40, 0.5);

    left.zoomBy(2);
    await until(() => Math.abs((right.camera?.zoom ?? 0) - (left.camera?.zoom ?? -1)) < 1e-3, 5000, 'zoom followed');
    expect(right.camera!.zoom).to.be.greaterThan(1.5);

    // Pan the right viewer by dragging with the pan mode: the left image moves with it.
    right.dragMode = 'pan';
    await right.updateComplete;
    const box = viewerCanvas(right).getBoundingClientRect();
    const x = Math.round(box.left + box.width / 2);
    const y = Math.round(box.top + box.height / 2);
    const panned = (): boolean => Math.hypot(...(right.camera?.panMm ?? [0, 0])) > 1;
    // The interaction tools load lazily after the first image: drag again until they take it.
    for (let attempt = 0; attempt < 5 && !panned(); attempt++) {
      await new Promise((r) => setTimeout(r, 300));
      await sendMouse({ type: 'move', position: [x, y] });
      await sendMouse({ type: 'down', button: 'left' });
      for (let i = 1; i <= 5; i++) await sendMouse({ type: 'move', position: [x + 8 * i, y + 5 * i] });
      await sendMouse({ type: 'up', button: 'left' });
    }
    await until(panned, 5000, 'right panned');
    await until(
      () =>
        Math.abs(left.camera!.panMm[0] - right.camera!.panMm[0]) < 1e-3 &&
        Math.abs(left.camera!.panMm[1] - right.camera!.panMm[1]) < 1e-3,
      5000,
      'left follows the pan',
    );

    // Both viewers now show the same picture (same slice, window, zoom and pan).
    await new Promise((r) => setTimeout(r, 200));
    expect(meanAbsDifference(luminance(left), luminance(right))).to.be.lessThan(2);

    // Turning scrolling off: the right viewer stays where it is.
    sync.set({ slice: false });
    expect(sync.axes).to.deep.equal({ slice: false, voi: true, camera: true });
    left.sliceIndex = 3;
    await until(() => left.sliceIndex === 3, 5000, 'left scrolled');
    await new Promise((r) => setTimeout(r, 300));
    expect(right.sliceIndex).to.equal(truth.nodules[0]!.sliceIndex);
    expect(meanAbsDifference(luminance(left), luminance(right))).to.be.greaterThan(0.5);

    // Turning it back on aligns the viewers again.
    sync.set({ slice: true });
    await until(() => right.sliceIndex === 3, 5000, 'aligned again');

    sync.disconnect();
    left.sliceIndex = 10;
    await until(() => left.sliceIndex === 10, 5000, 'left scrolled');
    await new Promise((r) => setTimeout(r, 300));
    expect(right.sliceIndex).to.equal(3);
  });
});

describe('syncViewers never echoes', () => {
  /** Left: the phantom from the PACS; right: every other slice of it from files (twice the spacing). */
  async function fullAndHalf(): Promise<[CtViewer, CtViewer]> {
    const host = await fixture<HTMLDivElement>(html`
      <div style="display:flex;gap:8px">
        <ct-viewer style="width:300px;height:320px"></ct-viewer>
        <ct-viewer style="width:300px;height:320px"></ct-viewer>
      </div>
    `);
    const [left, right] = [...host.querySelectorAll('ct-viewer')] as [CtViewer, CtViewer];
    const urlByName = new Map(env.phantom.baseline.urls.map((url) => [url.split('/').pop()!, url]));
    const everyOther = truth.instances.filter((i) => i.sliceIndex % 2 === 0).map((i) => urlByName.get(i.fileName)!);
    const loaded = [seriesLoaded(left), seriesLoaded(right)];
    left.dicomwebRoot = env.dicomwebRoot!;
    left.studyUid = truth.studyInstanceUid;
    left.seriesUid = truth.seriesInstanceUid;
    right.files = await filesFrom(everyOther);
    await Promise.all(loaded);
    expect(right.sliceCount).to.equal(Math.ceil(truth.sliceCount / 2));
    return [left, right];
  }

  it("keeps the leader where the reader put it: the follower's answer does not move it back", async () => {
    const [left, right] = await fullAndHalf();
    const sync = syncViewers([left, right]);
    const leftSlices: number[] = [];
    left.addEventListener('ct-slice-change', (e) => leftSlices.push(e.detail.index));

    // An odd slice of the full series lies between two slices of the half one: the half one
    // shows a neighbour, which maps back to the full series' slice next to the reader's.
    const target = 2 * Math.floor(truth.sliceCount / 4) + 1;
    left.sliceIndex = target;
    await until(() => left.sliceIndex === target, 5000, 'left scrolled');
    await until(
      () => Math.abs(right.sliceIndex * 2 - target) === 1,
      5000,
      `right shows a neighbour (${right.sliceIndex})`,
    );
    await settle(600);
    expect(left.sliceIndex, 'left stays on the reader’s slice').to.equal(target);
    expect(leftSlices).to.deep.equal([target]);

    // Several quick steps with the keyboard: the last one wins, none is taken back.
    left.focus();
    for (let i = 0; i < 4; i++) await sendKeys({ press: 'ArrowDown' });
    await until(() => left.sliceIndex === target + 4, 5000, 'left stepped');
    await until(
      () => right.sliceIndex === (target + 4 - 1) / 2 || right.sliceIndex === (target + 4 + 1) / 2,
      5000,
      'right followed',
    );
    await settle(600);
    expect(left.sliceIndex).to.equal(target + 4);

    // The link still works the other way: the reader on the right leads now.
    right.sliceIndex = 3;
    await until(() => left.sliceIndex === 6, 5000, `left follows the right (${left.sliceIndex})`);
    await settle(600);
    expect(right.sliceIndex).to.equal(3);
    sync.disconnect();
  });

  it("keeps the leader's zoom, pan and window when the follower answers", async () => {
    const [left, right] = await fullAndHalf();
    const sync = syncViewers([left, right]);
    left.camera = { zoom: 2, panMm: [12, -8] };
    await until(
      () => !!right.camera && Math.abs(right.camera.zoom - 2) < 1e-3 && Math.abs(right.camera.panMm[0] - 12) < 1e-3,
      5000,
      'right follows the camera',
    );
    await settle(300);
    expect(left.camera!.zoom).to.be.closeTo(2, 1e-3);
    expect(left.camera!.panMm[0]).to.be.closeTo(12, 1e-3);
    expect(left.camera!.panMm[1]).to.be.closeTo(-8, 1e-3);
    expect(right.camera!.panMm[1]).to.be.closeTo(-8, 1e-3);

    left.voi = { center: -600, width: 1500 };
    await until(() => Math.abs((right.voi?.width ?? 0) - 1500) < 0.5, 5000, 'right follows the window');
    await settle(300);
    expect(left.voi!.center).to.be.closeTo(-600, 0.5);
    expect(left.voi!.width).to.be.closeTo(1500, 0.5);
    sync.disconnect();
  });
});
