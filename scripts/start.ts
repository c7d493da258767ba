/**
 * `pnpm start`: the demo portal with an embedded default study.
 *
 * - Generates the synthetic phantom study (always; it is the default when nothing else is there).
 * - When Orthanc is installed: starts it on a free loopback port with a throw-away database,
 *   uploads the phantom and (when ../shared/data is present) LIDC-IDRI-0001, and proxies
 *   `/dicom-web` to it on the page's own origin, as a portal would deploy.
 * - Otherwise: serves the phantom as plain Part 10 files, which the viewer loads by URL.
 * - Either way: the same studies as a static DICOMweb tree (static-wado-creator's files, as OHIF
 *   serves them from object storage) under `/static-wado/dicom-web`: the viewer and
 *   `first-from-pacs` work on it, storing says it is not available. `SECONDREAD_NO_STATIC_WADO=1`
 *   leaves it out.
 */

import { basename, dirname, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Plugin } from 'vite';
import { writePhantom } from '@secondread/phantom';
import type { Reading } from '@secondread/core';
import { phantomFirstReading } from '@secondread/phantom/first-reading';
import { exportReadingSr } from '@secondread/standards';
import { isOrthancAvailable, startOrthanc, type OrthancHandle } from '../test/support/orthanc.ts';
import { loadDefaultStudies } from '../test/support/load-studies.ts';
import { createDicomwebProxyMiddleware } from '../test/support/proxy.ts';
import { prepareDefaultStaticWadoTree, startStaticDicomwebServer } from '../test/support/static-wado.ts';
import { phantomDir, repoRoot, lidcCtFiles, lidcSegFile } from '../test/support/paths.ts';
import { serveFiles } from './serve-files.ts';
import { describeMissing, missing, ORTHANC } from './prerequisites.ts';
import { STRICT_CSP } from '../examples/support/csp.ts';

const LIDC_STUDY_UID = '1.3.6.1.4.1.14519.5.2.1.6279.6001.298806137288633453246975630178';
const LIDC_CREDIT = 'LIDC-IDRI-0001 — LIDC-IDRI, The Cancer Imaging Archive (CC BY 3.0).';

/** Where a study's first reading comes from (see examples/portal/portal.ts). */
type FirstReadingSource =
  { kind: 'reading'; reading: Reading } | { kind: 'seg'; url: string; reader: string } | { kind: 'pacs' };

interface DemoStudy {
  label: string;
  detail: string;
  studyUid?: string;
  seriesUid?: string;
  /** This study's DICOMweb root, when not the portal's PACS. */
  dicomwebRoot?: string;
  urls?: string[];
  credit?: string;
  firstReading?: FirstReadingSource;
}

/** The phantom's first reader, as the outside hospital reported it. */
const FIRST_READER = {
  reader: { name: 'Dr. A. First', institution: 'Outside hospital' },
  impression: 'Solitary pulmonary nodule, 12 mm.',
};

const segFile = lidcSegFile();
const lidcFirstReading: FirstReadingSource | undefined = segFile
  ? { kind: 'seg', url: `/demo/files/lidc-seg/${basename(segFile)}`, reader: 'LIDC reader (SEG)' }
  : undefined;

const port = Number(process.env.PORT ?? 5173);
const phantom = await writePhantom(phantomDir);
let orthanc: OrthancHandle | null = null;
const studies: DemoStudy[] = [];

/** The first reading the portal holds for a study, if any. */
function firstReadingFor(studyUid: string): { firstReading?: FirstReadingSource } {
  if (studyUid === phantom.baseline.truth.studyInstanceUid) {
    // With a PACS, the first reading is a DICOM SR there (found by QIDO-RS); without, the portal holds it.
    return {
      firstReading: orthanc
        ? { kind: 'pacs' }
        : { kind: 'reading', reading: phantomFirstReading(phantom.baseline.truth, FIRST_READER) },
    };
  }
  if (lidcFirstReading && studyUid === LIDC_STUDY_UID) return { firstReading: lidcFirstReading };
  return {};
}

