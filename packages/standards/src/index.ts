/**
 * @secondread/standards — readings in the standards the field uses: DICOM SR TID 1500 export and
 * import (with the second opinion's concordance and RADPEER score), FHIR R4 bundles, and storing
 * and finding readings on a DICOMweb server. Engine-free: no DOM rendering, no Cornerstone.
 */
export * from './codes.js';
export {
  formatDecimalString,
  naturalizeDicomJson,
  newUid,
  readPart10,
  writePart10,
  type NaturalDataset,
} from './dicom.js';
export * from './sr-export.js';
export * from './sr-import.js';
export * from './fhir.js';
export * from './dicomweb.js';
