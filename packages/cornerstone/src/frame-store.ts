import type { FrameData } from '@secondread/core';

/** Compressed (or raw) frames the engine already holds, by image id; the loaders decode these instead of fetching. */
export const frameStore = new Map<string, { pixelData: Uint8Array; transferSyntaxUid: string }>();

export function storeFrame(imageId: string, pixelData: Uint8Array, transferSyntaxUid: string): void {
  frameStore.set(imageId, { pixelData, transferSyntaxUid });
}

/** The frame stored for `imageId` (it stays stored until {@link dropFrame}). */
export function takeStoredFrame(imageId: string): FrameData | undefined {
  const stored = frameStore.get(imageId);
  return stored ? { bytes: stored.pixelData, transferSyntaxUid: stored.transferSyntaxUid } : undefined;
}

export function dropFrame(imageId: string): void {
  frameStore.delete(imageId);
}
