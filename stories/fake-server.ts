/**
 * A fake HTTP server inside the Storybook preview, for the stories that need a server to fail
 * or to never answer (401, 500, a hanging request). It answers `fetch` calls to URLs under
 * `__fake/` from the page itself, so these stories behave the same under `pnpm storybook` and in
 * a static build served by any file server (no dev-server middleware, no service worker).
 * Every other request goes to the real `fetch` untouched.
 *
 * - `__fake/status/<code>/<anything>`: answers with that HTTP status (401 adds `WWW-Authenticate`).
 * - `__fake/hang/<anything>`: never answers; the request ends only when the caller aborts it.
 */

/** The URL of a file that the fake server answers with HTTP `status`. */
export const fakeStatusUrl = (status: number, name = 'slice.dcm'): string => `__fake/status/${status}/${name}`;

/** The URL of a file that the fake server never answers. */
export const fakeHangingUrl = (name = 'slice.dcm'): string => `__fake/hang/${name}`;

const STATUS = /\/__fake\/status\/([1-5]\d\d)(?:\/|$)/;
const HANG = /\/__fake\/hang(?:\/|$)/;

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The request was aborted.', 'AbortError');
}

/** What the fake server answers for `url`, or undefined when it is not one of its URLs. */
export function fakeAnswer(url: URL, signal?: AbortSignal | null): Promise<Response> | undefined {
  if (url.origin !== location.origin) return undefined;
  const status = STATUS.exec(url.pathname);
  if (status) {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const code = Number(status[1]);
    const headers = new Headers({ 'Content-Type': 'text/plain; charset=utf-8' });
    if (code === 401) headers.set('WWW-Authenticate', 'Bearer realm="storybook"');
    return Promise.resolve(new Response(`Fake server answer ${code}\n`, { status: code, headers }));
  }
  if (HANG.test(url.pathname)) {
    return new Promise<Response>((_resolve, reject) => {
      if (!signal) return;
      if (signal.aborted) reject(abortError(signal));
      else signal.addEventListener('abort', () => reject(abortError(signal)), { once: true });
    });
  }
  return undefined;
}

let installed = false;

/** Puts the fake server in front of `fetch` in this window (once). */
export function installFakeServer(): void {
  if (installed) return;
  installed = true;
  const realFetch = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input), location.href);
    return fakeAnswer(url, init?.signal ?? request?.signal) ?? realFetch(input, init);
  };
}
