/**
 * Right-to-left: in a `dir="rtl"` page the three elements lay out from the right (their styles use
 * logical properties) and their toolbars wrap inside their box, with the long Russian labels and
 * in a narrow column, instead of overflowing.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import '@secondread/opinion-report/define.js';
import type { CtViewer } from '@secondread/ct-viewer';
import type { MeasurementTools } from '@secondread/measurement-tools';
import type { OpinionReport } from '@secondread/opinion-report';
import { seriesLoaded, testEnv } from '../ct-viewer/helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;

/** The toolbar holds every control inside its own box: nothing sticks out left or right, nothing scrolls. */
function expectContained(toolbar: HTMLElement, what: string): void {
  const box = toolbar.getBoundingClientRect();
  expect(toolbar.scrollWidth, `${what}: scroll width`).to.be.at.most(toolbar.clientWidth + 1);
  const controls = [...toolbar.querySelectorAll<HTMLElement>('button, select')];
  expect(controls.length, `${what}: controls`).to.be.greaterThan(2);
  for (const control of controls) {
    const rect = control.getBoundingClientRect();
    expect(rect.left, `${what}: ${control.outerHTML.slice(0, 60)} left`).to.be.at.least(box.left - 0.5);
    expect(rect.right, `${what}: ${control.outerHTML.slice(0, 60)} right`).to.be.at.most(box.right + 0.5);
  }
}

/** In right-to-left the first control sits at the right end of the toolbar. */
function expectStartsRight(toolbar: HTMLElement, what: string): void {
  const box = toolbar.getBoundingClientRect();
  const first = toolbar.querySelector<HTMLElement>('button, select')!.getBoundingClientRect();
  expect(box.right - first.right, `${what}: first control at the right`).to.be.below(12);
  expect((first.left + first.right) / 2, `${what}: first control in the right half`).to.be.above(
    box.left + box.width / 2,
  );
}

describe('right-to-left layout', () => {
  it('toolbars wrap inside their box and flow from the right; overlay text and report status follow the direction', async () => {
    const root = await fixture<HTMLDivElement>(
      html`<div dir="rtl" style="width:300px">
        <ct-viewer id="rtl-viewer" locale="ru" style="height:360px;width:300px"></ct-viewer>
        <measurement-tools for="rtl-viewer" locale="ru"></measurement-tools>
        <opinion-report for="rtl-viewer" locale="ru" reader-name="Д-р Иванова" no-autosave></opinion-report>
      </div>`,
    );
    const viewer = root.querySelector<CtViewer>('ct-viewer')!;
    const tools = root.querySelector<MeasurementTools>('measurement-tools')!;
    const report = root.querySelector<OpinionReport>('opinion-report')!;
    const loaded = seriesLoaded(viewer);
    viewer.dicomwebRoot = env.dicomwebRoot!;
    viewer.studyUid = truth.studyInstanceUid;
    viewer.seriesUid = truth.seriesInstanceUid;
    await loaded;
    await report.ready;
    await Promise.all([viewer.updateComplete, tools.updateComplete, report.updateComplete]);

    const viewerToolbar = viewer.shadowRoot!.querySelector<HTMLElement>('[part=toolbar]')!;
    const toolsToolbar = tools.shadowRoot!.querySelector<HTMLElement>('[part=toolbar]')!;
    for (const [toolbar, what] of [
      [viewerToolbar, 'viewer'],
      [toolsToolbar, 'measurement tools'],
    ] as const) {
      expectContained(toolbar, what);
      expectStartsRight(toolbar, what);
    }
    // The Russian viewer toolbar needs more than one row at 300 px: it wraps rather than overflows.
    expect(viewerToolbar.getBoundingClientRect().height).to.be.above(40);

    // Overlay text corners: the start corner is the right one in right-to-left.
    const overlay = viewer.shadowRoot!.querySelector<HTMLElement>('[part=overlay]')!.getBoundingClientRect();
    const start = viewer.shadowRoot!.querySelector<HTMLElement>('.corner.tl')!.getBoundingClientRect();
    const end = viewer.shadowRoot!.querySelector<HTMLElement>('.corner.tr')!.getBoundingClientRect();
    expect(overlay.right - start.right).to.be.below(1);
    expect(end.left - overlay.left).to.be.below(1);

    // The report: nothing wider than its box, the status pushed to the inline end (the left).
    const base = report.shadowRoot!.querySelector<HTMLElement>('[part=base]')!;
    expect(base.scrollWidth).to.be.at.most(base.clientWidth + 1);
    const header = report.shadowRoot!.querySelector<HTMLElement>('[part=header]')!.getBoundingClientRect();
    const status = report.shadowRoot!.querySelector<HTMLElement>('[part=status]')!.getBoundingClientRect();
    const title = report.shadowRoot!.querySelector<HTMLElement>('[part=header] h2')!.getBoundingClientRect();
    expect(title.right).to.be.above(status.right);
    expect(status.left - header.left).to.be.below(header.width / 2);
  });
});
