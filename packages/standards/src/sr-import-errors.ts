/** Errors of the SR import. */

/** Thrown when a file is not a TID 1500 SR. */
export class SrImportError extends Error {
  override readonly name = 'SrImportError';
}
