/**
 * Prior vs current: two viewers on two studies of the phantom with different frames of
 * reference, the current one generated with the patient shifted (patientShiftMm), linked by
 * position. The landmark gesture (real clicks) and setLinkOffset bring the other viewer to the
 * same nodule.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import '@secondread/ct-viewer/define.js';
import { syncViewers, type CtViewer, type LinkOffsetChangeEvent } from '@secondread/ct-viewer';
import { generatePhantomStudy, type PhantomTruth } from '@secondread/phantom/generate';
import type { Vec3 } from '@secondread/core';
import { canvasStats, pixelToCss, seriesLoaded, testEnv, until, viewerCanvas } from './helpers.ts';

const env = await testEnv();
const prior = env.phantom.baseline.truth;
/** The patient lies 4 mm to the left, 6 mm anterior and 21.3 mm towards the head at follow-up. */
const SHIFT: Vec3 = [4, -6, 21.3];
const shifted = generatePhantomStudy({ variant: 'followup', patientShiftMm: [...SHIFT] });
const current = shifted.truth;
const currentFiles = shifted.files.map((f) => new File([f.bytes as Uint8Array<ArrayBuffer>], f.name));

async function priorAndCurrent(): Promise<[CtViewer, CtViewer]> {
  const host = await fixture<HTMLDivElement>(html`
    <div style="display:flex;gap:8px">
      <ct-viewer hide-toolbar style="width:360px;height:360px"></ct-viewer>
      <ct-viewer hide-toolbar style="width:360px;height:360px"></ct-viewer>
    </div>
  `);
  const [a, b] = [...host.querySelectorAll('ct-viewer')] as [CtViewer, CtViewer];
  const loaded = Promise.all([seriesLoaded(a), seriesLoaded(b)]);
  a.dicomwebRoot = env.dicomwebRoot!;
  a.studyUid = prior.studyInstanceUid;
  a.seriesUid = prior.seriesInstanceUid;
  b.files = currentFiles;
  await loaded;
  for (const viewer of [a, b]) await until(() => canvasStats(viewer).nonBlack > 0.05, 10_000, 'image on canvas');
  return [a, b];
}

/** HU the viewer shows at a patient position (x, y) of its current slice. */
function huAt(viewer: CtViewer, truth: PhantomTruth, x: number, y: number): number | null {
  const [x0, y0] = truth.firstImagePositionPatient;
  const column = (x - x0) / truth.pixelSpacingMm[1];
  const row = (y - y0) / truth.pixelSpacingMm[0];
  const [cssX, cssY] = pixelToCss(viewer, truth.columns, truth.rows, Math.floor(column), Math.floor(row));
  return viewer.valueAt(cssX, cssY);
}

/** Clicks the viewer at patient position (x, y) of its current slice. */
async function clickAt(viewer: CtViewer, truth: PhantomTruth, x: number, y: number): Promise<void> {
  const [x0, y0] = truth.firstImagePositionPatient;
  const [cssX, cssY] = pixelToCss(viewer, truth.columns, truth.rows, Math.floor(x - x0), Math.floor(y - y0));
  const box = viewerCanvas(viewer).getBoundingClientRect();
  const position: [number, number] = [Math.round(box.left + cssX), Math.round(box.top + cssY)];
  await sendMouse({ type: 'move', position });
  await sendMouse({ type: 'down', button: 'left' });
  await sendMouse({ type: 'up', button: 'left' });
}

