import { html, nothing } from 'lit';
import { DEFAULT_RETRY_POLICY, type Catalogue, type RetryPolicy, type SliceImageStatus } from '@secondread/core';

/** The loading attributes of `<ct-viewer>` and the range each accepts. */
const LIMITS = {
  'timeout-ms': { min: 1, max: 600_000, fallback: DEFAULT_RETRY_POLICY.timeoutMs, integer: false },
  retries: { min: 0, max: 10, fallback: DEFAULT_RETRY_POLICY.retries, integer: true },
  'retry-delay-ms': { min: 0, max: 60_000, fallback: DEFAULT_RETRY_POLICY.baseDelayMs, integer: false },
} as const;

type LoadAttribute = keyof typeof LIMITS;

const warned = new WeakMap<object, Set<string>>();

/** `value` when it is a number in the attribute's range, else its default (with one console warning per element and value). */
function checked(owner: object, attribute: LoadAttribute, value: unknown): number {
  const { min, max, fallback, integer } = LIMITS[attribute];
  const number = typeof value === 'number' ? value : Number.NaN;
  if (Number.isFinite(number) && number >= min && number <= max && (!integer || Number.isInteger(number))) {
    return number;
  }
  const seen = warned.get(owner) ?? new Set<string>();
  warned.set(owner, seen);
  const key = `${attribute}=${String(value)}`;
  if (!seen.has(key)) {
    seen.add(key);
    console.warn(
      `<ct-viewer>: ${attribute}="${String(value)}" is not valid; it takes ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}. Using ${fallback}.`,
    );
  }
  return fallback;
}

/** The viewer's timeout and retry policy from its attributes; invalid values fall back to the defaults. */
export function retryPolicyOf(
  owner: object,
  values: { timeoutMs: unknown; retries: unknown; retryDelayMs: unknown },
): RetryPolicy {
  const baseDelayMs = checked(owner, 'retry-delay-ms', values.retryDelayMs);
  return {
    timeoutMs: checked(owner, 'timeout-ms', values.timeoutMs),
    retries: checked(owner, 'retries', values.retries),
    baseDelayMs,
    maxDelayMs: Math.max(DEFAULT_RETRY_POLICY.maxDelayMs, baseDelayMs),
  };
}

/** The one wording of a slice whose pixels are not on screen (catalogue keys). */
export const PLACEHOLDER_TEXT: Record<Exclude<SliceImageStatus, 'shown'>, 'imagePending' | 'imageFailed'> = {
  pending: 'imagePending',
  failed: 'imageFailed',
};

/**
 * Covers the image area while the requested slice's own pixels are not there, so no other
 * slice's picture is ever seen under its number.
 */
export function renderPlaceholder(status: SliceImageStatus, slice: number, count: number, t: Catalogue) {
  if (status === 'shown') return nothing;
  return html`<div part="placeholder" class="placeholder ${status}" role="status" data-status=${status}>
    <p>${t.viewer[PLACEHOLDER_TEXT[status]]}</p>
    <p><small>${t.viewer.imageOf(String(slice + 1), String(count))}</small></p>
  </div>`;
}

/**
 * Whether two `headers` values send the same request headers: the same names (case-insensitive,
 * as HTTP has them) with the same values. A host that passes a new, equal object on every render
 * (React, Vue) or token refresh must not reload the series.
 */
export function sameHeaders(
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
): boolean {
  if (a === b) return true;
  const entries = (headers: Readonly<Record<string, string>> | undefined): string[] =>
    headers && typeof headers === 'object'
      ? Object.entries(headers)
          .map(([name, value]) => `${name.toLowerCase()}\n${String(value)}`)
          .sort()
      : [];
  const [left, right] = [entries(a), entries(b)];
  return left.length === right.length && left.every((entry, index) => entry === right[index]);
}
