/**
 * Compressed (or raw) frames the engine already holds, by image id: streamed with the series
 * retrieve or read from local files. The image loader decodes these instead of fetching.
 * Its own module, so that the loader and the set-up both use it without importing each other.
 */
import type { FrameData } from '@secondread/core';

const frameStore = new Map<string, { pixelData: Uint8Array; transferSyntaxUid: string }>();

export function storeFrame(imageId: string, pixelData: Uint8Array, transferSyntaxUid: string): void {
  frameStore.set(imageId, { pixelData, transferSyntaxUid });
}

/** The stored frame of `imageId` as the metadata provider hands it to the image loader. */
export function storedFrame(imageId: string): { pixelData: Uint8Array; transferSyntaxUid: string } | undefined {
  return frameStore.get(imageId);
}

/** The frame stored for `imageId` (it stays stored until {@link dropFrame}). */
export function takeStoredFrame(imageId: string): FrameData | undefined {
  const stored = frameStore.get(imageId);
  return stored ? { bytes: stored.pixelData, transferSyntaxUid: stored.transferSyntaxUid } : undefined;
}

export function dropFrame(imageId: string): void {
  frameStore.delete(imageId);
}
