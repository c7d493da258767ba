/**
 * Pixel values under measurements: HU statistics of ROIs and the HU under a probe. Pure
 * functions over one slice's stored pixel values; no DOM, no rendering engine.
 */
import { patientToPixel, type Orientation, type Vec3 } from '../geometry.js';
import { MeasurementError } from './errors.js';
import { checkMeasurementPoints, computeGeometry } from './geometry.js';
import { isRoiKind, type MeasurementKind, type MeasurementValues, type RoiKind } from './types.js';

/** One slice's pixels and the geometry that places them in the patient. */
export interface SlicePixels {
  /** Stored pixel values, row by row (`rows × columns`), before rescale. */
  readonly pixels: ArrayLike<number>;
  readonly rows: number;
  readonly columns: number;
  /** Patient position of the centre of the first pixel (mm). */
  readonly imagePositionPatient: Vec3;
  readonly imageOrientationPatient: Orientation;
  /** DICOM PixelSpacing: [between rows, between columns], mm. */
  readonly pixelSpacingMm: readonly [number, number];
  /** HU = stored × slope + intercept. */
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
}

/**
 * Statistics of the pixels whose centres lie inside an ROI (or on its outline). The HU values
 * are absent when no pixel centre is inside (a shape smaller than a pixel, or off the image).
 */
export interface RoiStatistics {
  readonly pixelCount: number;
  /** Geometric area of the shape in the slice plane (mm²), as `computeGeometry` gives it. */
  readonly areaMm2: number;
  readonly meanHu?: number;
  /** Population standard deviation (divides by the pixel count). */
  readonly stdHu?: number;
  readonly minHu?: number;
  readonly maxHu?: number;
}

/** The pixel under a probe. */
export interface ProbeValue {
  /** HU (stored value after rescale). */
  readonly hu: number;
  readonly column: number;
  readonly row: number;
}

/**
 * The pixels an ROI covers, as a mask over its bounding box on the image: `mask[(row -
 * rowStart) * width + (column - columnStart)]` is 1 for a covered pixel.
 */
export interface RoiPixelMask {
  readonly columnStart: number;
  readonly rowStart: number;
  readonly width: number;
  readonly height: number;
  readonly mask: Uint8Array;
}

/** Tolerance (in pixels) for a pixel centre that lies exactly on an outline: it counts as inside. */
const ON_OUTLINE = 1e-7;

type Point2 = readonly [column: number, row: number];

function toPixels(points: readonly Vec3[], slice: SlicePixels): Point2[] {
  return points.map((point) => {
    const { column, row } = patientToPixel(
      slice.imagePositionPatient,
      slice.imageOrientationPatient,
      slice.pixelSpacingMm,
      point,
    );
    return [column, row] as const;
  });
}

function point2(points: readonly Point2[], index: number): Point2 {
  const point = points[index];
  if (!point) throw new MeasurementError('invalid-points', `Point ${index} is missing.`);
  return point;
}

/** An empty mask or one over the image part of the box [minColumn, maxColumn] × [minRow, maxRow]. */
function emptyMask(
  slice: SlicePixels,
  minColumn: number,
  maxColumn: number,
  minRow: number,
  maxRow: number,
): RoiPixelMask {
  const columnStart = Math.max(0, Math.ceil(minColumn - ON_OUTLINE));
  const rowStart = Math.max(0, Math.ceil(minRow - ON_OUTLINE));
  const columnEnd = Math.min(slice.columns - 1, Math.floor(maxColumn + ON_OUTLINE));
  const rowEnd = Math.min(slice.rows - 1, Math.floor(maxRow + ON_OUTLINE));
  const width = Math.max(0, columnEnd - columnStart + 1);
  const height = Math.max(0, rowEnd - rowStart + 1);
  return { columnStart, rowStart, width, height, mask: new Uint8Array(width * height) };
}

function fillWhere(box: RoiPixelMask, inside: (column: number, row: number) => boolean): RoiPixelMask {
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      if (inside(box.columnStart + x, box.rowStart + y)) box.mask[y * box.width + x] = 1;
    }
  }
  return box;
}

