/**
 * The worker of fuzz.test.ts: runs every reader of DICOM bytes on each case it is sent and
 * reports what each one did. It runs in a worker so that the test can stop a reader that hangs.
 * Protocol: posts `ready`; receives a {@link FuzzJob}; posts `start` (name) before each case and
 * `done` (outcomes) after it, then `finished`.
 */
import { parentPort } from 'node:worker_threads';
import { mutants, random, type FuzzSeed, type Mutant } from './fuzz-mutants.ts';

// The parsers log their complaints about damaged files; a thousand of them say nothing here.
// Silenced before the parsers are loaded, since their loggers bind the console when created.
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) console[method] = () => {};

const { ViewerError, Part10Error, SegmentationError, parsePart10, parseSegmentation } =
  await import('@secondread/core');
const { SrImportError, importFirstReading, importSecondOpinionSr, importSr } = await import('../src/index.ts');

/** What one reader did with one case. */
export interface FuzzOutcome {
  readonly reader: string;
  /** `ok`, or the error's class name. */
  readonly result: string;
  /** The file error code (SR `code`, SEG and Part 10 `reason`), when it threw one of ours. */
  readonly code?: string;
  readonly message?: string;
  readonly ms: number;
}

/** What the test asks: the mutants of `seeds` (from `randomSeed`), and the `plain` files as they are. */
export interface FuzzJob {
  readonly seeds: readonly FuzzSeed[];
  readonly plain: readonly FuzzSeed[];
  readonly randomSeed: number;
}

export type WorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'start'; readonly name: string; readonly cutInside: boolean }
  | { readonly kind: 'done'; readonly outcomes: FuzzOutcome[] }
  | { readonly kind: 'finished' };

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const READERS: readonly {
  name: string;
  run: (bytes: Uint8Array) => unknown;
  errorClass: abstract new (...args: never[]) => Error;
}[] = [
  { name: 'importSr', run: (bytes) => importSr(arrayBufferOf(bytes)), errorClass: SrImportError },
  { name: 'importSecondOpinionSr', run: (bytes) => importSecondOpinionSr(bytes), errorClass: SrImportError },
  { name: 'importFirstReading', run: (bytes) => importFirstReading(bytes), errorClass: SrImportError },
  { name: 'parseSegmentation', run: (bytes) => parseSegmentation(arrayBufferOf(bytes)), errorClass: SegmentationError },
  { name: 'parsePart10', run: (bytes) => parsePart10({ name: 'case.dcm', bytes }), errorClass: Part10Error },
];

function describe(reader: (typeof READERS)[number], error: unknown): Omit<FuzzOutcome, 'reader' | 'ms'> {
  if (!(error instanceof reader.errorClass)) {
    return {
      result: error instanceof Error ? `untyped ${error.constructor.name}` : `untyped ${typeof error}`,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  const code =
    error instanceof SrImportError
      ? error.code
      : error instanceof SegmentationError || error instanceof Part10Error
        ? error.reason
        : undefined;
  return {
    result: error.constructor.name + (error instanceof ViewerError ? `/${error.code}` : ''),
    ...(code !== undefined ? { code } : {}),
    message: error.message,
  };
}

function* casesOf(job: FuzzJob): Generator<Mutant> {
  for (const file of job.plain) yield { name: file.name, bytes: file.bytes, cutInside: false };
  const next = random(job.randomSeed);
  for (const seed of job.seeds) yield* mutants(seed, next);
}

const post = (message: WorkerMessage): void => parentPort!.postMessage(message);

parentPort!.on('message', (job: FuzzJob) => {
  for (const fuzzCase of casesOf(job)) {
    post({ kind: 'start', name: fuzzCase.name, cutInside: fuzzCase.cutInside });
    const outcomes: FuzzOutcome[] = [];
    for (const reader of READERS) {
      const started = performance.now();
      let outcome: Omit<FuzzOutcome, 'reader' | 'ms'>;
      try {
        reader.run(fuzzCase.bytes);
        outcome = { result: 'ok' };
      } catch (error) {
        outcome = describe(reader, error);
      }
      outcomes.push({ reader: reader.name, ...outcome, ms: performance.now() - started });
    }
    post({ kind: 'done', outcomes });
  }
  post({ kind: 'finished' });
});
post({ kind: 'ready' });
