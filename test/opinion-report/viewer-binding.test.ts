/**
 * `for="first second"` binds `<opinion-report>` to its viewers and the second reader's toolbar by
 * id, like `<label for>`: also when they are added to the page after the report, and no longer
 * once the report left the page.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { CtViewer } from '@secondread/ct-viewer';
import type { MeasurementTools } from '@secondread/measurement-tools';
import type { OpinionReport } from '@secondread/opinion-report';
import { seriesLoaded } from '../ct-viewer/helpers.ts';
import { showSlice } from '../measurement-tools/helpers.ts';
import { until } from '../support/browser-helpers.ts';
import { env, firstReading, measureAcross, n1, n2, truth } from './helpers.ts';

/** Shapes of the measurement layer the viewer draws for the displayed slice. */
function shapes(viewer: HTMLElement): number {
  return (
    viewer.shadowRoot!.querySelector('svg.svg-layer')?.querySelectorAll('path, polyline, polygon, line').length ?? 0
  );
}

function secondFindings(report: OpinionReport): number {
  return report.opinion?.readings.find((r) => r.role === 'second')?.findings.length ?? 0;
}

describe('<opinion-report> for="…" binding', () => {
  it('binds to viewers and a toolbar added to the page after it, and lets go once removed', async () => {
    const key = `late-${Date.now()}`;
    const container = await fixture<HTMLDivElement>(html`
      <div style="display:grid;grid-template-columns:380px 380px 420px;gap:6px">
        <opinion-report
          for="late-first late-second"
          reader-name="Dr B. Second"
          reader-id="second"
          autosave-key=${key}
          study-uid=${truth.studyInstanceUid}
          .first=${firstReading()}
        ></opinion-report>
      </div>
    `);
    const report = container.querySelector('opinion-report')!;
    await report.ready;
    await new Promise((r) => setTimeout(r, 50));

    // The viewers and the toolbar arrive later (a portal rendering its layout in steps).
    const first = document.createElement('ct-viewer') as CtViewer;
    const second = document.createElement('ct-viewer') as CtViewer;
    const tools = document.createElement('measurement-tools') as MeasurementTools;
    first.id = 'late-first';
    first.setAttribute('hide-toolbar', '');
    first.style.height = '380px';
    second.setAttribute('hide-toolbar', '');
    second.style.height = '380px';
    tools.setAttribute('for', 'late-second');
    tools.setAttribute('reader-id', 'second');
    const column = document.createElement('div');
    column.append(second, tools);
    container.prepend(first, column);
    // The second viewer gets its id only now: that, too, is picked up.
    second.id = 'late-second';
    await Promise.all(
      [first, second].map((viewer) => {
        const loaded = seriesLoaded(viewer);
        viewer.dicomwebRoot = env.dicomwebRoot!;
        viewer.studyUid = truth.studyInstanceUid;
        viewer.seriesUid = truth.seriesInstanceUid;
        return loaded;
      }),
    );

    // The first reading is drawn, locked, in the first viewer on its slice.
    await showSlice(first, n1.sliceIndex);
    await until(() => shapes(first) > 0, 10_000, 'first reading drawn in the late first viewer');

    // The second reader's measurement becomes a finding of the second reading.
    const ws = { first, second, tools, report };
    await measureAcross(ws, n1, 14);
    await until(() => secondFindings(report) === 1, 5000, 'finding from the late toolbar');
    // And a finding's button shows its slice in the late viewers.
    await showSlice(first, 3);
    report.shadowRoot!.querySelector<HTMLButtonElement>('[part~=finding].first')!.click();
    await until(() => first.sliceIndex === n1.sliceIndex, 5000, 'late first viewer shows the finding');

    // Removed from the page, the report hears nothing more from the toolbar.
    report.remove();
    await measureAcross(ws, n2, n2.diameterMm);
    await new Promise((r) => setTimeout(r, 300));
    expect(tools.measurements.filter((m) => m.readerId === 'second')).to.have.length(2);
    expect(secondFindings(report)).to.equal(1);
  });
});
