/**
 * Everything the browser tests need from the Node side: a real Orthanc loaded with the
 * studies, a same-origin DICOMweb proxy (with fault injection), and a JSON description of
 * the data served to the tests at `/__env.json`.
 */
import { basename } from 'node:path';
import { writePhantom } from '@secondread/phantom';
import type { PhantomTruth } from '@secondread/phantom';
import { isOrthancAvailable, startOrthanc, type OrthancHandle } from './orthanc.ts';
import { loadDefaultStudies, type LoadedSeries } from './load-studies.ts';
import { createDicomwebProxyKoaMiddleware, type KoaLikeMiddleware } from './proxy.ts';
import { cacheDir, lidcCtFiles, lidcSegFile, phantomDir } from './paths.ts';
import { phantomNoduleSegmentation } from '@secondread/phantom/segmentation';
import { prepareBadFixtures } from './fixtures.ts';
import { prepareTextReportFixtures } from './text-reports.ts';
import { prepareTranscodeManifest, REQUIRED_TRANSFER_SYNTAXES, type TranscodedFixture } from './transcode.ts';
import { preparePixelFixtures, type ColourFixture } from './pixel-fixtures.ts';
import { prepareDefaultStaticWadoTree, startStaticDicomwebServer, type StaticDicomwebServer } from './static-wado.ts';
import { readPart10, writePart10 } from '@secondread/phantom';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

/** What the browser tests read from `/__env.json`. */
export interface BrowserTestEnv {
  /** DICOMweb root on the test page's origin (null when Orthanc is not installed). */
  readonly dicomwebRoot: string | null;
  /**
   * DICOMweb root of the static tree (static-wado-creator, served as plain files) on the test
   * page's origin: the same studies (and the phantom's first-reading SR) without QIDO filtering,
   * series retrieve, transcoding or STOW-RS.
   */
  readonly staticDicomwebRoot: string;
  /** Prefix for fault injection: `${faultsRoot}/401/dicom-web/...` etc. */
  readonly faultsRoot: string;
  readonly studies: readonly LoadedSeries[];
  readonly phantom: {
    readonly baseline: { readonly truth: PhantomTruth; readonly urls: readonly string[] };
    readonly followup: { readonly truth: PhantomTruth; readonly urls: readonly string[] };
  };
  /** URLs of the LIDC-IDRI-0001 slices (file-name order), or null when the shared data is absent. */
  readonly lidcUrls: readonly string[] | null;
  /** Bad inputs, as URLs. */
  readonly fixtures: {
    readonly structuredReport: string;
    readonly truncated: string;
    readonly notDicom: string;
    readonly unsupportedTransferSyntax: string;
  };
  /** One slice in many transfer syntaxes (dcmtk/GDCM), with the original for comparison. */
  readonly transcoded: readonly (Omit<TranscodedFixture, 'path'> & { readonly url: string })[];
  /** The transfer syntaxes the viewer must render. */
  readonly requiredTransferSyntaxes: readonly string[];
  /** URL of the slice the transcoded copies were made from. */
  readonly transcodeSourceUrl: string;
  /** Pixel formats beyond CT (test/support/pixel-fixtures.ts), as URLs. */
  readonly pixels: {
    readonly colour: readonly (Omit<ColourFixture, 'file'> & { readonly url: string })[];
    /** The multi-frame colour fixture, also uploaded to Orthanc (null without Orthanc). */
    readonly dicomwebColour: (Omit<ColourFixture, 'file'> & { readonly url: string }) | null;
    readonly rle32: string;
    readonly j2kSignMismatch: { readonly url: string; readonly gdcmRaw: string };
    readonly jpegExtended: { readonly url: string; readonly gdcmRaw: string };
    /** Five JPEG 2000 slices of the phantom; the one at `damaged` does not decode. */
    readonly damagedSeries: { readonly urls: readonly string[]; readonly damaged: number };
  };
  /** DICOM SEGs to show as a first reading: LIDC-IDRI-0001's nodule (when present), the phantom's nodules. */
  readonly segmentations: { readonly lidc: string | null; readonly phantom: string };
}

/** A URL under /__data/ for a file in .cache or in the shared data. */
function dataUrl(path: string, sharedRoot: string | undefined): string {
  if (path.startsWith(cacheDir)) return `/__data/cache/${relative(cacheDir, path)}`;
  if (sharedRoot && path.startsWith(sharedRoot)) return `/__data/shared/${relative(sharedRoot, path)}`;
  throw new Error(`${path} is neither in .cache nor in the shared data`);
}

/**
 * A phantom slice whose file meta claims MPEG-2 (1.2.840.10008.1.2.4.100), a video transfer
 * syntax no image codec decodes.
 */
async function writeUnsupportedTransferSyntax(source: string): Promise<string> {
  const { meta, dataset } = readPart10(new Uint8Array(await readFile(source)));
  const bytes = writePart10(dataset, {
    mediaStorageSopClassUid: String(meta.MediaStorageSOPClassUID),
    mediaStorageSopInstanceUid: String(meta.MediaStorageSOPInstanceUID),
    transferSyntaxUid: '1.2.840.10008.1.2.4.100',
    implementationClassUid: '2.25.1',
  });
  const dir = join(cacheDir, 'fixtures/bad');
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'mpeg2-transfer-syntax.dcm');
  await writeFile(path, bytes);
  return path;
}

/** Where the static DICOMweb tree is mounted on the test page's origin. */
const STATIC_DICOMWEB_PREFIX = '/static-wado/dicom-web';

