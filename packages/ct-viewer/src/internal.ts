/**
 * `@secondread/ct-viewer/internal.js`: what the SecondRead element packages share among
 * themselves and host pages should not rely on. Not part of the public API (not exported from
 * the package's index); it may change in any release.
 *
 * @internal
 */
export { panelStyles } from './panel.styles.js';
export { controlStyles } from './control.styles.js';
export { enclosingViewer, isViewerElement, viewerById } from './viewer-lookup.js';
