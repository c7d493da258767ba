/**
 * The Content Security Policy the examples and the demo portal are served with (README, "Content
 * Security Policy"), in one place for the servers and the tests.
 */

/**
 * Everything from the page's own origin, WebAssembly allowed for the image codecs, no inline
 * scripts and no inline styles.
 */
export const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'";

/** The same policy without `'wasm-unsafe-eval'`: the codecs cannot compile. */
export const STRICT_CSP_WITHOUT_WASM = STRICT_CSP.replace(" 'wasm-unsafe-eval'", '');
