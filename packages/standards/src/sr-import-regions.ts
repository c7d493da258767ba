/**
 * Regions of an SR in patient space: the planes of the referenced images (from their headers),
 * 2D SCOORD pixel coordinates placed on them, and which SecondRead measurement kind a region's
 * graphic type and points make.
 */
import type { Measurement, Vec3 } from '@secondread/core';
import { multiValues, stringValue, type NaturalDataset } from './dicom.js';
import { childrenOf, referencedSopOf } from './sr-content.js';
import type { Context, ImagePlane } from './sr-import-context.js';
import type { SrImportOptions } from './sr-import-types.js';

/** Where a third-party NUM's region is (SCOORD3D, or a 2D SCOORD placed with its image's plane). */
export interface Geometry {
  graphicType: string;
  points: Vec3[];
  frameOfReferenceUid: string;
  sopInstanceUid?: string;
  seriesUid?: string;
}

export function planesOf(headers: SrImportOptions['imageHeaders']): Map<string, ImagePlane> {
  const planes = new Map<string, ImagePlane>();
  for (const header of headers ?? []) {
    const numbers = (value: unknown): number[] => multiValues(value).map(Number);
    const sop = stringValue(header.SOPInstanceUID);
    const position = numbers(header.ImagePositionPatient);
    const orientation = numbers(header.ImageOrientationPatient);
    const spacing = numbers(header.PixelSpacing);
    if (!sop || position.length !== 3 || orientation.length !== 6 || spacing.length !== 2) continue;
    if ([...position, ...orientation, ...spacing].some((n) => !Number.isFinite(n))) continue;
    planes.set(sop, {
      seriesUid: stringValue(header.SeriesInstanceUID) ?? '',
      frameOfReferenceUid: stringValue(header.FrameOfReferenceUID) ?? '',
      position: [position[0]!, position[1]!, position[2]!],
      row: [orientation[0]!, orientation[1]!, orientation[2]!],
      column: [orientation[3]!, orientation[4]!, orientation[5]!],
      spacing: [spacing[0]!, spacing[1]!],
    });
  }
  return planes;
}

/**
 * A 2D SCOORD point (column, row in pixels, 0/0 the top left corner of the top left pixel) in
 * patient coordinates: Image Position is the centre of the first pixel, hence the half pixel.
 */
export function pixelToPatient(plane: ImagePlane, column: number, row: number): Vec3 {
  const x = (column - 0.5) * plane.spacing[1];
  const y = (row - 0.5) * plane.spacing[0];
  return [0, 1, 2].map((i) => plane.position[i]! + x * plane.row[i]! + y * plane.column[i]!) as unknown as Vec3;
}

/** A 2D SCOORD child (with its SELECTED FROM image) in patient coordinates, when the image's plane is known. */
export function scoordGeometry(
  scoord: NaturalDataset,
  context: Context,
):
  | { graphicType: string; points: Vec3[]; frameOfReferenceUid: string; sopInstanceUid: string; seriesUid: string }
  | undefined {
  const image = childrenOf(scoord).find((c) => c.ValueType === 'IMAGE');
  const sop = image ? referencedSopOf(image)?.sopInstanceUid : undefined;
  const plane = sop ? context.planes.get(sop) : undefined;
  const data = multiValues(scoord.GraphicData).map(Number);
  if (!sop || !plane || data.length < 2 || data.length % 2 || data.some((n) => !Number.isFinite(n))) return undefined;
  const pixels: [number, number][] = [];
  for (let i = 0; i < data.length; i += 2) pixels.push([data[i]!, data[i + 1]!]);
  let graphicType = stringValue(scoord.GraphicType) ?? '';
  let points = pixels.map(([column, row]) => pixelToPatient(plane, column, row));
  if (graphicType === 'CIRCLE' && pixels.length === 2) {
    // Centre and a point on the circle: the same circle as an ellipse with two equal axes.
    const [centre, edge] = points as [Vec3, Vec3];
    const radius = Math.hypot(edge[0] - centre[0], edge[1] - centre[1], edge[2] - centre[2]);
    const along = (direction: Vec3, sign: number): Vec3 =>
      [0, 1, 2].map((i) => centre[i]! + sign * radius * direction[i]!) as unknown as Vec3;
    points = [along(plane.column, -1), along(plane.column, 1), along(plane.row, -1), along(plane.row, 1)];
    graphicType = 'ELLIPSE';
  }
  return {
    graphicType,
    points,
    frameOfReferenceUid: plane.frameOfReferenceUid,
    sopInstanceUid: sop,
    seriesUid: plane.seriesUid,
  };
}

export function shapeOf(
  graphicType: string,
  points: readonly Vec3[],
  shortAxis: readonly Vec3[] | undefined,
): { kind: Measurement['kind']; points: Vec3[] } | undefined {
  const open =
    points.length > 1 && JSON.stringify(points[0]) === JSON.stringify(points[points.length - 1])
      ? points.slice(0, -1)
      : [...points];
  if (shortAxis && points.length === 2) return { kind: 'bidirectional', points: [...points, ...shortAxis] };
  switch (graphicType) {
    case 'TWO-LINES':
      return points.length === 4 ? { kind: 'cobb-angle', points: [...points] } : undefined;
    case 'POINT':
      return points.length === 1 ? { kind: 'probe', points: [...points] } : undefined;
    case 'POLYLINE':
      if (points.length === 2) return { kind: 'length', points: [...points] };
      if (points.length === 3) return { kind: 'angle', points: [...points] };
      return open.length >= 3 ? { kind: 'freehand-roi', points: open } : undefined;
    case 'POLYGON':
      return open.length >= 3 ? { kind: 'freehand-roi', points: open } : undefined;
    case 'ELLIPSE':
      return points.length === 4 ? { kind: 'ellipse-roi', points: [...points] } : undefined;
    default:
      return undefined;
  }
}
