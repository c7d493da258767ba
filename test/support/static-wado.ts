/**
 * A second kind of DICOMweb server for the tests and the demo: a static DICOMweb tree, the layout
 * OHIF serves from object storage and CDNs, written by `@radicalimaging/static-wado-creator`
 * (`mkdicomweb`, run through ./mkdicomweb.ts), and served by a plain static file server.
 *
 * The tree (`.cache/static-wado/tree`, never committed) is rewritten only when its inputs or the
 * creator's options change. What the server answers is only what the tree has:
 *
 * | request (GET/HEAD, query ignored)                        | file                                   |
 * | -------------------------------------------------------- | -------------------------------------- |
 * | `studies`                                                | `studies/index.json.gz`                |
 * | `studies/{S}/series`                                     | `studies/{S}/series/index.json.gz`     |
 * | `studies/{S}/series/{Se}/metadata`                       | `…/series/{Se}/metadata.gz`            |
 * | `studies/{S}/series/{Se}/instances`                      | `…/series/{Se}/instances/index.json.gz`|
 * | `studies/{S}/series/{Se}/instances/{I}/frames/{n}`       | `…/instances/{I}/frames/{n}.mht.gz`    |
 * | `studies/{S}/series/{Se}/instances/{I}` (SR, SEG)        | `…/instances/{I}/index.mht.gz`         |
 *
 * `*.gz` files go out as they are with `Content-Encoding: gzip`; JSON as `application/dicom+json`;
 * multipart files as `multipart/related` with the boundary and part type they were written with.
 * A query string is ignored (QIDO-RS filtering is not available: `studies?StudyInstanceUID=…`
 * lists every study), anything else answers 404, and a POST (STOW-RS) answers 405, as a static
 * host does. There is no series retrieve (no Part 10 for images) and no transcoding.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { cacheDir, repoRoot } from './paths.ts';

/** Options passed to `mkdicomweb create`, part of the cache key. */
export const MKDICOMWEB_OPTIONS: readonly string[] = [
  // No thumbnails or rendered images: they need canvas (see ./mkdicomweb.ts).
  '--no-thumb',
  // Keep every frame in its stored transfer syntax (the bundled JPEG-LS encoder cannot load here).
  '-r',
  'none',
  '--quiet',
];

/** Where the tree is written. */
export const staticWadoDir: string = join(cacheDir, 'static-wado');

/** The creator's version, from its package.json (part of the cache key). */
function creatorVersion(): string {
  const require = createRequire(import.meta.url);
  const pkg = join(dirname(require.resolve('@radicalimaging/static-wado-creator')), '../package.json');
  return String((JSON.parse(readFileSync(pkg, 'utf8')) as { version?: unknown }).version);
}

/** The cache key of a tree: creator version, options and each input's path, size and mtime. */
function treeKey(files: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(`${creatorVersion()}\n${MKDICOMWEB_OPTIONS.join(' ')}\n`);
  for (const file of [...files].sort()) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${file}\t${size}\t${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** Runs the creator; rejects with its output when it fails. */
function runCreator(args: readonly string[], home: string): Promise<void> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/support/mkdicomweb.ts'), ...args], {
      cwd: home,
      // mkdicomweb reads ~/static-wado.json5: give it an empty home, so no user's configuration applies.
      env: { ...process.env, HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
    child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) done();
      else reject(new Error(`mkdicomweb exited with ${code}:\n${output}`));
    });
  });
}

/** A written tree. */
export interface StaticWadoTree {
  /** The DICOMweb root on disk (holds `studies/`). */
  readonly dir: string;
  /** True when it was reused from an earlier run. */
  readonly reused: boolean;
}

/**
 * Writes the static DICOMweb tree of `files` (Part 10) into `.cache/static-wado/tree`, or reuses
 * the tree already there when it was made from the same files with the same creator and options.
 */
export async function prepareStaticWadoTree(
  files: readonly string[],
  options: { dir?: string } = {},
): Promise<StaticWadoTree> {
  const base = options.dir ?? staticWadoDir;
  const dir = join(base, 'tree');
  const stampFile = join(base, 'tree.key');
  const key = treeKey(files);
  const stamp = existsSync(stampFile) ? await readFile(stampFile, 'utf8') : '';
  if (stamp === key && existsSync(join(dir, 'studies/index.json.gz'))) return { dir, reused: true };
  await rm(stampFile, { force: true });
  await rm(dir, { recursive: true, force: true });
  const home = join(base, 'home');
  await mkdir(home, { recursive: true });
  await runCreator(['create', ...MKDICOMWEB_OPTIONS, '-o', dir, ...files], home);
  if (!existsSync(join(dir, 'studies/index.json.gz'))) {
    throw new Error(`mkdicomweb wrote no studies/index.json.gz into ${dir}`);
  }
  await writeFile(stampFile, key);
  return { dir, reused: false };
}

/** The part headers of the first part of a multipart file the creator wrote. */
function multipartContentType(bytes: Buffer, withBoundary: boolean): string {
  const head = bytes.subarray(0, 1024).toString('latin1');
  const boundary = withBoundary ? /^--([^\r\n]+)\r\n/.exec(head)?.[1] : undefined;
  const partType = /\r\nContent-Type:\s*([^;\r\n]+)/i.exec(head)?.[1]?.trim() ?? 'application/octet-stream';
  return `multipart/related; type="${partType}"${boundary ? `; boundary=${boundary}` : ''}`;
}

