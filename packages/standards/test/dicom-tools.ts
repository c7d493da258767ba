/**
 * Runs the DICOM validators of Debian's dicom3tools (`dciodvfy`) and dcmtk (`dsrdump`) on files
 * written to a temporary directory, and parses what they report.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary directory removed by `dispose()`. */
export function tempDir(): {
  path: string;
  file(name: string, bytes: ArrayBuffer | Uint8Array): string;
  dispose(): void;
} {
  const path = mkdtempSync(join(tmpdir(), 'secondread-standards-'));
  return {
    path,
    file(name, bytes) {
      const file = join(path, name);
      writeFileSync(file, bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
      return file;
    },
    dispose: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** dciodvfy's findings: lines starting with `Error` and with `Warning`. */
export function dciodvfy(file: string): { errors: string[]; warnings: string[]; output: string } {
  const result = spawnSync('dciodvfy', [file], { encoding: 'utf8' });
  if (result.error) throw result.error;
  const output = `${result.stdout}${result.stderr}`;
  const lines = output.split('\n');
  return {
    errors: lines.filter((l) => l.startsWith('Error')),
    warnings: lines.filter((l) => l.startsWith('Warning')),
    output,
  };
}

/** dsrdump's text and its warnings/errors (`W:`/`E:` lines, or a non-zero exit). */
export function dsrdump(
  file: string,
  args: readonly string[] = [],
): { text: string; problems: string[]; status: number | null } {
  const result = spawnSync('dsrdump', [...args, file], { encoding: 'utf8' });
  if (result.error) throw result.error;
  const problems = `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => /^(W|E|F):/.test(l));
  return { text: result.stdout, problems, status: result.status };
}

/** dsrdump text with UIDs, dates and times masked, for comparing content across exports. */
export function maskVolatile(text: string): string {
  return text
    .replace(/\b\d+(\.\d+){3,}\b/g, '<uid>')
    .replace(/\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?\b/g, '<datetime>');
}

/**
 * Asserts that both validators accept an SR file (dciodvfy: no errors; dsrdump: reads it, and
 * with `dsrdumpWarnings` no warnings either); returns dciodvfy's warnings.
 */
export function assertValidSr(file: string, { dsrdumpWarnings = true } = {}): string[] {
  const iod = dciodvfy(file);
  assert.deepEqual(iod.errors, [], `dciodvfy errors:\n${iod.output}`);
  const dump = dsrdump(file);
  assert.equal(dump.status, 0, dump.text);
  if (dsrdumpWarnings) assert.deepEqual(dump.problems, [], 'dsrdump warnings');
  return iod.warnings;
}
