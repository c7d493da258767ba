/**
 * Smoke test of the Orthanc test harness: real Orthanc, real uploads, DICOMweb through the
 * proxy, fault injection, and client aborts that must not leave Orthanc stuck.
 *
 * Run with `pnpm exec tsx --test test/support/orthanc.test.ts`. Skipped when Orthanc or its
 * DICOMweb plugin is not installed.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PhantomTruth } from '../../packages/phantom/src/index.ts';
import { loadDefaultStudies, type LoadedSeries } from './load-studies.ts';
import { isOrthancAvailable, startOrthanc, type OrthancHandle } from './orthanc.ts';
import { phantomDir } from './paths.ts';
import {
  createDicomwebProxyKoaMiddleware,
  startProxyServer,
  type KoaLikeContext,
  type ProxyServerHandle,
} from './proxy.ts';

type DicomJson = Record<string, { vr: string; Value?: unknown[] }>;

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function getJson(url: string): Promise<DicomJson[]> {
  const response = await fetch(url, { headers: { accept: 'application/dicom+json' } });
  assert.equal(response.status, 200, url);
  return (await response.json()) as DicomJson[];
}

function value(item: DicomJson, tag: string): unknown {
  return item[tag]?.Value?.[0];
}

/** Body of the first part of a multipart/related response. */
function firstPart(contentType: string, body: Uint8Array): Uint8Array {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  assert.ok(boundary, `boundary in ${contentType}`);
  const text = Buffer.from(body).toString('latin1');
  const start = text.indexOf(`--${boundary}`);
  const headersEnd = text.indexOf('\r\n\r\n', start);
  const end = text.indexOf(`\r\n--${boundary}`, headersEnd);
  assert.ok(start >= 0 && headersEnd > start && end > headersEnd, 'multipart structure');
  return body.subarray(headersEnd + 4, end);
}

const available = isOrthancAvailable();

