/**
 * Takes a screenshot of a page with headless Chromium, for looking at what we build:
 * `tsx scripts/screenshot.ts <url> <out.png> [waitForSelectorOrMs] [width] [height]`.
 * Prints the page's console messages and errors.
 */
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/support/chromium.ts';

const [url, out = '/tmp/shot.png', wait = '3000', width = '1400', height = '800'] = process.argv.slice(2);
if (!url) {
  console.error('usage: tsx scripts/screenshot.ts <url> <out.png> [wait-ms|js-condition] [width] [height]');
  process.exit(2);
}
const browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: Number(width), height: Number(height) });
  page.on('console', (m) => console.log(`[console.${m.type()}] ${m.text()}`));
  page.on('requestfailed', (r) => console.log(`[requestfailed] ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) console.log(`[http ${r.status()}] ${r.url()}`);
  });
  page.on('pageerror', (e) => console.log(`[pageerror] ${String(e)}`));
  await page.goto(url, { waitUntil: 'load' });
  if (/^\d+$/.test(wait)) await new Promise((r) => setTimeout(r, Number(wait)));
  else await page.waitForFunction(wait, { timeout: 60_000 });
  await page.screenshot({ path: out as `${string}.png` });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
