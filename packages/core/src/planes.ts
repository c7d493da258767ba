/**
 * Reformatted planes of a CT volume: which planes a viewer shows, when a series can be
 * reformatted without distortion, the orientation markers of a plane on screen and the slab
 * label. Pure geometry in patient coordinates (DICOM LPS, mm); no engine, no DOM.
 */
import { orientationLabel, sliceNormal, type OrientationMarkers, type SpacingReport } from './geometry.js';
import { dot, norm, type Vec3 } from './vec3.js';

/** What `<ct-viewer orientation>` shows: the stack as acquired, or a reformatted patient plane. */
export const VIEWER_ORIENTATIONS = ['acquisition', 'axial', 'coronal', 'sagittal'] as const;
export type ViewerOrientation = (typeof VIEWER_ORIENTATIONS)[number];

/** The patient planes a volume is reformatted into (the three planes of the MPR layout). */
export const REFORMAT_PLANES = ['axial', 'coronal', 'sagittal'] as const;
export type ReformatPlane = (typeof REFORMAT_PLANES)[number];

/** `<ct-viewer layout>`: one plane, or the three linked planes of a multiplanar reformat. */
export const VIEWER_LAYOUTS = ['single', 'mpr'] as const;
export type ViewerLayout = (typeof VIEWER_LAYOUTS)[number];

/** How a thick slab is projected onto the plane. */
export const SLAB_MODES = ['mip', 'minip', 'average'] as const;
export type SlabMode = (typeof SLAB_MODES)[number];

/** The slab the slab shortcut toggles: a 10 mm MIP, as used to tell nodules from vessels. */
export const DEFAULT_SLAB = { thicknessMm: 10, mode: 'mip' } as const satisfies {
  thicknessMm: number;
  mode: SlabMode;
};

/** Overlay name of each slab mode. */
export const SLAB_MODE_LABELS: Record<SlabMode, string> = { mip: 'MIP', minip: 'MinIP', average: 'Avg' };

/** The overlay line of a slab ("MIP 10 mm"), or '' for a thin slice. */
export function slabLabel(thicknessMm: number, mode: SlabMode): string {
  if (!(thicknessMm > 0)) return '';
  const mm = Math.round(thicknessMm * 10) / 10;
  return `${SLAB_MODE_LABELS[mode]} ${mm} mm`;
}

/**
 * The camera of each patient plane, radiological convention: the plane's normal pointing towards
 * the viewer's eye is `-normal`; `up` is the patient direction at the top of the screen, `right`
 * the one at the right. Axial: seen from the feet, anterior up, patient left on the screen's right.
 * Coronal: seen from the front, superior up, patient left on the right. Sagittal: seen from the
 * patient's left, superior up, posterior on the right. (Cornerstone3D's `MPR_CAMERA_VALUES`
 * use the same vectors.)
 */
export const PLANE_CAMERAS: Record<ReformatPlane, { normal: Vec3; up: Vec3; right: Vec3 }> = {
  axial: { normal: [0, 0, -1], up: [0, -1, 0], right: [1, 0, 0] },
  coronal: { normal: [0, -1, 0], up: [0, 0, 1], right: [1, 0, 0] },
  sagittal: { normal: [1, 0, 0], up: [0, 0, 1], right: [0, 1, 0] },
};

/**
 * Orientation markers of a plane on screen, from the patient directions that point to the right
 * of the screen and down it (any rotation or flip included).
 */
export function markersForScreen(right: Vec3, down: Vec3): OrientationMarkers {
  const negate = (v: Vec3): Vec3 => [-v[0], -v[1], -v[2]];
  return {
    right: orientationLabel(right),
    left: orientationLabel(negate(right)),
    bottom: orientationLabel(down),
    top: orientationLabel(negate(down)),
  };
}

/** What a series needs for a volume: its sorted slices' orientation and spacing. */
export interface VolumeGeometryInput {
  readonly spacing: SpacingReport;
  readonly instances: readonly {
    readonly imageOrientationPatient?: readonly [number, number, number, number, number, number] | null;
  }[];
}

/** Gantry tilt above which a reformat is refused (degrees): below it the shear is under 0.1 mm per 10 mm. */
export const MAX_REFORMAT_TILT_DEG = 0.5;

/**
 * Why a series cannot be reformatted without distorting it, or null when it can. The volume is a
 * regular grid: one orientation, one spacing, slice positions along the slice normal. Uneven
 * spacing (gaps, overlaps), a gantry tilt (slices sheared along the table) or mixed orientations
 * would place voxels where they are not, so the viewer refuses and keeps the acquired stack.
 */
export function reformatRefusal(series: VolumeGeometryInput): string | null {
  const { spacing, instances } = series;
  if (instances.length < 2) return 'A reformat needs at least two slices; this series has one.';
  if (spacing.sortedBy !== 'position' || !spacing.sliceSpacingMm) {
    return 'The slices have no usable position and orientation, so they cannot be stacked into a volume.';
  }
  const first = instances[0]?.imageOrientationPatient;
  if (!first) return 'The slices have no orientation, so they cannot be stacked into a volume.';
  const normal = sliceNormal(first);
  for (const instance of instances) {
    const o = instance.imageOrientationPatient;
    if (!o || Math.abs(dot(sliceNormal(o), normal)) < 0.9999) {
      return 'The slices do not all share one orientation, so they cannot be stacked into a volume.';
    }
  }
  if (spacing.duplicatePositions > 0) {
    return `${spacing.duplicatePositions} slices share a position with another one; a reformat would mix them.`;
  }
  if (spacing.uneven) {
    const min = spacing.minSpacingMm?.toFixed(2);
    const max = spacing.maxSpacingMm?.toFixed(2);
    return `The slice spacing is uneven (${min}–${max} mm); a reformat would distort distances along the table.`;
  }
  if (spacing.gantryTiltDeg > MAX_REFORMAT_TILT_DEG) {
    return `The series was acquired with a gantry tilt of ${spacing.gantryTiltDeg.toFixed(1)}°; a reformat would shear the anatomy.`;
  }
  return null;
}

/** The unit vector of `v` (zero stays zero). */
function unit(v: Vec3): Vec3 {
  const length = norm(v) || 1;
  return [v[0] / length, v[1] / length, v[2] / length];
}

/** The screen directions of a plane camera after a rotation (clockwise, degrees) and flips. */
export function screenAxes(
  plane: ReformatPlane,
  transform: { rotationDeg?: number; flipHorizontal?: boolean; flipVertical?: boolean } = {},
): { right: Vec3; down: Vec3 } {
  const camera = PLANE_CAMERAS[plane];
  let right = camera.right;
  let down: Vec3 = [-camera.up[0], -camera.up[1], -camera.up[2]];
  const quarterTurns = ((Math.round((transform.rotationDeg ?? 0) / 90) % 4) + 4) % 4;
  for (let i = 0; i < quarterTurns; i++) {
    // Clockwise on screen: what was at the top goes to the right.
    [right, down] = [[-down[0], -down[1], -down[2]], right];
  }
  if (transform.flipHorizontal) right = [-right[0], -right[1], -right[2]];
  if (transform.flipVertical) down = [-down[0], -down[1], -down[2]];
  return { right: unit(right), down: unit(down) };
}
