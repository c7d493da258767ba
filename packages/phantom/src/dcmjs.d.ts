/**
 * dcmjs ships no type declarations (and there is no @types package), so the module is declared
 * untyped here and given a narrow, typed façade in `dicom.ts`. Nothing else should import
 * `dcmjs` directly.
 */
declare module 'dcmjs';