export interface PreparedBrowserEnv {
  readonly env: BrowserTestEnv;
  /** Koa middleware for web-test-runner: the DICOMweb proxy and `/__env.json`. */
  readonly middleware: readonly KoaLikeMiddleware[];
  stop(): Promise<void>;
}

export async function prepareBrowserEnv(): Promise<PreparedBrowserEnv> {
  const phantom = await writePhantom(phantomDir);
  let orthanc: OrthancHandle | null = null;
  let studies: LoadedSeries[] = [];
  if (isOrthancAvailable()) {
    orthanc = await startOrthanc();
    studies = await loadDefaultStudies(orthanc);
  } else {
    console.warn(
      'Orthanc is not installed: DICOMweb tests will fail. Run .ci/run or install orthanc + orthanc-dicomweb.',
    );
  }
  const staticTree = await prepareDefaultStaticWadoTree();
  const staticServer: StaticDicomwebServer = await startStaticDicomwebServer(staticTree.dir);
  const lidc = lidcCtFiles();
  const shared = lidc ? join(lidc[0]!, '../../..') : undefined;
  const bad = await prepareBadFixtures();
  // Text and PDF first reports (dcmtk), read by the tests from /__data/cache/fixtures/text-reports/.
  await prepareTextReportFixtures();
  const badUrl = (kind: string, name?: string): string => {
    const fixture = bad.find((f) => f.kind === kind && (!name || f.name.includes(name)));
    if (!fixture) throw new Error(`no ${kind} fixture`);
    return dataUrl(fixture.path, shared);
  };
  const manifest = await prepareTranscodeManifest();
  const phantomSeg = join(cacheDir, 'fixtures/phantom-nodules-seg.dcm');
  await mkdir(dirname(phantomSeg), { recursive: true });
  await writeFile(phantomSeg, phantomNoduleSegmentation(phantom.baseline.truth));
  const lidcSeg = lidcSegFile();
  const pixels = await preparePixelFixtures();
  const multiFrameColour = pixels.colour.find((c) => c.frames > 1);
  if (orthanc && multiFrameColour) await orthanc.upload([multiFrameColour.file]);
  const transcoded = manifest.fixtures;
  const env: BrowserTestEnv = {
    dicomwebRoot: orthanc ? '/dicom-web' : null,
    staticDicomwebRoot: STATIC_DICOMWEB_PREFIX,
    faultsRoot: '/faults',
    studies,
    phantom: {
      baseline: {
        truth: phantom.baseline.truth,
        urls: phantom.baseline.files.map((f) => `/__data/cache/phantom/baseline/${basename(f)}`),
      },
      followup: {
        truth: phantom.followup.truth,
        urls: phantom.followup.files.map((f) => `/__data/cache/phantom/followup/${basename(f)}`),
      },
    },
    lidcUrls: lidc ? lidc.map((f) => `/__data/shared/lidc-idri-0001/ct/${basename(f)}`) : null,
    fixtures: {
      structuredReport: badUrl('non-image'),
      truncated: badUrl('truncated', 'pixel'),
      notDicom: badUrl('not-dicom'),
      unsupportedTransferSyntax: dataUrl(await writeUnsupportedTransferSyntax(phantom.baseline.files[0]!), shared),
    },
    transcoded: transcoded.map(({ path, ...rest }) => ({ ...rest, url: dataUrl(path, shared) })),
    transcodeSourceUrl: dataUrl(manifest.source.path, shared),
    requiredTransferSyntaxes: REQUIRED_TRANSFER_SYNTAXES,
    pixels: {
      colour: pixels.colour.map(({ file, ...rest }) => ({ ...rest, url: dataUrl(file, shared) })),
      dicomwebColour:
        orthanc && multiFrameColour
          ? (({ file, ...rest }) => ({ ...rest, url: dataUrl(file, shared) }))(multiFrameColour)
          : null,
      rle32: dataUrl(pixels.rle32, shared),
      j2kSignMismatch: {
        url: dataUrl(pixels.j2kSignMismatch.file, shared),
        gdcmRaw: dataUrl(pixels.j2kSignMismatch.gdcmRaw, shared),
      },
      jpegExtended: {
        url: dataUrl(pixels.jpegExtended.file, shared),
        gdcmRaw: dataUrl(pixels.jpegExtended.gdcmRaw, shared),
      },
      damagedSeries: {
        urls: pixels.damagedSeries.files.map((file) => dataUrl(file, shared)),
        damaged: pixels.damagedSeries.damaged,
      },
    },
    segmentations: {
      lidc: lidcSeg ? dataUrl(lidcSeg, shared) : null,
      phantom: dataUrl(phantomSeg, shared),
    },
  };
  const middleware: KoaLikeMiddleware[] = [
    async (ctx, next) => {
      if (ctx.req.url !== '/__env.json') return next();
      ctx.res.statusCode = 200;
      ctx.res.setHeader('Content-Type', 'application/json');
      ctx.res.end(JSON.stringify(env));
      ctx.respond = false;
      return undefined;
    },
  ];
  if (orthanc) middleware.unshift(createDicomwebProxyKoaMiddleware(orthanc.url));
  middleware.unshift(
    createDicomwebProxyKoaMiddleware(staticServer.dicomwebRoot, {
      prefix: STATIC_DICOMWEB_PREFIX,
      faultsPrefix: false,
    }),
  );
  return {
    env,
    middleware,
    async stop() {
      await staticServer.close();
      await orthanc?.stop();
    },
  };
}
