import { html, type TemplateResult } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { withActions } from 'storybook/actions/decorator';
import {
  createMeasurement,
  parseSegmentation,
  readingFromMeasurements,
  SecondOpinionModel,
  segmentationToReading,
  type Measurement,
  type Reading,
  type SecondOpinion,
  type Vec3,
} from '@secondread/core';
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import '@secondread/opinion-report/define.js';
import { syncViewers, type CtViewer } from '@secondread/ct-viewer';
import type { OpinionReport } from '@secondread/opinion-report';
import { dicomUrlsIn, lidcLoader, phantomLoader, type LoadedData } from './data.ts';

const LIDC_CREDIT = 'LIDC-IDRI-0001 — LIDC-IDRI, The Cancer Imaging Archive (CC BY 3.0).';

interface Args {
  blinded: boolean;
  'overlay-first': boolean;
  'reader-name': string;
}

interface WorkflowData extends LoadedData {
  lidc: boolean;
  /** The SEG's URL (LIDC), or null for the phantom's scripted first reading. */
  segUrl: string | null;
}

/** LIDC with its SEG as the first reading when on this machine, else the phantom. */
const workflowLoader = async (): Promise<WorkflowData> => {
  const lidc = await lidcLoader();
  const seg = await dicomUrlsIn('lidc/seg');
  if (!lidc.missing && seg?.[0]) return { ...lidc, lidc: true, segUrl: seg[0] };
  return { ...(await phantomLoader()), lidc: false, segUrl: null };
};

let counter = 0;

/** The first reading for the loaded series: the SEG, or the phantom nodule measured at 12 mm. */
async function firstReadingFor(data: WorkflowData, viewer: CtViewer): Promise<Reading> {
  if (data.segUrl) {
    const segmentation = parseSegmentation(await (await fetch(data.segUrl)).arrayBuffer());
    return segmentationToReading(segmentation, { role: 'first', reader: { name: 'LIDC reader (SEG)' } });
  }
  const series = viewer.seriesModel!;
  // Phantom nodule N1: centre (-55, -10, 20) mm, 12 mm across (packages/phantom truth).
  const instance = series.instances.find((i) => Math.abs((i.imagePositionPatient?.[2] ?? NaN) - 20) < 0.5)!;
  const line: Measurement = createMeasurement({
    kind: 'length',
    points: [
      [-61, -10, 20],
      [-49, -10, 20],
    ],
    studyUid: series.studyUid,
    seriesUid: series.seriesUid,
    sopInstanceUid: instance.sopInstanceUid,
    frameOfReferenceUid: instance.frameOfReferenceUid ?? '',
    readerId: 'first',
    label: 'Right lung nodule',
  });
  return readingFromMeasurements([line], {
    role: 'first',
    reader: { name: 'Dr A. First' },
    studyUid: series.studyUid,
    category: 'nodule',
  });
}

/** The documented side-by-side pattern: first reading left (read-only), the second reader right. */
function workflow(args: Args, data: WorkflowData): TemplateResult {
  if (data.missing) return html`<p style="padding:24px;color:var(--ct-muted-color,#b8c4cc)">${data.missing}</p>`;
  const n = ++counter;
  const ids = { first: `or-first-${n}`, second: `or-second-${n}` };
  const onLoad = async (event: Event): Promise<void> => {
    const viewer = event.currentTarget as CtViewer;
    const report = document.querySelector<OpinionReport>(`opinion-report[for="${ids.first} ${ids.second}"]`);
    if (!report || report.first) return;
    report.first = await firstReadingFor(data, viewer);
  };
  const linkOnce = (event: Event): void => {
    const grid = (event.currentTarget as HTMLElement).closest('.or-grid')!;
    if ((grid as HTMLElement & { linked?: boolean }).linked) return;
    (grid as HTMLElement & { linked?: boolean }).linked = true;
    syncViewers([...grid.querySelectorAll<CtViewer>('ct-viewer')]);
  };
  return html`<div
      class="or-grid"
      style="display:grid;grid-template-columns:1fr 1fr 430px;gap:8px;height:calc(100vh - 40px);padding:8px;box-sizing:border-box"
    >
      <ct-viewer
        id=${ids.first}
        style="height:100%"
        hide-toolbar
        .urls=${data.urls}
        @ct-series-load=${(e: Event) => {
          linkOnce(e);
          void onLoad(e);
        }}
      ></ct-viewer>
      <ct-viewer id=${ids.second} style="height:100%" .urls=${data.urls} @ct-series-load=${linkOnce}></ct-viewer>
      <div style="display:flex;flex-direction:column;gap:8px;overflow:auto">
        <measurement-tools for=${ids.second} reader-id="second"></measurement-tools>
        <opinion-report
          for=${`${ids.first} ${ids.second}`}
          reader-name=${args['reader-name']}
          reader-id="second"
          autosave-key=${`story-workflow-${data.lidc ? 'lidc' : 'phantom'}`}
          ?blinded=${args.blinded}
          ?overlay-first=${args['overlay-first']}
        ></opinion-report>
      </div>
    </div>
    ${data.lidc ? html`<p style="margin:0 8px;font:12px system-ui;color:#8a9aa8">${LIDC_CREDIT}</p>` : ''}`;
}