/** Options of the static server. */
export interface StaticDicomwebOptions {
  /** Path prefix served. Default `/dicom-web`. */
  readonly prefix?: string;
  /**
   * Name the boundary in a multipart file's Content-Type (default true). False serves frames as
   * object storage labels `.mht` files: `multipart/related` alone, the boundary only in the body.
   */
  readonly boundaryInContentType?: boolean;
}

/** Finds the file a DICOMweb path maps to, and how to label it. */
async function lookup(
  root: string,
  rest: string,
  withBoundary: boolean,
): Promise<{ file: string; contentType: string; gzip: boolean } | undefined> {
  const base = resolve(root, `.${rest}`);
  if (base !== root && !base.startsWith(root + sep)) return undefined;
  const candidates = [base, `${base}.gz`, join(base, 'index.json.gz'), `${base}.mht.gz`, join(base, 'index.mht.gz')];
  for (const file of candidates) {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) continue;
    const gzip = file.endsWith('.gz');
    if (file.endsWith('.mht.gz')) {
      return { file, gzip, contentType: multipartContentType(gunzipSync(await readFile(file)), withBoundary) };
    }
    if (file.endsWith('.json.gz') || file.endsWith('.json') || file.endsWith('/metadata.gz')) {
      return { file, gzip, contentType: 'application/dicom+json' };
    }
    return { file, gzip, contentType: 'application/octet-stream' };
  }
  return undefined;
}

/** A request handler for the tree under `prefix`; returns false for other paths. */
export function createStaticDicomwebHandler(
  treeDir: string,
  options: StaticDicomwebOptions = {},
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const root = resolve(treeDir);
  const prefix = (options.prefix ?? '/dicom-web').replace(/\/+$/, '');
  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };
  return (req, res) => {
    const url = req.url ?? '';
    const path = url.split('?')[0]!;
    if (path !== prefix && !path.startsWith(`${prefix}/`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      req.resume();
      send(res, 405, 'Method not allowed: this is a static DICOMweb tree\n', { allow: 'GET, HEAD' });
      return true;
    }
    let rest: string;
    try {
      rest = decodeURIComponent(path.slice(prefix.length)).replace(/\/+$/, '');
    } catch {
      send(res, 400, 'Bad path\n');
      return true;
    }
    void lookup(root, rest || '/', options.boundaryInContentType ?? true).then(
      async (found) => {
        if (!found) {
          send(res, 404, 'Not found\n');
          return;
        }
        const body = await readFile(found.file);
        res.writeHead(200, {
          'content-type': found.contentType,
          'content-length': body.length,
          ...(found.gzip ? { 'content-encoding': 'gzip' } : {}),
          'cache-control': 'no-cache',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => send(res, 500, `${error instanceof Error ? error.message : String(error)}\n`),
    );
    return true;
  };
}

/** A running static server. */
export interface StaticDicomwebServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `url + '/dicom-web'`. */
  readonly dicomwebRoot: string;
  close(): Promise<void>;
}

/** Serves `treeDir` as `/dicom-web` on a free loopback port. */
export async function startStaticDicomwebServer(
  treeDir: string,
  options: Omit<StaticDicomwebOptions, 'prefix'> = {},
): Promise<StaticDicomwebServer> {
  const handle = createStaticDicomwebHandler(treeDir, options);
  const server = createServer((req, res) => {
    if (!handle(req, res)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found\n');
    }
  });
  await new Promise<void>((done, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => done());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    dicomwebRoot: `${url}/dicom-web`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/**
 * The default tree: the phantom baseline and follow-up, the phantom's first reading as a TID 1500
 * SR (what `first-from-pacs` finds), and — when ../shared/data is present — LIDC-IDRI-0001's CT
 * and SEG.
 */
export async function prepareDefaultStaticWadoTree(): Promise<StaticWadoTree> {
  const [{ writePhantom }, { phantomFirstReading }, { exportReadingSr }, paths] = await Promise.all([
    import('@secondread/phantom'),
    import('@secondread/phantom/first-reading'),
    import('@secondread/standards'),
    import('./paths.ts'),
  ]);
  const phantom = await writePhantom(paths.phantomDir);
  const inputDir = join(staticWadoDir, 'input');
  await mkdir(inputDir, { recursive: true });
  // New UIDs each export: written once per phantom, so that the tree's key stays put.
  const truthHash = createHash('sha256').update(JSON.stringify(phantom.baseline.truth)).digest('hex').slice(0, 16);
  const sr = join(inputDir, `phantom-first-reading-${truthHash}.dcm`);
  if (!existsSync(sr)) {
    const reading = phantomFirstReading(phantom.baseline.truth, {
      reader: { name: 'Dr. A. First', institution: 'Outside hospital' },
      impression: 'Solitary pulmonary nodule, 12 mm.',
    });
    await writeFile(sr, new Uint8Array(exportReadingSr(reading).buffer));
  }
  const files = [
    ...phantom.baseline.files,
    ...phantom.followup.files,
    sr,
    ...(paths.lidcCtFiles() ?? []),
    ...[paths.lidcSegFile()].filter((f): f is string => Boolean(f)),
  ];
  return prepareStaticWadoTree(files);
}
