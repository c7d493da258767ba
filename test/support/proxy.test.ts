/**
 * The fault proxy's scenarios, trickle and stall-after faults, against a plain upstream server
 * (Orthanc is not needed for these: orthanc.test.ts covers the proxy in front of it).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startProxyServer, type ProxyServerHandle } from './proxy.ts';

describe('fault proxy scenarios', () => {
  let upstream: Server;
  let proxy: ProxyServerHandle;
  const body = Buffer.alloc(2000, 7);

  before(async () => {
    upstream = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      res.end(body);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    proxy = await startProxyServer(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}/dicom-web`);
  });
  after(async () => {
    await proxy.close();
    upstream.closeAllConnections();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  const put = (id: string, rules: unknown[]): Promise<Response> =>
    fetch(`${proxy.url}/faults/scenario/${id}`, { method: 'PUT', body: JSON.stringify({ rules }) });
  const log = async (id: string): Promise<{ path: string; fault: string | null }[]> =>
    ((await (await fetch(`${proxy.url}/faults/scenario/${id}`)).json()) as { requests: never[] }).requests;
  const get = (id: string, path: string): Promise<Response> =>
    fetch(`${proxy.url}/faults/scenario-${id}/dicom-web${path}`);

  it('applies the first matching rule, honours after and times, logs every request, and recovers', async () => {
    assert.equal((await put('a', [{ match: '/frames/', fault: '500', after: 1, times: 2 }])).status, 204);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get('a', '/studies/1/series/2/instances/3/frames/1')).status);
    assert.deepEqual(statuses, [200, 500, 500, 200]);
    assert.equal((await get('a', '/studies/1/series/2/metadata')).status, 200);
    const requests = await log('a');
    assert.deepEqual(
      requests.map((r) => r.fault),
      [null, '500', '500', null, null],
    );
    assert.equal(requests[4]!.path, '/dicom-web/studies/1/series/2/metadata');
    // The server comes back: no rules.
    await put('a', []);
    assert.equal((await get('a', '/studies/1/series/2/instances/3/frames/1')).status, 200);
    assert.equal((await fetch(`${proxy.url}/faults/scenario/a`, { method: 'DELETE' })).status, 204);
    assert.deepEqual(await log('a'), []);
  });

  it('unlessHeader: a rule skips requests with that header (new credentials), which after and times do not count', async () => {
    await put('auth', [
      { match: '/frames/', fault: '401', after: 1, unlessHeader: { name: 'Authorization', value: 'Bearer new' } },
    ]);
    const frame = (token: string): Promise<number> =>
      fetch(`${proxy.url}/faults/scenario-auth/dicom-web/studies/1/series/2/instances/3/frames/1`, {
        headers: { Authorization: `Bearer ${token}` },
      }).then((r) => r.status);
    assert.deepEqual(
      [await frame('new'), await frame('old'), await frame('old'), await frame('new')],
      [200, 200, 401, 200],
    );
    assert.deepEqual(
      (await log('auth')).map((r) => r.fault),
      [null, null, '401', null],
    );
  });

  it('trickle-<B> sends the whole answer at about B bytes/s', async () => {
    const started = Date.now();
    const response = await fetch(`${proxy.url}/faults/trickle-4000/dicom-web/x`);
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.deepEqual(bytes, body);
    assert.ok(Date.now() - started >= 350, `took ${Date.now() - started} ms`);
  });

  it('stall-after-<N> sends N bytes and then nothing', async () => {
    const response = await fetch(`${proxy.url}/faults/stall-after-100/dicom-web/x`);
    const reader = response.body!.getReader();
    let received = 0;
    const deadline = Date.now() + 600;
    while (Date.now() < deadline) {
      const next = await Promise.race([
        reader.read(),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), deadline - Date.now())),
      ]);
      if (!next || next.done) break;
      received += next.value.length;
    }
    await reader.cancel();
    assert.equal(received, 100);
  });
});
