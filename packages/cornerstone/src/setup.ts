import {
  init as initCore,
  Enums,
  eventTarget,
  getConfiguration,
  getRenderingEngine,
  metaData,
  RenderingEngine,
  setUseCPURendering,
} from '@cornerstonejs/core';
import { init as initLoader } from '@cornerstonejs/dicom-image-loader';
import { isUnderRoot, ViewerError } from '@secondread/core';
import { registerWadorsLoader } from './frame-loader.js';
import { storedFrame } from './frame-store.js';
import { registerPixelModuleOverrides } from './pixel-format.js';

export { dropFrame, storeFrame, takeStoredFrame } from './frame-store.js';

/** Id of the one rendering engine every viewer on a page shares (WebGL contexts are scarce). */
export const RENDERING_ENGINE_ID = 'secondread';

/** Request headers by DICOMweb root, for the image loader's own requests. */
const headersByRoot = new Map<string, Readonly<Record<string, string>>>();

let initialized = false;

/** Initialises Cornerstone3D and the DICOM image loader once per page. */
export function ensureInitialized(): void {
  if (initialized) return;
  try {
    initialize();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ViewerError('engine-unavailable', `Cornerstone3D could not start (${reason}).`, undefined, {
      cause: error,
    });
  }
  initialized = true;
}

function initialize(): void {
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
  registerPixelModuleOverrides();
  // Highest priority: frames we streamed ourselves win over a network fetch.
  metaData.addProvider((type: string, imageId: string) => {
    if (type !== 'compressedFrameData') return undefined;
    return storedFrame(imageId);
  }, 1_000_000);
}

export function isCpuRendering(): boolean {
  return Boolean(getConfiguration().rendering?.useCPURendering);
}

/** Why the viewers switched renderer when the WebGL context went away (shown to the reader). */
export const CONTEXT_LOST_REASON =
  'The browser took the graphics (WebGL) context away; images are now rendered on the CPU.';

const lostListeners = new Set<(reason: string) => void>();
let watchingContextLoss = false;

/**
 * Calls `listener` when the shared engine's WebGL context is lost (Chromium keeps 16 contexts
 * a page and drops the oldest when the host page makes more; a GPU reset drops all). From then
 * on the page renders on the CPU: a new context would only be taken from the host again, and a
 * GPU that reset once may reset again. The lost engine is destroyed after the listeners have
 * let go of their viewports; the next {@link sharedRenderingEngine} is a CPU one.
 */
export function onContextLost(listener: (reason: string) => void): () => void {
  ensureInitialized();
  if (!watchingContextLoss) {
    watchingContextLoss = true;
    eventTarget.addEventListener(Enums.Events.WEBGL_CONTEXT_LOST, handleContextLost);
  }
  lostListeners.add(listener);
  return () => lostListeners.delete(listener);
}

function handleContextLost(): void {
  // Each of the engine's contexts reports its loss: act on the first.
  if (isCpuRendering()) return;
  setUseCPURendering(true, false);
  for (const listener of [...lostListeners]) listener(CONTEXT_LOST_REASON);
  const lost = getRenderingEngine(RENDERING_ENGINE_ID);
  try {
    lost?.destroy();
  } catch {
    // A lost context cannot free its GL objects; the engine is dropped all the same.
  }
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
