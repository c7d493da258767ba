/**
 * Typed errors for any bytes: mutated SRs and SEGs (ours, the phantom's, dcmqi's and LIDC's when
 * the shared data is there) fed to every reader of DICOM bytes: `importSr`,
 * `importSecondOpinionSr`, `importFirstReading` (also fed dcmtk's TID 2000 Basic Text SR and
 * Encapsulated PDF), `parseSegmentation` and the viewer's `parsePart10`. Each case is cut
 * at a structure boundary (element, item and sequence boundaries found by walking the bytes with
 * dicom-parser), has a bit flipped, a wrong length or a wrong VR. Every reader must return or
 * throw its own error class with a documented code and a message without parser text, within
 * 2 s a case (a worker runs the readers; a case that takes longer stops the test as a hang).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { writePhantom } from '../../phantom/src/index.ts';
import { phantomNoduleSegmentation } from '../../phantom/src/segmentation.ts';
import { lidcSegFile, phantomDir, sharedDataDir } from '../../../test/support/paths.ts';
import { exportReadingSr, exportSecondOpinionSr, type NaturalDataset } from '../src/index.ts';
import { random, type FuzzSeed } from './fuzz-mutants.ts';
import type { FuzzJob, FuzzOutcome, WorkerMessage } from './fuzz-worker.ts';
import { CT_FILES, ctHeaders, firstReading, secondOpinion } from './fixtures.ts';
import { prepareTextReportFixtures } from '../../../test/support/text-reports.ts';

/** The codes each reader may give (their JSDoc tables). */
const CODES: Readonly<Record<string, readonly string[]>> = {
  importSr: ['not-dicom', 'truncated', 'malformed', 'not-an-sr', 'not-tid-1500'],
  importSecondOpinionSr: ['not-dicom', 'truncated', 'malformed', 'not-an-sr', 'not-tid-1500', 'unsupported'],
  importFirstReading: ['not-dicom', 'truncated', 'malformed', 'not-an-sr', 'unsupported'],
  parseSegmentation: ['not-dicom', 'truncated', 'malformed', 'not-a-segmentation', 'unsupported', 'missing-reference'],
  parsePart10: ['not-dicom', 'truncated', 'malformed'],
};
/** Parser words that must never reach a message. */
const PARSER_TEXT =
  /\[object Object\]|Invalid DICOM file|Request more than|allocated buffer|read past end|attempt to read|undefined|NaN|is not a function|Cannot read prop|Maximum call stack|out of range|dicomParser|dcmjs/i;
const CASE_LIMIT_MS = 2000;
const SEED = 0x5ec0d2ea;

/** What the worker reports of each case. */
interface CaseResult {
  readonly name: string;
  readonly cutInside: boolean;
  readonly outcomes: FuzzOutcome[];
}

/**
 * Runs the readers on the seeds' mutants (or on the seeds themselves with `plain`) in a worker;
 * rejects naming the case when one takes longer than the limit.
 */
function runInWorker(job: FuzzJob): Promise<CaseResult[]> {
  return new Promise((resolve, reject) => {
    // Node 20 does not pass tsx on to a worker's entry: the worker registers it, then loads the file.
    const worker = new Worker(
      `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(
        new URL('./fuzz-worker.ts', import.meta.url).href,
      )}); });`,
      { eval: true },
    );
    const results: CaseResult[] = [];
    let current: { name: string; cutInside: boolean } | undefined;
    let timer: NodeJS.Timeout | undefined;
    const arm = (limit: number): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`hang: ${current?.name ?? 'worker start'} took more than ${limit} ms`));
      }, limit);
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'ready') {
        worker.postMessage(job);
      } else if (message.kind === 'start') {
        current = { name: message.name, cutInside: message.cutInside };
        // The first case also pays for loading and compiling every reader (the seeds come first).
        arm(results.length === 0 ? 30_000 : CASE_LIMIT_MS);
      } else if (message.kind === 'done') {
        results.push({ ...current!, outcomes: message.outcomes });
      } else {
        clearTimeout(timer);
        void worker.terminate();
        resolve(results);
      }
    });
    worker.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    arm(60_000);
  });
}

