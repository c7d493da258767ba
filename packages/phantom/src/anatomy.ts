/**
 * What the synthetic chest CT phantom is made of: its identity, HU values, anatomy (ellipses in
 * mm) and nodules, and {@link phantomHuAt}, the noise-free HU at any point that the generator
 * samples at every voxel centre. Coordinates are DICOM patient coordinates (LPS) in mm.
 */

/** Study variants: a baseline and a follow-up of the same synthetic patient. */
export type PhantomVariant = 'baseline' | 'followup';

/** A point or vector in patient coordinates (mm). */
export type Vec3 = [number, number, number];

/** Synthetic identity written into every file (tests check that it is not leaked). */
export const PHANTOM_PATIENT = {
  name: 'PHANTOM^SECONDREAD',
  id: 'SR-PHANTOM-0001',
  birthDate: '19700101',
  sex: 'O',
} as const;

/** HU of each tissue class. Stored pixel value = HU + 1024 (RescaleIntercept -1024, slope 1). */
export const PHANTOM_HU = {
  air: -1000,
  fat: -100,
  softTissue: 40,
  lung: -850,
  bone: 700,
  /** The large uniform region (liver-like) for ROI statistics. */
  uniform: 60,
} as const;

/** An elliptic cylinder (axial ellipse, optionally limited in z). */
export interface EllipseRegion {
  /** In-plane centre [x, y] (mm). */
  centerMm: [number, number];
  /** Semi-axes [rx, ry] (mm). */
  radiiMm: [number, number];
}

/** An {@link EllipseRegion} (typed as one inside the `as const` anatomy below). */
function ellipse(centerMm: [number, number], radiiMm: [number, number]): EllipseRegion {
  return { centerMm, radiiMm };
}

/** Fixed anatomy of the phantom, in patient mm. Independent of matrix size and variant. */
export const PHANTOM_ANATOMY = {
  /** Outer body contour; the outer `fatRimMm` of it is fat, the rest soft tissue. */
  body: ellipse([0, 0], [120, 90]),
  fatRimMm: 8,
  /** Lungs exist above the diaphragm plane (z >= diaphragmZMm). */
  rightLung: ellipse([-55, -5], [40, 60]),
  leftLung: ellipse([55, -5], [40, 60]),
  /** Uniform liver-like region below the diaphragm plane (z < diaphragmZMm). */
  liver: ellipse([-40, 0], [60, 50]),
  /** Halfway between the default slices at z = -32.5 and z = -30. */
  diaphragmZMm: -31.25,
  /** Vertebral body: a bone disc through all slices. */
  spine: ellipse([0, 60], [15, 15]),
} as const;

/** Nodule definition (before discretisation). */
export interface NoduleSpec {
  id: string;
  label: string;
  location: 'right lung' | 'left lung';
  centerMm: Vec3;
  diameterMm: Record<PhantomVariant, number>;
  hu: number;
}

/** The nodules: N1 grows from 12 mm to 16 mm between baseline and follow-up; N2 is stable. */
export const PHANTOM_NODULES: readonly NoduleSpec[] = [
  {
    id: 'N1',
    label: 'Right lung nodule (grows)',
    location: 'right lung',
    centerMm: [-55, -10, 20],
    diameterMm: { baseline: 12, followup: 16 },
    hu: 60,
  },
  {
    id: 'N2',
    label: 'Left lung nodule (stable)',
    location: 'left lung',
    centerMm: [50, 10, 45],
    diameterMm: { baseline: 6, followup: 6 },
    hu: 100,
  },
];

function inEllipse(x: number, y: number, e: EllipseRegion): boolean {
  const dx = (x - e.centerMm[0]) / e.radiiMm[0];
  const dy = (y - e.centerMm[1]) / e.radiiMm[1];
  return dx * dx + dy * dy < 1;
}

const INNER_BODY: EllipseRegion = {
  centerMm: PHANTOM_ANATOMY.body.centerMm,
  radiiMm: [
    PHANTOM_ANATOMY.body.radiiMm[0] - PHANTOM_ANATOMY.fatRimMm,
    PHANTOM_ANATOMY.body.radiiMm[1] - PHANTOM_ANATOMY.fatRimMm,
  ],
};

/**
 * The noise-free HU of the phantom at a point (mm), for a given variant. This is the exact
 * rule the generator applies at every voxel centre, exported so tests can compute expected
 * values anywhere.
 */
export function phantomHuAt(x: number, y: number, z: number, variant: PhantomVariant = 'baseline'): number {
  for (const nodule of PHANTOM_NODULES) {
    const r = nodule.diameterMm[variant] / 2;
    const dx = x - nodule.centerMm[0];
    const dy = y - nodule.centerMm[1];
    const dz = z - nodule.centerMm[2];
    if (dx * dx + dy * dy + dz * dz < r * r) return nodule.hu;
  }
  if (inEllipse(x, y, PHANTOM_ANATOMY.spine)) return PHANTOM_HU.bone;
  if (z >= PHANTOM_ANATOMY.diaphragmZMm) {
    if (inEllipse(x, y, PHANTOM_ANATOMY.rightLung) || inEllipse(x, y, PHANTOM_ANATOMY.leftLung)) {
      return PHANTOM_HU.lung;
    }
  } else if (inEllipse(x, y, PHANTOM_ANATOMY.liver)) {
    return PHANTOM_HU.uniform;
  }
  if (inEllipse(x, y, INNER_BODY)) return PHANTOM_HU.softTissue;
  if (inEllipse(x, y, PHANTOM_ANATOMY.body)) return PHANTOM_HU.fat;
  return PHANTOM_HU.air;
}
