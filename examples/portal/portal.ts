/**
 * The demo portal: a clinic page that embeds <ct-viewer> the way a real portal would,
 * with a study list (from the portal's PACS over DICOMweb, or from generated files
 * when no PACS is running) and a log of the events the portal receives.
 */
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import type { CtViewer } from '@secondread/ct-viewer';
import { isWindowPresetName } from '@secondread/core';

interface DemoStudy {
  readonly label: string;
  readonly detail: string;
  readonly studyUid?: string;
  readonly seriesUid?: string;
  /** Part 10 URLs when there is no DICOMweb server. */
  readonly urls?: readonly string[];
  readonly credit?: string;
}

interface DemoConfig {
  readonly dicomwebRoot: string | null;
  readonly studies: readonly DemoStudy[];
}

const viewer = document.querySelector<CtViewer>('#viewer')!;
const list = document.querySelector<HTMLUListElement>('#study-list')!;
const log = document.querySelector<HTMLOListElement>('#event-log')!;
const note = document.querySelector<HTMLParagraphElement>('#source-note')!;
const credit = document.querySelector<HTMLParagraphElement>('#credit')!;

function logEvent(event: Event & { detail?: unknown }): void {
  const item = document.createElement('li');
  if (event.type === 'ct-error') item.className = 'error';
  const name = document.createElement('b');
  name.textContent = event.type;
  item.append(name, ' ', JSON.stringify(event.detail));
  log.prepend(item);
  while (log.children.length > 60) log.lastElementChild?.remove();
}

for (const type of ['ct-series-load', 'ct-slice-change', 'ct-voi-change', 'ct-error', 'ct-renderer-change'] as const) {
  viewer.addEventListener(type, logEvent);
}
const tools = document.querySelector('measurement-tools')!;
for (const type of ['ct-measurement-add', 'ct-measurement-remove'] as const) tools.addEventListener(type, logEvent);
let lastProgress = 0;
viewer.addEventListener('ct-load-progress', (event) => {
  // Log progress at 25 % steps, not every image.
  const step = Math.floor((4 * event.detail.loaded) / event.detail.total);
  if (step !== lastProgress || event.detail.loaded === event.detail.total) logEvent(event);
  lastProgress = step;
});

function show(study: DemoStudy, config: DemoConfig, button: HTMLButtonElement): void {
  for (const b of list.querySelectorAll('button')) b.setAttribute('aria-current', String(b === button));
  credit.textContent = study.credit ?? '';
  if (study.urls) {
    viewer.removeAttribute('dicomweb-root');
    viewer.removeAttribute('study-uid');
    viewer.urls = study.urls;
  } else {
    viewer.urls = undefined;
    viewer.files = undefined;
    viewer.dicomwebRoot = config.dicomwebRoot ?? undefined;
    viewer.seriesUid = study.seriesUid;
    viewer.studyUid = study.studyUid;
  }
}

async function main(): Promise<void> {
  const config = (await (await fetch('/demo/config.json')).json()) as DemoConfig;
  note.textContent = config.dicomwebRoot
    ? 'Studies come from the portal PACS (Orthanc, DICOMweb) through a same-origin proxy.'
    : 'No PACS running: studies are generated DICOM files served by the demo server.';
  config.studies.forEach((study, index) => {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.innerHTML = `${study.label}<small>${study.detail}</small>`;
    button.addEventListener('click', () => show(study, config, button));
    item.append(button);
    list.append(item);
    if (index === 0) show(study, config, button);
  });
}

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-preset]')) {
  button.addEventListener('click', () => {
    const preset = button.dataset.preset;
    if (isWindowPresetName(preset)) viewer.windowPreset = preset;
  });
}
viewer.addEventListener('ct-series-load', () => syncPresetButtons());
function syncPresetButtons(): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-preset]')) {
    b.setAttribute('aria-pressed', String(b.dataset.preset === viewer.windowPreset));
  }
}
new MutationObserver(syncPresetButtons).observe(viewer, { attributes: true, attributeFilter: ['window-preset'] });

document.querySelector<HTMLInputElement>('#phi')!.addEventListener('change', (event) => {
  viewer.showPatientInfo = (event.target as HTMLInputElement).checked;
});
for (const id of ['#folder', '#files']) {
  document.querySelector<HTMLInputElement>(id)!.addEventListener('change', (event) => {
    const files = (event.target as HTMLInputElement).files;
    if (!files?.length) return;
    viewer.removeAttribute('dicomweb-root');
    viewer.removeAttribute('study-uid');
    viewer.urls = undefined;
    viewer.files = [...files];
    credit.textContent = '';
  });
}

void main();
