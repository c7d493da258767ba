/**
 * `pnpm test`: every test, against real parts.
 *
 * 1. Node unit tests (packages, test support, the demo portal, scripts: the docs checks) with
 *    node's test runner.
 * 2. Browser tests in Debian's Chromium with web-test-runner, against a real Orthanc
 *    (DICOMweb) started here on a free loopback port and loaded with the phantom and,
 *    when ../shared/data is present, LIDC-IDRI-0001.
 *
 * `pnpm test -- --browser-only` / `--node-only` run one half; `--files <glob>` narrows the
 * browser tests and the Node tests alike (a path relative to the repository, brace globs allowed).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, matchesGlob } from 'node:path';
import { startTestRunner, type TestRunnerConfig, type TestRunnerGroupConfig } from '@web/test-runner';
import { prepareBrowserEnv } from '../test/support/browser-env.ts';
import { repoRoot } from '../test/support/paths.ts';
import { describeMissing, missing, TEST_PREREQUISITES } from './prerequisites.ts';

const args = process.argv.slice(2);
const nodeOnly = args.includes('--node-only');
const browserOnly = args.includes('--browser-only');
const filesIndex = args.indexOf('--files');
const files = filesIndex >= 0 ? args[filesIndex + 1] : undefined;

const absent = missing(TEST_PREREQUISITES);
if (absent.length) {
  console.error(`pnpm test needs programs this machine lacks:\n${describeMissing(absent)}`);
  process.exit(1);
}

let failed = false;
const counts = { passed: 0, failed: 0 };

interface TestResultNode {
  tests?: { passed: boolean; skipped?: boolean }[];
  suites?: TestResultNode[];
}

function countResults(node: TestResultNode | undefined): void {
  for (const test of node?.tests ?? []) {
    if (test.skipped) continue;
    if (test.passed) counts.passed++;
    else counts.failed++;
  }
  for (const suite of node?.suites ?? []) countResults(suite);
}

/** The config with only `glob`, run in the group whose browser suits it (with or without WebGL). */
function narrowTo(config: TestRunnerConfig, glob: string): TestRunnerConfig {
  const cpu = glob.includes('ct-viewer-cpu');
  return {
    ...config,
    groups: (Array.isArray(config.groups) ? (config.groups as TestRunnerGroupConfig[]) : [])
      .filter((group) => (group.name === 'no-webgl') === cpu)
      .map((group) => ({ ...group, files: [glob] })),
  };
}

if (!browserOnly) {
  runNodeTests();
}

function runNodeTests(): void {
  const testsIn = (dir: string): string[] =>
    readdirSync(join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => join(dir, f));
  const packages = readdirSync(join(repoRoot, 'packages')).filter((p) => {
    try {
      return readdirSync(join(repoRoot, 'packages', p, 'test')).length > 0;
    } catch {
      return false;
    }
  });
  // Node tests: each package's test/, the harness's own (test/support), the demo portal's
  // (examples/) and the scripts' (the docs checks).
  const nodeTests = [
    ...packages.flatMap((p) => testsIn(join('packages', p, 'test'))),
    ...testsIn('test/support'),
    ...testsIn('examples'),
    ...testsIn('scripts'),
  ].filter((file) => !files || matchesGlob(file, files));
  console.log(`\n▶ Node tests (${nodeTests.length} files)`);
  // With no file left, node --test would look for tests by itself.
  if (!nodeTests.length) return;
  mkdirSync(join(repoRoot, '.cache'), { recursive: true });
  const tap = join(repoRoot, '.cache/node-tests.tap');
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...nodeTests,
    ],
    { cwd: repoRoot, stdio: 'inherit' },
  );
  if (result.status !== 0) failed = true;
  const summary = readFileSync(tap, 'utf8');
  counts.passed += Number(/^# pass (\d+)/m.exec(summary)?.[1] ?? 0);
  counts.failed += Number(/^# fail (\d+)/m.exec(summary)?.[1] ?? 0);
}

if (!nodeOnly) {
  console.log('\n▶ Browser tests (Chromium, Orthanc)');
  const env = await prepareBrowserEnv();
  (globalThis as { __secondreadTestEnv?: unknown }).__secondreadTestEnv = env;
  try {
    // Imported after the environment is ready: the config picks up its middleware.
    const { default: fileConfig } = (await import('../web-test-runner.config.mjs')) as { default: TestRunnerConfig };
    const runner = await startTestRunner({
      readCliArgs: false,
      readFileConfig: false,
      autoExitProcess: false,
      config: files ? narrowTo(fileConfig, files) : fileConfig,
    });
    if (!runner) throw new Error('web-test-runner did not start');
    const passed = await new Promise<boolean>((resolve) => {
      runner.on('stopped', () => resolve(runner.passed));
      runner.on('finished', () => {
        const ok = runner.passed;
        void runner.stop().then(() => resolve(ok));
      });
    });
    if (!passed) failed = true;
    for (const session of runner.sessions.all()) {
      countResults(session.testResults as TestResultNode | undefined);
      if (!session.passed && !session.testResults?.tests.length && !session.testResults?.suites.length) counts.failed++;
    }
  } finally {
    await env.stop();
  }
}

console.log(failed ? '\n✗ Some tests failed.' : '\n✓ All tests passed.');
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(failed ? 1 : 0);
