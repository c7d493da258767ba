/**
 * The documented side-by-side pattern for the `<opinion-report>` tests: two viewers on the
 * phantom baseline, the second reader's toolbar, the report; and a scripted first reading.
 */
import { fixture, html } from '@open-wc/testing';
import { nothing } from 'lit';
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import '@secondread/opinion-report/define.js';
import type { Measurement, Reading } from '@secondread/core';
import { phantomFirstReading } from '@secondread/phantom/first-reading';
import type { CtViewer } from '@secondread/ct-viewer';
import type { MeasurementAddEvent, MeasurementTools } from '@secondread/measurement-tools';
import type { OpinionReport } from '@secondread/opinion-report';
import { nextEvent, testEnv } from '../support/browser-helpers.ts';
import { seriesLoaded } from '../ct-viewer/helpers.ts';
import { drag, pagePoint, showSlice } from '../measurement-tools/helpers.ts';

export const env = await testEnv();
export const truth = env.phantom.baseline.truth;
export const [n1, n2] = [truth.nodules[0]!, truth.nodules[1]!];

export interface Workspace {
  first: CtViewer;
  second: CtViewer;
  tools: MeasurementTools;
  report: OpinionReport;
}

let counter = 0;

/** The documented side-by-side pattern: two viewers, the second reader's tools, the report. */
export async function workspace(options: {
  key: string;
  blinded?: boolean;
  firstReading?: Reading;
  dicomwebRoot?: string;
  /** Where the viewers load the phantom from (default: Orthanc). */
  viewerDicomwebRoot?: string;
  firstFromPacs?: boolean;
  /** `draft-retention` of the report (absent: the default). */
  draftRetention?: string;
  /** `reader-name` of the report (default "Dr B. Second"). */
  readerName?: string;
}): Promise<Workspace> {
  const n = ++counter;
  const root = await fixture<HTMLDivElement>(html`
    <div style="display:grid;grid-template-columns:380px 380px 420px;gap:6px">
      <ct-viewer id=${`first-${n}`} hide-toolbar style="height:380px"></ct-viewer>
      <div>
        <ct-viewer id=${`second-${n}`} hide-toolbar style="height:380px"></ct-viewer>
        <measurement-tools for=${`second-${n}`} reader-id="second"></measurement-tools>
      </div>
      <opinion-report
        for=${`first-${n} second-${n}`}
        reader-name=${options.readerName ?? 'Dr B. Second'}
        reader-id="second"
        autosave-key=${options.key}
        ?blinded=${options.blinded ?? false}
        dicomweb-root=${options.dicomwebRoot ?? ''}
        ?first-from-pacs=${options.firstFromPacs ?? false}
        draft-retention=${options.draftRetention ?? nothing}
        .first=${options.firstReading}
      ></opinion-report>
    </div>
  `);
  const [first, second] = [...root.querySelectorAll('ct-viewer')] as [CtViewer, CtViewer];
  await Promise.all(
    [first, second].map((viewer) => {
      const loaded = seriesLoaded(viewer);
      viewer.dicomwebRoot = options.viewerDicomwebRoot ?? env.dicomwebRoot!;
      viewer.studyUid = truth.studyInstanceUid;
      viewer.seriesUid = truth.seriesInstanceUid;
      return loaded;
    }),
  );
  const report = root.querySelector('opinion-report')!;
  await report.ready;
  return { first, second, tools: root.querySelector('measurement-tools')!, report };
}

/** Image pixel coordinates (pixel centres at integers) of an axial patient point in the phantom. */
export function pixelOf(xMm: number, yMm: number): [number, number] {
  return [
    (xMm - truth.firstImagePositionPatient[0]) / truth.pixelSpacingMm[1],
    (yMm - truth.firstImagePositionPatient[1]) / truth.pixelSpacingMm[0],
  ];
}

/** A horizontal length of `lengthMm` centred on a nodule, drawn with real pointer events. */
export async function measureAcross(ws: Workspace, nodule: typeof n1, lengthMm: number): Promise<Measurement> {
  await showSlice(ws.second, nodule.sliceIndex);
  ws.tools.tool = 'length';
  await ws.tools.toolReady;
  const added = nextEvent<MeasurementAddEvent>(ws.tools, 'ct-measurement-add');
  const r = lengthMm / 2;
  const series = {
    studyUid: truth.studyInstanceUid,
    seriesUid: truth.seriesInstanceUid,
    columns: truth.columns,
    rows: truth.rows,
  };
  await drag(
    pagePoint(ws.second, series, ...pixelOf(nodule.centerMm[0] - r, nodule.centerMm[1])),
    pagePoint(ws.second, series, ...pixelOf(nodule.centerMm[0] + r, nodule.centerMm[1])),
  );
  return (await added).detail.measurement;
}

let scripted: Reading | null = null;

/**
 * The scripted first reading: nodule N1 measured at its baseline diameter. The same object each
 * time, as a portal hands over the same stored reading after a reload.
 */
export function firstReading(): Reading {
  scripted ??= phantomFirstReading(truth);
  return scripted;
}
