/**
 * Deterministic DICOM UIDs under the `2.25` root (ISO/IEC 9834-8: a UUID written as one
 * decimal integer).
 *
 * The 128-bit value is an FNV-1a-128 hash of a seed string, with the UUID version nibble set
 * to 8 ("custom", RFC 9562) and the RFC 4122 variant bits set, so the same seed always gives
 * the same UID and different seeds give different UIDs with overwhelming probability. Pure
 * JavaScript (BigInt), so it runs in Node and in browsers alike.
 */

const FNV128_OFFSET = 0x6c62272e07bb014262b821756295c58dn;
const FNV128_PRIME = 0x0000000001000000000000000000013bn;
const MASK128 = (1n << 128n) - 1n;

/** FNV-1a, 128-bit, over the UTF-8 bytes of `text`. */
export function fnv1a128(text: string): bigint {
  let hash = FNV128_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV128_PRIME) & MASK128;
  }
  return hash;
}

/**
 * A DICOM UID `2.25.<decimal>` derived from `seed` (at most 44 characters, well under the
 * 64-character limit of the UI value representation).
 */
export function uidFromSeed(seed: string): string {
  let value = fnv1a128(seed);
  // UUID version 8 (bits 76-79) and variant 0b10 (bits 62-63).
  value = (value & ~(0xfn << 76n)) | (0x8n << 76n);
  value = (value & ~(0x3n << 62n)) | (0x2n << 62n);
  return `2.25.${value.toString(10)}`;
}

/** 32-bit unsigned seed derived from a string (for the PRNG below). */
export function seed32(text: string): number {
  return Number(fnv1a128(text) & 0xffffffffn);
}

/**
 * mulberry32: a tiny, fast, seedable PRNG returning floats in [0, 1). Good enough for
 * shuffling file names and synthetic noise; not for cryptography.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
