import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isUnderRoot, isValidUid, requireUid, UID_MAX_LENGTH } from '../src/uid.ts';
import { DicomwebSource } from '../src/dicomweb.ts';
import { ViewerError } from '../src/errors.ts';
import type { InstanceInfo } from '../src/instance.ts';

describe('DICOM UIDs', () => {
  it('accepts digits in dot-separated components up to 64 characters', () => {
    assert.equal(isValidUid('1.2.840.10008.5.1.4.1.1.2'), true);
    assert.equal(isValidUid('7'), true);
    assert.equal(isValidUid(`1.${'2'.repeat(UID_MAX_LENGTH - 2)}`), true);
  });

  it('refuses traversal, queries, fragments, encodings, empties and overlong values', () => {
    for (const bad of [
      '../../../x',
      '1.2/../../x',
      '1.2?query#fragment',
      '1.2#x',
      '1.2%2F..',
      '',
      '.1',
      '1.',
      '1..2',
      ' 1.2',
      '1.2\n',
      '１.２',
      `1.${'2'.repeat(UID_MAX_LENGTH - 1)}`,
    ]) {
      assert.equal(isValidUid(bad), false, JSON.stringify(bad));
    }
    assert.equal(isValidUid(12), false);
    assert.equal(isValidUid(undefined), false);
  });

  it('requireUid throws a typed error that does not repeat the value', () => {
    assert.equal(requireUid('1.2.3', 'study'), '1.2.3');
    assert.throws(
      () => requireUid('../../../Lung_Dx-A0002', 'study'),
      (error: unknown) =>
        error instanceof ViewerError && error.code === 'not-found' && !error.message.includes('Lung_Dx'),
    );
    assert.throws(
      () => requireUid('1.2?x', 'instance', 'corrupt'),
      (error: unknown) => error instanceof ViewerError && error.code === 'corrupt',
    );
  });
});

describe('isUnderRoot', () => {
  const root = 'https://pacs.example/dicom-web';
  it('accepts the root and paths below it', () => {
    assert.equal(isUnderRoot('https://pacs.example/dicom-web', root), true);
    assert.equal(isUnderRoot('https://pacs.example/dicom-web/studies/1.2/series/3', root), true);
    assert.equal(isUnderRoot('https://pacs.example/dicom-web/studies/1?includefield=all', `${root}/`), true);
  });

  it('refuses other origins, sibling paths, traversal and look-alikes', () => {
    for (const url of [
      'https://evil.example/dicom-web/studies/1',
      'http://pacs.example/dicom-web/studies/1',
      'https://pacs.example:8443/dicom-web/studies/1',
      'https://pacs.example/dicom-web-other/studies/1',
      'https://pacs.example/dicom-webx',
      'https://pacs.example/dicom-web/../admin',
      'https://pacs.example/dicom-web/%2e%2e/admin',
      'https://evil.example/?https://pacs.example/dicom-web',
      'https://pacs.example.evil.example/dicom-web/studies/1',
      'https://user@evil.example/dicom-web',
      'not a url at all',
    ]) {
      assert.equal(isUnderRoot(url, root), false, url);
    }
  });

  it('resolves relative roots and URLs against the page (base)', () => {
    const base = 'https://portal.example/app/index.html';
    assert.equal(isUnderRoot('/dicom-web/studies/1', '/dicom-web', base), true);
    assert.equal(isUnderRoot('https://portal.example/dicom-web/studies/1', '/dicom-web', base), true);
    assert.equal(isUnderRoot('https://other.example/dicom-web/studies/1', '/dicom-web', base), false);
    assert.equal(isUnderRoot('/x/series', '/dicom-web', base), false);
  });
});

describe('DicomwebSource never builds a URL from a bad UID', () => {
  let server: Server;
  let root: string;
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];

  before(async () => {
    server = createServer((request, response) => {
      seen.push({ url: request.url ?? '', headers: request.headers });
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dicom-web`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const source = (): DicomwebSource => new DicomwebSource({ root, headers: { Authorization: 'Bearer canary' } });
  const refused = (error: unknown): boolean => error instanceof ViewerError && error.code === 'not-found';

  it('refuses traversal and query UIDs in every request, sending nothing', async () => {
    for (const bad of ['../../../x', '1.2?query#fragment']) {
      await assert.rejects(source().findFirstImageSeries(bad), refused);
      await assert.rejects(source().loadSeries(bad, '1.2'), refused);
      await assert.rejects(source().loadSeries('1.2', bad), refused);
      await assert.rejects(source().streamSeries(bad, '1.2').next(), refused);
      const instance = { studyUid: '1.2', seriesUid: '1.3', sopInstanceUid: bad } as InstanceInfo;
      await assert.rejects(source().fetchFrame(instance), (error: unknown) => error instanceof ViewerError);
      assert.throws(
        () => source().instanceUrl(instance),
        (error: unknown) => error instanceof ViewerError,
      );
    }
    await assert.rejects(
      source().fetchFrame({ studyUid: '1.2', seriesUid: '1.3', sopInstanceUid: '1.4' } as InstanceInfo, 0),
      refused,
    );
    assert.deepEqual(seen, []);
  });

  it('still sends valid requests under the root, with the headers', async () => {
    await assert.rejects(source().streamSeries('1.2', '1.3').next(), refused); // the canary answers 404
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.url, '/dicom-web/studies/1.2/series/1.3');
    assert.equal(seen[0]!.headers.authorization, 'Bearer canary');
  });
});
