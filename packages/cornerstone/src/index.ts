/**
 * @secondread/cornerstone — the one package that imports Cornerstone3D. It turns the
 * engine's page-wide singletons (cache, rendering engine, tool groups) into one
 * {@link EngineViewport} per element with a clear lifetime.
 */
import type { ViewportEngine } from '@secondread/core';
import { ensureInitialized, isCpuRendering, onContextLost } from './setup.js';
import { CornerstoneViewport } from './viewport.js';

/** The Cornerstone3D implementation of {@link ViewportEngine}. */
export const cornerstoneEngine: ViewportEngine = {
  createViewport(element) {
    ensureInitialized();
    return new CornerstoneViewport(element);
  },
  get renderer() {
    ensureInitialized();
    return isCpuRendering() ? 'cpu' : 'gpu';
  },
  onRendererLost(listener) {
    return onContextLost(listener);
  },
};

export { CornerstoneViewport };
