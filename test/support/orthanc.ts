/**
 * Starts a real, throw-away Orthanc (with the DICOMweb plugin) for tests, the demo and
 * benchmarks.
 *
 * ```ts
 * const orthanc = await startOrthanc();
 * await orthanc.upload(files);
 * // ... QIDO/WADO/STOW under orthanc.dicomwebRoot ...
 * await orthanc.stop();
 * ```
 *
 * Orthanc is never left running: it is started behind a small `/bin/sh` watchdog (in its own
 * process group) that reads a pipe from this process and kills Orthanc when the pipe closes,
 * which happens on `stop()` and also when this process dies in any way (even SIGKILL). On
 * 'exit', SIGINT and SIGTERM the Orthanc processes are also killed directly. Work dirs whose
 * owner process is gone are swept at the next start. Binaries: `ORTHANC_BIN` (default `Orthanc`
 * on PATH) and `ORTHANC_DICOMWEB_PLUGIN` (default Debian's plugin path).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Readable } from 'node:stream';

/** Debian's location of the DICOMweb plugin. */
export const DEFAULT_DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

/** Options of {@link startOrthanc}. */
export interface OrthancOptions {
  /** Copy Orthanc's log lines to this process' stderr (prefixed). Default false. */
  log?: boolean;
  /** Orthanc binary; default `ORTHANC_BIN` or `Orthanc` on PATH. */
  binary?: string;
  /** DICOMweb plugin; default `ORTHANC_DICOMWEB_PLUGIN` or Debian's path. */
  dicomWebPlugin?: string;
  /** Give up waiting for Orthanc after this long. Default 30 000 ms. */
  startupTimeoutMs?: number;
  /** Orthanc's `HttpThreadsCount`. Default 50 (Orthanc's default). */
  httpThreads?: number;
  /** Extra top-level configuration merged over the generated one. */
  config?: Record<string, unknown>;
}

/** What `POST /instances` answers for one stored instance. */
export interface OrthancUploadResult {
  ID: string;
  ParentPatient: string;
  ParentStudy: string;
  ParentSeries: string;
  Path: string;
  /** `Success` or `AlreadyStored`. */
  Status: string;
}

/** A running Orthanc. */
export interface OrthancHandle {
  /** `http://127.0.0.1:PORT` (Orthanc's REST API). */
  readonly url: string;
  /** `url + '/dicom-web'` (no trailing slash). */
  readonly dicomwebRoot: string;
  readonly port: number;
  /** Temporary directory holding the configuration and the database; removed by `stop()`. */
  readonly workDir: string;
  /**
   * Stores DICOM files (paths or bytes) with `POST /instances`, `concurrency` at a time
   * (default 4). Rejects if any instance is refused.
   */
  upload(
    files: readonly string[] | readonly Uint8Array[],
    options?: { concurrency?: number },
  ): Promise<OrthancUploadResult[]>;
  /** Kills Orthanc (its data is disposable), waits for it to exit and removes `workDir`. Idempotent. */
  stop(): Promise<void>;
  /** The last lines Orthanc logged (for error messages). */
  logTail(): string;
}

/** The Orthanc binary to use, resolved on PATH; undefined when there is none. */
export function orthancBinary(binary = process.env.ORTHANC_BIN || 'Orthanc'): string | undefined {
  const candidates =
    isAbsolute(binary) || binary.includes('/')
      ? [binary]
      : (process.env.PATH ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((dir) => join(dir, binary));
  // Debian installs Orthanc in /usr/sbin, which is not on every user's PATH.
  if (!isAbsolute(binary) && !binary.includes('/')) candidates.push(join('/usr/sbin', binary));
  return candidates.find((path) => isExecutable(path));
}

/** True when the Orthanc binary and its DICOMweb plugin are installed. */
export function isOrthancAvailable(): boolean {
  const plugin = process.env.ORTHANC_DICOMWEB_PLUGIN || DEFAULT_DICOMWEB_PLUGIN;
  return orthancBinary() !== undefined && isReadable(plugin);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isReadable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolvePort(port) : reject(new Error('no port assigned'))));
    });
  });
}

/**
 * Watchdog run by /bin/sh: $0 = Orthanc binary, $1 = configuration, $2 = work dir.
 * Starts Orthanc, reports its pid on fd 3, kills it as soon as fd 4 (our stdin pipe) reaches
 * end-of-file, then removes the work dir and exits with Orthanc's status.
 */
