/**
 * Our image loader for the `wadors:` and `dicomfile:` schemes. Cornerstone's own fetches frames with
 * XMLHttpRequest and rejects with the request object itself ("[object XMLHttpRequest]", read
 * as `corrupt`); ours fetches through the viewer's {@link DicomwebSource} (fetch, abortable,
 * per-request timeout and retries), decodes with the DICOM image loader's own decode path
 * (`createImage`, workers and WASM codecs), and rejects only with typed {@link ViewerError}s:
 * `http-status` (with the status), `network`, `unauthorized`, `not-found`,
 * `unsupported-transfer-syntax`, `unsupported` (a pixel format the viewer does not display) or
 * `corrupt` (the bytes came but do not decode). Local files (`dicomfile:`) come through the same
 * loader, from a fetcher that reads the frame out of the file's bytes, so both get the same pixel
 * checks and corrections (`pixel-format.ts`).
 */
import { Enums, imageLoader, type Types } from '@cornerstonejs/core';
import { createImage } from '@cornerstonejs/dicom-image-loader';
import { ViewerError, type FrameData } from '@secondread/core';
import { takeStoredFrame } from './frame-store.js';
import { correctDecodedPixels, prepareFrame, refuseStaleDecode } from './pixel-format.js';

/** Fetches one image's frame; aborted when the engine cancels the load. */
export type FrameFetcher = (signal: AbortSignal) => Promise<FrameData>;

const fetchers = new Map<string, FrameFetcher>();

/**
 * Tells the loader how to fetch the frame of `imageId`.
 * @returns a function that forgets it (only if it is still this fetcher).
 */
export function registerFrameFetcher(imageId: string, fetcher: FrameFetcher): () => void {
  fetchers.set(imageId, fetcher);
  return () => {
    if (fetchers.get(imageId) === fetcher) fetchers.delete(imageId);
  };
}

let registered = false;

/** Registers the loader for `wadors:` and `dicomfile:` image ids (replacing Cornerstone's). Idempotent. */
export function registerWadorsLoader(): void {
  if (registered) return;
  registered = true;
  imageLoader.registerImageLoader('wadors', loadFrameImage);
  imageLoader.registerImageLoader('dicomfile', loadFrameImage);
}

/** A message from anything a decoder throws: its text, never an object's `[object …]` form. */
function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return text && !/^\[object /.test(text) ? ` (${text.slice(0, 200)})` : '';
}

/**
 * What Chromium, Firefox and Safari say when a Content Security Policy refuses to compile
 * WebAssembly (no `'wasm-unsafe-eval'` in `script-src`): Cornerstone's codecs (Emscripten) then
 * abort with that text inside their own.
 */
const WASM_BLOCKED_BY_POLICY =
  /(WebAssembly|wasm)[\s\S]*(Content Security Policy|unsafe-eval)|(Content Security Policy|unsafe-eval)[\s\S]*(WebAssembly|wasm)/i;

/** A decode failure as a typed error. */
export function decodeError(error: unknown): ViewerError {
  if (error instanceof ViewerError) return error;
  const text = error instanceof Error ? error.message : String(error);
  if (WASM_BLOCKED_BY_POLICY.test(text)) {
    return new ViewerError(
      'blocked-by-policy',
      "The page's Content Security Policy blocks WebAssembly, which decodes this series' compressed images (script-src lacks 'wasm-unsafe-eval').",
      undefined,
      { cause: error },
    );
  }
  if (/pixel format|bits allocated|bitsAllocated|samples per pixel/i.test(text)) {
    return new ViewerError(
      'unsupported',
      `An image has a pixel format this viewer does not display${reasonOf(error)}.`,
      undefined,
      { cause: error },
    );
  }
  if (/transfer ?syntax|no decoder|not supported|unsupported/i.test(text)) {
    return new ViewerError(
      'unsupported-transfer-syntax',
      `An image is encoded in a way no codec here decodes${reasonOf(error)}.`,
      undefined,
      {
        cause: error,
      },
    );
  }
  return new ViewerError('corrupt', `An image could not be decoded${reasonOf(error)}.`, undefined, { cause: error });
}

function loadFrameImage(
  imageId: string,
  options: Record<string, unknown> = {},
): { promise: Promise<Types.IImage>; cancelFn: () => void } {
  const controller = new AbortController();
  const promise = (async (): Promise<Types.IImage> => {
    const start = Date.now();
    let frame: FrameData | undefined = takeStoredFrame(imageId);
    if (!frame) {
      const fetcher = fetchers.get(imageId);
      if (!fetcher) throw new ViewerError('not-found', 'No image source is registered for this image.');
      frame = await fetcher(controller.signal);
    }
    let image: Types.IImage;
    try {
      const prepared = prepareFrame(imageId, frame);
      image = (await createImage(imageId, prepared.bytes, prepared.transferSyntaxUid, options)) as Types.IImage;
      correctDecodedPixels(image, imageId, prepared);
      refuseStaleDecode(image, prepared);
    } catch (error) {
      throw decodeError(error);
    }
    const out = image as Types.IImage & {
      imageQualityStatus?: Enums.ImageQualityStatus;
      transferSyntaxUID?: string;
      loadTimeInMS?: number;
    };
    out.imageQualityStatus = Enums.ImageQualityStatus.FULL_RESOLUTION;
    out.transferSyntaxUID = frame.transferSyntaxUid;
    out.loadTimeInMS = Date.now() - start;
    return out;
  })();
  return { promise, cancelFn: () => controller.abort(new DOMException('The image load was cancelled.', 'AbortError')) };
}
