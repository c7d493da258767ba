/**
 * Hostile text for the "hostile input inert" browser tests: HTML/SVG payloads that would run
 * script (set `window.__pwned`) if any element parsed them as markup, and the checks that they
 * did not: no flag, no element from a payload (`on*` attributes, `<script>`, `<img src=x>`,
 * `<svg onload>`, `javascript:` links) in the document or any shadow root below it, no page
 * error. Browser-only (no Node imports).
 */
import { settle } from './browser-helpers.ts';

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

/** One payload per shape of attack; each fits a 64-character DICOM LO/PN value. */
export const PAYLOADS = {
  img: '<img src=x onerror="window.__pwned=1">',
  svg: '<svg onload="window.__pwned=1"></svg>',
  script: '"><script>window.__pwned=1</script>',
  url: 'javascript:window.__pwned=1',
  style: '</style><img src=x onerror=window.__pwned=1>',
} as const;

/** `label` with one payload appended, e.g. `Patient <img src=x onerror=…>`. */
export function hostile(label: string, payload: keyof typeof PAYLOADS = 'img'): string {
  return `${label} ${PAYLOADS[payload]}`;
}

/** The test page's own scripts (the runner's), there before any payload was shown. */
const pageScripts = new WeakSet<Element>(document.querySelectorAll('script'));

/** Every root (the document and each open shadow root, however deep) below `root`. */
export function allRoots(root: Document | ShadowRoot | Element = document): (Document | ShadowRoot | Element)[] {
  const roots: (Document | ShadowRoot | Element)[] = [root];
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) roots.push(...allRoots(el.shadowRoot));
  }
  return roots;
}

/** Elements a payload would have made, found in `root` and every shadow root below it. */
export function injectedElements(root: Document | ShadowRoot | Element = document): string[] {
  const found: string[] = [];
  for (const r of allRoots(root)) {
    for (const el of r.querySelectorAll('*')) {
      if (pageScripts.has(el)) continue;
      const handlers = [...el.attributes].filter((a) => a.name.toLowerCase().startsWith('on'));
      const tag = el.localName;
      const href = el.getAttribute('href') ?? el.getAttribute('xlink:href') ?? el.getAttribute('src') ?? '';
      if (
        handlers.length ||
        tag === 'script' ||
        (tag === 'img' && el.getAttribute('src') === 'x') ||
        /^\s*javascript:/i.test(href)
      ) {
        found.push(el.outerHTML.slice(0, 120));
      }
    }
  }
  return found;
}

/** Page errors and unhandled rejections from `start()` on, until `stop()`. */
export function watchPageErrors(): { errors: string[]; stop(): void } {
  const errors: string[] = [];
  const onError = (e: ErrorEvent): void => {
    // A broken image's `error` event does not bubble to window; script errors do.
    errors.push(`error: ${e.message}`);
  };
  const onRejection = (e: PromiseRejectionEvent): void => {
    errors.push(`unhandled rejection: ${String((e.reason as Error)?.message ?? e.reason)}`);
  };
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return {
    errors,
    stop() {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    },
  };
}

/**
 * The payloads did nothing below `root`: after a pause (an `<img onerror>` fires
 * asynchronously), `window.__pwned` is unset and no injected element exists. Throws otherwise.
 */
export async function expectInert(root: Document | ShadowRoot | Element = document): Promise<void> {
  await settle(300);
  if (window.__pwned !== undefined) throw new Error(`a payload ran: window.__pwned = ${String(window.__pwned)}`);
  const injected = injectedElements(root);
  if (injected.length) throw new Error(`markup from a payload was parsed:\n${injected.join('\n')}`);
}

/** Text of `root` and of every shadow root below it, concatenated. */
export function deepText(root: Document | ShadowRoot | Element): string {
  return allRoots(root)
    .map((r) => (r instanceof Document ? (r.body?.textContent ?? '') : (r.textContent ?? '')))
    .join('\n');
}
