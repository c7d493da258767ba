/**
 * The printable second-opinion report rendered by real Chromium to an A4 PDF.
 * Run with `node --import tsx --test packages/core/test/report-pdf.test.ts`.
 *
 * Writes `/tmp/report.png` (a full-page screenshot) and `/tmp/report.pdf` for a human to look at;
 * with poppler-utils installed, the PDF text is extracted with `pdftotext` and checked too.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { renderReportHtml } from '../src/reading/report-html.ts';
import { secondOpinionFixture } from './fixtures/second-opinion.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../test/support/chromium.ts';

const PDF_FILE = process.env.REPORT_PDF ?? '/tmp/report.pdf';
const PNG_FILE = process.env.REPORT_PNG ?? '/tmp/report.png';

function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

describe('printable report in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let pdf: Uint8Array;
  const html = renderReportHtml(secondOpinionFixture, { locale: 'en-GB', timeZone: 'Europe/Berlin' });

  before(async () => {
    browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
    page = await browser.newPage();
    const external: string[] = [];
    page.on('request', (request) => {
      if (!/^(data|about):/.test(request.url())) external.push(request.url());
    });
    await page.setViewport({ width: 900, height: 1200, deviceScaleFactor: 1 });
    await page.setContent(html, { waitUntil: 'load' });
    assert.deepEqual(external, [], 'the report must load no external resources');
    pdf = await page.pdf({ format: 'A4', printBackground: true });
    writeFileSync(PDF_FILE, pdf);
    await page.screenshot({ path: PNG_FILE as `${string}.png`, fullPage: true });
  });

  after(async () => {
    await browser?.close();
  });

  it('renders every key image', async () => {
    const images = await page.$$eval('img', (imgs) =>
      imgs.map((img) => ({ complete: img.complete, width: img.naturalWidth })),
    );
    assert.equal(images.length, 2);
    for (const image of images) assert.ok(image.complete && image.width === 160, JSON.stringify(image));
  });

  it('prints to an A4 PDF with the report text in it', async () => {
    const header = new TextDecoder('latin1').decode(pdf.subarray(0, 5));
    assert.equal(header, '%PDF-');
    const pages = new TextDecoder('latin1').decode(pdf).match(/\/Type\s*\/Page[^s]/g) ?? [];
    assert.ok(pages.length >= 1, 'the PDF has no pages');
    // A4 is 595 × 842 pt.
    assert.match(
      new TextDecoder('latin1').decode(pdf),
      /\/MediaBox\s*\[\s*0 0 595(?:\.\d+)? 841(?:\.\d+)?|\/MediaBox\s*\[\s*0 0 595(?:\.\d+)? 842/,
    );

    const expected = [
      'CT second opinion',
      'Dr Anna Berger',
      'Prof. Markus Keller',
      'Missed by first reader',
      'Disagree',
      'Agree',
      'RADPEER score 2b',
      'Likely to be clinically significant',
      'Enlarged subcarinal lymph node',
      'Peer-learning comment',
      'Recommendations',
    ];
    let text: string;
    if (hasTool('pdftotext')) {
      writeFileSync(`${PDF_FILE}.in.pdf`, pdf);
      const result = spawnSync('pdftotext', ['-layout', `${PDF_FILE}.in.pdf`, '-'], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      text = result.stdout.replace(/\s+/g, ' ');
      const info = spawnSync('pdfinfo', [`${PDF_FILE}.in.pdf`], { encoding: 'utf8' });
      if (info.status === 0) assert.match(info.stdout, /Page size:\s+595(\.\d+)? x 841(\.\d+)? pts \(A4\)/);
    } else {
      text = (await page.evaluate(() => document.body.innerText)).replace(/\s+/g, ' ');
    }
    // Headings are upper-cased by CSS: compare case-insensitively.
    const lower = text.toLowerCase();
    for (const phrase of expected) assert.ok(lower.includes(phrase.toLowerCase()), `"${phrase}" is not in the PDF`);
    // A UID may wrap in its column: compare it without white space.
    assert.ok(
      text.replace(/\s/g, '').includes(secondOpinionFixture.studyUid),
      'the Study Instance UID is not in the PDF',
    );
    assert.ok(/16\.0\s*mm/.test(text) && /12\.0\s*mm/.test(text), 'the nodule sizes are not in the PDF');
  });

  it('asks the printer to keep each finding, concordance row and key image on one page', async () => {
    // Print media: every finding, pair row group and figure is marked break-inside: avoid.
    await page.emulateMediaType('print');
    const broken = await page.$$eval('.finding, tbody.pair, figure', (elements) =>
      elements.filter((el) => getComputedStyle(el).breakInside !== 'avoid').map((el) => el.className),
    );
    assert.deepEqual(broken, []);
    await page.emulateMediaType(undefined);
  });
});
