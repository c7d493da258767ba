import { html, type TemplateResult } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { withActions } from 'storybook/actions/decorator';
import { createMeasurement, type Measurement, type Vec3 } from '@secondread/core';
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import { TOOLS, type MeasurementTools, type Tool } from '@secondread/measurement-tools';
import { lidcLoader, phantomLoader, type LoadedData } from './data.ts';

interface Args {
  tool: Tool;
  'reader-id': string;
}

const LIDC_CREDIT = 'LIDC-IDRI-0001 — LIDC-IDRI, The Cancer Imaging Archive (CC BY 3.0).';

/** LIDC when it is on this machine, else the phantom. */
const dataLoader = async (): Promise<LoadedData & { lidc: boolean }> => {
  const lidc = await lidcLoader();
  if (!lidc.missing) return { ...lidc, lidc: true };
  return { ...(await phantomLoader()), lidc: false };
};

let counter = 0;

/**
 * A viewer with its toolbar beside it. `prepare` runs once the series shows, with the
 * measurement list and the slice the viewer opened on.
 */
function workspace(
  args: Args,
  loaded: LoadedData & { lidc?: boolean },
  prepare?: (
    tools: MeasurementTools,
    slice: { sopInstanceUid: string; z: number; studyUid: string; seriesUid: string },
  ) => void,
): TemplateResult {
  if (loaded.missing) return html`<p style="padding:24px;color:var(--ct-muted-color,#b8c4cc)">${loaded.missing}</p>`;
  const id = `mt-viewer-${++counter}`;
  const onLoad = (event: Event): void => {
    const viewer = event.currentTarget as HTMLElement & {
      seriesModel: {
        studyUid: string;
        seriesUid: string;
        instances: { sopInstanceUid: string; imagePositionPatient: Vec3 | null }[];
      } | null;
      sliceIndex: number;
    };
    const tools = document.querySelector<MeasurementTools>(`measurement-tools[for=${id}]`);
    const series = viewer.seriesModel;
    const instance = series?.instances[viewer.sliceIndex];
    if (tools && series && instance && prepare) {
      prepare(tools, {
        sopInstanceUid: instance.sopInstanceUid,
        z: instance.imagePositionPatient?.[2] ?? 0,
        studyUid: series.studyUid,
        seriesUid: series.seriesUid,
      });
    }
  };
  return html`<div
    style="display:grid;grid-template-columns:1fr 300px;gap:8px;height:100vh;box-sizing:border-box;padding:8px"
  >
    <div style="display:flex;flex-direction:column;min-height:0">
      <ct-viewer
        id=${id}
        style="flex:1 1 0;height:auto"
        .urls=${loaded.urls ?? undefined}
        @ct-series-load=${onLoad}
      ></ct-viewer>
      ${loaded.lidc ? html`<small style="color:var(--ct-muted-color,#b8c4cc);padding:4px">${LIDC_CREDIT}</small>` : ''}
    </div>
    <measurement-tools for=${id} tool=${args.tool} reader-id=${args['reader-id']}></measurement-tools>
  </div>`;
}

