/**
 * Same-origin DICOMweb proxy to Orthanc (which sends no CORS headers), with fault injection for
 * tests. Works as connect/Vite middleware (`server.middlewares.use(proxy)`), as Koa middleware
 * for web-test-runner (`createDicomwebProxyKoaMiddleware`), or as a standalone server
 * (`startProxyServer`).
 *
 * Routes, with the defaults `prefix = '/dicom-web'` and `faultsPrefix = '/faults'`:
 *
 * | request path                         | result                                              |
 * | ------------------------------------ | --------------------------------------------------- |
 * | `/dicom-web/<rest>?<query>`          | forwarded to `<upstream root>/<rest>?<query>`       |
 * | `/faults/401/dicom-web/<rest>`       | answers 401 (any 3-digit 4xx/5xx status works)       |
 * | `/faults/hang/dicom-web/<rest>`      | forwarded upstream, but no answer is ever sent and   |
 * |                                      | the upstream answer is not read, until the client    |
 * |                                      | disconnects (then the upstream request is aborted)  |
 * | `/faults/garbage/dicom-web/<rest>`   | 200 with a malformed body: truncated DICOM JSON, or  |
 * |                                      | a multipart/related body without valid parts (for    |
 * |                                      | frames/bulk/rendered paths or a multipart Accept)   |
 * | `/faults/reset/dicom-web/<rest>`     | the connection is destroyed (a network error)       |
 * | `/faults/delay-<ms>/dicom-web/<rest>`| forwarded normally after `ms` (at most 60 000)       |
 * | `/faults/empty/dicom-web/<rest>`     | 200 with an empty DICOM JSON array (`[]`): a series  |
 * |                                      | with no instances, which Orthanc never produces      |
 * | `/faults/trickle-<B>/dicom-web/<rest>`| forwarded, the answer sent at about B bytes/s        |
 * | `/faults/stall-after-<N>/dicom-web/…`| forwarded, the first N bytes of the answer sent, then |
 * |                                      | nothing more until the client disconnects            |
 * | `/faults/scenario-<id>/dicom-web/…`  | the first matching rule of scenario `id` applies its |
 * |                                      | fault (any of the above); no rule: forwarded         |
 *
 * Scenarios are set and read by the test page itself, on the same origin:
 * `PUT /faults/scenario/<id>` with `{ "rules": [{ "match": "<regex on /dicom-web/…>", "fault":
 * "500", "after": 1, "times": 3 }] }` (`after`: let the first n matching requests through;
 * `times`: apply to at most n requests; `unlessHeader: { name, value }`: not for requests with that
 * header, e.g. a 401 for all but the new credentials), `GET /faults/scenario/<id>` answers
 * `{ "requests": [{ "path", "fault" }] }` (every request seen, with the fault applied or null),
 * `DELETE /faults/scenario/<id>` forgets rules and log. A server that "comes back" is a PUT
 * with fewer rules.
 *
 * Streaming both ways, status and headers preserved (minus hop-by-hop headers). When the client
 * goes away before the response is complete, the upstream request is destroyed: otherwise
 * Orthanc's HTTP threads stay blocked on a reader that will never come back. The client's
 * `Host` header is passed on (plus `Forwarded`), so the URLs Orthanc writes into responses
 * (BulkDataURI, RetrieveURL) point at the proxy as long as `prefix` is `/dicom-web`.
 */