describe('syncViewers across studies (link: position)', () => {
  it('uses two frames of reference, and without an offset shows the same coordinates, not the same anatomy', async () => {
    expect(current.frameOfReferenceUid).to.not.equal(prior.frameOfReferenceUid);
    const [a, b] = await priorAndCurrent();
    const sync = syncViewers([a, b], { link: 'position' });
    expect(sync.linkOffsetMm).to.deep.equal([0, 0, 0]);
    const n1 = prior.nodules[0]!;
    a.sliceIndex = n1.sliceIndex;
    await until(() => b.sliceIndex === n1.sliceIndex, 5000, 'current follows by coordinates');
    const moved = current.nodules[0]!;
    await until(() => huAt(b, current, moved.centerMm[0], moved.centerMm[1]) !== null, 5000, 'slice shown');
    // z = 20 in the current study is 21.3 mm below the nodule's centre (radius 8 mm): lung.
    expect(huAt(b, current, moved.centerMm[0], moved.centerMm[1])).to.equal(-850);
    sync.disconnect();
  });

  it('takes the offset from a landmark clicked in both viewers, then scrolling one shows the same nodule in the other', async () => {
    const [a, b] = await priorAndCurrent();
    const sync = syncViewers([a, b], { link: 'position' });
    const changes: LinkOffsetChangeEvent[] = [];
    b.addEventListener('ct-link-offset-change', (e) => changes.push(e));

    const n1Prior = prior.nodules[0]!;
    const n1Current = current.nodules[0]!;
    a.sliceIndex = n1Prior.sliceIndex;
    await until(() => b.sliceIndex === n1Prior.sliceIndex, 5000, 'linked by coordinates first');

    const picked = sync.pickLandmarks();
    // While picking, the reader scrolls the current viewer to the nodule; the prior stays.
    b.sliceIndex = n1Current.sliceIndex;
    await until(
      () => huAt(b, current, n1Current.centerMm[0], n1Current.centerMm[1]) === n1Current.hu,
      5000,
      'N1 in current',
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(a.sliceIndex).to.equal(n1Prior.sliceIndex);
    await until(() => huAt(a, prior, n1Prior.centerMm[0], n1Prior.centerMm[1]) === n1Prior.hu, 5000, 'N1 in prior');
    await clickAt(a, prior, n1Prior.centerMm[0], n1Prior.centerMm[1]);
    await clickAt(b, current, n1Current.centerMm[0], n1Current.centerMm[1]);
    const offset = await picked;

    // Pixel centres (±0.5 mm in-plane) and the slice planes (±1.25 mm along z).
    expect(offset[0]).to.be.closeTo(SHIFT[0], 1);
    expect(offset[1]).to.be.closeTo(SHIFT[1], 1);
    expect(offset[2]).to.be.closeTo(SHIFT[2], 1.25);
    expect(sync.linkOffsetMm).to.deep.equal(offset);
    expect(changes.at(-1)!.detail).to.deep.equal({ offsetMm: offset, source: 'landmarks' });

    // Scrolling the prior to the other nodule brings the current one to it (within one slice).
    const n2Prior = prior.nodules[1]!;
    const n2Current = current.nodules[1]!;
    a.sliceIndex = n2Prior.sliceIndex;
    await until(() => Math.abs(b.sliceIndex - n2Current.sliceIndex) <= 1, 5000, 'current follows to N2');
    await until(
      () => huAt(b, current, n2Current.centerMm[0], n2Current.centerMm[1]) === n2Current.hu,
      5000,
      'N2 shown in current',
    );
    // And the other way round: scrolling the current back to N1 brings the prior to N1.
    b.sliceIndex = n1Current.sliceIndex;
    await until(() => Math.abs(a.sliceIndex - n1Prior.sliceIndex) <= 1, 5000, 'prior follows back');
    await until(
      () => huAt(a, prior, n1Prior.centerMm[0], n1Prior.centerMm[1]) === n1Prior.hu,
      5000,
      'N1 shown in prior',
    );
    sync.disconnect();
  });

  it('sets the offset through setLinkOffset, ignores a bad one, and cancels a pending pick on disconnect', async () => {
    const [a, b] = await priorAndCurrent();
    const sync = syncViewers([a, b], { link: 'position' });
    const events: LinkOffsetChangeEvent[] = [];
    a.addEventListener('ct-link-offset-change', (e) => events.push(e));
    sync.setLinkOffset(SHIFT);
    expect(events.at(-1)!.detail).to.deep.equal({ offsetMm: SHIFT, source: 'api' });
    const n1 = prior.nodules[0]!;
    a.sliceIndex = n1.sliceIndex;
    await until(() => b.sliceIndex === current.nodules[0]!.sliceIndex, 5000, 'current at N1');

    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (message: string) => warnings.push(message);
    try {
      sync.setLinkOffset([1, Number.NaN, 2] as unknown as Vec3);
      sync.setLinkOffset('up' as unknown as Vec3);
    } finally {
      console.warn = warn;
    }
    expect(warnings.length).to.equal(2);
    expect(sync.linkOffsetMm).to.deep.equal(SHIFT);

    const pending = sync.pickLandmarks();
    sync.disconnect();
    const error = await pending.then(
      () => null,
      (e: unknown) => e as DOMException,
    );
    expect(error?.name).to.equal('AbortError');
  });
});