describe('Orthanc harness', { skip: available ? false : 'Orthanc or its DICOMweb plugin is not installed' }, () => {
  let orthanc: OrthancHandle;
  let proxy: ProxyServerHandle;
  let loaded: LoadedSeries[];
  let baseline: PhantomTruth;

  before(async () => {
    // Few HTTP threads, so that upstream requests left hanging would visibly starve Orthanc.
    orthanc = await startOrthanc({ httpThreads: 4 });
    proxy = await startProxyServer(orthanc.url);
    loaded = await loadDefaultStudies(orthanc);
    baseline = JSON.parse(await readFile(join(phantomDir, 'baseline/truth.json'), 'utf8')) as PhantomTruth;
  });

  after(async () => {
    await proxy?.close();
    await orthanc?.stop();
    if (orthanc) assert.equal(existsSync(orthanc.workDir), false, 'work dir removed');
  });

  it('lists the loaded studies with QIDO-RS through the proxy', async () => {
    const studies = await getJson(`${proxy.dicomwebRoot}/studies?includefield=00081030`);
    const uids = new Set(studies.map((study) => value(study, '0020000D')));
    for (const series of loaded) assert.ok(uids.has(series.studyUid), `${series.source} study listed`);
    const phantom = studies.find((study) => value(study, '0020000D') === baseline.studyInstanceUid);
    assert.ok(phantom);
    assert.equal(value(phantom, '00081030'), 'SecondRead phantom');
    assert.equal(value(phantom, '00201208'), 60);
  });

  it('serves complete series metadata with the right instance counts', async () => {
    const expected: Record<string, number> = {
      'phantom-baseline': 60,
      'phantom-followup': 60,
      'lidc-ct': 133,
      'lidc-seg': 1,
    };
    for (const series of loaded) {
      const metadata = await getJson(
        `${proxy.dicomwebRoot}/studies/${series.studyUid}/series/${series.seriesUid}/metadata`,
      );
      assert.equal(metadata.length, expected[series.source], series.source);
      if (series.modality === 'CT') {
        for (const instance of metadata) {
          assert.equal(instance['00200032']?.Value?.length, 3, 'ImagePositionPatient');
          assert.equal(instance['00280030']?.Value?.length, 2, 'PixelSpacing');
        }
      }
    }
    assert.equal(loaded.filter((series) => series.source.startsWith('phantom')).length, 2);
  });

  it('retrieves one frame through the proxy with the phantom values', async () => {
    const nodule = baseline.nodules[0];
    assert.ok(nodule);
    const response = await fetch(
      `${proxy.dicomwebRoot}/studies/${baseline.studyInstanceUid}/series/${baseline.seriesInstanceUid}/instances/${nodule.sopInstanceUid}/frames/1`,
      { headers: { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*' } },
    );
    assert.equal(response.status, 200);
    const frame = firstPart(response.headers.get('content-type') ?? '', new Uint8Array(await response.arrayBuffer()));
    assert.equal(frame.byteLength, baseline.rows * baseline.columns * 2);
    const pixels = new Int16Array(frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength));
    const [column, row] = nodule.insideVoxel;
    assert.equal(pixels[row * baseline.columns + column], nodule.hu + 1024);
    assert.equal(pixels[0], -1000 + 1024);
  });

  it('injects HTTP status faults, garbage and connection resets', async () => {
    const path = `/dicom-web/studies/${baseline.studyInstanceUid}/series`;
    for (const status of [401, 404, 500]) {
      const response = await fetch(`${proxy.url}/faults/${status}${path}`);
      assert.equal(response.status, status);
      await response.arrayBuffer();
    }
    const garbage = await fetch(`${proxy.url}/faults/garbage${path}`);
    assert.equal(garbage.status, 200);
    await assert.rejects(garbage.json(), SyntaxError);
    const garbageFrames = await fetch(`${proxy.url}/faults/garbage${path}/x/instances/y/frames/1`);
    assert.match(garbageFrames.headers.get('content-type') ?? '', /^multipart\/related/);
    await garbageFrames.arrayBuffer();
    await assert.rejects(fetch(`${proxy.url}/faults/reset${path}`), TypeError);
    const delayed = Date.now();
    const slow = await fetch(`${proxy.url}/faults/delay-300${path}`);
    assert.equal(slow.status, 200);
    await slow.arrayBuffer();
    assert.ok(Date.now() - delayed >= 290);
  });

  it('aborts upstream requests when clients disconnect, leaving Orthanc responsive', async () => {
    // Whole-series WADO-RS retrievals (~8 MB each): big enough to block an Orthanc thread.
    const seriesUrl = `/dicom-web/studies/${baseline.studyInstanceUid}/series/${baseline.seriesInstanceUid}`;
    const controllers = Array.from({ length: 8 }, () => new AbortController());
    const hung = controllers.map((controller) =>
      fetch(`${proxy.url}/faults/hang${seriesUrl}`, { signal: controller.signal }).catch((error: unknown) => error),
    );
    await waitFor(() => proxy.proxy.activeUpstreamRequests() === controllers.length, 5000, 'hung upstream requests');
    for (const controller of controllers) controller.abort();
    for (const outcome of await Promise.all(hung)) assert.equal((outcome as Error).name, 'AbortError');
    await waitFor(() => proxy.proxy.activeUpstreamRequests() === 0, 2000, 'upstream requests to be aborted');

    // A plain (non-fault) retrieval dropped after its first chunk.
    const controller = new AbortController();
    const response = await fetch(`${proxy.url}${seriesUrl}`, { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.read().catch(() => undefined);
    await waitFor(() => proxy.proxy.activeUpstreamRequests() === 0, 2000, 'dropped retrieval to be aborted');

    const started = Date.now();
    const studies = await fetch(`${proxy.dicomwebRoot}/studies`, { signal: AbortSignal.timeout(2000) });
    assert.equal(studies.status, 200);
    await studies.arrayBuffer();
    assert.ok(Date.now() - started < 1000, `answered in ${Date.now() - started} ms`);
    const direct = await fetch(`${orthanc.url}/system`, { signal: AbortSignal.timeout(2000) });
    assert.equal(direct.status, 200);
    await direct.arrayBuffer();
  });

  it('works as Koa middleware (web-test-runner), passing other requests on', async () => {
    const koa = createDicomwebProxyKoaMiddleware(orthanc.dicomwebRoot);
    const server = createServer((req, res) => {
      const ctx: KoaLikeContext = { req, res, respond: true };
      void koa(ctx, async () => {
        res.writeHead(418).end('next');
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const studies = await fetch(`${base}/dicom-web/studies`);
      assert.equal(studies.status, 200);
      assert.ok(Array.isArray(await studies.json()));
      const other = await fetch(`${base}/index.html`);
      assert.equal(other.status, 418);
      assert.equal(await other.text(), 'next');
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });
});
