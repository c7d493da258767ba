/**
 * A parsed SEG as a reading layer: {@link segmentationToReading} makes one {@link Finding} per
 * segment, each outlined by `freehand-roi` measurements on the referenced CT images.
 */
import { pixelToPatient, type Vec3 } from '../../geometry.js';
import { computeGeometry } from '../../measurements/geometry.js';
import type { Measurement } from '../../measurements/types.js';
import {
  FINDING_CATEGORIES,
  FINDING_CATEGORY_CODES,
  type Finding,
  type FindingCategory,
  type Reader,
  type Reading,
  type ReadingRole,
  type ReadingStatus,
} from '../types.js';
import { traceLargestOutline } from './outline.js';
import { definedOnly, fail, type SegmentDefinition, type SegmentationData } from './types.js';

/** Options of {@link segmentationToReading}. */
export interface SegmentationToReadingOptions {
  readonly role: ReadingRole;
  /** The reader the segmentation belongs to (e.g. from the SEG's Content Creator's Name). */
  readonly reader: Reader;
  /** The CT series the SEG segments, when the SEG does not name exactly one. */
  readonly referencedSeriesUid?: string;
  /** Reading id; defaults to `seg-<SEG SOP Instance UID>`. */
  readonly id?: string;
  readonly impression?: string;
  readonly recommendations?: string;
  /** Defaults to `final`: a stored SEG is a finished annotation. */
  readonly status?: ReadingStatus;
  /** Timestamp when the SEG has no Content Date; defaults to now. */
  readonly createdAt?: string;
}

const LEGACY_CATEGORY_CODES: Readonly<Record<string, FindingCategory>> = {
  // SNOMED RT (SRT) codes that older SEGs (dcmqi, LIDC conversions) use.
  'SRT:M-03010': 'nodule',
  'SRT:M-03000': 'mass',
  'SRT:M-12000': 'fracture',
  'SRT:M-37000': 'haemorrhage',
};

/**
 * The finding category of a segment's Segmented Property Type: by SNOMED CT code, by a legacy
 * SNOMED RT code, or by code meaning; `other` when it maps to none.
 */
export function categoryForSegment(segment: SegmentDefinition): FindingCategory {
  const type = segment.type;
  if (!type) return 'other';
  const legacy = LEGACY_CATEGORY_CODES[`${type.scheme.toUpperCase()}:${type.value}`];
  if (legacy) return legacy;
  const meaning = type.meaning.trim().toLowerCase();
  for (const category of FINDING_CATEGORIES) {
    if (category === 'other') continue;
    const code = FINDING_CATEGORY_CODES[category];
    const sameCode = ['SCT', 'SNM', 'SNOMED'].includes(type.scheme.toUpperCase()) && type.value === code.value;
    if (sameCode || meaning === code.meaning.toLowerCase() || meaning === category) return category;
  }
  return 'other';
}

