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
import { lidcCtFiles, phantomDir } from './paths.ts';

/** What the browser tests read from `/__env.json`. */
export interface BrowserTestEnv {
  /** DICOMweb root on the test page's origin (null when Orthanc is not installed). */
  readonly dicomwebRoot: string | null;
  /** Prefix for fault injection: `${faultsRoot}/401/dicom-web/...` etc. */
  readonly faultsRoot: string;
  readonly studies: readonly LoadedSeries[];
  readonly phantom: {
    readonly baseline: { readonly truth: PhantomTruth; readonly urls: readonly string[] };
    readonly followup: { readonly truth: PhantomTruth; readonly urls: readonly string[] };
  };
  /** URLs of the LIDC-IDRI-0001 slices (file-name order), or null when the shared data is absent. */
  readonly lidcUrls: readonly string[] | null;
}

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
    console.warn('Orthanc is not installed: DICOMweb tests will fail. Run .ci/run or install orthanc + orthanc-dicomweb.');
  }
  const lidc = lidcCtFiles();
  const env: BrowserTestEnv = {
    dicomwebRoot: orthanc ? '/dicom-web' : null,
    faultsRoot: '/faults',
    studies,
    phantom: {
      baseline: { truth: phantom.baseline.truth, urls: phantom.baseline.files.map((f) => `/__data/cache/phantom/baseline/${basename(f)}`) },
      followup: { truth: phantom.followup.truth, urls: phantom.followup.files.map((f) => `/__data/cache/phantom/followup/${basename(f)}`) },
    },
    lidcUrls: lidc ? lidc.map((f) => `/__data/shared/lidc-idri-0001/ct/${basename(f)}`) : null,
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
  return {
    env,
    middleware,
    async stop() {
      await orthanc?.stop();
    },
  };
}
