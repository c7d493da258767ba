import { ViewerError } from './errors.js';
import { sortSlicesByPosition, type SpacingReport } from './geometry.js';
import {
  isDisplayableImage,
  SUPPORTED_TRANSFER_SYNTAXES,
  unsupportedPixelFormat,
  type InstanceInfo,
  type PatientIdentity,
  type StudyInfo,
} from './instance.js';
import type { Voi } from './presets.js';

/** A series ready to display: its images in position order, with geometry and descriptions. */
export interface SeriesModel {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly modality: string;
  readonly rows: number;
  readonly columns: number;
  /** [between rows, between columns], mm. */
  readonly pixelSpacingMm: readonly [number, number] | null;
  /** Median slice spacing along the normal, mm. */
  readonly sliceSpacingMm: number | null;
  readonly spacing: SpacingReport;
  /** Images in position order (ascending along the slice normal). */
  readonly instances: readonly InstanceInfo[];
  readonly study: StudyInfo;
  readonly patient: PatientIdentity;
  /** The series' own window, from the first image that has one. */
  readonly defaultVoi: Voi | null;
  /** Instances that were left out, and why (non-image objects, other series). */
  readonly skipped: number;
}

/**
 * Builds a {@link SeriesModel} from the instances of one series: keeps the displayable
 * images, rejects unsupported encodings and pixel formats, sorts by geometry, and lists every
 * frame of a multi-frame image as a slice of its own (`frameNumber`).
 * @throws ViewerError `empty-series`, `not-an-image`, `unsupported-transfer-syntax` or `unsupported`.
 */
export function buildSeriesModel(
  instances: readonly InstanceInfo[],
  study: StudyInfo,
  patient: PatientIdentity,
): SeriesModel {
  if (instances.length === 0) throw new ViewerError('empty-series', 'The series contains no instances.');
  const images = instances.filter(isDisplayableImage);
  if (images.length === 0) {
    throw new ViewerError(
      'not-an-image',
      `The series holds ${instances.length} DICOM object(s) but no images (e.g. a report or segmentation).`,
    );
  }
  const unsupported = images.find((i) => i.transferSyntaxUid && !(i.transferSyntaxUid in SUPPORTED_TRANSFER_SYNTAXES));
  if (unsupported) {
    throw new ViewerError(
      'unsupported-transfer-syntax',
      `The images are encoded with transfer syntax ${unsupported.transferSyntaxUid}, which this viewer cannot decode.`,
    );
  }
  for (const image of images) {
    const reason = unsupportedPixelFormat(image);
    if (reason)
      throw new ViewerError('unsupported', `The images have a pixel format this viewer does not display: ${reason}.`);
  }
  const sorted = sortSlicesByPosition(images);
  const spacing = sorted.spacing;
  const slices = sorted.slices.flatMap((image) =>
    image.numberOfFrames > 1
      ? Array.from({ length: image.numberOfFrames }, (_, i) => ({ ...image, frameNumber: i + 1 }))
      : [image],
  );
  const firstImage = slices[0]!;
  const withWindow = slices.find((s) => s.windowCenter !== null && s.windowWidth !== null);
  return {
    studyUid: firstImage.studyUid,
    seriesUid: firstImage.seriesUid,
    modality: firstImage.modality,
    rows: firstImage.rows,
    columns: firstImage.columns,
    pixelSpacingMm: firstImage.pixelSpacingMm,
    sliceSpacingMm: spacing.sliceSpacingMm,
    spacing,
    instances: slices,
    study,
    patient,
    defaultVoi: withWindow ? { center: withWindow.windowCenter!, width: withWindow.windowWidth! } : null,
    skipped: instances.length - images.length,
  };
}

/** A {@link PatientIdentity} with nothing in it: what page scripts see unless the host opts in. */
export const NO_PATIENT_IDENTITY: PatientIdentity = Object.freeze({
  name: '',
  id: '',
  birthDate: '',
  accessionNumber: '',
});

/**
 * The series without patient identity: `patient` blank and the study date removed (a study date
 * with the description narrows a patient down). Geometry, UIDs and instances are the same objects.
 */
export function withoutPatientIdentity(series: SeriesModel): SeriesModel {
  return { ...series, patient: NO_PATIENT_IDENTITY, study: { ...series.study, studyDate: '' } };
}

/** The index to open a series at: the middle image, where the anatomy usually is. */
export function initialSliceIndex(series: Pick<SeriesModel, 'instances'>): number {
  return Math.floor((series.instances.length - 1) / 2);
}
