/**
 * A web-test-runner plugin that photographs the page as Chromium composited it: the browser test
 * calls `screenshotPixels` (test/support/screenshot.ts) and the runner answers with a PNG of the
 * viewport taken through puppeteer (`page.screenshot`), i.e. the real pixels on screen, with
 * shadow DOM, `::part` rules, cascade layers and alpha blending applied by the browser itself.
 */

interface PuppeteerPage {
  screenshot(options: { encoding: 'base64'; type: 'png'; captureBeyondViewport: boolean }): Promise<string>;
}

interface CommandContext {
  readonly command: string;
  readonly session: {
    readonly id: string;
    readonly browser: { readonly type?: string; getPage?(id: string): unknown };
  };
}

export const SCREENSHOT_COMMAND = 'screenshot-png';

export function screenshotPlugin(): { name: string; executeCommand(context: CommandContext): Promise<unknown> } {
  return {
    name: 'secondread-screenshot',
    async executeCommand({ command, session }) {
      if (command !== SCREENSHOT_COMMAND) return undefined;
      if (session.browser.type !== 'puppeteer' || !session.browser.getPage) {
        throw new Error(`screenshot needs the Chrome (puppeteer) launcher, not ${session.browser.type ?? 'this one'}`);
      }
      const page = session.browser.getPage(session.id) as PuppeteerPage;
      return page.screenshot({ encoding: 'base64', type: 'png', captureBeyondViewport: false });
    },
  };
}
