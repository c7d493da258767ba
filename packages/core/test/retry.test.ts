import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_RETRY_POLICY,
  isRetryable,
  readBodyWithStallTimeout,
  retryDelayMs,
  withRetry,
  type RetryPolicy,
} from '../src/retry.ts';
import { DicomwebSource } from '../src/dicomweb.ts';
import { ViewerError } from '../src/errors.ts';
import type { InstanceInfo } from '../src/instance.ts';

const fast: RetryPolicy = { retries: 3, baseDelayMs: 10, maxDelayMs: 40, timeoutMs: 1000 };

describe('retry policy', () => {
  it('backs off exponentially, capped, with ±25 % jitter', () => {
    const policy: RetryPolicy = { retries: 5, baseDelayMs: 100, maxDelayMs: 500, timeoutMs: 1 };
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => retryDelayMs(policy, n, () => 0.5)),
      [100, 200, 400, 500],
    );
    assert.equal(
      retryDelayMs(policy, 1, () => 0),
      75,
    );
    assert.equal(
      retryDelayMs(policy, 1, () => 0.999999),
      125,
    );
    assert.equal(
      retryDelayMs(policy, 9, () => 0.999999),
      625,
    );
  });

  it('retries network failures, timeouts and 5xx/408/429 only', () => {
    assert.equal(isRetryable(new ViewerError('network', 'x', 0)), true);
    for (const status of [500, 502, 503, 504, 408, 429]) {
      assert.equal(isRetryable(new ViewerError('http-status', 'x', status)), true, String(status));
    }
    for (const error of [
      new ViewerError('unauthorized', 'x', 401),
      new ViewerError('not-found', 'x', 404),
      new ViewerError('http-status', 'x', 400),
      new ViewerError('corrupt', 'x'),
      new DOMException('aborted', 'AbortError'),
      new Error('plain'),
    ]) {
      assert.equal(isRetryable(error), false, error.message);
    }
  });

  it('withRetry: succeeds after transient failures, calling onRetry with growing delays', async () => {
    let calls = 0;
    const delays: number[] = [];
    const result = await withRetry(
      fast,
      async (_signal, attempt) => {
        calls++;
        if (attempt < 2) throw new ViewerError('http-status', 'The image server answered 500.', 500);
        return 'frame';
      },
      { onRetry: (_e, _n, delay) => delays.push(delay), random: () => 0.5 },
    );
    assert.equal(result, 'frame');
    assert.equal(calls, 3);
    assert.deepEqual(delays, [10, 20]);
  });

  it('withRetry: stops at the bound and throws the last failure', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(fast, async () => {
        calls++;
        throw new ViewerError('network', `attempt ${calls}`, 0);
      }),
      (error: unknown) => error instanceof ViewerError && error.message === 'attempt 4',
    );
    assert.equal(calls, 1 + fast.retries);
  });

  it('withRetry: a final failure is not retried', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(fast, async () => {
        calls++;
        throw new ViewerError('unauthorized', 'no', 401);
      }),
      (error: unknown) => error instanceof ViewerError && error.code === 'unauthorized',
    );
    assert.equal(calls, 1);
  });

  it('withRetry: an abort stops the attempt and the wait at once', async () => {
    const controller = new AbortController();
    let attemptAborted = false;
    const started = Date.now();
    const run = withRetry(
      { retries: 5, baseDelayMs: 10_000, maxDelayMs: 10_000, timeoutMs: 1 },
      (signal) =>
        new Promise<never>((_, reject) => {
          signal.addEventListener('abort', () => {
            attemptAborted = true;
            reject(new DOMException('aborted', 'AbortError'));
          });
        }),
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(new DOMException('stop', 'AbortError')), 20);
    await assert.rejects(run, (error: unknown) => error instanceof DOMException && error.message === 'stop');
    assert.equal(attemptAborted, true);
    assert.ok(Date.now() - started < 1000);
    // And during the backoff wait:
    const waiting = new AbortController();
    const second = withRetry(
      { retries: 5, baseDelayMs: 10_000, maxDelayMs: 10_000, timeoutMs: 1 },
      async () => {
        throw new ViewerError('network', 'down', 0);
      },
      { signal: waiting.signal },
    );
    setTimeout(() => waiting.abort(new DOMException('stop', 'AbortError')), 20);
    await assert.rejects(second, (error: unknown) => error instanceof DOMException);
    assert.ok(Date.now() - started < 2000);
  });

  it('readBodyWithStallTimeout: reads a slow body whose bytes keep coming, fails a stalled one', async () => {
    const slow = new ReadableStream<Uint8Array>({
      async start(controller) {
        for (let i = 0; i < 5; i++) {
          await new Promise((r) => setTimeout(r, 30));
          controller.enqueue(new Uint8Array([i]));
        }
        controller.close();
      },
    });
    assert.deepEqual([...(await readBodyWithStallTimeout(slow, 200))], [0, 1, 2, 3, 4]);
    let cancelled = false;
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1]));
      },
      cancel() {
        cancelled = true;
      },
    });
    await assert.rejects(
      readBodyWithStallTimeout(stalled, 50),
      (error: unknown) =>
        error instanceof ViewerError && error.code === 'network' && /stopped sending/.test(error.message),
    );
    assert.equal(cancelled, true);
  });

  it('has documented defaults', () => {
    assert.deepEqual({ ...DEFAULT_RETRY_POLICY }, { retries: 2, baseDelayMs: 500, maxDelayMs: 8000, timeoutMs: 30000 });
  });
});

