/**
 * dcmjs ships no type declarations (and there is no @types package): the module is declared
 * untyped here and used only through the typed façade in `dicom.ts`.
 */
declare module 'dcmjs';