function segmentFinding(
  seg: SegmentationData,
  segment: SegmentDefinition,
  seriesUid: string,
  readerId: string,
  timestamp: string,
): Finding {
  const frames = seg.frames.filter((f) => f.segmentNumber === segment.segmentNumber);
  const measurements: Measurement[] = [];
  let voxels = 0;
  const sum: [number, number, number] = [0, 0, 0];
  for (const frame of frames) {
    const { imagePositionPatient: position, imageOrientationPatient: orientation, pixelSpacingMm: spacing } = frame;
    // Voxel centres: sum pixel indices per row/column, then map once (the mapping is affine).
    let count = 0;
    let columnSum = 0;
    let rowSum = 0;
    for (let i = 0; i < frame.mask.length; i++) {
      if (!frame.mask[i]) continue;
      const column = i % seg.columns;
      count++;
      columnSum += column;
      rowSum += (i - column) / seg.columns;
    }
    if (count === 0) continue;
    const centre = pixelToPatient(position, orientation, spacing, columnSum / count, rowSum / count);
    for (let axis = 0; axis < 3; axis++) sum[axis]! += centre[axis]! * count;
    voxels += count;

    const outline = traceLargestOutline(frame.mask, seg.columns, seg.rows);
    if (!outline || outline.vertices.length < 3) continue;
    if (!frame.referencedSopInstanceUid) {
      fail('missing-reference', `Frame ${frame.frameNumber} does not say which image it segments.`);
    }
    // Pixel-edge corner (x, y) is half a pixel up and left of pixel centre (x, y).
    const points = outline.vertices.map((v) => pixelToPatient(position, orientation, spacing, v.x - 0.5, v.y - 0.5));
    measurements.push({
      id: `seg-${segment.segmentNumber}-frame-${frame.frameNumber}`,
      kind: 'freehand-roi',
      points,
      studyUid: seg.studyUid,
      seriesUid,
      sopInstanceUid: frame.referencedSopInstanceUid,
      frameOfReferenceUid: seg.frameOfReferenceUid,
      values: computeGeometry('freehand-roi', points, orientation),
      label: segment.label,
      readerId,
      createdAt: timestamp,
      updatedAt: timestamp,
      locked: true,
      imageOrientationPatient: orientation,
    });
  }
  const first = frames[0];
  const pixelAreaMm2 = first ? first.pixelSpacingMm[0] * first.pixelSpacingMm[1] : 0;
  const centroid: Vec3 | undefined = voxels ? [sum[0] / voxels, sum[1] / voxels, sum[2] / voxels] : undefined;
  const volumeMm3 = seg.sliceSpacingMm !== undefined ? voxels * pixelAreaMm2 * seg.sliceSpacingMm : undefined;
  const description = segment.label;
  return {
    id: `seg-${segment.segmentNumber}`,
    description,
    category: categoryForSegment(segment),
    location: {
      measurements,
      images: [],
      ...definedOnly({ site: segment.anatomicRegion }),
      segment: {
        seriesUid: seg.seriesUid,
        sopInstanceUid: seg.sopInstanceUid,
        segmentNumber: segment.segmentNumber,
        label: segment.label,
        ...definedOnly({ centroid, volumeMm3 }),
      },
    },
    ...definedOnly({
      text: segment.description && segment.description !== description ? segment.description : undefined,
      trackingUid: segment.trackingUid,
    }),
  };
}

/**
 * Turns a parsed SEG into a {@link Reading}: one finding per segment, with the segment's
 * category (from its Segmented Property Type; `other` when it maps to no category), its label as
 * description, a {@link SegmentReference} (centroid in patient mm, volume = voxels × pixel area ×
 * slice spacing) and one locked `freehand-roi` per frame outlining the largest connected region
 * of the mask on the referenced CT image. Timestamps come from the SEG's Content Date/Time.
 * @throws SegmentationError `missing-reference` when the CT series or a frame's image is unknown
 */
export function segmentationToReading(seg: SegmentationData, options: SegmentationToReadingOptions): Reading {
  const seriesUid = options.referencedSeriesUid ?? seg.referencedSeriesUid;
  if (!seriesUid) {
    fail('missing-reference', 'The segmentation does not name one referenced series; pass referencedSeriesUid.');
  }
  const timestamp = seg.contentDateTime ?? options.createdAt ?? new Date().toISOString();
  const readerId = options.reader.id ?? options.reader.name;
  const findings = seg.segments.map((segment) => segmentFinding(seg, segment, seriesUid, readerId, timestamp));
  const status = options.status ?? 'final';
  return {
    id: options.id ?? `seg-${seg.sopInstanceUid}`,
    role: options.role,
    reader: options.reader,
    studyUid: seg.studyUid,
    findings,
    impression: options.impression ?? '',
    recommendations: options.recommendations ?? '',
    status,
    createdAt: timestamp,
    updatedAt: timestamp,
    ...(status === 'draft' ? {} : { finalizedAt: timestamp }),
    source: { kind: 'seg', studyUid: seg.studyUid, seriesUid: seg.seriesUid, sopInstanceUid: seg.sopInstanceUid },
  };
}