const meta = {
  title: 'Components/measurement-tools',
  component: 'measurement-tools',
  decorators: [withActions],
  loaders: [dataLoader],
  parameters: {
    actions: { handles: ['ct-measurement-add', 'ct-measurement-change', 'ct-measurement-remove'] },
    layout: 'fullscreen',
  },
  args: { tool: 'length', 'reader-id': 'second-reader' },
  // Descriptions and defaults come from custom-elements.json; the tool picker from the element's TOOLS.
  argTypes: {
    tool: { control: 'select', options: [...TOOLS] },
  },
  render: (args, { loaded }) => workspace(args, loaded as LoadedData),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

const toolStory = (tool: Tool): Story => ({ name: `Tool: ${tool}`, args: { tool } });

export const Length = toolStory('length');
export const Angle = toolStory('angle');
export const CobbAngle = toolStory('cobb-angle');
export const Bidirectional = toolStory('bidirectional');
export const EllipseRoi = toolStory('ellipse-roi');
export const RectangleRoi = toolStory('rectangle-roi');
export const FreehandRoi = toolStory('freehand-roi');
export const Probe = toolStory('probe');
export const Arrow = toolStory('arrow');
export const Label = toolStory('label');

/** A square of points around (x, y) on the slice, for made-up measurements. */
function square(x: number, y: number, z: number, half: number): Vec3[] {
  return [
    [x - half, y - half, z],
    [x + half, y + half, z],
  ];
}

/** The first reader's measurements, locked and dashed, beside the second reader's own (editable). */
export const LockedFirstReading: Story = {
  args: { tool: 'length' },
  render: (args, { loaded }) =>
    workspace(args, loaded as LoadedData, (tools, slice) => {
      const base = { studyUid: slice.studyUid, seriesUid: slice.seriesUid, sopInstanceUid: slice.sopInstanceUid };
      const first = [
        createMeasurement({
          ...base,
          kind: 'length',
          points: square(-35, 25, slice.z, 12),
          readerId: 'first-reader',
          label: 'First reader: nodule',
        }),
      ];
      void tools.addLayer('first-reading', first, { locked: true, color: '#ffb020' });
      tools.measurements = [
        createMeasurement({
          ...base,
          kind: 'length',
          points: square(-55, -15, slice.z, 18),
          readerId: 'second-reader',
          label: 'My nodule length',
        }),
      ];
    }),
};

/** The list with many measurements, some with long labels. */
export const ManyMeasurements: Story = {
  args: { tool: 'none' },
  render: (args, { loaded }) =>
    workspace(args, loaded as LoadedData, (tools, slice) => {
      const base = {
        studyUid: slice.studyUid,
        seriesUid: slice.seriesUid,
        sopInstanceUid: slice.sopInstanceUid,
        readerId: 'second-reader',
      };
      const list: Measurement[] = [];
      for (let i = 0; i < 24; i++) {
        list.push(
          createMeasurement({
            ...base,
            kind: 'length',
            points: square(-80 + (i % 6) * 30, -60 + Math.floor(i / 6) * 30, slice.z, 5 + i),
            label:
              i % 5 === 0
                ? `Finding ${i + 1}: a very long label that a radiologist typed to describe the lesion in detail`
                : `Finding ${i + 1}`,
          }),
        );
      }
      tools.measurements = list;
    }),
};

/** No measurements yet. */
export const Empty: Story = { args: { tool: 'none' } };

/** A few measurements with long labels and a long arrow text: the list wraps, nothing overflows. */
export const LongLabels: Story = {
  args: { tool: 'none' },
  render: (args, { loaded }) =>
    workspace(args, loaded as LoadedData, (tools, slice) => {
      const base = {
        studyUid: slice.studyUid,
        seriesUid: slice.seriesUid,
        sopInstanceUid: slice.sopInstanceUid,
        readerId: 'second-reader',
      };
      tools.measurements = [
        createMeasurement({
          ...base,
          kind: 'length',
          points: square(-50, 10, slice.z, 10),
          label: 'Right lower lobe, posterior basal segment: part-solid nodule, solid component measured',
        }),
        createMeasurement({
          ...base,
          kind: 'ellipse-roi',
          points: [
            [-40, 30, slice.z],
            [-40, 10, slice.z],
            [-52, 20, slice.z],
            [-28, 20, slice.z],
          ],
          label: 'Liver segment VII — attenuation of the lesion compared with the surrounding parenchyma',
        }),
        createMeasurement({
          ...base,
          kind: 'arrow',
          points: [
            [40, 40, slice.z],
            [20, 20, slice.z],
          ],
          label: 'Arrow',
          text: 'New since the prior study of 2024-03-02; recommend follow-up CT in three months',
        }),
      ];
    }),
};

/** Measurements exist, but on another series than the one shown: the list says so. */
export const OnlyOtherSeries: Story = {
  args: { tool: 'none' },
  render: (args, { loaded }) =>
    workspace(args, loaded as LoadedData, (tools, slice) => {
      tools.measurements = [
        createMeasurement({
          studyUid: slice.studyUid,
          seriesUid: `${slice.seriesUid}.9`,
          sopInstanceUid: `${slice.sopInstanceUid}.9`,
          readerId: 'second-reader',
          kind: 'length',
          points: square(-50, 10, slice.z, 10),
          label: 'On the other series',
        }),
      ];
    }),
};

/** The length tool in the light theme (@secondread/ct-viewer/themes/light.css). */
export const ThemeLight: Story = { name: 'Theme: light', args: { tool: 'length' }, globals: { theme: 'light' } };

/** The ellipse ROI tool in the example vendor theme (themes/acme.css). */
export const ThemeAcme: Story = {
  name: 'Theme: acme (vendor)',
  args: { tool: 'ellipse-roi' },
  globals: { theme: 'acme' },
};
