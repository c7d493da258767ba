/**
 * The shared `<opinion-report>` suite: the report's core behaviour, run against any class and
 * tag, bound by `for=` to viewers and a toolbar of any class and tag (the registered defaults,
 * and a vendor's subclasses under their own tags: `default-tag.test.ts`, `vendor-tag.test.ts`).
 * Real data: the phantom from the test Orthanc and its scripted first reading.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { FindingPair, SecondOpinion, Vec3 } from '@secondread/core';
import { phantomFirstReading } from '@secondread/phantom/first-reading';
import type { CtViewer } from '@secondread/ct-viewer';
import type { MeasurementTools } from '@secondread/measurement-tools';
import type { OpinionReport } from '@secondread/opinion-report';
import { FakeEngine } from '../support/fake-engine.ts';
import { testEnv, until } from '../support/browser-helpers.ts';
import { loadPhantom, wcagViolations } from '../ct-viewer/ct-viewer.suite.ts';
import { drag, pagePoint, showSlice, type SeriesRef } from '../measurement-tools/helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;
const n1 = truth.nodules[0]!;
const series: SeriesRef = {
  studyUid: truth.studyInstanceUid,
  seriesUid: truth.seriesInstanceUid,
  columns: truth.columns,
  rows: truth.rows,
};
/** The scripted first reading: N1 measured at its diameter (a nodule); N2 missed. */
const first = phantomFirstReading(truth);

/** The element classes and tags under test (the report's own, and those it cooperates with). */
export interface ReportElements {
  readonly Report: typeof OpinionReport;
  readonly tag: string;
  readonly Viewer: typeof CtViewer;
  readonly viewerTag: string;
  readonly Tools: typeof MeasurementTools;
  readonly toolsTag: string;
}

interface Workspace {
  readonly first: CtViewer;
  readonly second: CtViewer;
  readonly tools: MeasurementTools;
  readonly report: OpinionReport;
  /** Every `ct-report-change` opinion, in order. */
  readonly changes: SecondOpinion[];
}

let counter = 0;

/** A horizontal line of `lengthMm` through N1, on its slice (patient mm). */
function lineThroughN1(lengthMm: number): [Vec3, Vec3] {
  const z = truth.instances[n1.sliceIndex]!.imagePositionPatient[2];
  const [x, y] = n1.centerMm;
  return [
    [x - lengthMm / 2, y, z],
    [x + lengthMm / 2, y, z],
  ];
}

/** The pair with a finding of each reading, or undefined. */
function matchedPair(opinion: SecondOpinion | null | undefined): FindingPair | undefined {
  return opinion?.concordance.pairs.find((p) => p.firstFindingId && p.secondFindingId);
}