function ellipseMask(pixels: readonly Point2[], slice: SlicePixels): RoiPixelMask {
  const [p0, p1, p2, p3] = [point2(pixels, 0), point2(pixels, 1), point2(pixels, 2), point2(pixels, 3)];
  const center = [(p0[0] + p1[0] + p2[0] + p3[0]) / 4, (p0[1] + p1[1] + p2[1] + p3[1]) / 4] as const;
  const a = [(p1[0] - p0[0]) / 2, (p1[1] - p0[1]) / 2] as const;
  const b = [(p3[0] - p2[0]) / 2, (p3[1] - p2[1]) / 2] as const;
  const determinant = a[0] * b[1] - a[1] * b[0];
  const halfWidth = Math.hypot(a[0], b[0]);
  const halfHeight = Math.hypot(a[1], b[1]);
  const box = emptyMask(
    slice,
    center[0] - halfWidth,
    center[0] + halfWidth,
    center[1] - halfHeight,
    center[1] + halfHeight,
  );
  if (determinant === 0) return box;
  // Write (column, row) - centre as s·a + t·b; the pixel centre is inside when s² + t² ≤ 1.
  return fillWhere(box, (column, row) => {
    const dx = column - center[0];
    const dy = row - center[1];
    const s = (dx * b[1] - dy * b[0]) / determinant;
    const t = (a[0] * dy - a[1] * dx) / determinant;
    return s * s + t * t <= 1 + ON_OUTLINE;
  });
}

function rectangleMask(pixels: readonly Point2[], slice: SlicePixels): RoiPixelMask {
  const [p0, p1] = [point2(pixels, 0), point2(pixels, 1)];
  const box = emptyMask(
    slice,
    Math.min(p0[0], p1[0]),
    Math.max(p0[0], p1[0]),
    Math.min(p0[1], p1[1]),
    Math.max(p0[1], p1[1]),
  );
  box.mask.fill(1);
  return box;
}

function polygonMask(pixels: readonly Point2[], slice: SlicePixels): RoiPixelMask {
  let [minColumn, maxColumn, minRow, maxRow] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [column, row] of pixels) {
    minColumn = Math.min(minColumn, column);
    maxColumn = Math.max(maxColumn, column);
    minRow = Math.min(minRow, row);
    maxRow = Math.max(maxRow, row);
  }
  const box = emptyMask(slice, minColumn, maxColumn, minRow, maxRow);
  const mark = (column: number, row: number): void => {
    const x = column - box.columnStart;
    const y = row - box.rowStart;
    if (x >= 0 && y >= 0 && x < box.width && y < box.height) box.mask[y * box.width + x] = 1;
  };
  const edges = pixels.map((start, i) => [start, point2(pixels, (i + 1) % pixels.length)] as const);
  // Interior: even-odd scanlines through the pixel centres of each row.
  for (let y = 0; y < box.height; y++) {
    const row = box.rowStart + y;
    const crossings: number[] = [];
    for (const [start, end] of edges) {
      if (start[1] <= row !== end[1] <= row) {
        crossings.push(start[0] + ((row - start[1]) * (end[0] - start[0])) / (end[1] - start[1]));
      }
    }
    crossings.sort((u, v) => u - v);
    for (let i = 0; i + 1 < crossings.length; i += 2) {
      const from = Math.ceil(crossings[i]! - ON_OUTLINE);
      const to = Math.floor(crossings[i + 1]! + ON_OUTLINE);
      for (let column = from; column <= to; column++) mark(column, row);
    }
  }
  // Outline: pixel centres exactly on an edge (horizontal edges and vertices the scanlines miss).
  for (const [start, end] of edges) {
    const height = end[1] - start[1];
    if (Math.abs(height) <= ON_OUTLINE) {
      const row = Math.round(start[1]);
      if (Math.abs(start[1] - row) > ON_OUTLINE) continue;
      const from = Math.ceil(Math.min(start[0], end[0]) - ON_OUTLINE);
      const to = Math.floor(Math.max(start[0], end[0]) + ON_OUTLINE);
      for (let column = from; column <= to; column++) mark(column, row);
      continue;
    }
    const from = Math.ceil(Math.min(start[1], end[1]) - ON_OUTLINE);
    const to = Math.floor(Math.max(start[1], end[1]) + ON_OUTLINE);
    for (let row = from; row <= to; row++) {
      const column = start[0] + ((row - start[1]) * (end[0] - start[0])) / height;
      const nearest = Math.round(column);
      if (Math.abs(column - nearest) <= ON_OUTLINE) mark(nearest, row);
    }
  }
  return box;
}

