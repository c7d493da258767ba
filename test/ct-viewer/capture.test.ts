import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import type { CtViewer } from '@secondread/ct-viewer';
import { seriesLoaded, testEnv, until } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;
const nodule = truth.nodules[0]!;

/** Pixels of a PNG blob, decoded by the browser. */
async function pixelsOf(blob: Blob): Promise<ImageData> {
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  return context.getImageData(0, 0, bitmap.width, bitmap.height);
}

/** Pixels whose colour is clearly not grey (CT is grey; annotations are coloured). */
function colouredPixels(image: ImageData): number {
  let count = 0;
  const { data } = image;
  for (let i = 0; i < data.length; i += 4) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) count++;
  }
  return count;
}

describe('<ct-viewer> captureImage (key images)', () => {
  it('captures the image with the measurement annotations drawn on it, or without', async () => {
    const viewer = await fixture<CtViewer>(html`<ct-viewer hide-toolbar style="width:400px;height:400px"></ct-viewer>`);
    const loaded = seriesLoaded(viewer);
    viewer.dicomwebRoot = env.dicomwebRoot!;
    viewer.studyUid = truth.studyInstanceUid;
    viewer.seriesUid = truth.seriesInstanceUid;
    await loaded;
    viewer.sliceIndex = nodule.sliceIndex;
    await until(() => viewer.sliceIndex === nodule.sliceIndex, 5000, 'nodule slice');

    const r = 30;
    await viewer.annotations!.showLayer(
      'key',
      [
        {
          id: 'key-line',
          kind: 'length',
          points: [
            [nodule.centerMm[0] - r, nodule.centerMm[1], nodule.centerMm[2]],
            [nodule.centerMm[0] + r, nodule.centerMm[1], nodule.centerMm[2]],
          ],
          sopInstanceUid: nodule.sopInstanceUid,
          frameOfReferenceUid: truth.frameOfReferenceUid,
        },
      ],
      { locked: true, color: 'rgb(255, 200, 0)' },
    );
    await until(() => (viewer.shadowRoot!.querySelector('svg.svg-layer')?.childElementCount ?? 0) > 0, 5000, 'svg');
    await new Promise((resolve) => setTimeout(resolve, 200));

    const withAnnotations = await pixelsOf(await viewer.captureImage());
    const without = await pixelsOf(await viewer.captureImage({ annotations: false }));
    expect(withAnnotations.width).to.equal(without.width);
    expect(without.width).to.be.greaterThan(0);
    // A 60 mm line on a 256 mm field across a 400 px viewport is ~90 px long and a few wide.
    expect(colouredPixels(withAnnotations)).to.be.greaterThan(60);
    expect(colouredPixels(without)).to.equal(0);
    // The image under the annotations is the same picture: most pixels are identical.
    let same = 0;
    for (let i = 0; i < without.data.length; i += 4) if (without.data[i] === withAnnotations.data[i]) same++;
    expect(same / (without.data.length / 4)).to.be.greaterThan(0.95);
  });
});