const meta: Meta<Args> = {
  title: 'Components/opinion-report',
  component: 'opinion-report',
  decorators: [withActions],
  parameters: {
    actions: { handles: ['ct-report-change', 'ct-report-submit', 'ct-finding-select', 'ct-error'] },
    docs: {
      description: {
        component:
          'The second opinion: the first reading (left, read-only) and the second reader (right) side by side, findings matched by 3D distance and ROI overlap, verdicts, ACR RADPEER, autosaved drafts and structured `ct-report-*` events.',
      },
    },
  },
  args: { blinded: true, 'overlay-first': false, 'reader-name': 'Dr B. Second' },
};
export default meta;

type Story = StoryObj<Args>;

/** The whole workflow on real data: read blinded, reveal the first reading, compare, score, submit. */
export const Workflow: Story = {
  loaders: [workflowLoader],
  render: (args, { loaded }) => workflow(args, loaded as WorkflowData),
};

// ---- Report states, without images ----

const STUDY = '1.3.6.1.4.1.14519.5.2.1.6279.6001.298806137288633453246975630178';
const SERIES = '1.3.6.1.4.1.14519.5.2.1.6279.6001.179049373636438705059720603192';

function line(id: string, from: Vec3, lengthMm: number, reader: string): Measurement {
  return createMeasurement(
    {
      kind: 'length',
      points: [from, [from[0] + lengthMm, from[1], from[2]]],
      studyUid: STUDY,
      seriesUid: SERIES,
      sopInstanceUid: `1.2.826.0.1.3680043.8.498.${id}`,
      frameOfReferenceUid: '1.2.826.0.1.3680043.8.498.1',
      readerId: reader,
    },
    { id },
  );
}

/** A report showing a prepared opinion (no viewers, no autosave). */
function state(build: () => SecondOpinion): Story {
  return {
    render: (args) =>
      html`<div style="max-width:760px;padding:12px">
        <opinion-report
          no-autosave
          reader-name=${args['reader-name']}
          study-uid=${STUDY}
          .opinion=${build()}
        ></opinion-report>
      </div>`,
  };
}

function model(first: Measurement[]): SecondOpinionModel {
  const reading = readingFromMeasurements(first, {
    role: 'first',
    reader: { name: 'Dr A. First' },
    studyUid: STUDY,
    category: 'nodule',
  });
  return new SecondOpinionModel({ studyUid: STUDY, reader: { name: 'Dr B. Second' }, first: reading });
}

/** Both readers found the same nodule at the same size: RADPEER 1. */
export const Agreement = state(() => {
  const m = model([line('a1', [-61, -10, 20], 12, 'first')]);
  m.addFinding({
    category: 'nodule',
    description: 'Right lung nodule',
    measurements: [line('b1', [-61.5, -10, 20], 12.4, 'second')],
  });
  m.setImpression('Solitary 12 mm right lung nodule. Agree with the first reading.');
  m.setRadpeer('1');
  return m.opinion;
});

/** The first reader undersized one nodule and missed another: RADPEER 3b. */
export const MajorDiscrepancy = state(() => {
  const m = model([line('a1', [-61, -10, 20], 12, 'first')]);
  const nodule = m.addFinding({
    category: 'nodule',
    description: 'Right lung nodule, enlarging',
    measurements: [line('b1', [-63, -10, 20], 16, 'second')],
  });
  m.setVerdict(nodule.id, 'disagree', 'Undersized by 4 mm: the first reading measured the solid part only.');
  m.addFinding({
    category: 'mass',
    description: 'Left hilar mass',
    severity: 'critical',
    measurements: [line('b2', [40, 10, 45], 31, 'second')],
  });
  m.setImpression('Enlarging right lung nodule; left hilar mass not reported by the first reader.');
  m.setRecommendations('CT-guided biopsy of the hilar mass; multidisciplinary review.');
  m.setRadpeer('3b');
  m.setPeerLearningComment('Hilar mass visible on mediastinal window, slices 40–52.');
  return m.opinion;
});

/** The first reader reported nothing; the second found a nodule. */
export const EmptyFirstReading = state(() => {
  const m = model([]);
  m.addFinding({
    category: 'nodule',
    description: 'Right lung nodule',
    measurements: [line('b1', [-61, -10, 20], 12, 'second')],
  });
  m.setRadpeer('2a');
  return m.opinion;
});

/** A major discrepancy in the light theme (@secondread/ct-viewer/themes/light.css). */
export const ThemeLight: Story = {
  ...MajorDiscrepancy,
  name: 'Theme: light',
  globals: { theme: 'light' },
};

/** A major discrepancy in the example vendor theme (themes/acme.css). */
export const ThemeAcme: Story = {
  ...MajorDiscrepancy,
  name: 'Theme: acme (vendor)',
  globals: { theme: 'acme' },
};
