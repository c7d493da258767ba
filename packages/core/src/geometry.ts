import { add, cross, dot, norm, sub, type Vec3 } from './vec3.js';

export type { Vec3 } from './vec3.js';
/** The cross product a × b (kept here for the public API; the vector helpers live in `vec3.ts`). */
export { cross } from './vec3.js';

/** ImageOrientationPatient: row direction cosines then column direction cosines. */
export type Orientation = readonly [number, number, number, number, number, number];

/** The geometry of one slice, as DICOM describes it. */
export interface SliceGeometry {
  readonly imagePositionPatient?: Vec3 | null;
  readonly imageOrientationPatient?: Orientation | null;
  readonly instanceNumber?: number | null;
}

/** How evenly a sorted stack is spaced, and whether the gantry was tilted. */
export interface SpacingReport {
  /** Median distance between neighbouring slices along the slice normal, mm (null with < 2 slices). */
  readonly sliceSpacingMm: number | null;
  /** True when neighbouring distances differ from the median by more than 1 % (and 0.01 mm). */
  readonly uneven: boolean;
  /** Smallest and largest neighbour distance, mm. */
  readonly minSpacingMm: number | null;
  readonly maxSpacingMm: number | null;
  /** Angle between the slice normal and the line through the slice positions, degrees. */
  readonly gantryTiltDeg: number;
  /** Number of slices that share a position with another slice. */
  readonly duplicatePositions: number;
  /** How the order was decided: by position along the normal, or by InstanceNumber as a fallback. */
  readonly sortedBy: 'position' | 'instance-number' | 'none';
}

export function rowCosines(o: Orientation): Vec3 {
  return [o[0], o[1], o[2]];
}

export function columnCosines(o: Orientation): Vec3 {
  return [o[3], o[4], o[5]];
}

/** The unit normal of the slice plane (row × column). */
export function sliceNormal(o: Orientation): Vec3 {
  const n = cross(rowCosines(o), columnCosines(o));
  const length = norm(n) || 1;
  return [n[0] / length, n[1] / length, n[2] / length];
}

