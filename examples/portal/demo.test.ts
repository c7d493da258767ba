/**
 * The README's first command, end to end: `pnpm start` serves the demo portal with an embedded
 * default study; a second reader measures in it, and a real page reload restores the draft
 * exactly (IndexedDB), measurements included; so does reopening the study after the renderer
 * crashed (CDP `Page.crash`: no unload handler runs). Headless Chromium driven by puppeteer-core.
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

/** Page coordinates (CSS px) of axial patient points (mm) in the fitted second viewer. */
function pagePoints(page: Page, points: readonly (readonly [number, number])[]): Promise<[number, number][]> {
  return page.evaluate(
    (mm, origin, columns, rows, spacing) => {
      const viewer = document.querySelector('#second-viewer')!;
      const box = viewer.shadowRoot!.querySelector('.engine')!.getBoundingClientRect();
      const scale = Math.min(box.width / columns, box.height / rows);
      const left = box.left + (box.width - columns * scale) / 2;
      const top = box.top + (box.height - rows * scale) / 2;
      return mm.map(
        ([x, y]) =>
          [left + ((x - origin[0]) / spacing + 0.5) * scale, top + ((y - origin[1]) / spacing + 0.5) * scale] as [
            number,
            number,
          ],
      );
    },
    points as [number, number][],
    truth.firstImagePositionPatient,
    truth.columns,
    truth.rows,
    truth.pixelSpacingMm[1],
  );
}

/** The reader's measurements in the toolbar (JSON-safe). */
function toolMeasurements(page: Page): Promise<{ id: string; kind: string; label: string; sopInstanceUid: string }[]> {
  return page.evaluate(() =>
    JSON.parse(
      JSON.stringify(
        (document.querySelector('measurement-tools') as unknown as { measurements: unknown[] }).measurements,
      ),
    ),
  );
}

/**
 * Draws one measurement with the mouse on `slice` of the second viewer: a drag from the first to
 * the last point (a click when there is one), again until the toolbar has one more (a cold dev
 * server may still be wiring the tool to the viewer).
 */
