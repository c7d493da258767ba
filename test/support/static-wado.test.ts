/**
 * The static DICOMweb tree (static-wado-creator) and its file server: what a viewer gets from it.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import dicomParser from 'dicom-parser';
import { writePhantom } from '@secondread/phantom';
import { DicomwebSource, instanceFromDicomJson } from '@secondread/core';
import { phantomDir } from './paths.ts';
import { prepareDefaultStaticWadoTree, startStaticDicomwebServer, type StaticDicomwebServer } from './static-wado.ts';

type DicomJson = Record<string, { Value?: unknown[] } | undefined>;
const value = (json: DicomJson, tag: string): unknown => json[tag]?.Value?.[0];

describe('static DICOMweb tree', { timeout: 180_000 }, () => {
  let server: StaticDicomwebServer;
  let tree: string;
  let phantom: Awaited<ReturnType<typeof writePhantom>>;
  before(async () => {
    phantom = await writePhantom(phantomDir);
    tree = (await prepareDefaultStaticWadoTree()).dir;
    server = await startStaticDicomwebServer(tree);
    // Made again from the same inputs, the tree is reused.
    assert.equal((await prepareDefaultStaticWadoTree()).reused, true);
  });
  after(() => server?.close());

  const get = async (path: string, init?: RequestInit): Promise<Response> =>
    fetch(`${server.dicomwebRoot}${path}`, init);

  it('lists the studies and a study’s series from gzip-encoded JSON, and ignores QIDO query parameters', async () => {
    const studies = await get('/studies');
    assert.equal(studies.status, 200);
    assert.equal(studies.headers.get('content-type'), 'application/dicom+json');
    assert.equal(studies.headers.get('content-encoding'), 'gzip');
    const uids = ((await studies.json()) as DicomJson[]).map((s) => value(s, '0020000D'));
    assert.ok(uids.includes(phantom.baseline.truth.studyInstanceUid));
    assert.ok(uids.includes(phantom.followup.truth.studyInstanceUid));
    // No filtering: a static host answers the same file whatever the query.
    const filtered = (await (
      await get(`/studies?StudyInstanceUID=${phantom.followup.truth.studyInstanceUid}`)
    ).json()) as DicomJson[];
    assert.deepEqual(
      filtered.map((s) => value(s, '0020000D')),
      uids,
    );

    const series = (await (
      await get(`/studies/${phantom.baseline.truth.studyInstanceUid}/series?Modality=SR`)
    ).json()) as DicomJson[];
    const modalities = new Map(series.map((s) => [value(s, '0020000E'), value(s, '00080060')]));
    assert.equal(modalities.get(phantom.baseline.truth.seriesInstanceUid), 'CT');
    assert.ok([...modalities.values()].includes('SR'), 'the first reading’s SR series is listed too');
  });

  it('serves series metadata and each frame as the Part 10 file holds it', async () => {
    const { truth, files } = phantom.baseline;
    const base = `/studies/${truth.studyInstanceUid}/series/${truth.seriesInstanceUid}`;
    const metadata = (await (await get(`${base}/metadata`)).json()) as DicomJson[];
    assert.equal(metadata.length, truth.sliceCount);
    for (const instance of metadata) assert.equal(value(instance, '00083002'), '1.2.840.10008.1.2.1');

    const bytes = new Uint8Array(await readFile(files[0]!));
    const dataSet = dicomParser.parseDicom(bytes);
    const sop = dataSet.string('x00080018')!;
    const pixels = dataSet.elements.x7fe00010!;
    const stored = bytes.subarray(pixels.dataOffset, pixels.dataOffset + pixels.length);

    const frame = await get(`${base}/instances/${sop}/frames/1`, {
      headers: { Accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*' },
    });
    assert.equal(frame.status, 200);
    const contentType = frame.headers.get('content-type') ?? '';
    assert.match(contentType, /^multipart\/related; type="application\/octet-stream"; boundary=/);
    const boundary = /boundary=(.+)$/.exec(contentType)![1]!;
    const body = Buffer.from(await frame.arrayBuffer());
    const headerEnd = body.indexOf('\r\n\r\n');
    assert.match(body.subarray(0, headerEnd).toString('latin1'), /transfer-syntax=1\.2\.840\.10008\.1\.2\.1/);
    const end = body.indexOf(`\r\n--${boundary}`, headerEnd);
    assert.ok(end > headerEnd);
    assert.deepEqual(new Uint8Array(body.subarray(headerEnd + 4, end)), stored);
  });

  it('answers 404 for what a static tree lacks (series retrieve) and 405 for STOW-RS', async () => {
    const { truth } = phantom.baseline;
    const retrieve = await get(`/studies/${truth.studyInstanceUid}/series/${truth.seriesInstanceUid}`, {
      headers: { Accept: 'multipart/related; type="application/dicom"' },
    });
    assert.equal(retrieve.status, 404);
    const stow = await get(`/studies/${truth.studyInstanceUid}`, {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/related; type="application/dicom"; boundary=x' },
      body: '--x--',
    });
    assert.equal(stow.status, 405);
    assert.equal(stow.headers.get('allow'), 'GET, HEAD');
  });

  it('gives DicomwebSource the stored pixels, also when the boundary is only in the body (object storage)', async () => {
    const { truth, files } = phantom.baseline;
    const bytes = new Uint8Array(await readFile(files[3]!));
    const dataSet = dicomParser.parseDicom(bytes);
    const pixels = dataSet.elements.x7fe00010!;
    const stored = bytes.subarray(pixels.dataOffset, pixels.dataOffset + pixels.length);
    const sop = dataSet.string('x00080018')!;
    const bare = await startStaticDicomwebServer(tree, { boundaryInContentType: false });
    try {
      for (const root of [server.dicomwebRoot, bare.dicomwebRoot]) {
        const base = `${root}/studies/${truth.studyInstanceUid}/series/${truth.seriesInstanceUid}`;
        const metadata = (await (await fetch(`${base}/metadata`)).json()) as DicomJson[];
        const instance = instanceFromDicomJson(metadata.find((m) => value(m, '00080018') === sop)! as never);
        const head = await fetch(`${base}/instances/${sop}/frames/1`, { method: 'HEAD' });
        assert.equal(/boundary=/.test(head.headers.get('content-type') ?? ''), root === server.dicomwebRoot);
        const source = new DicomwebSource({ root });
        for (const uncompressed of [true, false]) {
          const frame = await source.fetchFrame(instance, 1, { uncompressed });
          assert.equal(frame.transferSyntaxUid, '1.2.840.10008.1.2.1');
          assert.deepEqual(frame.bytes, stored);
        }
      }
    } finally {
      await bare.close();
    }
  });
});
