/**
 * `@secondread/ct-viewer/vite`: the one line a Vite app adds for the dev server.
 *
 * ```ts
 * // vite.config.ts
 * import { defineConfig } from 'vite';
 * import { secondread } from '@secondread/ct-viewer/vite';
 * export default defineConfig({ plugins: [secondread()] });
 * ```
 *
 * `vite build` needs nothing. The dev server pre-bundles dependencies as it finds them; it finds
 * Cornerstone's WASM codecs only when the decode worker first imports them, re-optimises, and the
 * worker's stale imports fail, so the viewer waits for images that never come. This plugin names
 * the codecs up front (through the dependency chain, so that it works with pnpm's strict
 * node_modules as well as npm's flat one).
 *
 * Node-side only: do not import it from browser code. It needs no import of Vite: the returned
 * object is a Vite plugin by shape.
 */

/** The codec modules Cornerstone's image loader imports in its decode worker. */
export const CORNERSTONE_CODECS: readonly string[] = [
  '@cornerstonejs/codec-charls/decodewasmjs',
  '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
  '@cornerstonejs/codec-libjxl/decodewasmjs',
  '@cornerstonejs/codec-openjpeg/decodewasmjs',
  '@cornerstonejs/codec-openjph/wasmjs',
];

/** Where the codecs sit for Vite's `optimizeDeps.include` (`a > b` resolves b from a). */
const CHAIN = '@secondread/ct-viewer > @secondread/cornerstone > @cornerstonejs/dicom-image-loader';

/** A Vite plugin (structurally): adds the codecs to `optimizeDeps.include`. */
export interface SecondreadVitePlugin {
  name: 'secondread';
  config(): { optimizeDeps: { include: string[] } };
}

/** The Vite plugin for apps that use `<ct-viewer>` (and the elements built on it). */
export function secondread(): SecondreadVitePlugin {
  return {
    name: 'secondread',
    config: () => ({ optimizeDeps: { include: CORNERSTONE_CODECS.map((codec) => `${CHAIN} > ${codec}`) } }),
  };
}
