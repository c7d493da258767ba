/**
 * The README's first command, end to end: `pnpm start` serves the demo portal with an embedded
 * default study; a second reader measures in it, and a real page reload restores the draft
 * exactly (IndexedDB), measurements included. Headless Chromium driven by puppeteer-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { writePhantom } from '@secondread/phantom';
import type { PhantomTruth } from '@secondread/phantom';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/support/chromium.ts';
import { freePort } from '../../test/support/orthanc.ts';
import { phantomDir, repoRoot } from '../../test/support/paths.ts';
import { STRICT_CSP } from '../support/csp.ts';

/** Vite colours its output: drop the escape sequences. */
const stripAnsi = (text: string): string => text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');

let server: ChildProcess;
let url: string;
let browser: Browser;
let truth: PhantomTruth;

/** Starts `scripts/start.ts` on a free port and resolves with the portal's address once it is ready. */
async function startDemo(): Promise<string> {
  const port = await freePort();
  server = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const local = /Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stripAnsi(output));
      if (local && output.includes('Demo portal ready')) {
        clearTimeout(timer);
        resolve(local[1]!);
      }
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.on('exit', (code) => reject(new Error(`demo exited with ${code}:\n${output}`)));
  });
}

/** The page's second opinion, as the report holds it (JSON-safe). */
function opinionOf(
  page: Page,
): Promise<{ id: string; readings: { role: string; findings: unknown[]; impression: string }[] } | null> {
  return page.evaluate(() => {
    const report = document.querySelector('#report') as unknown as { opinion: unknown } | null;
    return report?.opinion ? JSON.parse(JSON.stringify(report.opinion)) : null;
  });
}

/** Opens the phantom baseline study in the portal and waits until both viewers and the report are ready. */
async function openPhantom(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('#study-list button').length > 0, { timeout: 60_000 });
  await page.evaluate((studyUid) => {
    const buttons = [...document.querySelectorAll<HTMLButtonElement>('#study-list button')];
    const button = buttons.find((b) => b.textContent?.includes('baseline')) ?? buttons[0]!;
    button.click();
    return studyUid;
  }, truth.studyInstanceUid);
  await page.waitForFunction(
    (count) =>
      (document.querySelector('#second-viewer') as unknown as { state: string; sliceCount: number }).state ===
        'ready' &&
      (document.querySelector('#second-viewer') as unknown as { sliceCount: number }).sliceCount === count &&
      (document.querySelector('#report') as unknown as { opinion: unknown }).opinion !== null,
    { timeout: 60_000 },
    truth.sliceCount,
  );
}

describe('demo portal (pnpm start)', { timeout: 240_000 }, () => {
  before(async () => {
    truth = (await writePhantom(phantomDir)).baseline.truth;
    url = await startDemo();
    browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
  });

  after(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
  });

  it('serves the portal with a default study, and a reload restores the second reading exactly', async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 1600, height: 950 });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    // Served under the strict Content Security Policy, with no violation (in the page or, reported
    // on the console only, in a worker).
    const violations: string[] = [];
    await page.exposeFunction('__reportViolation', (text: string) => violations.push(text));
    await page.evaluateOnNewDocument(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        void (window as unknown as { __reportViolation(text: string): Promise<void> }).__reportViolation(
          `${event.effectiveDirective} ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`,
        );
      });
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto(url, { waitUntil: 'load' });
    assert.equal(response?.headers()['content-security-policy'], STRICT_CSP);

    // The default study is on screen without any action.
    await page.waitForFunction(
      () => (document.querySelector('#second-viewer') as unknown as { state: string }).state === 'ready',
      { timeout: 90_000 },
    );

    await openPhantom(page);
    const n1 = truth.nodules[0]!;
    await page.evaluate(async (slice) => {
      (document.querySelector('#second-viewer') as unknown as { sliceIndex: number }).sliceIndex = slice;
      const tools = document.querySelector('measurement-tools') as unknown as {
        tool: string;
        toolReady: Promise<void>;
      };
      tools.tool = 'length';
      await tools.toolReady; // the tool's code loads on first use (slow on a cold dev server)
    }, n1.sliceIndex);
    await new Promise((r) => setTimeout(r, 1000));
    // Page coordinates of the nodule's ends in the fitted second viewer.
    const ends = await page.evaluate(
      (centre, radius, origin, columns, rows, spacing) => {
        const viewer = document.querySelector('#second-viewer')!;
        const box = viewer.shadowRoot!.querySelector('.engine')!.getBoundingClientRect();
        const scale = Math.min(box.width / columns, box.height / rows);
        const left = box.left + (box.width - columns * scale) / 2;
        const top = box.top + (box.height - rows * scale) / 2;
        // (No named helper functions in here: tsx would wrap them in a __name() the page lacks.)
        const y = top + ((centre[1] - origin[1]) / spacing + 0.5) * scale;
        return [
          [left + ((centre[0] - radius - origin[0]) / spacing + 0.5) * scale, y],
          [left + ((centre[0] + radius - origin[0]) / spacing + 0.5) * scale, y],
        ] as [number, number][];
      },
      n1.centerMm,
      (n1.diameterMm + 2) / 2,
      truth.firstImagePositionPatient,
      truth.columns,
      truth.rows,
      truth.pixelSpacingMm[1],
    );
    const measured = (): Promise<number> =>
      page.evaluate(
        () =>
          (document.querySelector('measurement-tools') as unknown as { measurements: unknown[] }).measurements.length,
      );
    // A cold dev server may still be wiring the tool to the viewer: draw again until it takes.
    for (let attempt = 0; attempt < 5 && (await measured()) === 0; attempt++) {
      await page.mouse.move(...ends[0]!);
      await page.mouse.down();
      for (let i = 1; i <= 6; i++) {
        await page.mouse.move(ends[0]![0] + ((ends[1]![0] - ends[0]![0]) * i) / 6, ends[0]![1]);
      }
      await page.mouse.up();
      await new Promise((r) => setTimeout(r, 1000));
    }
    await page.waitForFunction(
      () =>
        (
          document.querySelector('#report') as unknown as {
            opinion: { readings: { role: string; findings: unknown[] }[] };
          }
        ).opinion.readings.find((r) => r.role === 'second')!.findings.length === 1,
      { timeout: 10_000 },
    );
    await page.evaluate(async () => {
      const report = document.querySelector('#report') as unknown as {
        model: { setImpression(text: string): void };
        saved: Promise<void>;
      };
      report.model.setImpression('Draft before the reload.');
      await new Promise((r) => setTimeout(r, 800)); // late measurement updates settle
      await report.saved;
    });
    const before = await opinionOf(page);
    assert.ok(before);
    const second = before.readings.find((r) => r.role === 'second')!;
    assert.equal(second.findings.length, 1);
    assert.equal(second.impression, 'Draft before the reload.');

    // A real reload: the draft comes back from IndexedDB, exactly.
    await page.reload({ waitUntil: 'load' });
    await openPhantom(page);
    await page.waitForFunction(
      (id) => (document.querySelector('#report') as unknown as { opinion: { id: string } }).opinion.id === id,
      { timeout: 20_000 },
      before.id,
    );
    const after = await opinionOf(page);
    assert.deepEqual(
      after!.readings.find((r) => r.role === 'second'),
      second,
    );
    // The reader's measurement is back in the toolbar.
    const restored = await page.evaluate(
      () => (document.querySelector('measurement-tools') as unknown as { measurements: unknown[] }).measurements.length,
    );
    assert.ok(restored >= 1);
    assert.deepEqual(errors, []);
    assert.deepEqual(violations, []);
    await page.close();
  });
});