describe('every reader of DICOM bytes on 1000+ mutated SRs and SEGs', () => {
  const seeds: FuzzSeed[] = [];
  let results: CaseResult[] = [];
  let seedResults: CaseResult[] = [];

  before(async () => {
    const headers: NaturalDataset[] = ctHeaders();
    const first = firstReading(headers);
    seeds.push({
      name: 'exportReadingSr',
      bytes: new Uint8Array(exportReadingSr(first, { referencedImageHeaders: headers }).buffer),
      variants: 300,
      maxCuts: 500,
    });
    seeds.push({
      name: 'exportSecondOpinionSr',
      bytes: new Uint8Array(
        exportSecondOpinionSr(secondOpinion(headers, first), { referencedImageHeaders: headers }).buffer,
      ),
      variants: 200,
      maxCuts: 400,
    });
    const phantom = (await writePhantom(phantomDir)).baseline;
    seeds.push({ name: 'phantom SEG', bytes: phantomNoduleSegmentation(phantom.truth), variants: 200, maxCuts: 300 });
    const shared = sharedDataDir();
    if (shared) {
      for (const file of ['sr.dcm', 'seg.dcm']) {
        seeds.push({
          name: `dcmqi ${file}`,
          bytes: new Uint8Array(readFileSync(join(shared, 'sr-samples/dcmqi-pet-tid1500', file))),
          variants: 150,
          maxCuts: file === 'sr.dcm' ? 300 : 200,
        });
      }
    }
    const lidcSeg = lidcSegFile();
    if (lidcSeg)
      seeds.push({ name: 'LIDC SEG', bytes: new Uint8Array(readFileSync(lidcSeg)), variants: 100, maxCuts: 150 });
    const reports = await prepareTextReportFixtures();
    seeds.push({
      name: 'dcmtk Basic Text SR',
      bytes: new Uint8Array(readFileSync(reports.basicText.path)),
      variants: 120,
      maxCuts: 150,
    });
    seeds.push({
      name: 'dcmtk Encapsulated PDF',
      bytes: new Uint8Array(readFileSync(reports.pdf.path)),
      variants: 60,
      maxCuts: 80,
    });
    seeds.push({ name: 'CT slice', bytes: new Uint8Array(readFileSync(CT_FILES[0]!)), variants: 60, maxCuts: 100 });

    const next = random(SEED);
    const noise = Uint8Array.from({ length: 4096 }, () => Math.floor(next() * 256));
    const extras: FuzzSeed[] = [
      ['empty', new Uint8Array(0)],
      ['text', new TextEncoder().encode('not a DICOM file at all')],
      ['random bytes', noise],
      ['an SR without preamble', seeds[0]!.bytes.slice(132)],
      ['zeros', new Uint8Array(400)],
    ].map(([name, bytes]) => ({ name: name as string, bytes: bytes as Uint8Array, variants: 0 }));
    // The seeds themselves first (as they are), then the odd files, then the mutants.
    results = await runInWorker({ seeds, plain: [...seeds, ...extras], randomSeed: SEED });
    seedResults = results.slice(0, seeds.length);
    results = results.slice(seeds.length);
  });

  it('reads every seed file without error where it is of the reader’s kind', () => {
    const byName = new Map(seedResults.map((r) => [r.name, r.outcomes]));
    const result = (seed: string, reader: string): string | undefined =>
      byName.get(seed)?.find((o) => o.reader === reader)?.result;
    assert.equal(result('exportReadingSr', 'importSr'), 'ok');
    assert.equal(result('exportSecondOpinionSr', 'importSecondOpinionSr'), 'ok');
    assert.equal(result('phantom SEG', 'parseSegmentation'), 'ok');
    assert.equal(result('CT slice', 'parsePart10'), 'ok');
    assert.equal(result('exportReadingSr', 'importFirstReading'), 'ok');
    assert.equal(result('dcmtk Basic Text SR', 'importFirstReading'), 'ok');
    assert.equal(result('dcmtk Encapsulated PDF', 'importFirstReading'), 'ok');
    assert.equal(byName.get('CT slice')!.find((o) => o.reader === 'importFirstReading')?.code, 'not-an-sr');
    if (byName.has('dcmqi sr.dcm')) assert.equal(result('dcmqi sr.dcm', 'importSr'), 'ok');
    if (byName.has('LIDC SEG')) assert.equal(result('LIDC SEG', 'parseSegmentation'), 'ok');
    // A complete file of another kind is named so, never called damaged.
    const sr = byName.get('exportReadingSr')!;
    assert.equal(sr.find((o) => o.reader === 'parseSegmentation')?.code, 'not-a-segmentation');
    assert.equal(byName.get('phantom SEG')!.find((o) => o.reader === 'importSr')?.code, 'not-an-sr');
  });

  it('feeds at least 1000 cases, cut at every structure boundary', () => {
    assert.ok(results.length >= 1000, `${results.length} cases`);
    assert.ok(results.filter((c) => c.cutInside).length >= 500, 'cuts inside elements and items');
    for (const kind of ['bit flip', 'wrong length', 'wrong VR']) {
      assert.ok(results.filter((c) => c.name.includes(kind)).length >= 100, kind);
    }
  });

  it('throws only typed errors with a documented code and a message without parser text', () => {
    const problems: string[] = [];
    results.forEach(({ name, outcomes }) => {
      for (const o of outcomes) {
        if (o.result === 'ok') continue;
        const where = `${name} → ${o.reader}: ${o.result}`;
        if (o.result.startsWith('untyped')) problems.push(`${where} (${o.message})`);
        else if (!o.code || !CODES[o.reader]!.includes(o.code)) problems.push(`${where} code ${o.code}`);
        else if (!o.message || PARSER_TEXT.test(o.message)) problems.push(`${where} message "${o.message}"`);
      }
    });
    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
  });

  it('calls every file cut inside an element or item truncated, in every reader', () => {
    const wrong: string[] = [];
    for (const { name, cutInside, outcomes } of results) {
      if (!cutInside) continue;
      for (const o of outcomes) if (o.code !== 'truncated') wrong.push(`${name} → ${o.reader}: ${o.code ?? o.result}`);
    }
    assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} cut files not called truncated`);
  });

  it('answers every case within the time limit', () => {
    const slow = results.flatMap(({ name, outcomes }) =>
      outcomes.filter((o) => o.ms > CASE_LIMIT_MS).map((o) => `${name} → ${o.reader}: ${Math.round(o.ms)} ms`),
    );
    assert.deepEqual(slow, []);
  });

  after(() => {
    const counts = new Map<string, number>();
    for (const { outcomes } of results)
      for (const o of outcomes)
        counts.set(`${o.reader} ${o.code ?? o.result}`, (counts.get(`${o.reader} ${o.code ?? o.result}`) ?? 0) + 1);
    console.log(`${results.length} cases from ${seeds.length} seeds:`, Object.fromEntries([...counts].sort()));
  });
});