import {
  Agent,
  createServer,
  request as httpRequest,
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';

/** Options of {@link createDicomwebProxyMiddleware}. */
export interface DicomwebProxyOptions {
  /** Path prefix served by the proxy. Default `/dicom-web`. */
  prefix?: string;
  /** Path prefix of fault injection, or `false` to disable it. Default `/faults`. */
  faultsPrefix?: string | false;
}

/** connect-style `next`. */
export type NextFunction = (error?: unknown) => void;

/** A connect/Node middleware with a few extras for tests. */
export interface DicomwebProxyMiddleware {
  (req: IncomingMessage, res: ServerResponse, next?: NextFunction): void;
  /** True when `url` (path + query) is served by this proxy. */
  matches(url: string | undefined): boolean;
  /** Handles the request if it matches; returns false (and does nothing) otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Number of upstream requests currently open (0 once every client is answered or gone). */
  activeUpstreamRequests(): number;
  /** Destroys every open upstream request. */
  closeAll(): void;
}

/** The parts of a Koa context the Koa wrapper uses (no dependency on Koa's types). */
export interface KoaLikeContext {
  req: IncomingMessage;
  res: ServerResponse;
  respond?: boolean;
}

/** Koa middleware signature. */
export type KoaLikeMiddleware = (ctx: KoaLikeContext, next: () => Promise<unknown>) => Promise<unknown>;

/** A running standalone proxy server (see {@link startProxyServer}). */
export interface ProxyServerHandle {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** `url + prefix`. */
  dicomwebRoot: string;
  proxy: DicomwebProxyMiddleware;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

function trimSlash(path: string): string {
  return path.replace(/\/+$/, '');
}

function sendText(res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** Where a request goes. */
type Route =
  | { kind: 'forward'; upstreamPath: string }
  | { kind: 'fault'; fault: string; upstreamPath: string }
  | { kind: 'control'; id: string };

/** One rule of a fault scenario (see the module comment). */
export interface FaultRule {
  /** Regular expression tested against the request path under the prefix (`/dicom-web/…?query`). */
  readonly match: string;
  /** A fault name: a 4xx/5xx status, `hang`, `garbage`, `reset`, `delay-<ms>`, `trickle-<B>`, `stall-after-<N>`. */
  readonly fault: string;
  /** Let this many matching requests through first. */
  readonly after?: number;
  /** Apply to at most this many requests. */
  readonly times?: number;
  /**
   * Skip the rule (the request is forwarded, and not counted by `after` or `times`) when the
   * request carries this header with this value, e.g. the new credentials of a server that
   * answers 401 to the old ones: `{ "name": "authorization", "value": "Bearer new" }`.
   */
  readonly unlessHeader?: { readonly name: string; readonly value: string };
}

interface Scenario {
  rules: (FaultRule & { seen: number; applied: number; pattern: RegExp })[];
  requests: { path: string; fault: string | null }[];
}

/** How `forward` relays the upstream answer. */
interface ForwardMode {
  /** Never read nor relay the answer. */
  hold?: boolean;
  /** Relay at about this many bytes a second. */
  bytesPerSecond?: number;
  /** Relay this many bytes, then nothing more. */
  stallAfterBytes?: number;
}

/**
 * Creates the proxy middleware.
 *
 * @param targetUrl Upstream DICOMweb root (`http://127.0.0.1:PORT/dicom-web`) or Orthanc's
 *   base URL (`http://127.0.0.1:PORT`, then `/dicom-web` is appended).
 */
export function createDicomwebProxyMiddleware(
  targetUrl: string,
  options: DicomwebProxyOptions = {},
): DicomwebProxyMiddleware {
  const target = new URL(targetUrl);
  if (target.protocol !== 'http:') throw new Error(`Only http upstreams are supported, got ${targetUrl}`);
  const upstreamRoot = trimSlash(target.pathname) || '/dicom-web';
  const prefix = trimSlash(options.prefix ?? '/dicom-web');
  const faultsPrefix = options.faultsPrefix === false ? undefined : trimSlash(options.faultsPrefix ?? '/faults');
  // No keep-alive: Orthanc closes idle connections after 1 s, which races with socket reuse.
  const agent = new Agent({ keepAlive: false });
  const active = new Set<ClientRequest>();
  const scenarios = new Map<string, Scenario>();

  /** Maps `<prefix><rest>?query` to the upstream path, or undefined. */
  const underPrefix = (path: string, query: string): string | undefined => {
    if (path !== prefix && !path.startsWith(`${prefix}/`)) return undefined;
    return `${upstreamRoot}${path.slice(prefix.length)}${query}`;
  };

  const route = (url: string | undefined): Route | undefined => {
    if (!url) return undefined;
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const query = queryAt < 0 ? '' : url.slice(queryAt);
    if (faultsPrefix && path.startsWith(`${faultsPrefix}/scenario/`)) {
      const id = path.slice(`${faultsPrefix}/scenario/`.length);
      return /^[\w-]{1,64}$/.test(id) ? { kind: 'control', id } : undefined;
    }
    if (faultsPrefix && path.startsWith(`${faultsPrefix}/`)) {
      const rest = path.slice(faultsPrefix.length + 1);
      const slash = rest.indexOf('/');
      if (slash > 0) {
        const upstreamPath = underPrefix(rest.slice(slash), query);
        if (upstreamPath) return { kind: 'fault', fault: rest.slice(0, slash), upstreamPath };
      }
      return undefined;
    }
    const upstreamPath = underPrefix(path, query);
    return upstreamPath ? { kind: 'forward', upstreamPath } : undefined;
  };

  /** Sends the request upstream and relays the answer as `mode` says. */
  const forward = (req: IncomingMessage, res: ServerResponse, upstreamPath: string, mode: ForwardMode = {}): void => {
    const headers = withoutHopByHop(req.headers);
    if (!headers.forwarded && req.headers.host) {
      const proto = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
      headers.forwarded = `host=${req.headers.host};proto=${proto}`;
    }
    const upstream = httpRequest({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port || 80,
      method: req.method,
      path: upstreamPath,
      headers,
      agent,
    });
    active.add(upstream);
    upstream.on('close', () => active.delete(upstream));

    // The client went away before the answer was complete: abort upstream.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.on('error', () => upstream.destroy());

    upstream.on('response', (upstreamRes) => {
      if (mode.hold) {
        upstreamRes.pause();
        return;
      }
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, withoutHopByHop(upstreamRes.headers));
      if (mode.bytesPerSecond !== undefined || mode.stallAfterBytes !== undefined) {
        void relaySlowly(upstreamRes, res, mode);
        return;
      }
      pipeline(upstreamRes, res, () => undefined); // on error both ends are destroyed
    });
    upstream.on('error', (error) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      sendText(res, 502, 'application/json', JSON.stringify({ error: 'Bad gateway', message: error.message }));
    });
    req.pipe(upstream);
  };

  const fault = (req: IncomingMessage, res: ServerResponse, name: string, upstreamPath: string): void => {
    if (/^[45]\d\d$/.test(name)) {
      req.resume();
      sendText(
        res,
        Number(name),
        'application/json',
        JSON.stringify({ error: 'Injected fault', status: Number(name) }),
      );
      return;
    }
    const delay = /^delay-(\d+)$/.exec(name);
    if (delay) {
      const timer = setTimeout(() => forward(req, res, upstreamPath), Math.min(Number(delay[1]), 60_000));
      res.on('close', () => clearTimeout(timer));
      return;
    }
    const trickle = /^trickle-(\d+)$/.exec(name);
    if (trickle) {
      forward(req, res, upstreamPath, { bytesPerSecond: Math.max(1, Number(trickle[1])) });
      return;
    }
    const stallAfter = /^stall-after-(\d+)$/.exec(name);
    if (stallAfter) {
      forward(req, res, upstreamPath, { stallAfterBytes: Number(stallAfter[1]) });
      return;
    }
    const scenario = /^scenario-([\w-]{1,64})$/.exec(name);
    if (scenario) {
      const state = scenarios.get(scenario[1]!) ?? { rules: [], requests: [] };
      scenarios.set(scenario[1]!, state);
      const rest = upstreamPath.slice(upstreamRoot.length);
      const path = `${prefix}${rest}`;
      let applied: string | null = null;
      for (const rule of state.rules) {
        if (!rule.pattern.test(path)) continue;
        if (rule.unlessHeader && req.headers[rule.unlessHeader.name.toLowerCase()] === rule.unlessHeader.value)
          continue;
        rule.seen++;
        if (rule.seen <= (rule.after ?? 0)) break;
        if (rule.times !== undefined && rule.applied >= rule.times) continue;
        rule.applied++;
        applied = rule.fault;
        break;
      }
      state.requests.push({ path, fault: applied });
      if (applied && !/^scenario-/.test(applied)) fault(req, res, applied, upstreamPath);
      else forward(req, res, upstreamPath);
      return;
    }
    switch (name) {
      case 'hang':
        forward(req, res, upstreamPath, { hold: true });
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'empty':
        req.resume();
        sendText(res, 200, 'application/dicom+json', '[]');
        return;
      case 'garbage': {
        req.resume();
        const accept = req.headers.accept ?? '';
        const multipart = accept.includes('json')
          ? false
          : accept.includes('multipart') || /\/(frames|bulk|rendered|thumbnail)(\/|$|\?)/.test(upstreamPath);
        if (multipart) {
          const boundary = 'secondread-garbage';
          sendText(
            res,
            200,
            `multipart/related; type="application/octet-stream"; boundary=${boundary}`,
            Buffer.concat([
              Buffer.from('this is not a multipart body\r\n--another-boundary\r\nContent-Type: text/plain\r\n'),
              Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]),
            ]),
          );
        } else {
          sendText(res, 200, 'application/dicom+json', '[{"0020000D":{"vr":"UI","Value":["1.2.3');
        }
        return;
      }
      default:
        req.resume();
        sendText(
          res,
          400,
          'text/plain',
          `Unknown fault "${name}": use a 4xx/5xx status, hang, garbage, reset or delay-<ms>\n`,
        );
    }
  };

  /** PUT/GET/DELETE of a scenario. */
  const control = (req: IncomingMessage, res: ServerResponse, id: string): void => {
    if (req.method === 'GET') {
      sendText(res, 200, 'application/json', JSON.stringify({ requests: scenarios.get(id)?.requests ?? [] }));
      req.resume();
      return;
    }
    if (req.method === 'DELETE') {
      scenarios.delete(id);
      req.resume();
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'PUT') {
      req.resume();
      sendText(res, 405, 'text/plain', 'Use PUT, GET or DELETE\n');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { rules?: FaultRule[] };
        const rules = (body.rules ?? []).map((rule) => ({
          ...rule,
          seen: 0,
          applied: 0,
          pattern: new RegExp(rule.match),
        }));
        const state = scenarios.get(id) ?? { rules: [], requests: [] };
        state.rules = rules;
        scenarios.set(id, state);
        res.writeHead(204).end();
      } catch (error) {
        sendText(res, 400, 'text/plain', `Bad scenario: ${(error as Error).message}\n`);
      }
    });
  };

  const handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    // connect strips the mount path from req.url; originalUrl keeps it.
    const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url;
    const routed = route(url);
    if (!routed) return false;
    if (routed.kind === 'forward') forward(req, res, routed.upstreamPath);
    else if (routed.kind === 'control') control(req, res, routed.id);
    else fault(req, res, routed.fault, routed.upstreamPath);
    return true;
  };

  const middleware = (req: IncomingMessage, res: ServerResponse, next?: NextFunction): void => {
    if (handle(req, res)) return;
    if (next) next();
    else sendText(res, 404, 'text/plain', 'Not found\n');
  };
  return Object.assign(middleware, {
    matches: (url: string | undefined) => route(url) !== undefined,
    handle,
    activeUpstreamRequests: () => active.size,
    closeAll: () => {
      for (const request of active) request.destroy();
    },
  });
}

