import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { withActions } from 'storybook/actions/decorator';
import {
  DRAG_MODES,
  SLAB_MODES,
  VIEWER_LAYOUTS,
  VIEWER_ORIENTATIONS,
  type SlabMode,
  type ViewerLayout,
  type ViewerOrientation,
  WINDOW_PRESET_LABELS,
  WINDOW_PRESETS,
  type DragMode,
  type WindowPresetName,
} from '@secondread/core';
import '@secondread/ct-viewer/define.js';
import { lidcLoader, phantomLoader, type LoadedData } from './data.ts';
import { fakeHangingUrl, fakeStatusUrl } from './fake-server.ts';

/** Story controls, named after the element's attributes. */
interface CtViewerArgs {
  'window-preset': WindowPresetName;
  invert: boolean;
  'show-patient-info': boolean;
  'hide-overlays': boolean;
  'hide-toolbar': boolean;
  'drag-mode': DragMode;
  'dicomweb-root'?: string;
  'study-uid'?: string;
  'series-uid'?: string;
  'timeout-ms'?: number;
  orientation: ViewerOrientation;
  layout: ViewerLayout;
  'slab-thickness-mm': number;
  'slab-mode': SlabMode;
  rotation: number;
  cine: boolean;
  /** Part 10 file URLs (property, not attribute); stories fill it from their loader. */
  urls?: readonly string[];
}

/** The fields of the phantom's `truth.json` a story needs (see packages/phantom/src/generate.ts, `PhantomTruth`). */
interface PhantomTruthUids {
  studyInstanceUid: string;
  seriesInstanceUid: string;
}

const VIEWER_EVENTS = [
  'ct-load-progress',
  'ct-series-load',
  'ct-slice-change',
  'ct-voi-change',
  'ct-error',
  'ct-renderer-change',
] as const;

const LIDC_CREDIT = 'LIDC-IDRI, The Cancer Imaging Archive (CC BY 3.0)';

const phantomUidsLoader = async (): Promise<LoadedData> => {
  const response = await fetch('phantom/baseline/truth.json', { cache: 'no-store' });
  if (!response.ok) return { missing: 'phantom/baseline/truth.json is missing: generate the phantom first.' };
  const truth = (await response.json()) as PhantomTruthUids;
  return { studyUid: truth.studyInstanceUid, seriesUid: truth.seriesInstanceUid };
};

function note(text: string | TemplateResult): TemplateResult {
  return html`<p
    style="margin: 0; padding: 6px 12px; font: 12px/1.4 system-ui, sans-serif; color: var(--ct-muted-color, #b8c4cc)"
  >
    ${text}
  </p>`;
}

function renderViewer(args: CtViewerArgs, loaded: LoadedData, footer?: TemplateResult): TemplateResult {
  if (loaded.missing) {
    return html`<div style="padding: 24px">${note(loaded.missing)}</div>`;
  }
  const urls = loaded.urls ?? args.urls;
  return html`<div style="display: flex; flex-direction: column; height: 100vh; box-sizing: border-box">
    <ct-viewer
      style="flex: 1 1 0; height: auto; min-height: 240px"
      window-preset=${args['window-preset']}
      ?invert=${args.invert}
      ?show-patient-info=${args['show-patient-info']}
      ?hide-overlays=${args['hide-overlays']}
      ?hide-toolbar=${args['hide-toolbar']}
      drag-mode=${args['drag-mode']}
      dicomweb-root=${ifDefined(args['dicomweb-root'])}
      study-uid=${ifDefined(loaded.studyUid ?? args['study-uid'])}
      series-uid=${ifDefined(loaded.seriesUid ?? args['series-uid'])}
      timeout-ms=${ifDefined(args['timeout-ms'])}
      orientation=${args.orientation}
      layout=${args.layout}
      slab-thickness-mm=${args['slab-thickness-mm']}
      slab-mode=${args['slab-mode']}
      rotation=${args.rotation}
      ?cine=${args.cine}
      .urls=${urls?.length ? urls : undefined}
    ></ct-viewer>
    ${footer ?? nothing}
  </div>`;
}

