/// <reference types="vite/client" />
/**
 * The demo portal: a clinic page that embeds SecondRead the way a real portal would. A second
 * reader picks a study, reads it blinded in the right-hand viewer with <measurement-tools>,
 * reveals the first reading (left, read-only), compares and scores it in <opinion-report>, and
 * the portal receives structured events (logged at the bottom right).
 *
 * Studies come from the portal's PACS over DICOMweb (Orthanc, started by `pnpm start`) or, with
 * no PACS, from generated files. First readings come from a DICOM SEG (LIDC-IDRI-0001), or a
 * reading the portal already holds (the phantom).
 */
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import '@secondread/opinion-report/define.js';
import { syncViewers, type CtViewer, type SyncAxis } from '@secondread/ct-viewer';
import {
  isWindowPresetName,
  parseReading,
  parseSegmentation,
  segmentationToReading,
  type Reading,
} from '@secondread/core';
import type { OpinionReport } from '@secondread/opinion-report';
// The shipped themes, linked as files (a strict style-src 'self' allows them); the header's
// Theme picker switches between them through `data-ct-theme` on <html>.
import lightThemeUrl from '@secondread/ct-viewer/themes/light.css?url';
import acmeThemeUrl from '@secondread/ct-viewer/themes/acme.css?url';

/** Where a study's first reading comes from. */
type FirstReadingSource =
  | { readonly kind: 'reading'; readonly reading: unknown }
  | { readonly kind: 'seg'; readonly url: string; readonly reader: string }
  /** A DICOM SR in the PACS, found by <opinion-report first-from-pacs>. */
  | { readonly kind: 'pacs' };

interface DemoStudy {
  readonly label: string;
  readonly detail: string;
  readonly studyUid?: string;
  readonly seriesUid?: string;
  /** This study's DICOMweb root when it is not the portal PACS (e.g. a static DICOMweb tree). */
  readonly dicomwebRoot?: string;
  /** Part 10 URLs when there is no DICOMweb server. */
  readonly urls?: readonly string[];
  readonly credit?: string;
  readonly firstReading?: FirstReadingSource;
}

interface DemoConfig {
  readonly dicomwebRoot: string | null;
  readonly studies: readonly DemoStudy[];
}

const firstViewer = document.querySelector<CtViewer>('#first-viewer')!;
const secondViewer = document.querySelector<CtViewer>('#second-viewer')!;
const viewers = [firstViewer, secondViewer];
const report = document.querySelector<OpinionReport>('#report')!;
const list = document.querySelector<HTMLUListElement>('#study-list')!;
const log = document.querySelector<HTMLOListElement>('#event-log')!;
const note = document.querySelector<HTMLParagraphElement>('#source-note')!;
const credit = document.querySelector<HTMLParagraphElement>('#credit')!;
const firstReaderName = document.querySelector<HTMLSpanElement>('#first-reader')!;

const sync = syncViewers(viewers);
for (const box of document.querySelectorAll<HTMLInputElement>('[data-sync]')) {
  box.addEventListener('change', () => sync.set({ [box.dataset.sync as SyncAxis]: box.checked }));
}

function logEvent(event: Event & { detail?: unknown }): void {
  const item = document.createElement('li');
  if (event.type === 'ct-error') item.className = 'error';
  const name = document.createElement('b');
  name.textContent = event.type;
  const text = JSON.stringify(event.detail);
  item.append(name, ' ', text.length > 600 ? `${text.slice(0, 600)}…` : text);
  log.prepend(item);
  while (log.children.length > 60) log.lastElementChild?.remove();
}

for (const type of ['ct-series-load', 'ct-error', 'ct-renderer-change'] as const) {
  secondViewer.addEventListener(type, logEvent);
}
firstViewer.addEventListener('ct-error', logEvent);
const tools = document.querySelector('measurement-tools')!;
for (const type of ['ct-measurement-add', 'ct-measurement-remove'] as const) tools.addEventListener(type, logEvent);
for (const type of [
  'ct-report-change',
  'ct-report-submit',
  'ct-report-store',
  'ct-finding-select',
  'ct-error',
] as const) {
  report.addEventListener(type, logEvent);
}

/** The first reading of a study, from the portal's records or a DICOM SEG. */
async function loadFirstReading(source: FirstReadingSource | undefined): Promise<Reading | undefined> {
  if (!source) return undefined;
  if (source.kind === 'pacs') return (await report.loadFirstReadingFromPacs()) ?? undefined;
  if (source.kind === 'reading') return parseReading(source.reading);
  const response = await fetch(source.url);
  if (!response.ok) throw new Error(`The first reading (SEG) could not be fetched: HTTP ${response.status}`);
  const segmentation = parseSegmentation(await response.arrayBuffer());
  return segmentationToReading(segmentation, { role: 'first', reader: { name: source.reader } });
}