/**
 * The pixels of `slice` whose centres lie inside the ROI or on its outline. The points are
 * projected onto the slice (the inverse of `pixelToPatient`); pixels outside the image are
 * left out.
 * @throws MeasurementError `invalid-points` when the points do not fit the kind
 */
export function roiPixelMask(kind: RoiKind, points: readonly Vec3[], slice: SlicePixels): RoiPixelMask {
  checkMeasurementPoints(kind, points);
  const pixels = toPixels(points, slice);
  switch (kind) {
    case 'ellipse-roi':
      return ellipseMask(pixels, slice);
    case 'rectangle-roi':
      return rectangleMask(pixels, slice);
    case 'freehand-roi':
      return polygonMask(pixels, slice);
  }
}

/**
 * HU statistics of the pixels whose centres lie inside an ROI (see {@link roiPixelMask}), and
 * the ROI's area in the slice plane.
 * @throws MeasurementError `invalid-points` when the points do not fit the kind
 */
export function roiStatistics(kind: RoiKind, points: readonly Vec3[], slice: SlicePixels): RoiStatistics {
  const { columnStart, rowStart, width, height, mask } = roiPixelMask(kind, points, slice);
  const areaMm2 = computeGeometry(kind, points, slice.imageOrientationPatient).areaMm2 ?? 0;
  let count = 0;
  let mean = 0;
  let sumOfSquares = 0; // Welford: sum of squared differences from the running mean
  let min = Infinity;
  let max = -Infinity;
  for (let y = 0; y < height; y++) {
    const offset = (rowStart + y) * slice.columns + columnStart;
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      const hu = (slice.pixels[offset + x] ?? 0) * slice.rescaleSlope + slice.rescaleIntercept;
      count++;
      const delta = hu - mean;
      mean += delta / count;
      sumOfSquares += delta * (hu - mean);
      if (hu < min) min = hu;
      if (hu > max) max = hu;
    }
  }
  if (count === 0) return { pixelCount: 0, areaMm2 };
  return {
    pixelCount: count,
    areaMm2,
    meanHu: mean,
    stdHu: Math.sqrt(Math.max(0, sumOfSquares / count)),
    minHu: min,
    maxHu: max,
  };
}

/** The HU of the pixel containing `point` (projected onto the slice), or null off the image. */
export function probeValue(point: Vec3, slice: SlicePixels): ProbeValue | null {
  const position = patientToPixel(
    slice.imagePositionPatient,
    slice.imageOrientationPatient,
    slice.pixelSpacingMm,
    point,
  );
  const column = Math.round(position.column);
  const row = Math.round(position.row);
  if (column < 0 || row < 0 || column >= slice.columns || row >= slice.rows) return null;
  const stored = slice.pixels[row * slice.columns + column] ?? 0;
  return { hu: stored * slice.rescaleSlope + slice.rescaleIntercept, column, row };
}

/**
 * The pixel-derived values of a measurement on `slice`: ROI statistics (`meanHu`, `stdHu`,
 * `minHu`, `maxHu`, `pixelCount`, and `areaMm2`) for ROIs, `hu` for a probe, nothing for the
 * other kinds.
 * @throws MeasurementError `invalid-points` when the points do not fit the kind
 */
export function measurementPixelValues(
  kind: MeasurementKind,
  points: readonly Vec3[],
  slice: SlicePixels,
): MeasurementValues {
  checkMeasurementPoints(kind, points);
  if (isRoiKind(kind)) return roiStatistics(kind, points, slice);
  if (kind === 'probe') {
    const probe = probeValue(points[0]!, slice);
    return probe ? { hu: probe.hu } : {};
  }
  return {};
}
