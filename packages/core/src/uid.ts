/**
 * DICOM UIDs and the URLs built from them. A UID is digits in dot-separated components, at
 * most 64 characters (PS3.5 §9.1). Anything else (`../../x`, `1.2?x=1#y`, spaces, percent
 * signs) is refused before a URL is built, so that a host's careless or hostile value can
 * never move a request (and the credentials sent with it) outside the DICOMweb root.
 */
import { ViewerError } from './errors.js';

/** The syntax of a DICOM UID (PS3.5 §9.1), without the length limit. */
export const UID_PATTERN = /^[0-9]+(\.[0-9]+)*$/;

/** The longest UID DICOM allows. */
export const UID_MAX_LENGTH = 64;

/** True when `value` is a well-formed DICOM UID (digits and dots, at most 64 characters). */
export function isValidUid(value: unknown): value is string {
  return typeof value === 'string' && value.length <= UID_MAX_LENGTH && UID_PATTERN.test(value);
}

/**
 * Returns `value` when it is a well-formed UID.
 * @param what what the UID names, for the message ("study", "series", "instance").
 * @param code `not-found` for a host's value (no such study can exist), `corrupt` for a server's metadata.
 * @throws ViewerError with `code`, and a message that does not repeat the value.
 */
export function requireUid(value: unknown, what: string, code: 'not-found' | 'corrupt' = 'not-found'): string {
  if (isValidUid(value)) return value;
  throw new ViewerError(
    code,
    `The ${what} identifier is not a valid DICOM UID (digits and dots, at most ${UID_MAX_LENGTH} characters); nothing was requested.`,
  );
}

/**
 * The parts of a URL that decide where a request goes: origin and path, without query or
 * fragment. Relative URLs are resolved against `base` (the page, in a browser).
 */
function parse(url: string, base: string): URL | null {
  try {
    return new URL(url, base);
  } catch {
    return null;
  }
}

/** The page's address in a browser; outside one, a stand-in origin that relative URLs share. */
function pageBase(): string {
  const location = (globalThis as { location?: { href?: string } }).location;
  return typeof location?.href === 'string' ? location.href : 'http://relative.invalid/';
}

/**
 * True when `url` lies under the DICOMweb `root`: same origin (scheme, host and port) and a path
 * that is the root's path or continues it after a `/`. `https://pacs/dicom-web` covers
 * `https://pacs/dicom-web/studies/1`, not `https://pacs/dicom-web-other/…`, not
 * `https://evil/?https://pacs/dicom-web`, not `https://pacs/dicom-web/../admin`. Credentials
 * (request headers) are only ever sent to such URLs.
 */
export function isUnderRoot(url: string, root: string, base: string = pageBase()): boolean {
  const target = parse(url, base);
  const prefix = parse(root, base);
  if (!target || !prefix) return false;
  if (target.protocol !== prefix.protocol || target.host !== prefix.host) return false;
  // URL parsing has already resolved `.` and `..` segments (also percent-encoded dots).
  const rootPath = prefix.pathname.replace(/\/+$/, '');
  const path = target.pathname;
  return path === rootPath || path.startsWith(`${rootPath}/`) || (rootPath === '' && path.startsWith('/'));
}