if (isOrthancAvailable() && process.env.SECONDREAD_NO_ORTHANC !== '1') {
  console.log('Starting Orthanc (DICOMweb) …');
  orthanc = await startOrthanc();
  const loaded = await loadDefaultStudies(orthanc);
  // The phantom's first reading, as the first reader's system stored it: a TID 1500 SR in the study.
  await orthanc.upload([
    new Uint8Array(exportReadingSr(phantomFirstReading(phantom.baseline.truth, FIRST_READER)).buffer),
  ]);
  for (const series of loaded.filter((s) => s.modality === 'CT')) {
    const lidc = series.source === 'lidc-ct';
    studies.push({
      label: lidc ? 'LIDC-IDRI-0001 chest CT' : series.description,
      detail: `${series.instanceCount} slices · DICOMweb`,
      studyUid: series.studyUid,
      seriesUid: series.seriesUid,
      ...(lidc ? { credit: LIDC_CREDIT } : {}),
      ...firstReadingFor(series.studyUid),
    });
  }
  // Real data first when present.
  studies.sort((a, b) => Number(Boolean(b.credit)) - Number(Boolean(a.credit)));
} else {
  console.log(
    `Orthanc not found: serving the generated phantom as files. For DICOMweb:\n${describeMissing(missing(ORTHANC))}`,
  );
  for (const [variant, study] of [
    ['baseline', phantom.baseline],
    ['followup', phantom.followup],
  ] as const) {
    studies.push({
      label: study.truth.seriesDescription,
      detail: `${study.files.length} slices · files`,
      urls: study.files.map((f) => `/demo/files/phantom/${variant}/${basename(f)}`),
      ...firstReadingFor(study.truth.studyInstanceUid),
    });
  }
  const lidc = lidcCtFiles();
  if (lidc) {
    studies.unshift({
      label: 'LIDC-IDRI-0001 chest CT',
      detail: `${lidc.length} slices · files`,
      urls: lidc.map((f) => `/demo/files/lidc/${basename(f)}`),
      credit: LIDC_CREDIT,
      ...(lidcFirstReading ? { firstReading: lidcFirstReading } : {}),
    });
  }
}

const STATIC_ROOT = '/static-wado/dicom-web';
let staticServer: Awaited<ReturnType<typeof startStaticDicomwebServer>> | null = null;
if (process.env.SECONDREAD_NO_STATIC_WADO !== '1') {
  console.log('Writing the static DICOMweb tree (static-wado-creator) …');
  staticServer = await startStaticDicomwebServer((await prepareDefaultStaticWadoTree()).dir);
  const lidc = lidcCtFiles();
  for (const [study, firstReading] of [
    [phantom.baseline, { kind: 'pacs' }],
    [phantom.followup, undefined],
  ] as const) {
    studies.push({
      label: `${study.truth.seriesDescription} (static tree)`,
      detail: `${study.files.length} slices · static DICOMweb, no STOW-RS`,
      studyUid: study.truth.studyInstanceUid,
      seriesUid: study.truth.seriesInstanceUid,
      dicomwebRoot: STATIC_ROOT,
      ...(firstReading ? { firstReading } : {}),
    });
  }
  if (lidc) {
    studies.push({
      label: 'LIDC-IDRI-0001 chest CT (static tree)',
      detail: `${lidc.length} slices · static DICOMweb, no STOW-RS`,
      studyUid: LIDC_STUDY_UID,
      dicomwebRoot: STATIC_ROOT,
      credit: LIDC_CREDIT,
      ...(lidcFirstReading ? { firstReading: lidcFirstReading } : {}),
    });
  }
}
const staticProxy = staticServer
  ? createDicomwebProxyMiddleware(staticServer.dicomwebRoot, { prefix: STATIC_ROOT, faultsPrefix: false })
  : null;
const proxy = orthanc ? createDicomwebProxyMiddleware(orthanc.url, { faultsPrefix: false }) : null;
const lidcDir = lidcCtFiles()?.[0] ? join(lidcCtFiles()![0]!, '..') : null;

const demoPlugin: Plugin = {
  name: 'secondread-demo',
  configureServer(server) {
    server.middlewares.use((req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => {
      // The strict policy a portal can deploy (README, "Content Security Policy"), on every response.
      res.setHeader('Content-Security-Policy', STRICT_CSP);
      if (staticProxy?.matches(req.url)) return staticProxy(req, res, next);
      if (proxy?.matches(req.url)) return proxy(req, res, next);
      if (req.url === '/demo/config.json') {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ dicomwebRoot: orthanc ? '/dicom-web' : null, studies }));
        return undefined;
      }
      const served =
        serveFiles(req, res, '/demo/files/phantom/', phantom.dir) ||
        (lidcDir ? serveFiles(req, res, '/demo/files/lidc/', lidcDir) : false) ||
        (segFile ? serveFiles(req, res, '/demo/files/lidc-seg/', dirname(segFile)) : false);
      if (!served) next();
      return undefined;
    });
  },
};

const server = await createServer({
  configFile: join(repoRoot, 'vite.config.ts'),
  root: join(repoRoot, 'examples/portal'),
  server: { port, host: '127.0.0.1', strictPort: false, fs: { allow: [repoRoot] } },
  plugins: [demoPlugin],
});
await server.listen();
server.printUrls();
console.log(`Demo portal ready. ${studies.length} studies (${orthanc ? 'DICOMweb via Orthanc' : 'generated files'}).`);

async function shutdown(): Promise<void> {
  await server.close();
  await staticServer?.close();
  await orthanc?.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
