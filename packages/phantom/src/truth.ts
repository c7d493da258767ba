/** The options of {@link generatePhantomStudy} and what it returns: the files and their ground truth. */
import type { EllipseRegion, PhantomVariant, Vec3 } from './anatomy.ts';

/** Generation options. All have deterministic defaults. */
export interface PhantomOptions {
  /** Default `'baseline'`. */
  variant?: PhantomVariant;
  /** Default 256. */
  rows?: number;
  /** Default 256. */
  columns?: number;
  /** Default 60. */
  sliceCount?: number;
  /** Square pixel spacing, default 1.0 mm. The anatomy is ~240 x 180 mm: keep the FOV >= 256 mm. */
  pixelSpacingMm?: number;
  /** Slice spacing = slice thickness, default 2.5 mm. */
  sliceSpacingMm?: number;
  /** z of slice index 0, default -75 mm (so the default slices span -75 ... +72.5 mm). */
  firstSliceZMm?: number;
  /** Standard deviation of zero-mean Gaussian noise in HU; default 0 (no noise). */
  noiseStdHu?: number;
  /** Seed string of the noise generator; default `'secondread-noise'`. */
  noiseSeed?: string;
  /** Namespace of every generated UID; default `'secondread-phantom'`. */
  uidSeed?: string;
  /**
   * Where the patient lies in the scanner relative to the default (mm, LPS): every structure is
   * generated at `p + patientShiftMm`, as on a follow-up scan with the patient positioned
   * differently. Default `[0, 0, 0]` (and then the same bytes as without the option). Keep the
   * x and y shifts whole millimetres so that structures stay centred on whole millimetres.
   */
  patientShiftMm?: Vec3;
}

/** One generated file. `name` is a bare file name (shuffled order, not slice order). */
export interface PhantomFile {
  name: string;
  bytes: Uint8Array;
}

/** One instance of the series, listed in position order. */
export interface PhantomInstanceTruth {
  /** 0-based, ascending z. */
  sliceIndex: number;
  /** 1-based; equals sliceIndex + 1. */
  instanceNumber: number;
  sopInstanceUid: string;
  fileName: string;
  /** ImagePositionPatient of this slice (centre of its first pixel). */
  imagePositionPatient: Vec3;
}

/** Ground truth of one nodule in one study. */
export interface PhantomNoduleTruth {
  id: string;
  label: string;
  location: 'right lung' | 'left lung';
  centerMm: Vec3;
  diameterMm: number;
  /** Diameter in the baseline study (same as diameterMm there). */
  baselineDiameterMm: number;
  hu: number;
  /** Slice (0-based, ascending z) containing the centre. */
  sliceIndex: number;
  instanceNumber: number;
  sopInstanceUid: string;
  /**
   * Continuous pixel coordinates of the centre on that slice: column = (x - x0) / spacing,
   * row = (y - y0) / spacing, integers being pixel centres. With the default geometry they
   * end in .5: the centre is on a pixel corner.
   */
  pixel: { column: number; row: number };
  /** A voxel inside the nodule next to its centre: [column, row, sliceIndex]. */
  insideVoxel: [number, number, number];
  /** Slices whose plane cuts the sphere (voxel-centre rule). */
  sliceIndexRange: [number, number];
  /** Ideal sphere volume 4/3·π·r³ (mm³). */
  volumeMm3: number;
}

/** Ground truth of the uniform (liver-like) region. */
export interface PhantomUniformRegionTruth extends EllipseRegion {
  name: 'liver';
  hu: number;
  /** Slices containing the region, inclusive (ascending z). */
  sliceIndexRange: [number, number];
  /** z of those slices, inclusive. */
  zRangeMm: [number, number];
  /** A comfortably interior elliptical ROI on the middle slice of the region. */
  suggestedRoi: EllipseRegion & { sliceIndex: number };
}

/** Everything a test needs to know about one generated study. */
export interface PhantomTruth {
  generatorVersion: string;
  variant: PhantomVariant;
  /**
   * The `patientShiftMm` option when it is not zero. Nodule and uniform-region centres (and the
   * slices listed for them) include it; `regions` other than `uniform` are given unshifted.
   */
  patientShiftMm?: Vec3;
  patient: { name: string; id: string; birthDate: string; sex: string };
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  sopClassUid: string;
  transferSyntaxUid: string;
  studyDate: string;
  studyTime: string;
  studyDescription: string;
  seriesDescription: string;
  seriesNumber: number;
  accessionNumber: string;
  modality: 'CT';
  rows: number;
  columns: number;
  /** [row spacing, column spacing] as in PixelSpacing. */
  pixelSpacingMm: [number, number];
  sliceSpacingMm: number;
  sliceThicknessMm: number;
  sliceCount: number;
  imageOrientationPatient: [number, number, number, number, number, number];
  /** ImagePositionPatient of slice index 0. */
  firstImagePositionPatient: Vec3;
  rescaleSlope: number;
  rescaleIntercept: number;
  window: { center: number; width: number };
  noiseStdHu: number;
  /** How voxels were filled (for test authors). */
  voxelModel: string;
  regions: {
    airHu: number;
    fatHu: number;
    softTissueHu: number;
    lungHu: number;
    boneHu: number;
    body: EllipseRegion & { fatRimMm: number };
    rightLung: EllipseRegion;
    leftLung: EllipseRegion;
    /** Lungs are present on slices with z >= this; the uniform region below it. */
    diaphragmZMm: number;
    spine: EllipseRegion;
    uniform: PhantomUniformRegionTruth;
  };
  nodules: PhantomNoduleTruth[];
  /** All instances in position order (ascending z). */
  instances: PhantomInstanceTruth[];
}

/** A generated study: its files (in shuffled name order) and its ground truth. */
export interface PhantomStudy {
  files: PhantomFile[];
  truth: PhantomTruth;
}
