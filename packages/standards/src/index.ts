/**
 * @secondread/standards — readings in the standards the field uses: DICOM SR TID 1500 export and
 * import (with the second opinion's concordance and RADPEER score), first readings from TID 2000
 * text reports and Encapsulated PDFs, FHIR R4 bundles, and storing
 * and finding readings on a DICOMweb server. Engine-free: no DOM rendering, no Cornerstone.
 */
export * from './codes.js';
export {
  PERSON_NAME_MAX_BYTES,
  formatDecimalString,
  naturalizeDicomJson,
  newUid,
  personNameToDisplay,
  readPart10,
  toPersonName,
  writePart10,
  type NaturalDataset,
  type PersonNameValue,
} from './dicom.js';
export * from './sr-export.js';
export * from './sr-import.js';
export { TEXT_SR_SOP_CLASS_UIDS, importTextSr, isTextReport, type TextSrImport } from './sr-import-text.js';
export * from './report-import.js';
export * from './fhir.js';
export * from './dicomweb.js';
