/**
 * The reference for `pnpm bench`: a CT series shown with Cornerstone3D 5.14 the documented way,
 * no tricks.
 *
 * 1. `init()` of core and of the DICOM image loader.
 * 2. Series metadata with `dicomweb-client` (`retrieveSeriesMetadata`), registered per instance
 *    with `utilities.addDicomWebInstance(imageId, json)` of `@cornerstonejs/metadata`, image ids
 *    `wadors:<root>/studies/S/series/Se/instances/I/frames/1`.
 * 3. Sorted by ImagePositionPatient along the slice normal.
 * 4. A RenderingEngine with one StackViewport, `setStack(imageIds, middle)`.
 * 5. Then `imageLoader.loadAndCacheImages(imageIds)`: every image, one WADO-RS frame request each.
 *
 * Publishes `window.__bench` (see ../shared/page.ts): `firstImageMs` at the first IMAGE_RENDERED
 * with an image once `setStack` has resolved, `fullSeriesMs` when every image is in the cache.
 */
import { Enums, imageLoader, init as initCore, RenderingEngine, type StackViewport } from '@cornerstonejs/core';
import { init as initImageLoader } from '@cornerstonejs/dicom-image-loader';
import { utilities as metadataUtilities } from '@cornerstonejs/metadata';
import { api } from 'dicomweb-client';
import { mark, seriesFromQuery, startBench } from '../shared/page.ts';

/** One attribute of a DICOM JSON object (PS3.18 F.2). */
interface DicomJsonAttribute {
  vr: string;
  Value?: unknown[];
}
type DicomJson = Record<string, DicomJsonAttribute | undefined>;

const SOP_INSTANCE_UID = '00080018';
const IMAGE_POSITION_PATIENT = '00200032';
const IMAGE_ORIENTATION_PATIENT = '00200037';

function numbers(json: DicomJson, tag: string): number[] {
  return (json[tag]?.Value ?? []).map(Number);
}

/** Position of an instance along the slice normal (0 when its geometry is missing). */
function positionAlongNormal(json: DicomJson): number {
  const [rx = 1, ry = 0, rz = 0, cx = 0, cy = 1, cz = 0] = numbers(json, IMAGE_ORIENTATION_PATIENT);
  const normal = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
  const [px = 0, py = 0, pz = 0] = numbers(json, IMAGE_POSITION_PATIENT);
  return px * normal[0]! + py * normal[1]! + pz * normal[2]!;
}

const bench = startBench();

async function run(): Promise<void> {
  const { root, studyUid, seriesUid } = seriesFromQuery();
  const element = document.getElementById('viewport') as HTMLDivElement;

  await initCore();
  initImageLoader({ maxWebWorkers: navigator.hardwareConcurrency || 1 });
  mark(bench, 'init');

  const client = new api.DICOMwebClient({ url: root, singlepart: false, headers: {} });
  const metadata = (await client.retrieveSeriesMetadata({
    studyInstanceUID: studyUid,
    seriesInstanceUID: seriesUid,
  } as Parameters<api.DICOMwebClient['retrieveSeriesMetadata']>[0])) as DicomJson[];
  mark(bench, 'metadata');

  const sorted = metadata
    .map((json) => ({ json, position: positionAlongNormal(json) }))
    .sort((a, b) => a.position - b.position);
  const imageIds = sorted.map(({ json }) => {
    const sopInstanceUid = String(json[SOP_INSTANCE_UID]?.Value?.[0] ?? '');
    return `wadors:${root}/studies/${studyUid}/series/${seriesUid}/instances/${sopInstanceUid}/frames/1`;
  });
  await Promise.all(
    imageIds.map((imageId, index) =>
      metadataUtilities.addDicomWebInstance(imageId, sorted[index]!.json as Record<string, unknown>),
    ),
  );
  mark(bench, 'metadataRegistered');

  const renderingEngine = new RenderingEngine('bench');
  renderingEngine.enableElement({
    viewportId: 'ct',
    element,
    type: Enums.ViewportType.STACK,
    defaultOptions: { background: [0, 0, 0] },
  });
  const viewport = renderingEngine.getViewport<StackViewport>('ct');

  // The first image counts once setStack has resolved and a render with an image happened.
  let stackReady = false;
  let renderedWithImageAt: number | undefined;
  let firstImage!: () => void;
  const firstImageShown = new Promise<void>((resolve) => (firstImage = resolve));
  element.addEventListener(Enums.Events.IMAGE_RENDERED, () => {
    if (renderedWithImageAt !== undefined || !viewport.getCornerstoneImage()) return;
    renderedWithImageAt = mark(bench, 'firstImageRendered');
    if (stackReady) firstImage();
  });

  const initialIndex = Math.floor((imageIds.length - 1) / 2);
  bench.total = imageIds.length;
  bench.initialIndex = initialIndex;
  mark(bench, 'setStack');
  await viewport.setStack(imageIds, initialIndex);
  mark(bench, 'setStackResolved');
  stackReady = true;
  if (renderedWithImageAt !== undefined) firstImage();
  else viewport.render();

  // Prefetch the whole series (the middle image is already in the cache).
  let loaded = 0;
  const all = imageLoader.loadAndCacheImages(imageIds).map((promise) =>
    promise.then(() => {
      loaded++;
      bench.progress.push([performance.now(), loaded]);
    }),
  );

  await firstImageShown;
  bench.firstImageMs = renderedWithImageAt;
  await Promise.all(all);
  bench.fullSeriesMs = mark(bench, 'fullSeries');
}

run().catch((error: unknown) => {
  bench.error ??= `plain Cornerstone3D page failed: ${String((error as Error)?.stack ?? error)}`;
});
