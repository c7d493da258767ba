/**
 * The shared `<ct-viewer>` suite: the viewer's core behaviour, run against any class and tag
 * (the registered default and a vendor's subclass under its own tag: `default-tag.test.ts`,
 * `vendor-tag.test.ts`). Real data: the phantom from the test Orthanc.
 */
import { expect, fixture, html } from '@open-wc/testing';
import axe from 'axe-core';
import type { CtViewer } from '@secondread/ct-viewer';
import { FAKE_VALUE, FakeEngine } from '../support/fake-engine.ts';
import { nextEvent, pixelToCss, seriesLoaded, testEnv, until } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;

/** A viewer of class `Viewer` under `tag`, 512×512 CSS px, in the page. */
export async function mountViewer(Viewer: typeof CtViewer, tag: string): Promise<CtViewer> {
  const root = await fixture<HTMLDivElement>(html`<div></div>`);
  const el = document.createElement(tag) as CtViewer;
  expect(el, `<${tag}> is the class under test`).to.be.instanceOf(Viewer);
  el.setAttribute('hide-toolbar', '');
  el.style.cssText = 'display:block;width:512px;height:512px';
  root.append(el);
  await el.updateComplete;
  return el;
}

/** Points the viewer at the phantom on Orthanc and resolves with its `ct-series-load`. */
export function loadPhantom(el: CtViewer): ReturnType<typeof seriesLoaded> {
  const loaded = seriesLoaded(el);
  el.dicomwebRoot = env.dicomwebRoot!;
  el.studyUid = truth.studyInstanceUid;
  el.seriesUid = truth.seriesInstanceUid;
  return loaded;
}

/** axe-core's WCAG 2 A/AA violations inside `element` (shadow roots included). */
export async function wcagViolations(element: Element): Promise<string[]> {
  const result = await axe.run(element, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export function ctViewerSuite(Viewer: typeof CtViewer, tag: string): void {
  describe(`<${tag}> (the <ct-viewer> suite)`, () => {
    it('loads the phantom, fires ct-series-load with its geometry and shows the true HU at the nodule', async () => {
      const el = await mountViewer(Viewer, tag);
      const { detail } = await loadPhantom(el);
      expect(detail).to.include({
        studyUid: truth.studyInstanceUid,
        seriesUid: truth.seriesInstanceUid,
        sliceCount: truth.sliceCount,
        rows: truth.rows,
        columns: truth.columns,
      });
      expect(el.state).to.equal('ready');
      expect(el.matches(':state(ready)')).to.equal(true);

      const nodule = truth.nodules[0]!;
      const slice = nextEvent(el, 'ct-slice-change');
      el.sliceIndex = nodule.sliceIndex;
      expect((await slice).detail.index).to.equal(nodule.sliceIndex);
      const at = (): [number, number] =>
        pixelToCss(el, truth.columns, truth.rows, nodule.insideVoxel[0], nodule.insideVoxel[1]);
      await until(() => el.valueAt(...at()) !== null, 10_000, 'a value under the nodule');
      expect(el.valueAt(...at())).to.equal(nodule.hu);
    });

    it('has no WCAG 2 A/AA violations with the phantom loaded and the toolbar shown', async () => {
      const el = await mountViewer(Viewer, tag);
      el.removeAttribute('hide-toolbar');
      await loadPhantom(el);
      await el.updateComplete;
      expect(await wcagViolations(el)).to.deep.equal([]);
    });

    it('works on a fake engine given through `engine`: ready, events, values from the engine', async () => {
      const engine = new FakeEngine();
      const el = await mountViewer(Viewer, tag);
      el.engine = engine;
      const { detail } = await loadPhantom(el);
      expect(detail.sliceCount).to.equal(truth.sliceCount);
      expect(el.state).to.equal('ready');
      expect(engine.viewports).to.have.length(1);
      const viewport = engine.viewports[0]!;
      expect(viewport.series!.seriesUid).to.equal(truth.seriesInstanceUid);
      // The value under a point is the engine's, not one read from pixels.
      expect(el.valueAt(100, 100)).to.equal(FAKE_VALUE);
      // A slice change goes to the engine, and the engine's slice event comes back as ct-slice-change.
      const slice = nextEvent(el, 'ct-slice-change');
      el.sliceIndex = 3;
      expect((await slice).detail.index).to.equal(3);
      expect(viewport.sliceIndex).to.equal(3);
      // No Cornerstone: the engine element holds no canvas of a real renderer.
      expect(el.shadowRoot!.querySelector('.engine canvas')).to.equal(null);
    });
  });
}
