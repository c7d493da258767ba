/**
 * How the project launches Chromium everywhere (tests, screenshots, benchmarks): Debian's
 * binary unless `CHROME_PATH` says otherwise, headless, quiet on the closed network, and with
 * WebGL through SwiftShader (see ../shared/docs/platform-notes.md).
 */
export const CHROMIUM_PATH: string = process.env.CHROME_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
