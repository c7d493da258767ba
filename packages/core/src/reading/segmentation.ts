/**
 * DICOM Segmentation (SEG) objects as a reading layer: {@link parseSegmentation} reads a SEG into
 * plain masks and geometry, {@link segmentationToReading} turns it into a {@link Reading} with one
 * {@link Finding} per segment, each outlined by `freehand-roi` measurements on the referenced CT
 * images. Patient identity (Patient Module, Accession Number, ...) is never read.
 */
export {
  SEGMENTATION_STORAGE_SOP_CLASS,
  SEGMENTATION_ERROR_REASONS,
  SegmentationError,
  type SegmentationErrorReason,
  type SegmentDefinition,
  type SegmentationFrame,
  type SegmentationData,
} from './segmentation/types.js';
export { parseSegmentation } from './segmentation/parse.js';
export { traceLargestOutline, type EdgePoint, type MaskOutline } from './segmentation/outline.js';
export {
  categoryForSegment,
  segmentationToReading,
  type SegmentationToReadingOptions,
} from './segmentation/reading.js';
