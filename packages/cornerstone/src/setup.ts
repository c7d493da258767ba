import { init as initCore, getConfiguration, metaData, RenderingEngine, getRenderingEngine } from '@cornerstonejs/core';
import { init as initLoader } from '@cornerstonejs/dicom-image-loader';
import { isUnderRoot } from '@secondread/core';
import { registerWadorsLoader } from './frame-loader.js';
import { frameStore } from './frame-store.js';

export { dropFrame, storeFrame, takeStoredFrame } from './frame-store.js';

/** Id of the one rendering engine every viewer on a page shares (WebGL contexts are scarce). */
export const RENDERING_ENGINE_ID = 'secondread';

/** Request headers by DICOMweb root, for the image loader's own requests. */
const headersByRoot = new Map<string, Readonly<Record<string, string>>>();

let initialized = false;

/** Initialises Cornerstone3D and the DICOM image loader once per page. */
export function ensureInitialized(): void {
  if (initialized) return;
  initialized = true;
  // One engine serves every viewer on the page: two WebGL contexts are plenty, and they
  // keep well clear of Chromium's limit of 16 per page.
  initCore({ rendering: { webGlContextCount: 2 } } as Parameters<typeof initCore>[0]);
  initLoader({
    maxWebWorkers: Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1)),
    beforeSend: (_xhr, url) => {
      return headersFor(url);
    },
  });
  // Frames of DICOMweb series come through our loader (typed errors, retries, abortable).
  registerWadorsLoader();
  // Highest priority: frames we streamed ourselves win over a network fetch.
  metaData.addProvider((type: string, imageId: string) => {
    if (type !== 'compressedFrameData') return undefined;
    return frameStore.get(imageId);
  }, 1_000_000);
}

export function isCpuRendering(): boolean {
  return Boolean(getConfiguration().rendering?.useCPURendering);
}

/** The shared rendering engine, created on first use. */
export function sharedRenderingEngine(): RenderingEngine {
  ensureInitialized();
  return getRenderingEngine(RENDERING_ENGINE_ID) ?? new RenderingEngine(RENDERING_ENGINE_ID);
}

/**
 * Registers the headers (credentials) of a DICOMweb root for the image loader's requests. They
 * are sent only to URLs under that root: same origin and a path that continues the root's path
 * (see `isUnderRoot`), never to another host or a sibling path that merely contains the root's
 * text (`/dicom-web-other`, `https://elsewhere/?https://pacs/dicom-web`).
 * @returns a function that unregisters them.
 */
export function registerHeaders(root: string, headers: Readonly<Record<string, string>>): () => void {
  headersByRoot.set(root, headers);
  return () => {
    if (headersByRoot.get(root) === headers) headersByRoot.delete(root);
  };
}

/** The registered headers for a request URL: those of the longest root it lies under, else none. */
export function headersFor(url: string): Record<string, string> | undefined {
  let best: { root: string; headers: Readonly<Record<string, string>> } | undefined;
  for (const [root, headers] of headersByRoot) {
    if (isUnderRoot(url, root) && (!best || root.length > best.root.length)) best = { root, headers };
  }
  return best ? { ...best.headers } : undefined;
}
