import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { describe, it, after, before } from 'node:test';
import { ViewerError } from '@secondread/core';
import { writePhantom } from '@secondread/phantom';
import { phantomDir } from '../../../test/support/paths.ts';
import { chosenSource, hasSeriesSource, loadSeries } from '../src/series-loader.ts';

const phantom = await writePhantom(phantomDir);
const fileOf = (path: string): File => new File([readFileSync(path)], basename(path));
const baseline = phantom.baseline.files.map(fileOf);
const followup = phantom.followup.files.map(fileOf);

describe('loadSeries', () => {
  let server: Server;
  let root = '';
  const requests: string[] = [];
  const authorizations: (string | undefined)[] = [];
  before(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      authorizations.push(req.headers.authorization);
      const name = req.url?.slice(1) ?? '';
      const path = phantom.baseline.files.find((f) => basename(f) === name);
      if (!path) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/dicom' }).end(readFileSync(path));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('knows when a request names nothing to load', () => {
    assert.equal(hasSeriesSource({}), false);
    assert.equal(hasSeriesSource({ files: [] }), false);
    assert.equal(hasSeriesSource({ dicomwebRoot: '/dicom-web' }), false);
    assert.equal(hasSeriesSource({ dicomwebRoot: '/dicom-web', studyUid: '1.2.3' }), true);
    assert.equal(hasSeriesSource({ urls: ['a.dcm'] }), true);
    assert.equal(hasSeriesSource({ files: baseline.slice(0, 1) }), true);
  });

  it('sorts local files into a series in position order, opens at the middle, counts what it left out', async () => {
    const junk = new File([new TextEncoder().encode('not a DICOM file')], 'notes.txt');
    const loaded = await loadSeries({ files: [...baseline, junk] }, new AbortController().signal);
    const truth = phantom.baseline.truth;
    assert.equal(loaded.model.instances.length, truth.sliceCount);
    assert.deepEqual(
      loaded.model.instances.map((i) => i.sopInstanceUid),
      truth.instances.map((i) => i.sopInstanceUid),
    );
    assert.equal(loaded.initialIndex, Math.floor((truth.sliceCount - 1) / 2));
    assert.equal(loaded.skipped, 1);
    assert.equal(loaded.seriesCount, 1);
    assert.equal(loaded.source, null);
    assert.equal(loaded.pixels.kind, 'part10');
  });

  it('shows the chosen one of several local series', async () => {
    const files = [...baseline, ...followup];
    const first = await loadSeries({ files }, new AbortController().signal);
    const second = await loadSeries({ files, localChoice: 1 }, new AbortController().signal);
    assert.equal(first.seriesCount, 2);
    assert.equal(first.localSeries.length, 2);
    assert.notEqual(first.model.seriesUid, second.model.seriesUid);
    assert.deepEqual(
      new Set([first.model.seriesUid, second.model.seriesUid]),
      new Set([phantom.baseline.truth.seriesInstanceUid, phantom.followup.truth.seriesInstanceUid]),
    );
    // Out of range picks the last, not nothing.
    const last = await loadSeries({ files, localChoice: 7 }, new AbortController().signal);
    assert.equal(last.model.seriesUid, second.model.seriesUid);
  });

  it('fetches URLs with the headers and types HTTP failures', async () => {
    const urls = phantom.baseline.files.map((f) => `${root}/${basename(f)}`);
    authorizations.length = 0;
    const loaded = await loadSeries({ urls, headers: { Authorization: 'Bearer t0ken' } }, new AbortController().signal);
    assert.equal(loaded.model.instances.length, phantom.baseline.truth.sliceCount);
    assert.equal(authorizations.length, urls.length);
    assert.ok(authorizations.every((a) => a === 'Bearer t0ken'));
    await assert.rejects(
      loadSeries({ urls: [...urls.slice(0, 2), `${root}/missing.dcm`] }, new AbortController().signal),
      (error: unknown) => error instanceof ViewerError && error.code === 'not-found' && /404/.test(error.message),
    );
  });

  it('an aborted load stops at once and sends no request', async () => {
    const controller = new AbortController();
    controller.abort();
    const before = requests.length;
    await assert.rejects(
      loadSeries({ urls: [`${root}/${basename(phantom.baseline.files[0]!)}`] }, controller.signal),
      (error: unknown) => (error as Error).name === 'AbortError',
    );
    await assert.rejects(loadSeries({ dicomwebRoot: root, studyUid: '1.2.3' }, controller.signal));
    assert.equal(requests.length, before);
  });

  it('a DICOMweb request without a study is refused as empty', async () => {
    await assert.rejects(
      loadSeries({ dicomwebRoot: root }, new AbortController().signal),
      (error: unknown) => error instanceof ViewerError && error.code === 'empty-series',
    );
  });
});

describe('chosenSource', () => {
  const all = { files: baseline, urls: ['/a.dcm'], dicomwebRoot: '/dicom-web', studyUid: '1.2.3' };
  it('takes the preferred source (the one set last) when it names something', () => {
    assert.equal(chosenSource({ ...all, preferred: 'urls' }), 'urls');
    assert.equal(chosenSource({ ...all, preferred: 'dicomweb' }), 'dicomweb');
    assert.equal(chosenSource({ ...all, preferred: 'files' }), 'files');
  });
  it('falls back to files, then URLs, then DICOMweb when the preferred one names nothing', () => {
    assert.equal(chosenSource(all), 'files');
    assert.equal(chosenSource({ ...all, files: [], preferred: 'files' }), 'urls');
    assert.equal(chosenSource({ ...all, studyUid: undefined, preferred: 'dicomweb' }), 'files');
    assert.equal(chosenSource({ dicomwebRoot: '/dicom-web', studyUid: '1.2.3', preferred: 'urls' }), 'dicomweb');
    assert.equal(chosenSource({ dicomwebRoot: '/dicom-web', preferred: 'dicomweb' }), null);
  });
  it('loads the preferred source, not the others also set', async () => {
    const request = {
      files: followup,
      dicomwebRoot: 'http://127.0.0.1:1/dicom-web',
      studyUid: '1.2.3',
      retry: { retries: 0 },
    };
    const loaded = await loadSeries({ ...request, preferred: 'files' }, new AbortController().signal);
    assert.equal(loaded.model.seriesUid, phantom.followup.truth.seriesInstanceUid);
    // DICOMweb set last: the (unreachable) server is asked, the files are not shown.
    await assert.rejects(loadSeries({ ...request, preferred: 'dicomweb' }, new AbortController().signal), ViewerError);
  });
});