const meta = {
  title: 'Components/ct-viewer',
  component: 'ct-viewer',
  decorators: [withActions],
  render: (args, { loaded }) => renderViewer(args, loaded as LoadedData),
  parameters: {
    actions: { handles: [...VIEWER_EVENTS] },
  },
  args: {
    'window-preset': 'default',
    invert: false,
    'show-patient-info': false,
    'hide-overlays': false,
    'hide-toolbar': false,
    'drag-mode': 'window-level',
    orientation: 'acquisition',
    layout: 'single',
    'slab-thickness-mm': 0,
    'slab-mode': 'mip',
    rotation: 0,
    cine: false,
  },
  // Names, descriptions, types and defaults come from custom-elements.json (the element's JSDoc);
  // only the pickers for the two unions are given here, from the core's own lists.
  argTypes: {
    'window-preset': { control: { type: 'select', labels: WINDOW_PRESET_LABELS }, options: [...WINDOW_PRESETS] },
    'drag-mode': { control: 'inline-radio', options: [...DRAG_MODES] },
    orientation: { control: 'inline-radio', options: [...VIEWER_ORIENTATIONS] },
    layout: { control: 'inline-radio', options: [...VIEWER_LAYOUTS] },
    'slab-thickness-mm': { control: { type: 'number', min: 0, max: 100 } },
    'slab-mode': { control: 'inline-radio', options: [...SLAB_MODES] },
    rotation: { control: 'inline-radio', options: [0, 90, 180, 270] },
  },
} satisfies Meta<CtViewerArgs>;

export default meta;
type Story = StoryObj<CtViewerArgs>;

/** The synthetic chest phantom (60 slices, 256×256), loaded as Part 10 files by URL. */
export const Phantom: Story = {
  loaders: [phantomLoader],
};

/** LIDC-IDRI-0001, a real chest CT (133 slices, 512×512), read in place from the shared data folder. */
export const LIDC: Story = {
  loaders: [lidcLoader],
  args: { 'window-preset': 'lung' },
  render: (args, { loaded }) =>
    renderViewer(
      args,
      loaded as LoadedData,
      note(html`Data: LIDC-IDRI-0001 — ${LIDC_CREDIT}. Armato SG 3rd et al., Med Phys 38(2):915–931 (2011).`),
    ),
  parameters: {
    docs: {
      description: {
        story: `Real data from the LIDC-IDRI collection. Credit: ${LIDC_CREDIT}; keep the credit visible wherever these images are shown.`,
      },
    },
  },
};

/* One story per window preset, on the phantom. The map below fails to type-check when a preset is added to
   WINDOW_PRESETS without its story, so the list cannot drift from the core. */
const presetStory = (preset: WindowPresetName): Story => ({
  name: `Preset: ${WINDOW_PRESET_LABELS[preset]}`,
  loaders: [phantomLoader],
  args: { 'window-preset': preset },
});

export const PresetDefault = presetStory('default');
export const PresetLung = presetStory('lung');
export const PresetMediastinum = presetStory('mediastinum');
export const PresetBone = presetStory('bone');
export const PresetBrain = presetStory('brain');
export const PresetAbdomen = presetStory('abdomen');
export const PresetLiver = presetStory('liver');

const PRESET_STORIES: Readonly<Record<WindowPresetName, Story>> = {
  default: PresetDefault,
  lung: PresetLung,
  mediastinum: PresetMediastinum,
  bone: PresetBone,
  brain: PresetBrain,
  abdomen: PresetAbdomen,
  liver: PresetLiver,
};
for (const preset of WINDOW_PRESETS) {
  if (!PRESET_STORIES[preset]) console.warn(`ct-viewer stories: no story for window preset "${preset}"`);
}

/** The loading state: the file URL is one the story's fake server (stories/fake-server.ts) never answers. */
export const Loading: Story = {
  args: { urls: [fakeHangingUrl()], 'timeout-ms': 3_600_000 },
};

/** No source: the drop zone with its file chooser. */
export const Empty: Story = {};

