import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { multipartBoundary, readMultipart } from '../src/multipart.ts';

function body(boundary: string, parts: Uint8Array[]): Uint8Array {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    chunks.push(enc.encode(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), part, enc.encode('\r\n'));
  }
  chunks.push(enc.encode(`--${boundary}--\r\n`));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function streamOf(bytes: Uint8Array, chunkSizes: () => number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const n = Math.max(1, chunkSizes());
      controller.enqueue(bytes.slice(at, at + n));
      at += n;
    },
  });
}

describe('readMultipart', () => {
  it('reads the boundary from a Content-Type header', () => {
    assert.equal(multipartBoundary('multipart/related; type="application/dicom"; boundary=abc123'), 'abc123');
    assert.equal(multipartBoundary('multipart/related; boundary="q u o t e d"'), 'q u o t e d');
    assert.equal(multipartBoundary('application/json'), null);
  });

  it('yields every part intact whatever the chunking, including CR LF bytes inside parts', async () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const parts = Array.from({ length: 12 }, (_, i) => {
      const p = new Uint8Array(1000 + i * 3777);
      for (let j = 0; j < p.length; j++) p[j] = Math.floor(random() * 256);
      p.set([13, 10, 45, 45], 50); // "\r\n--" inside the payload
      return p;
    });
    const bytes = body('b0undary', parts);
    for (const sizes of [() => 1 + Math.floor(random() * 7), () => 4096, () => bytes.length]) {
      const got: Uint8Array[] = [];
      for await (const part of readMultipart(streamOf(bytes, sizes), 'b0undary')) {
        assert.equal(part.headers['content-type'], 'application/dicom');
        got.push(part.body);
      }
      assert.equal(got.length, parts.length);
      got.forEach((g, i) => assert.deepEqual(g, parts[i]));
    }
  });

  it('rejects a body that ends before its closing boundary', async () => {
    const bytes = body('x', [new Uint8Array([1, 2, 3])]);
    const cut = bytes.slice(0, bytes.length - 8);
    await assert.rejects(async () => {
      for await (const part of readMultipart(
        streamOf(cut, () => 5),
        'x',
      ))
        void part;
    }, /ended before/);
  });
});