/** Signed distance of a slice position along the normal, mm. */
export function positionAlongNormal(position: Vec3, normal: Vec3): number {
  return dot(position, normal);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The spacing report of a stack whose slice spacing cannot be measured (no positions, or one position). */
function noSpacing(duplicatePositions: number, sortedBy: SpacingReport['sortedBy']): SpacingReport {
  return {
    sliceSpacingMm: null,
    uneven: false,
    minSpacingMm: null,
    maxSpacingMm: null,
    gantryTiltDeg: 0,
    duplicatePositions,
    sortedBy,
  };
}

/**
 * Orders slices by their position along the slice normal (ascending), never by file
 * name or arrival order. Slices without a position fall back to InstanceNumber.
 * Returns the sorted copy and a report on spacing and gantry tilt.
 */
export function sortSlicesByPosition<T extends SliceGeometry>(
  slices: readonly T[],
): { slices: T[]; spacing: SpacingReport } {
  const reference = slices.find((s) => s.imageOrientationPatient)?.imageOrientationPatient;
  const allPositioned = reference && slices.every((s) => s.imagePositionPatient);
  if (!allPositioned) {
    const hasNumbers = slices.every((s) => typeof s.instanceNumber === 'number');
    const sorted = hasNumbers ? [...slices].sort((a, b) => a.instanceNumber! - b.instanceNumber!) : [...slices];
    return { slices: sorted, spacing: noSpacing(0, hasNumbers ? 'instance-number' : 'none') };
  }
  const normal = sliceNormal(reference);
  const keyed = slices.map((slice) => ({
    slice,
    distance: positionAlongNormal(slice.imagePositionPatient!, normal),
  }));
  keyed.sort((a, b) => a.distance - b.distance || (a.slice.instanceNumber ?? 0) - (b.slice.instanceNumber ?? 0));
  const sorted = keyed.map((k) => k.slice);
  const gaps: number[] = [];
  let duplicatePositions = 0;
  for (let i = 1; i < keyed.length; i++) {
    const gap = keyed[i]!.distance - keyed[i - 1]!.distance;
    if (gap < 1e-3) duplicatePositions++;
    else gaps.push(gap);
  }
  if (gaps.length === 0) {
    return { slices: sorted, spacing: noSpacing(duplicatePositions, 'position') };
  }
  const spacing = median(gaps);
  const minSpacingMm = Math.min(...gaps);
  const maxSpacingMm = Math.max(...gaps);
  const tolerance = Math.max(0.01, spacing * 0.01);
  const uneven = maxSpacingMm - spacing > tolerance || spacing - minSpacingMm > tolerance;
  const first = sorted[0]!.imagePositionPatient!;
  const last = sorted[sorted.length - 1]!.imagePositionPatient!;
  const through = sub(last, first);
  const throughLength = norm(through);
  const cosine = throughLength > 0 ? Math.min(1, Math.abs(dot(through, normal)) / throughLength) : 1;
  const gantryTiltDeg = (Math.acos(cosine) * 180) / Math.PI;
  return {
    slices: sorted,
    spacing: {
      sliceSpacingMm: spacing,
      uneven,
      minSpacingMm,
      maxSpacingMm,
      gantryTiltDeg: gantryTiltDeg < 0.01 ? 0 : gantryTiltDeg,
      duplicatePositions,
      sortedBy: 'position',
    },
  };
}

/** Patient-orientation letter(s) for a direction: L/R, P/A, S/I, most significant first. */
export function orientationLabel(direction: Vec3): string {
  const letters: [string, number][] = [
    [direction[0] > 0 ? 'L' : 'R', Math.abs(direction[0])],
    [direction[1] > 0 ? 'P' : 'A', Math.abs(direction[1])],
    [direction[2] > 0 ? 'S' : 'I', Math.abs(direction[2])],
  ];
  return letters
    .filter(([, weight]) => weight > 0.25)
    .sort((a, b) => b[1] - a[1])
    .map(([letter]) => letter)
    .join('');
}

/** Orientation markers for the four edges of an image with the given orientation. */
export interface OrientationMarkers {
  readonly top: string;
  readonly bottom: string;
  readonly left: string;
  readonly right: string;
}

export function orientationMarkers(o: Orientation): OrientationMarkers {
  const row = rowCosines(o);
  const column = columnCosines(o);
  const negate = (v: Vec3): Vec3 => [-v[0], -v[1], -v[2]];
  return {
    right: orientationLabel(row),
    left: orientationLabel(negate(row)),
    bottom: orientationLabel(column),
    top: orientationLabel(negate(column)),
  };
}

/**
 * Patient position (mm) of the centre of pixel (column, row) of a slice.
 * `pixelSpacingMm` is DICOM PixelSpacing: [between rows, between columns].
 */
export function pixelToPatient(
  position: Vec3,
  orientation: Orientation,
  pixelSpacingMm: readonly [number, number],
  column: number,
  row: number,
): Vec3 {
  const r = rowCosines(orientation);
  const c = columnCosines(orientation);
  const dx = column * pixelSpacingMm[1];
  const dy = row * pixelSpacingMm[0];
  return [
    position[0] + r[0] * dx + c[0] * dy,
    position[1] + r[1] * dx + c[1] * dy,
    position[2] + r[2] * dx + c[2] * dy,
  ];
}

/** Where a patient position falls on a slice: continuous pixel coordinates and distance from the plane. */
export interface PixelPosition {
  /** Continuous column index; integers are pixel centres (pixel `c` spans `c - 0.5 … c + 0.5`). */
  readonly column: number;
  /** Continuous row index; integers are pixel centres. */
  readonly row: number;
  /** Signed distance of the point from the slice plane along {@link sliceNormal}, mm. */
  readonly distanceFromPlaneMm: number;
}

/**
 * The inverse of {@link pixelToPatient}: the continuous (column, row) of a patient position
 * (mm) projected onto the slice plane, and its distance from that plane. Solves the 2×2
 * normal equations, so slightly non-orthogonal direction cosines are handled too.
 */
export function patientToPixel(
  position: Vec3,
  orientation: Orientation,
  pixelSpacingMm: readonly [number, number],
  point: Vec3,
): PixelPosition {
  const r = rowCosines(orientation);
  const c = columnCosines(orientation);
  const d = sub(point, position);
  const rr = dot(r, r);
  const cc = dot(c, c);
  const rc = dot(r, c);
  const dr = dot(d, r);
  const dc = dot(d, c);
  const determinant = rr * cc - rc * rc || 1;
  const alongRowMm = (dr * cc - dc * rc) / determinant;
  const alongColumnMm = (dc * rr - dr * rc) / determinant;
  return {
    column: alongRowMm / pixelSpacingMm[1],
    row: alongColumnMm / pixelSpacingMm[0],
    distanceFromPlaneMm: dot(d, sliceNormal(orientation)),
  };
}

/** A slice placed in the patient: its geometry and its pixel grid. */
export interface PlacedSlice extends SliceGeometry {
  readonly rows: number;
  readonly columns: number;
  /** DICOM PixelSpacing: [between rows, between columns], mm. */
  readonly pixelSpacingMm: readonly [number, number] | null;
}

/** A stack of slices in display order, e.g. a `SeriesModel`. */
export interface SliceStack {
  readonly seriesUid: string;
  readonly instances: readonly PlacedSlice[];
}

/**
 * Patient position (mm) of the centre of a slice's image, or null without position and
 * orientation. Without pixel spacing, the first pixel's position (ImagePositionPatient).
 */
export function sliceCentre(slice: PlacedSlice): Vec3 | null {
  const position = slice.imagePositionPatient;
  const orientation = slice.imageOrientationPatient;
  if (!position || !orientation) return null;
  if (!slice.pixelSpacingMm) return position;
  return pixelToPatient(position, orientation, slice.pixelSpacingMm, (slice.columns - 1) / 2, (slice.rows - 1) / 2);
}

/**
 * The index in `target` of the slice nearest to slice `index` of `source`: the one whose plane
 * lies closest to the centre of the source image, measured along the target slice's own normal.
 * The same series maps index to index; another series (a prior study, another reconstruction or
 * spacing, a gantry-tilted acquisition) maps by geometry.
 *
 * The centre, not ImagePositionPatient: that is the top-left corner, which on a tilted series lies
 * tens of millimetres from the centre along the other series' normal (about 40 mm for a 256 mm
 * field of view tilted 18.5°), so corner-based matching shows a slice far from the one the reader
 * looks at. Slices without geometry fall back to the same index (clamped).
 *
 * `offsetMm` links two frames of reference (a prior and a current study): a point `p` of the
 * source is at `p + offsetMm` in the target.
 */
export function correspondingSliceIndex(
  source: SliceStack,
  index: number,
  target: SliceStack,
  offsetMm?: Vec3,
): number {
  const last = target.instances.length - 1;
  const shifted = !!offsetMm && (offsetMm[0] !== 0 || offsetMm[1] !== 0 || offsetMm[2] !== 0);
  if (!shifted && source.seriesUid === target.seriesUid && source.instances.length === target.instances.length) {
    return index;
  }
  const from = source.instances[index];
  const sourceCentre = from ? sliceCentre(from) : null;
  const centre = sourceCentre && shifted ? add(sourceCentre, offsetMm) : sourceCentre;
  const fallbackOrientation = target.instances.find((i) => i.imageOrientationPatient)?.imageOrientationPatient;
  if (!centre || !fallbackOrientation) return Math.max(0, Math.min(index, last));
  let best = -1;
  let bestDistance = Infinity;
  target.instances.forEach((instance, i) => {
    if (!instance.imagePositionPatient) return;
    const normal = sliceNormal(instance.imageOrientationPatient ?? fallbackOrientation);
    const distance = Math.abs(dot(sub(centre, instance.imagePositionPatient), normal));
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i;
    }
  });
  return best >= 0 ? best : Math.max(0, Math.min(index, last));
}