/** A text file where DICOM is expected: `not-dicom`. */
export const ErrorNotDicom: Story = {
  args: { urls: ['__fixtures/not-dicom.txt'] },
};

/** A file URL that does not exist: `not-found`. */
export const ErrorNotFound: Story = {
  args: { urls: ['__fixtures/missing-slice.dcm'] },
};

/** The server answers 401: `unauthorized` (answered by the story's fake server, also in a static build). */
export const ErrorUnauthorized: Story = {
  args: { urls: [fakeStatusUrl(401)] },
};

/** The server answers 500: `http-status` (answered by the story's fake server, also in a static build). */
export const ErrorServer: Story = {
  args: { urls: [fakeStatusUrl(500)] },
};

/** The phantom in the light theme (@secondread/ct-viewer/themes/light.css); the toolbar's Theme menu switches any story. */
export const ThemeLight: Story = {
  name: 'Theme: light',
  loaders: [phantomLoader],
  globals: { theme: 'light' },
};

/** The phantom in the example vendor theme (themes/acme.css): brand colours, font, square corners, part rules. */
export const ThemeAcme: Story = {
  name: 'Theme: acme (vendor)',
  loaders: [phantomLoader],
  args: { invert: true },
  globals: { theme: 'acme' },
};

/**
 * DICOMweb: `dicomweb-root="/dicom-web"` and the phantom's study (UIDs read from its `truth.json`).
 * Shows images when a DICOMweb proxy is present on the same origin — the demo server (`pnpm start`) has one,
 * and `SECONDREAD_DICOMWEB_PROXY=http://127.0.0.1:<orthanc port> pnpm storybook` adds one to Storybook
 * (the phantom must be stored in that Orthanc). Without a proxy the viewer shows its error panel, which is the
 * expected result here.
 */
export const DicomWeb: Story = {
  loaders: [phantomUidsLoader],
  args: { 'dicomweb-root': '/dicom-web', 'timeout-ms': 10_000 },
  parameters: {
    docs: {
      description: {
        story:
          'Needs a DICOMweb server proxied at /dicom-web on this origin (demo server, or SECONDREAD_DICOMWEB_PROXY for `pnpm storybook`) holding the phantom study; otherwise the error panel is the expected result.',
      },
    },
  },
};

/* One story per orientation, on the phantom: the markers and the nodules show where each plane cuts. */
const orientationStory = (orientation: ViewerOrientation): Story => ({
  name: `Orientation: ${orientation}`,
  loaders: [phantomLoader],
  args: { orientation, 'window-preset': 'lung' },
});

export const OrientationAcquisition = orientationStory('acquisition');
export const OrientationAxial = orientationStory('axial');
export const OrientationCoronal = orientationStory('coronal');
export const OrientationSagittal = orientationStory('sagittal');

/** Three linked planes with crosshairs: drag the crosshair centre to move the other planes. */
export const Mpr: Story = {
  name: 'MPR layout',
  loaders: [phantomLoader],
  args: { layout: 'mpr', 'window-preset': 'lung' },
};

/** A 10 mm MIP slab on LIDC-IDRI-0001 (the M key toggles it). */
export const Mip: Story = {
  name: 'MIP 10 mm (LIDC)',
  loaders: [lidcLoader],
  args: { orientation: 'axial', 'slab-thickness-mm': 10, 'slab-mode': 'mip', 'window-preset': 'lung' },
  render: (args, { loaded }) =>
    renderViewer(args, loaded as LoadedData, note(html`Data: LIDC-IDRI-0001 — ${LIDC_CREDIT}.`)),
};

/** Cine on the phantom at 15 frames per second (Space toggles; no autoplay under reduced motion). */
export const Cine: Story = { loaders: [phantomLoader], args: { cine: true } };

/** A coronal plane turned 90° clockwise: the markers follow. */
export const Rotation: Story = {
  name: 'Rotation 90° (coronal)',
  loaders: [phantomLoader],
  args: { orientation: 'coronal', rotation: 90, 'window-preset': 'lung' },
};