const WATCHDOG = `
exec 4<&0
"$0" "$1" </dev/null 3>&- 4<&- &
pid=$!
echo "$pid" >&3
exec 3>&-
( read _line <&4; kill -TERM "$pid" 2>/dev/null ) </dev/null &
watch=$!
exec 4<&-
wait "$pid"
status=$?
kill "$watch" 2>/dev/null
rm -rf "$2"
exit "$status"
`;

interface Running {
  wrapper: ChildProcess;
  orthancPid: number;
  workDir: string;
}

const running = new Set<Running>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function killAllSync(): void {
  for (const entry of running) {
    try {
      process.kill(entry.orthancPid, 'SIGKILL');
    } catch {
      // already gone
    }
    entry.wrapper.kill('SIGKILL');
    rmSync(entry.workDir, { recursive: true, force: true });
  }
  running.clear();
}

function onExit(): void {
  killAllSync();
}

function onSignal(signal: NodeJS.Signals): void {
  killAllSync();
  unregister();
  // Keep the default behaviour (terminate) unless someone else handles the signal.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function register(entry: Running): void {
  if (running.size === 0) {
    process.on('exit', onExit);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
  running.add(entry);
}

function forget(entry: Running): void {
  running.delete(entry);
  if (running.size === 0) unregister();
}

function unregister(): void {
  process.off('exit', onExit);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Keeps the last `max` lines of a stream, optionally echoing them. */
function tailLines(stream: Readable, lines: string[], max: number, echo: boolean): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (echo) process.stderr.write(`[orthanc] ${line}\n`);
      lines.push(line);
      if (lines.length > max) lines.shift();
    }
  });
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Starts Orthanc on a free loopback port and waits until its REST API and DICOMweb answer. */
export async function startOrthanc(options: OrthancOptions = {}): Promise<OrthancHandle> {
  const binary = orthancBinary(options.binary);
  if (!binary) throw new Error('Orthanc binary not found (set ORTHANC_BIN or install the Debian package "orthanc")');
  const plugin = options.dicomWebPlugin || process.env.ORTHANC_DICOMWEB_PLUGIN || DEFAULT_DICOMWEB_PLUGIN;
  if (!isReadable(plugin))
    throw new Error(`Orthanc DICOMweb plugin not found at ${plugin} (Debian package "orthanc-dicomweb")`);

  // A port can be taken between freePort() and Orthanc's bind: retry a few times.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(binary, plugin, await freePort(), options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

const WORK_DIR_PREFIX = 'secondread-orthanc-';
const OWNER_FILE = 'owner.json';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes work dirs left behind by processes that died in a way nothing could clean up after
 * (e.g. the whole machine's processes killed at once).
 */
function sweepStaleWorkDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(WORK_DIR_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    try {
      const owner = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as { pid?: number };
      if (typeof owner.pid === 'number' && !isAlive(owner.pid)) rmSync(dir, { recursive: true, force: true });
    } catch {
      // no owner file (being created, or not ours): leave it
    }
  }
}

async function startOnce(
  binary: string,
  plugin: string,
  port: number,
  options: OrthancOptions,
): Promise<OrthancHandle> {
  sweepStaleWorkDirs();
  const workDir = mkdtempSync(join(tmpdir(), WORK_DIR_PREFIX));
  const dbDir = join(workDir, 'db');
  const configPath = join(workDir, 'orthanc.json');
  const config = {
    Name: 'secondread-test',
    StorageDirectory: dbDir,
    IndexDirectory: dbDir,
    HttpPort: port,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    DicomServerEnabled: false,
    HttpThreadsCount: options.httpThreads ?? 50,
    StorageCompression: false,
    SaveJobs: false,
    Plugins: [plugin],
    DicomWeb: {
      Enable: true,
      Root: '/dicom-web/',
      // Build study/series metadata from the full instances (every tag, geometry included).
      StudiesMetadata: 'Full',
      SeriesMetadata: 'Full',
    },
    ...options.config,
  };
  writeFileSync(configPath, JSON.stringify(config, null, 2));

  writeFileSync(join(workDir, OWNER_FILE), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));

  const wrapper = spawn('/bin/sh', ['-c', WATCHDOG, binary, configPath, workDir], {
    cwd: workDir,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    // Own process group: a SIGKILL sent to our whole group (test runner timeouts, `kill -9
    // -PGID`) must not take the watchdog down with us, so it can still clean up.
    detached: true,
  });
  // EPIPE when the watchdog is already gone is not an error worth crashing for.
  wrapper.stdin!.on('error', () => undefined);
  const log: string[] = [];
  tailLines(wrapper.stdout!, log, 200, options.log ?? false);
  tailLines(wrapper.stderr!, log, 200, options.log ?? false);
  const logTail = (): string => log.slice(-40).join('\n');

  let exited = false;
  const exitPromise = new Promise<number | null>((done) => {
    wrapper.once('exit', (code) => {
      exited = true;
      done(code);
    });
  });
  const orthancPid = await new Promise<number>((done, reject) => {
    let text = '';
    const fd3 = wrapper.stdio[3] as Readable;
    fd3.setEncoding('utf8');
    fd3.on('data', (chunk: string) => {
      text += chunk;
      const match = /^(\d+)\n/.exec(text);
      if (match) done(Number(match[1]));
    });
    wrapper.once('error', reject);
    wrapper.once('exit', () => reject(new Error(`Orthanc wrapper exited early\n${logTail()}`)));
  });
  const entry: Running = { wrapper, orthancPid, workDir };
  register(entry);

  const url = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      if (!exited) {
        // The database is thrown away, so there is nothing to shut down gracefully (which
        // takes Orthanc ~2.5 s): kill it, then let the watchdog see EOF and clean up.
        try {
          process.kill(orthancPid, 'SIGKILL');
        } catch {
          // already gone
        }
        wrapper.stdin!.end();
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          exitPromise.then(() => false),
          new Promise<boolean>((done) => (timer = setTimeout(() => done(true), 10_000))),
        ]);
        clearTimeout(timer);
        if (timedOut) {
          wrapper.kill('SIGKILL');
          await exitPromise;
        }
      }
      rmSync(workDir, { recursive: true, force: true });
      forget(entry);
    })());

  try {
    await waitUntilReady(url, options.startupTimeoutMs ?? 30_000, () => exited);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- Orthanc log ---\n${logTail()}`);
  }

  const upload = (files: readonly string[] | readonly Uint8Array[], uploadOptions?: { concurrency?: number }) =>
    uploadInstances(url, files, uploadOptions);

  return { url, dicomwebRoot: `${url}/dicom-web`, port, workDir, upload, stop, logTail };
}

/**
 * Stores DICOM files (paths or bytes) in the Orthanc at `url` with `POST /instances`,
 * `concurrency` at a time (default 4). Rejects if any instance is refused. Results are in
 * input order.
 */
export async function uploadInstances(
  url: string,
  files: readonly string[] | readonly Uint8Array[],
  options: { concurrency?: number } = {},
): Promise<OrthancUploadResult[]> {
  const items: readonly (string | Uint8Array)[] = files;
  const results: OrthancUploadResult[] = new Array<OrthancUploadResult>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index];
      const body = typeof item === 'string' ? await readFile(item) : item;
      const label = typeof item === 'string' ? item : `bytes #${index}`;
      const response = await fetch(`${url.replace(/\/+$/, '')}/instances`, {
        method: 'POST',
        headers: { 'content-type': 'application/dicom' },
        body: body as Uint8Array<ArrayBuffer>,
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`Orthanc refused ${label}: HTTP ${response.status} ${text.slice(0, 300)}`);
      results[index] = JSON.parse(text) as OrthancUploadResult;
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, items.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

async function waitUntilReady(url: string, timeoutMs: number, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('Orthanc exited during startup');
    try {
      const system = await fetch(`${url}/system`, { signal: AbortSignal.timeout(2000) });
      await system.arrayBuffer();
      if (system.ok) {
        const qido = await fetch(`${url}/dicom-web/studies`, { signal: AbortSignal.timeout(5000) });
        await qido.arrayBuffer();
        if (qido.ok) return;
        throw new Error(
          `Orthanc is up but /dicom-web/studies answers HTTP ${qido.status}: is the DICOMweb plugin loaded?`,
        );
      }
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('Orthanc is up')) throw error;
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`Orthanc did not answer on ${url} within ${timeoutMs} ms`);
}
