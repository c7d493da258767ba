/**
 * Every failure SecondRead reports carries one of these codes, so a host portal can
 * react to the kind of failure without parsing messages.
 *
 * | code | meaning |
 * | --- | --- |
 * | `network` | the server could not be reached, or stopped answering (timeout) |
 * | `http-status` | the server answered with an unexpected HTTP status (e.g. 500) |
 * | `unauthorized` | the server refused the credentials (401 or 403) |
 * | `not-found` | the study, series or instance does not exist (404, or no matching series) |
 * | `not-dicom` | a file is not DICOM Part 10 at all |
 * | `not-an-image` | the DICOM objects hold no image (SR, SEG, PDF, …) |
 * | `unsupported-transfer-syntax` | the pixel data is encoded in a way no codec here decodes |
 * | `unsupported` | the pixel data has a format the viewer does not display (e.g. 32 bits per sample, 16-bit colour in a compressed syntax) |
 * | `corrupt` | the data is DICOM but damaged (truncated, malformed answer) |
 * | `blocked-by-policy` | the page's Content Security Policy forbids what decoding needs (WebAssembly for compressed images) |
 * | `empty-series` | the series has no displayable images |
 * | `render` | the rendering engine failed (e.g. a lost WebGL context) |
 * | `engine-unavailable` | the rendering engine could not start: its code failed to load or to initialise (a bundler left out a module it needs, a blocked script) |
 * | `reformat` | a reformatted plane or slab was asked for and cannot be shown correctly (series geometry, or no WebGL) |
 * | `invalid-report` | a reading or second opinion does not follow its schema, or cannot be submitted yet |
 * | `storage` | the browser could not keep a draft (IndexedDB unavailable or full) |
 */
export const ERROR_CODES = [
  'network',
  'http-status',
  'unauthorized',
  'not-found',
  'not-dicom',
  'not-an-image',
  'unsupported-transfer-syntax',
  'unsupported',
  'corrupt',
  'blocked-by-policy',
  'empty-series',
  'render',
  'engine-unavailable',
  'reformat',
  'invalid-report',
  'storage',
  'store-unavailable',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What the user can try for each error, shown under the message in the viewer. */
export const ERROR_HINTS: Record<ErrorCode, string> = {
  network: 'Check the connection to the image server and try again.',
  'http-status': 'The image server reported a problem. Try again later or contact its administrator.',
  unauthorized: 'Sign in again, or ask for access to this study.',
  'not-found': 'Check the study and series identifiers.',
  'not-dicom': 'Choose DICOM files (.dcm) exported from a PACS or modality.',
  'not-an-image': 'These DICOM objects hold no images (e.g. reports or segmentations). Choose an image series.',
  'unsupported-transfer-syntax': 'Ask the server for an uncompressed or standard-compressed copy.',
  unsupported: 'Ask for a copy with 8 or 16 bits per sample (colour: 8 bits, or 16 bits uncompressed).',
  corrupt: 'The file looks damaged. Export it again from the source.',
  'blocked-by-policy':
    "Ask the portal's administrator to allow WebAssembly: add 'wasm-unsafe-eval' to the script-src of its Content Security Policy.",
  'empty-series': 'The series contains no images. Choose another series.',
  render: 'Reload the page. If it happens again, close other tabs that use 3D graphics.',
  'engine-unavailable':
    'The image engine could not start. Reload the page; if it happens again, tell the site administrator (the message names the cause).',
  reformat:
    'The series is shown as acquired. Read it in its acquisition orientation, or open a reconstruction with even spacing and no gantry tilt.',
  'invalid-report': 'Complete or correct the report; the message says which part is missing or invalid.',
  storage: 'Your work stays on screen but is not saved in this browser: keep the page open and submit it.',
  'store-unavailable':
    'This image server only serves images (no STOW-RS): keep or export the report another way, or ask for storing to be enabled.',
};

/**
 * The one base class of every error SecondRead throws or reports: a machine-readable `code`
 * (each subclass documents its own set), a message a portal can show (never patient identity),
 * and the `cause` it came from, if any.
 */
export abstract class SecondReadError<Code extends string = string> extends Error {
  override readonly name: string = 'SecondReadError';
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An error with a machine-readable {@link ErrorCode}. Messages never contain patient identity. */
export class ViewerError extends SecondReadError<ErrorCode> {
  override readonly name: string = 'ViewerError';
  constructor(
    code: ErrorCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** Maps an HTTP status to the error code a viewer reports for it. */
export function errorCodeForHttpStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 0) return 'network';
  return 'http-status';
}

/** Turns anything thrown into a {@link ViewerError}, keeping codes that are already there. */
export function toViewerError(error: unknown, fallback: ErrorCode = 'corrupt'): ViewerError {
  if (error instanceof ViewerError) return error;
  if (error instanceof DOMException && error.name === 'AbortError') {
    return new ViewerError('network', 'The request was cancelled.');
  }
  if (error instanceof TypeError && /fetch|network/i.test(error.message)) {
    return new ViewerError('network', `The image server could not be reached (${error.message}).`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ViewerError(fallback, message);
}