let shown = 0;

/** While the second reader reads blinded, the portal does not name the first reader either. */
function showFirstReaderName(): void {
  firstReaderName.textContent = report.hasAttribute('blinded')
    ? '· hidden until you reveal it'
    : (firstReaderName.dataset.name ?? '');
}
new MutationObserver(showFirstReaderName).observe(report, { attributes: true, attributeFilter: ['blinded'] });

async function show(study: DemoStudy, config: DemoConfig, button: HTMLButtonElement): Promise<void> {
  const token = ++shown;
  for (const b of list.querySelectorAll('button')) b.setAttribute('aria-current', String(b === button));
  credit.textContent = study.credit ?? '';
  for (const viewer of viewers) {
    if (study.urls) {
      viewer.removeAttribute('dicomweb-root');
      viewer.removeAttribute('study-uid');
      viewer.urls = study.urls;
    } else {
      viewer.urls = undefined;
      viewer.files = undefined;
      viewer.dicomwebRoot = study.dicomwebRoot ?? config.dicomwebRoot ?? undefined;
      viewer.seriesUid = study.seriesUid;
      viewer.studyUid = study.studyUid;
    }
  }
  // Submitted opinions go back to the PACS as DICOM SR (ct-report-store) when there is one.
  report.dicomwebRoot = study.dicomwebRoot ?? config.dicomwebRoot ?? undefined;
  if (study.studyUid) report.studyUid = study.studyUid;
  try {
    if (study.studyUid) await report.updateComplete;
    const first = await loadFirstReading(study.firstReading);
    if (token !== shown) return; // another study was picked meanwhile
    firstReaderName.dataset.name = first ? `· ${first.reader.name}` : '· none';
    showFirstReaderName();
    if (first) report.first = first;
  } catch (error) {
    firstReaderName.textContent = '· could not be loaded';
    logEvent(Object.assign(new Event('ct-error'), { detail: { message: (error as Error).message } }));
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
    button.addEventListener('click', () => void show(study, config, button));
    item.append(button);
    list.append(item);
    if (index === 0) void show(study, config, button);
  });
}

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-preset]')) {
  button.addEventListener('click', () => {
    const preset = button.dataset.preset;
    if (isWindowPresetName(preset)) for (const viewer of viewers) viewer.windowPreset = preset;
  });
}
secondViewer.addEventListener('ct-series-load', () => syncPresetButtons());
function syncPresetButtons(): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-preset]')) {
    b.setAttribute('aria-pressed', String(b.dataset.preset === secondViewer.windowPreset));
  }
}
new MutationObserver(syncPresetButtons).observe(secondViewer, { attributes: true, attributeFilter: ['window-preset'] });

document.querySelector<HTMLInputElement>('#overlay')!.addEventListener('change', (event) => {
  report.overlayFirst = (event.target as HTMLInputElement).checked;
});
document.querySelector<HTMLInputElement>('#phi')!.addEventListener('change', (event) => {
  for (const viewer of viewers) viewer.showPatientInfo = (event.target as HTMLInputElement).checked;
});
for (const id of ['#folder', '#files']) {
  document.querySelector<HTMLInputElement>(id)!.addEventListener('change', (event) => {
    const files = (event.target as HTMLInputElement).files;
    if (!files?.length) return;
    for (const viewer of viewers) {
      viewer.removeAttribute('dicomweb-root');
      viewer.removeAttribute('study-uid');
      viewer.urls = undefined;
      viewer.files = [...files];
    }
    credit.textContent = '';
  });
}

const THEMES = ['default', 'light', 'acme'] as const;
type PortalTheme = (typeof THEMES)[number];
const THEME_KEY = 'secondread-demo-theme';
for (const href of [lightThemeUrl, acmeThemeUrl]) {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  document.head.append(link);
}
const themePicker = document.querySelector<HTMLSelectElement>('#theme')!;
function applyTheme(theme: PortalTheme): void {
  document.documentElement.dataset.ctTheme = theme;
  themePicker.value = theme;
}
const savedTheme = localStorage.getItem(THEME_KEY);
applyTheme(THEMES.find((t) => t === savedTheme) ?? 'default');
themePicker.addEventListener('change', () => {
  const theme = THEMES.find((t) => t === themePicker.value) ?? 'default';
  localStorage.setItem(THEME_KEY, theme);
  applyTheme(theme);
});

void main();
