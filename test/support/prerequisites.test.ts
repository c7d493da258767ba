/**
 * `pnpm test` on a machine that lacks a tool names the Debian package to install, before it
 * starts anything (instead of `spawn gdcmconv ENOENT` half-way through a run).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';
import { describeMissing, missing, TEST_PREREQUISITES } from '../../scripts/prerequisites.ts';

describe('prerequisites of pnpm test', () => {
  it('are all present on this machine (the tests below rely on them)', () => {
    assert.deepEqual(
      missing(TEST_PREREQUISITES).map((p) => p.what),
      [],
    );
  });

  it('names the missing programs and the apt-get line, and exits 1 without running a test', () => {
    // A PATH with node alone: every Debian tool is missing, and so is the browser.
    const bin = mkdtempSync(join(tmpdir(), 'secondread-path-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/test.ts'], {
      cwd: repoRoot,
      env: { ...process.env, PATH: bin, CHROME_PATH: join(bin, 'no-chromium') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /gdcmconv \(JPEG 2000 fixtures\): Debian package libgdcm-tools/);
    assert.match(run.stderr, /dciodvfy .*: Debian package dicom3tools/);
    assert.match(run.stderr, /apt-get install -y chromium dcmtk libgdcm-tools dicom3tools poppler-utils/);
    assert.doesNotMatch(run.stdout, /Node tests/);
    assert.doesNotMatch(run.stderr, /ENOENT|at .*\.ts:\d+/);
  });

  it('lists each package once in the install line', () => {
    const text = describeMissing(TEST_PREREQUISITES);
    const line = text.split('\n').at(-1)!;
    assert.equal(
      line,
      'Install them with: sudo apt-get install -y chromium orthanc orthanc-dicomweb dcmtk libgdcm-tools dicom3tools poppler-utils',
    );
  });
});
