/** Builds the bench pages with Vite and serves them, with the DICOMweb proxy, on one origin. */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { build } from 'vite';
import { type OrthancHandle } from '../../test/support/orthanc.ts';
import { repoRoot } from '../../test/support/paths.ts';
import { createDicomwebProxyMiddleware, type DicomwebProxyMiddleware } from '../../test/support/proxy.ts';
import { type PageName } from './types.ts';
import { DIST_DIR } from './options.ts';

/** Builds one page with the repository's Vite configuration (production, relative base). */
export async function buildPage(page: PageName | 'measurement-tools', minify: boolean): Promise<string> {
  const outDir = join(DIST_DIR, page);
  await build({
    configFile: join(repoRoot, 'vite.config.ts'),
    root: join(repoRoot, 'bench', page),
    base: './',
    mode: 'production',
    // The codecs' Node-only imports ("fs", "path") are externalized harmlessly; only errors matter here.
    logLevel: 'error',
    build: {
      outDir,
      emptyOutDir: true,
      minify,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 10_000,
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
  });
  return outDir;
}

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves `/<page>/…` from the built pages, never cached, and nothing outside them. */
export function serveBuilt(req: IncomingMessage, res: ServerResponse, dirs: ReadonlyMap<string, string>): void {
  const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
  const [, page = '', ...rest] = path.split('/');
  const dir = dirs.get(page);
  let file = dir ? resolve(dir, rest.join('/') || 'index.html') : '';
  if (file && dir && !file.startsWith(resolve(dir) + sep)) file = '';
  let size = -1;
  try {
    const stat = file ? statSync(file) : null;
    if (stat?.isDirectory()) file = join(file, 'index.html');
    size = file ? statSync(file).size : -1;
  } catch {
    size = -1;
  }
  if (size < 0) {
    res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
    res.end('Not found\n');
    return;
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': String(size),
    'cache-control': 'no-store',
  });
  createReadStream(file).pipe(res);
}

export interface Site {
  url: string;
  server: Server;
  proxy: DicomwebProxyMiddleware;
}

/** One origin for both pages and the DICOMweb proxy, on a free loopback port. */
export async function startSite(orthanc: OrthancHandle, dirs: ReadonlyMap<string, string>): Promise<Site> {
  const proxy = createDicomwebProxyMiddleware(orthanc.url, { faultsPrefix: false });
  const server = createServer((req, res) => {
    if (proxy.matches(req.url)) proxy(req, res);
    else serveBuilt(req, res, dirs);
  });
  await new Promise<void>((done, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, proxy };
}
