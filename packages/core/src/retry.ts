import { ViewerError } from './errors.js';

/**
 * How a request to the image server is retried. Every frame and series request has a
 * timeout (`timeoutMs`) and at most `retries` further attempts, the n-th after an
 * exponential backoff of `baseDelayMs · 2^(n-1)` (capped at `maxDelayMs`), with ±25 % jitter
 * so that many viewers do not hammer a recovering server in step.
 */
export interface RetryPolicy {
  /** Further attempts after the first one (0 = no retry). */
  readonly retries: number;
  /** Delay before the first retry, ms. */
  readonly baseDelayMs: number;
  /** Upper bound of any delay, ms. */
  readonly maxDelayMs: number;
  /** How long one attempt may take before it counts as failed (`network`), ms. */
  readonly timeoutMs: number;
}

/** The defaults of `<ct-viewer>`: 2 retries, 500 ms, 1 s, … up to 8 s, 30 s a request. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  retries: 2,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  timeoutMs: 30_000,
});

/**
 * True for failures another attempt may cure: the network, a timeout, a 5xx, 408 or 429.
 * Credentials (401/403), a missing object (404), damaged data and aborts are final.
 */
export function isRetryable(error: unknown): boolean {
  if (isAbort(error)) return false;
  if (!(error instanceof ViewerError)) return false;
  if (error.code === 'network') return true;
  if (error.code !== 'http-status') return false;
  const status = error.status ?? 0;
  return status >= 500 || status === 408 || status === 429;
}

/** True when `error` is an abort (an `AbortError`, or the reason an aborted signal gave). */
export function isAbort(error: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted && (error === signal.reason || error instanceof DOMException)) return true;
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * The delay before retry number `attempt` (1 = the first retry): exponential, capped, jittered
 * by ±25 % with `random` (a function returning [0, 1), `Math.random` by default).
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.max(0, Math.round(capped * (0.75 + 0.5 * random())));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Options of {@link withRetry}. */
export interface WithRetryOptions {
  /** Aborts the current attempt and any wait; the promise then rejects with the abort reason. */
  readonly signal?: AbortSignal;
  /** Which failures to retry; {@link isRetryable} by default. */
  readonly shouldRetry?: (error: unknown, attempt: number) => boolean;
  /** Called before each retry with the failure and the delay that follows. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Source of jitter, for tests. */
  readonly random?: () => number;
}

/**
 * Runs `attempt` until it succeeds, a failure is final, the retries are spent, or `signal`
 * aborts. Each attempt gets its own signal, aborted when the caller's signal aborts.
 * @returns the first successful result.
 * @throws the last failure (or the abort reason).
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: (signal: AbortSignal, attempt: number) => Promise<T>,
  options: WithRetryOptions = {},
): Promise<T> {
  const { signal } = options;
  const shouldRetry = options.shouldRetry ?? isRetryable;
  const retries = Math.max(0, Math.floor(policy.retries));
  for (let n = 0; ; n++) {
    if (signal?.aborted) throw signal.reason;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await attempt(controller.signal, n);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (n >= retries || !shouldRetry(error, n + 1)) throw error;
      const delay = retryDelayMs(policy, n + 1, options.random);
      options.onRetry?.(error, n + 1, delay);
      await abortableDelay(delay, signal);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

/**
 * Reads a response body as bytes, failing with `network` when no byte arrives for
 * `stallMs` (the server stopped sending) — a timer reset by every chunk — or when `signal`
 * aborts. Where the body is a stream, the stream is cancelled on failure.
 */
export async function readBodyWithStallTimeout(
  body: ReadableStream<Uint8Array>,
  stallMs: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of watchStall(body, stallMs, signal)) {
    chunks.push(chunk);
    length += chunk.length;
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/**
 * The chunks of `body`, failing with a `network` {@link ViewerError} ("stopped sending") when
 * no chunk arrives for `stallMs`, or with the abort reason when `signal` aborts.
 */
export async function* watchStall(
  body: ReadableStream<Uint8Array>,
  stallMs: number,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let onAbort: (() => void) | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ViewerError('network', stoppedSendingMessage(stallMs), 0)),
          Math.max(1, stallMs),
        );
        if (signal) {
          onAbort = () => reject(signal.reason);
          if (signal.aborted) onAbort();
          else signal.addEventListener('abort', onAbort, { once: true });
        }
      });
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await Promise.race([reader.read(), stalled]);
      } finally {
        clearTimeout(timer);
        if (onAbort) signal?.removeEventListener('abort', onAbort);
      }
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    // Failed, stalled, aborted or abandoned by the consumer: stop the transfer.
    if (!finished) void reader.cancel().catch(() => undefined);
  }
}

/** The one wording of a stalled answer. */
export function stoppedSendingMessage(stallMs: number): string {
  return `The image server stopped sending data (nothing for ${formatSeconds(stallMs)}).`;
}

/** The one wording of an answer that did not come. */
export function noAnswerMessage(timeoutMs: number): string {
  return `The image server did not answer within ${formatSeconds(timeoutMs)}.`;
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}