async function draw(
  page: Page,
  tool: string,
  slice: number,
  mm: readonly (readonly [number, number])[],
): Promise<void> {
  await page.evaluate(
    async (t, index) => {
      (document.querySelector('#second-viewer') as unknown as { sliceIndex: number }).sliceIndex = index;
      const tools = document.querySelector('measurement-tools') as unknown as {
        tool: string;
        toolReady: Promise<void>;
      };
      tools.tool = t;
      await tools.toolReady;
    },
    tool,
    slice,
  );
  await new Promise((r) => setTimeout(r, 600));
  const before = (await toolMeasurements(page)).length;
  const [from, to] = [(await pagePoints(page, mm))[0]!, (await pagePoints(page, mm)).at(-1)!];
  for (let attempt = 0; attempt < 5 && (await toolMeasurements(page)).length === before; attempt++) {
    await page.mouse.move(...from);
    await page.mouse.down();
    for (let i = 1; i <= 6; i++)
      await page.mouse.move(from[0] + ((to[0] - from[0]) * i) / 6, from[1] + ((to[1] - from[1]) * i) / 6);
    await page.mouse.up();
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert.equal((await toolMeasurements(page)).length, before + 1, `${tool} drawn`);
}

describe('demo portal (pnpm start)', { timeout: 360_000 }, () => {
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

  it('a renderer crash (CDP Page.crash) loses nothing: reopened, every measurement and text of the draft is back', async () => {
    // A profile of its own: the draft of the test above stays out of this one.
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: 1600, height: 950 });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(url, { waitUntil: 'load' });
    await openPhantom(page);
    const [n1, n2] = [truth.nodules[0]!, truth.nodules[1]!];
    const r1 = (n1.diameterMm + 2) / 2;
    const r2 = (n2.diameterMm + 2) / 2;
    await draw(page, 'length', n1.sliceIndex, [
      [n1.centerMm[0] - r1, n1.centerMm[1]],
      [n1.centerMm[0] + r1, n1.centerMm[1]],
    ]);
    await draw(page, 'ellipse-roi', n2.sliceIndex, [
      [n2.centerMm[0] - r2, n2.centerMm[1] - r2],
      [n2.centerMm[0] + r2, n2.centerMm[1] + r2],
    ]);
    await draw(page, 'probe', n1.sliceIndex, [[n1.centerMm[0], n1.centerMm[1] + 25]]);
    await page.evaluate(() => {
      (document.querySelector('measurement-tools') as unknown as { tool: string }).tool = 'none';
    });

    // A label typed in the list's inline field, texts typed in the report, verdict, score, comment.
    const tools = await page.$('measurement-tools');
    const rename = await tools!.waitForSelector('>>> [part=item] button[data-edit=label]');
    await rename!.click();
    const field = await tools!.waitForSelector('>>> [part=field]');
    await field!.type('RUL nodule, 14 mm');
    await page.keyboard.press('Enter');
    const report = await page.$('#report');
    await page.evaluate(() =>
      document.querySelector('#report')!.shadowRoot!.querySelector<HTMLButtonElement>('[part=blinded] button')!.click(),
    );
    const [impression, recommendations] = await report!.$$('>>> textarea[part=text]');
    await impression!.type('Enlarging right upper lobe nodule; stable left nodule.');
    await recommendations!.type('CT in 3 months.');
    await page.evaluate(async () => {
      const element = document.querySelector('#report') as unknown as {
        model: {
          second: { findings: { id: string }[] };
          updateFinding(id: string, patch: object): void;
          setRadpeer(score: string): void;
          setPeerLearningComment(text: string): void;
        };
        saved: Promise<void>;
      };
      const model = element.model;
      const [finding] = model.second.findings;
      model.updateFinding(finding!.id, { description: 'Right upper lobe nodule', text: 'Solid, smooth margins.' });
      model.setRadpeer('2a');
      model.setPeerLearningComment('Growth not mentioned in the first report.');
      await element.saved;
    });
    const before = await opinionOf(page);
    const measurementsBefore = await toolMeasurements(page);
    assert.equal(measurementsBefore.length, 3);
    assert.deepEqual(measurementsBefore.map((m) => m.kind).sort(), ['ellipse-roi', 'length', 'probe']);
    assert.ok(measurementsBefore.some((m) => m.label === 'RUL nodule, 14 mm'));
    const second = before!.readings.find((r) => r.role === 'second')!;
    assert.equal(second.findings.length, 3);
    assert.equal(second.impression, 'Enlarging right upper lobe nodule; stable left nodule.');
    // What the reader sees before the crash: the draft is saved.
    assert.match(
      await page.evaluate(
        () => document.querySelector('#report')!.shadowRoot!.querySelector('[part=status]')!.textContent!,
      ),
      /^Draft saved/,
    );

    // The renderer dies: no pagehide, no beforeunload, nothing flushed at the end.
    const crashed = new Promise<void>((resolve) => page.once('error', () => resolve()));
    const cdp = await page.createCDPSession();
    void cdp.send('Page.crash').catch(() => undefined);
    await crashed;
    await page.close().catch(() => undefined);

    // Reopened in a new tab of the same profile: the draft is back, exactly.
    const reopened = await context.newPage();
    await reopened.setViewport({ width: 1600, height: 950 });
    reopened.on('pageerror', (error) => errors.push(String(error)));
    await reopened.goto(url, { waitUntil: 'load' });
    await openPhantom(reopened);
    await reopened.waitForFunction(
      (id) => (document.querySelector('#report') as unknown as { opinion: { id: string } }).opinion.id === id,
      { timeout: 20_000 },
      before!.id,
    );
    await reopened.waitForFunction(
      (count) =>
        (document.querySelector('measurement-tools') as unknown as { measurements: unknown[] }).measurements.length ===
        count,
      { timeout: 20_000 },
      measurementsBefore.length,
    );
    // All of it, but the opinion's own updatedAt: the portal hands the first reading over again
    // (a new object from its PACS), and the report takes it as an edit of the opinion.
    const { updatedAt: _after, ...restored } = (await opinionOf(reopened)) as Record<string, unknown>;
    const { updatedAt: _before, ...kept } = before as unknown as Record<string, unknown>;
    assert.deepEqual(restored, kept);
    assert.deepEqual(await toolMeasurements(reopened), measurementsBefore);
    // The texts are in the fields again, where the reader typed them.
    const texts = await reopened.evaluate(() =>
      [...document.querySelector('#report')!.shadowRoot!.querySelectorAll('textarea')].map((t) => t.value),
    );
    assert.deepEqual(texts.slice(0, 2), ['Enlarging right upper lobe nodule; stable left nodule.', 'CT in 3 months.']);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('switches the SecondRead theme from the header, and keeps it across a reload', async () => {
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
    await page.waitForFunction(
      () => !!document.querySelector('measurement-tools')?.shadowRoot?.querySelector('[part~="tool"]'),
      {
        timeout: 60_000,
      },
    );
    interface Look {
      theme: string | undefined;
      toolbar: string;
      active: string;
    }
    const look = (): Promise<Look> =>
      page.evaluate(() => {
        const viewer = document.querySelector('#second-viewer')!;
        const tools = document.querySelector('measurement-tools')!;
        (tools as unknown as { tool: string }).tool = 'angle';
        return new Promise<Look>((resolve) =>
          requestAnimationFrame(() =>
            resolve({
              theme: document.documentElement.dataset.ctTheme,
              toolbar: getComputedStyle(viewer.shadowRoot!.querySelector('[part~="toolbar"]')!).backgroundColor,
              active: getComputedStyle(tools.shadowRoot!.querySelector('[part~="tool"][part~="active"]')!)
                .backgroundColor,
            }),
          ),
        );
      });
    await page.select('#theme', 'light');
    // light.css: white panels, the accent #0b5cad on the active tool.
    assert.deepEqual(await look(), { theme: 'light', toolbar: 'rgb(255, 255, 255)', active: 'rgb(11, 92, 173)' });
    await page.reload({ waitUntil: 'load', timeout: 120_000 });
    await page.waitForFunction(
      () => !!document.querySelector('measurement-tools')?.shadowRoot?.querySelector('[part~="tool"]'),
    );
    assert.equal((await look()).theme, 'light');
    await page.select('#theme', 'acme');
    assert.deepEqual(await look(), { theme: 'acme', toolbar: 'rgb(20, 33, 61)', active: 'rgb(252, 163, 17)' });
    await page.select('#theme', 'default');
    await page.close();
  });
});