export function opinionReportSuite(elements: ReportElements): void {
  const { Report, tag, Viewer, viewerTag, Tools, toolsTag } = elements;

  /**
   * The documented side-by-side pattern, built with the tags under test: two viewers on the
   * phantom, the second reader's toolbar, the report with the scripted first reading.
   */
  async function workspace(engine?: FakeEngine): Promise<Workspace> {
    const n = ++counter;
    const root = await fixture<HTMLDivElement>(
      html`<div style="display:grid;grid-template-columns:380px 380px 420px;gap:6px"></div>`,
    );
    const make = <T extends HTMLElement>(name: string, Class: abstract new () => T): T => {
      const el = document.createElement(name);
      expect(el, `<${name}>`).to.be.instanceOf(Class);
      return el as T;
    };
    const [firstViewer, secondViewer] = [make(viewerTag, Viewer), make(viewerTag, Viewer)];
    firstViewer.id = `suite-first-${n}`;
    secondViewer.id = `suite-second-${n}`;
    for (const viewer of [firstViewer, secondViewer]) {
      viewer.setAttribute('hide-toolbar', '');
      viewer.style.cssText = 'display:block;height:380px';
      if (engine) viewer.engine = engine;
    }
    const tools = make(toolsTag, Tools);
    tools.setAttribute('for', secondViewer.id);
    tools.setAttribute('reader-id', 'second');
    const report = make(tag, Report);
    report.setAttribute('for', `${firstViewer.id} ${secondViewer.id}`);
    report.setAttribute('reader-name', 'Dr B. Second');
    report.setAttribute('reader-id', 'second');
    report.setAttribute('no-autosave', '');
    // What the reader calls a new finding; with it, a matched N1 is an agreement.
    report.setAttribute('default-category', 'nodule');
    report.first = first;
    const changes: SecondOpinion[] = [];
    report.addEventListener('ct-report-change', (e) => changes.push(e.detail.opinion));
    const column = document.createElement('div');
    column.append(secondViewer, tools);
    root.append(firstViewer, column, report);
    await Promise.all([loadPhantom(firstViewer), loadPhantom(secondViewer)]);
    await report.ready;
    return { first: firstViewer, second: secondViewer, tools, report, changes };
  }

  describe(`<${tag}> with <${viewerTag}> and <${toolsTag}> (the <opinion-report> suite)`, () => {
    it('pairs a length drawn with the mouse on N1 with the first reading and fires ct-report-change', async () => {
      const ws = await workspace();
      const [a, b] = lineThroughN1(15);
      await showSlice(ws.second, n1.sliceIndex);
      ws.tools.tool = 'length';
      await ws.tools.toolReady;
      const pixel = (p: Vec3): [number, number] => [
        (p[0] - truth.firstImagePositionPatient[0]) / truth.pixelSpacingMm[1],
        (p[1] - truth.firstImagePositionPatient[1]) / truth.pixelSpacingMm[0],
      ];
      await drag(pagePoint(ws.second, series, ...pixel(a)), pagePoint(ws.second, series, ...pixel(b)));
      await until(() => matchedPair(ws.changes.at(-1)) !== undefined, 10_000, 'a ct-report-change with a pair');
      const opinion = ws.changes.at(-1)!;
      const second = opinion.readings.find((r) => r.role === 'second')!;
      expect(second.findings).to.have.length(1);
      const pair = matchedPair(opinion)!;
      expect(pair.firstFindingId).to.equal(first.findings[0]!.id);
      expect(pair.secondFindingId).to.equal(second.findings[0]!.id);
      expect(pair.method).to.equal('distance');
      expect(pair.verdict).to.equal('agree');
      expect(pair.distanceMm).to.be.lessThan(2);
      // 15 mm against the first reader's diameter, within the mouse's whole pixels.
      expect(pair.sizeDeltaMm).to.be.closeTo(15 - n1.diameterMm, 2 * truth.pixelSpacingMm[0]);
      expect(ws.report.opinion!.concordance.pairs).to.deep.equal(opinion.concordance.pairs);
    });

    it('works on fake engines given to the viewers through `engine`: first reading drawn, pairing, events', async () => {
      const engine = new FakeEngine();
      const ws = await workspace(engine);
      expect(engine.viewports).to.have.length(2);
      const [firstFake, secondFake] = engine.viewports.map((v) => v.annotations) as [
        FakeViewportAnnotations,
        FakeViewportAnnotations,
      ];
      // The first reading, locked, on the first reader's viewer (it has no toolbar).
      const firstIds = first.findings.flatMap((f) => f.location.measurements.map((m) => m.id));
      await until(
        () => (firstFake.layers.get('reading-first')?.annotations.map((a) => a.id) ?? []).join() === firstIds.join(),
        5000,
        'the first reading on the first viewer',
      );
      expect(firstFake.layers.get('reading-first')!.options.locked).to.equal(true);
      // The second reader "draws" N1 at 16 mm on the fake engine of the second viewer.
      await ws.tools.toolReady;
      secondFake.draw({
        id: 'fake-n1',
        kind: 'length',
        points: lineThroughN1(16),
        sopInstanceUid: n1.sopInstanceUid,
        frameOfReferenceUid: truth.frameOfReferenceUid,
      });
      await until(() => matchedPair(ws.changes.at(-1)) !== undefined, 5000, 'a ct-report-change with a pair');
      const pair = matchedPair(ws.changes.at(-1))!;
      expect(pair.verdict).to.equal('agree');
      expect(pair.distanceMm).to.be.closeTo(0, 1e-6);
      expect(pair.sizeDeltaMm).to.be.closeTo(16 - n1.diameterMm, 1e-6);
      const rows = ws.report.shadowRoot!.querySelectorAll('[part=row]');
      expect(rows).to.have.length(1);
      expect(await wcagViolations(ws.report)).to.deep.equal([]);
    });
  });
}

type FakeViewportAnnotations = FakeEngine['viewports'][number]['annotations'];
