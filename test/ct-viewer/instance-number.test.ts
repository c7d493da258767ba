import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import type { CtViewer } from '@secondread/ct-viewer';
import { filesFrom, nextEvent, testEnv, until } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;

/** The (0020,0013) Instance Number element, Explicit VR Little Endian: tag, "IS", 2-byte length. */
const INSTANCE_NUMBER_TAG = [0x20, 0x00, 0x13, 0x00, 0x49, 0x53];

/**
 * A copy of a Part 10 file with another Instance Number, written in place (same value length,
 * space-padded as IS values are), so the file stays valid and nothing else changes.
 */
function withInstanceNumber(bytes: Uint8Array, instanceNumber: number): Uint8Array {
  const copy = bytes.slice();
  for (let i = 132; i < copy.length - 8; i++) {
    if (!INSTANCE_NUMBER_TAG.every((b, k) => copy[i + k] === b)) continue;
    const length = copy[i + 6]! | (copy[i + 7]! << 8);
    const text = String(instanceNumber);
    if (text.length > length) throw new Error(`Instance Number ${text} does not fit in ${length} bytes`);
    const value = text.padEnd(length, ' ');
    for (let k = 0; k < length; k++) copy[i + 8 + k] = value.charCodeAt(k);
    return copy;
  }
  throw new Error('no Instance Number in the file');
}

/** The phantom with Instance Numbers that run against the position order (slice 0 is image N). */
async function reversedPhantomFiles(): Promise<File[]> {
  const files = await filesFrom(env.phantom.baseline.urls);
  const indexByName = new Map(truth.instances.map((i) => [i.fileName, i.sliceIndex]));
  return Promise.all(
    files.map(async (file) => {
      const sliceIndex = indexByName.get(file.name);
      if (sliceIndex === undefined) throw new Error(`${file.name} is not in the phantom's truth`);
      const bytes = withInstanceNumber(new Uint8Array(await file.arrayBuffer()), truth.sliceCount - sliceIndex);
      return new File([bytes as Uint8Array<ArrayBuffer>], file.name);
    }),
  );
}

const imageLine = (el: CtViewer): string =>
  [...el.shadowRoot!.querySelectorAll('.corner.tr > div')]
    .map((d) => d.textContent!.trim())
    .find((t) => t.startsWith('Im ')) ?? '';

describe('<ct-viewer> Instance Number', () => {
  it('shows the Instance Number reports cite, not the stack position, when they run opposite', async () => {
    const el = await fixture<CtViewer>(html`<ct-viewer style="width:400px;height:400px"></ct-viewer>`);
    const firstSlice = nextEvent(el, 'ct-slice-change');
    el.files = await reversedPhantomFiles();
    const opened = await firstSlice;
    const n = truth.sliceCount;
    const index = opened.detail.index;
    // Stack order is by position, so slice `index` is the file numbered n - index.
    expect(opened.detail.instanceNumber).to.equal(n - index);
    expect(el.instanceNumber).to.equal(n - index);
    await until(() => imageLine(el) !== '', 5000, 'overlay');
    expect(imageLine(el)).to.equal(`Im ${n - index} (${index + 1}/${n})`);

    // Scrolling to the lowest slice: image n, stack position 1.
    const moved = nextEvent(el, 'ct-slice-change');
    el.sliceIndex = 0;
    const bottom = await moved;
    expect(bottom.detail.index).to.equal(0);
    expect(bottom.detail.instanceNumber).to.equal(n);
    await until(() => imageLine(el) === `Im ${n} (1/${n})`, 5000, `overlay Im ${n} (1/${n}), got "${imageLine(el)}"`);

    // And the top: image 1 at stack position n.
    const top = nextEvent(el, 'ct-slice-change');
    el.sliceIndex = n - 1;
    expect((await top).detail.instanceNumber).to.equal(1);
    await until(() => imageLine(el) === `Im 1 (${n}/${n})`, 5000, `overlay Im 1 (${n}/${n}), got "${imageLine(el)}"`);
  });
});