/** Relays an answer at `bytesPerSecond` (in 100 ms steps), or its first `stallAfterBytes` only. */
async function relaySlowly(from: IncomingMessage, to: ServerResponse, mode: ForwardMode): Promise<void> {
  const step = mode.bytesPerSecond === undefined ? Infinity : Math.max(1, Math.round(mode.bytesPerSecond / 10));
  let sent = 0;
  try {
    for await (const chunk of from as AsyncIterable<Buffer>) {
      for (let offset = 0; offset < chunk.length;) {
        if (to.destroyed) {
          from.destroy();
          return;
        }
        let size = Math.min(step, chunk.length - offset);
        if (mode.stallAfterBytes !== undefined) size = Math.min(size, mode.stallAfterBytes - sent);
        if (size <= 0) {
          // Stalled: hold the answer open, read nothing more, until the client goes away.
          from.pause();
          return;
        }
        to.write(chunk.subarray(offset, offset + size));
        offset += size;
        sent += size;
        if (step !== Infinity) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    to.end();
  } catch {
    to.destroy();
  }
}

/**
 * Koa flavour (web-test-runner's `middleware` option): handles matching requests itself
 * (`ctx.respond = false`) and resolves once the response is closed; others go to `next()`.
 */
export function createDicomwebProxyKoaMiddleware(
  targetUrl: string,
  options: DicomwebProxyOptions = {},
): KoaLikeMiddleware {
  const proxy = createDicomwebProxyMiddleware(targetUrl, options);
  return async (ctx, next) => {
    if (!proxy.matches(ctx.req.url)) return next();
    ctx.respond = false;
    await new Promise<void>((done) => {
      ctx.res.once('close', () => done());
      proxy.handle(ctx.req, ctx.res);
    });
  };
}

/**
 * Starts a standalone HTTP server on 127.0.0.1 (port 0 = any free port) that serves only the
 * proxy (everything else answers 404).
 */
export async function startProxyServer(
  targetUrl: string,
  options: DicomwebProxyOptions & { port?: number } = {},
): Promise<ProxyServerHandle> {
  const proxy = createDicomwebProxyMiddleware(targetUrl, options);
  const server = createServer((req, res) => proxy(req, res));
  await new Promise<void>((done, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    dicomwebRoot: `${url}${trimSlash(options.prefix ?? '/dicom-web')}`,
    proxy,
    close: () =>
      new Promise<void>((done) => {
        proxy.closeAll();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