describe('DicomwebSource.fetchFrame under server faults', () => {
  let server: Server;
  let root: string;
  /** What the server does for each request, in order; the last entry repeats. */
  let script: ((response: ServerResponse) => void)[] = [];
  let requests = 0;
  const frame = (response: ServerResponse): void => {
    const boundary = 'b1';
    response.writeHead(200, {
      'content-type': `multipart/related; type="application/octet-stream"; boundary=${boundary}`,
    });
    response.end(
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1\r\n\r\n`,
        ),
        Buffer.from([1, 2, 3, 4]),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    );
  };
  const status = (code: number) => (response: ServerResponse) => response.writeHead(code).end();
  const stall = (response: ServerResponse): void => {
    response.writeHead(200, { 'content-type': 'multipart/related; boundary=b1' });
    response.write('--b1\r\n');
  };

  before(async () => {
    server = createServer((request, response) => {
      const step = script[Math.min(requests, script.length - 1)]!;
      requests++;
      request.resume();
      step(response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dicom-web`;
  });
  after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  const instance = { studyUid: '1.2', seriesUid: '1.3', sopInstanceUid: '1.4' } as InstanceInfo;
  const source = (timeoutMs = 1000, retries = 2): DicomwebSource =>
    new DicomwebSource({ root, timeoutMs, retry: { retries, baseDelayMs: 10, maxDelayMs: 20 } });

  it('retries 500s and gets the frame once the server is back', async () => {
    requests = 0;
    script = [status(500), status(503), frame];
    const data = await source().fetchFrame(instance);
    assert.deepEqual([...data.bytes], [1, 2, 3, 4]);
    assert.equal(requests, 3);
  });

  it('gives up after the bound with http-status and the status, never corrupt', async () => {
    requests = 0;
    script = [status(500)];
    await assert.rejects(
      source().fetchFrame(instance),
      (error: unknown) =>
        error instanceof ViewerError &&
        error.code === 'http-status' &&
        error.status === 500 &&
        !/\[object/.test(error.message),
    );
    assert.equal(requests, 3);
  });

  it('does not retry a 401', async () => {
    requests = 0;
    script = [status(401), frame];
    await assert.rejects(
      source().fetchFrame(instance),
      (error: unknown) => error instanceof ViewerError && error.code === 'unauthorized',
    );
    assert.equal(requests, 1);
  });

  it('a stalled answer fails as network after the timeout, and is retried', async () => {
    requests = 0;
    script = [stall, frame];
    const started = Date.now();
    const data = await source(150).fetchFrame(instance);
    assert.deepEqual([...data.bytes], [1, 2, 3, 4]);
    assert.equal(requests, 2);
    assert.ok(Date.now() - started >= 150);
    requests = 0;
    script = [stall];
    await assert.rejects(
      source(100, 0).fetchFrame(instance),
      (error: unknown) => error instanceof ViewerError && error.code === 'network',
    );
    assert.equal(requests, 1);
  });

  it('aborting one frame cancels it without touching the source', async () => {
    requests = 0;
    script = [stall];
    const controller = new AbortController();
    const s = source(10_000);
    const pending = s.fetchFrame(instance, 1, { signal: controller.signal });
    setTimeout(() => controller.abort(new DOMException('scrolled away', 'AbortError')), 50);
    await assert.rejects(pending, (error: unknown) => error instanceof DOMException);
    assert.equal(s.signal.aborted, false);
    script = [frame];
    assert.deepEqual([...(await s.fetchFrame(instance)).bytes], [1, 2, 3, 4]);
  });
});
