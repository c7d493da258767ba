/**
 * Transfer-syntax fixtures: complete, right transfer syntax, and decodable to the source's
 * values (exactly for lossless ones). Run with `pnpm exec tsx --test test/support/transcode.test.ts`.
 * Skipped when dcmtk or GDCM's tools are not installed.
 */
import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import dicomParser from 'dicom-parser';
import {
  REQUIRED_TRANSFER_SYNTAXES,
  TRANSCODE_RECIPES,
  dcmdumpSummary,
  prepareTranscodeManifest,
  prepareTranscodedFixtures,
  type TranscodeManifest,
} from './transcode.ts';

const run = promisify(execFile);

function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const toolsPresent = ['dcmdump', 'dcmcjpeg', 'dcmcjpls', 'dcmcrle', 'dcmconv', 'gdcmconv'].every(hasTool);

/** Decodes any transfer syntax to native with gdcmconv --raw, then returns HU values. */
async function decodeHu(file: string, workDir: string): Promise<Float64Array> {
  const raw = join(workDir, `raw-${Math.random().toString(36).slice(2)}.dcm`);
  await run('gdcmconv', ['--raw', file, raw]);
  const bytes = new Uint8Array(await readFile(raw));
  const dataSet = dicomParser.parseDicom(bytes);
  const element = dataSet.elements.x7fe00010;
  assert.ok(element, `${file} has pixel data`);
  const bitsAllocated = dataSet.uint16('x00280100') ?? 16;
  const signed = dataSet.uint16('x00280103') === 1;
  const slope = dataSet.floatString('x00281053') ?? 1;
  const intercept = dataSet.floatString('x00281052') ?? 0;
  const buffer = bytes.buffer.slice(
    bytes.byteOffset + element.dataOffset,
    bytes.byteOffset + element.dataOffset + element.length,
  );
  const stored =
    bitsAllocated === 8 ? new Uint8Array(buffer) : signed ? new Int16Array(buffer) : new Uint16Array(buffer);
  return Float64Array.from(stored, (value) => value * slope + intercept);
}

describe('transcoded fixtures', { skip: toolsPresent ? false : 'dcmtk / libgdcm-tools not installed' }, () => {
  let manifest: TranscodeManifest;
  let workDir: string;

  before(async () => {
    manifest = await prepareTranscodeManifest();
    workDir = await mkdtemp(join(tmpdir(), 'transcode-test-'));
  });
  after(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('has every required transfer syntax, each verified with dcmdump', async () => {
    const required = TRANSCODE_RECIPES.filter((recipe) => !recipe.optional);
    for (const recipe of required) {
      const fixture = manifest.fixtures.find((entry) => entry.name === recipe.name);
      assert.ok(fixture, `${recipe.name} present`);
      assert.ok(existsSync(fixture.path), `${fixture.path} exists`);
      assert.equal(fixture.transferSyntaxUid, recipe.transferSyntaxUid);
      assert.equal(fixture.lossless, recipe.lossless);
      assert.equal((await dcmdumpSummary(fixture.path)).transferSyntaxUid, recipe.transferSyntaxUid, recipe.name);
    }
    const uids = new Set(manifest.fixtures.map((fixture) => fixture.transferSyntaxUid));
    for (const uid of REQUIRED_TRANSFER_SYNTAXES) {
      assert.ok(uids.has(uid), uid);
    }
    for (const skipped of manifest.unavailable) {
      assert.ok(
        TRANSCODE_RECIPES.find((recipe) => recipe.name === skipped.name)?.optional,
        `${skipped.name} is optional`,
      );
    }
  });

  it('decodes to the source values: exactly when lossless, closely when lossy', async () => {
    const source = await decodeHu(manifest.source.path, workDir);
    for (const fixture of manifest.fixtures) {
      const decoded = await decodeHu(fixture.path, workDir);
      assert.equal(decoded.length, source.length, fixture.name);
      let sumError = 0;
      let maxError = 0;
      for (let i = 0; i < source.length; i++) {
        const error = Math.abs((decoded[i] ?? Number.NaN) - (source[i] ?? Number.NaN));
        sumError += error;
        if (error > maxError) maxError = error;
      }
      const meanError = sumError / source.length;
      if (fixture.lossless) {
        assert.equal(maxError, 0, `${fixture.name} is lossless`);
      } else {
        assert.ok(meanError < 30, `${fixture.name}: mean error ${meanError.toFixed(1)} HU`);
      }
    }
  });

  it('reuses the cache instead of transcoding again', async () => {
    const before = manifest.fixtures.map((fixture) => statSync(fixture.path).mtimeMs);
    const again = await prepareTranscodedFixtures();
    assert.deepEqual(again, manifest.fixtures);
    assert.deepEqual(
      again.map((fixture) => statSync(fixture.path).mtimeMs),
      before,
    );
  });
});
