/**
 * Test readings on a real CT series, with points in patient coordinates and the study, series,
 * image and frame-of-reference UIDs read from its headers. The series is LIDC-IDRI-0001 (shared
 * data) when present, else the baseline of the synthetic phantom (generated into `.cache/phantom`),
 * so that the tests run on a fresh machine too. Slice indices and coordinates lie inside both
 * series (LIDC: 133 slices, ~360 mm field of view; phantom: 60 slices, 256 mm centred on 0).
 * Coordinates are multiples of 1/4 mm so that they survive SCOORD3D's 32-bit floats exactly.
 */
import { readFileSync } from 'node:fs';
import type { Finding, Measurement, Reading, SecondOpinion, Vec3 } from '@secondread/core';
import { writePhantom } from '../../phantom/src/index.ts';
import { lidcCtFiles, phantomDir, srSampleFile } from '../../../test/support/paths.ts';
import { readPart10, type NaturalDataset } from '../src/dicom.ts';

const lidc = lidcCtFiles();

/** The CT slices the readings refer to: LIDC-IDRI-0001 if present, else the phantom baseline. */
export const CT_FILES: readonly string[] = lidc ?? (await writePhantom(phantomDir)).baseline.files;
/** dcmqi's PET TID 1500 sample SR (shared data), or undefined where it is absent. */
export const DCMQI_SR: string | undefined = srSampleFile();

/** Naturalized headers of every CT slice, in {@link CT_FILES} order. */
export function ctHeaders(): NaturalDataset[] {
  return CT_FILES.map((file) => {
    const dataset = readPart10(readFileSync(file));
    delete dataset.PixelData;
    return dataset;
  });
}

const first = readPart10(readFileSync(CT_FILES[0]!));
export const STUDY_UID = String(first.StudyInstanceUID);
export const SERIES_UID = String(first.SeriesInstanceUID);

/** Slice indices (in file order) the readings measure on: inside both series (≥ 60 slices). */
const SLICE_A = 25;
const SLICE_B = 35;
const SLICE_C = 45;

interface Slice {
  sop: string;
  z: number;
  frame: string;
}

function slices(headers: readonly NaturalDataset[]): Slice[] {
  return headers.map((h) => ({
    sop: String(h.SOPInstanceUID),
    z: Number((h.ImagePositionPatient as number[])[2]),
    frame: String(h.FrameOfReferenceUID),
  }));
}

const T0 = '2026-11-28T10:00:00.000Z';
const T1 = '2026-11-28T10:20:00.000Z';
const dist = (a: Vec3, b: Vec3): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

function measurement(
  slice: Slice,
  id: string,
  kind: Measurement['kind'],
  xy: [number, number][],
  values: Measurement['values'],
  extra: Partial<Measurement> = {},
): Measurement {
  return {
    id,
    kind,
    points: xy.map(([x, y]) => [x, y, slice.z] as Vec3),
    studyUid: STUDY_UID,
    seriesUid: SERIES_UID,
    sopInstanceUid: slice.sop,
    frameOfReferenceUid: slice.frame,
    values,
    label: '',
    readerId: 'reader-1',
    createdAt: T0,
    updatedAt: T1,
    imageOrientationPatient: [1, 0, 0, 0, 1, 0],
    ...extra,
  };
}

/** A first reading with every measurement kind over two findings. */
export function firstReading(headers: readonly NaturalDataset[]): Reading {
  const s = slices(headers);
  const a = s[SLICE_A]!;
  const b = s[SLICE_B]!;
  const p = (xy: [number, number]): Vec3 => [xy[0], xy[1], a.z];
  const longAxis = dist(p([-80.25, 20.5]), p([-62.75, 24]));
  const nodule: Finding = {
    id: 'f1',
    description: 'Right upper lobe nodule',
    category: 'nodule',
    severity: 'moderate',
    trackingUid: '2.25.101010101010101010101010101010101',
    text: 'Solid, smooth margins.',
    location: {
      site: { value: '45653009', scheme: 'SCT', meaning: 'Upper lobe of right lung' },
      images: [],
      measurements: [
        measurement(
          a,
          'm1',
          'bidirectional',
          [
            [-80.25, 20.5],
            [-62.75, 24],
            [-70.5, 15.25],
            [-72, 29.5],
          ],
          {
            lengthMm: longAxis,
            shortAxisMm: dist(p([-70.5, 15.25]), p([-72, 29.5])),
          },
          { label: 'RECIST' },
        ),
        measurement(
          a,
          'm2',
          'ellipse-roi',
          [
            [-71.5, 14],
            [-71.5, 30],
            [-80, 22],
            [-63, 22],
          ],
          {
            areaMm2: Math.PI * 8 * 8.5,
            meanHu: 23.4567,
            stdHu: 12.0000001,
            minHu: -45,
            maxHu: 98,
            pixelCount: 431,
          },
        ),
      ],
    },
  };
  const mass: Finding = {
    id: 'f2',
    description: 'Left lower lobe mass',
    category: 'mass',
    severity: 'major',
    location: {
      site: 'posterior basal segment',
      images: [{ studyUid: STUDY_UID, seriesUid: SERIES_UID, sopInstanceUid: s[SLICE_B + 1]!.sop }],
      measurements: [
        measurement(
          b,
          'm3',
          'length',
          [
            [60.5, 40.25],
            [88.75, 52],
          ],
          { lengthMm: Math.hypot(28.25, 11.75) },
        ),
        measurement(
          b,
          'm4',
          'angle',
          [
            [60, 40],
            [70, 40],
            [70, 50],
          ],
          { angleDeg: 90 },
        ),
        measurement(
          b,
          'm5',
          'cobb-angle',
          [
            [0, 0],
            [10, 0],
            [0, 5],
            [10, 10],
          ],
          { angleDeg: 26.56505117707799 },
        ),
        measurement(
          b,
          'm6',
          'rectangle-roi',
          [
            [55, 35],
            [95, 60],
          ],
          {
            areaMm2: 1000,
            meanHu: 35.5,
            stdHu: 20.25,
            minHu: -12,
            maxHu: 140,
            pixelCount: 2023,
          },
        ),
        measurement(
          b,
          'm7',
          'freehand-roi',
          [
            [60, 40],
            [80, 40],
            [85, 55],
            [65, 58],
          ],
          { areaMm2: 412.5 },
        ),
        measurement(b, 'm8', 'probe', [[72.5, 47.5]], { hu: 41 }),
        measurement(
          b,
          'm9',
          'arrow',
          [
            [100, 70],
            [90, 55],
          ],
          {},
          { text: 'spiculated edge' },
        ),
        measurement(b, 'm10', 'label', [[95, 30]], {}, { text: 'LLL', locked: true }),
      ],
    },
    keyImages: [
      {
        image: { studyUid: STUDY_UID, seriesUid: SERIES_UID, sopInstanceUid: b.sop },
        dataUrl: 'data:image/png;base64,iVBORw0KGgo=',
        capturedAt: T1,
        caption: 'Mass, axial',
      },
    ],
  };
  return {
    id: 'reading-first',
    role: 'first',
    reader: { name: 'Dr A. Reader', id: 'areader', institution: 'General Hospital' },
    studyUid: STUDY_UID,
    findings: [nodule, mass],
    impression: 'Right upper lobe nodule 18 mm; left lower lobe mass.',
    recommendations: 'CT follow-up in 3 months.',
    status: 'final',
    createdAt: T0,
    updatedAt: T1,
    finalizedAt: T1,
  };
}

/** A second reading that agrees on the nodule and misses nothing, plus one extra finding. */
export function secondReading(headers: readonly NaturalDataset[]): Reading {
  const s = slices(headers);
  const a = s[SLICE_A]!;
  const c = s[SLICE_C]!;
  return {
    id: 'reading-second',
    role: 'second',
    reader: { name: 'Dr B. Second' },
    studyUid: STUDY_UID,
    findings: [
      {
        id: 'g1',
        description: 'RUL nodule',
        category: 'nodule',
        trackingUid: '2.25.202020202020202020202020202020202',
        location: {
          images: [],
          measurements: [
            measurement(
              a,
              'n1',
              'length',
              [
                [-80, 20.5],
                [-62.5, 24],
              ],
              { lengthMm: Math.hypot(17.5, 3.5) },
              {
                readerId: 'reader-2',
              },
            ),
          ],
        },
      },
      {
        id: 'g2',
        description: '',
        category: 'effusion',
        location: {
          images: [],
          measurements: [
            measurement(
              c,
              'n2',
              'length',
              [
                [100, 80],
                [120.5, 90.25],
              ],
              { lengthMm: Math.hypot(20.5, 10.25) },
              {
                readerId: 'reader-2',
              },
            ),
          ],
        },
      },
    ],
    impression: 'Agree with nodule; small right effusion not reported.',
    recommendations: '',
    status: 'draft',
    createdAt: T0,
    updatedAt: T1,
  };
}

/** Both readings with a concordance and a RADPEER score. */
export function secondOpinion(headers: readonly NaturalDataset[], first = firstReading(headers)): SecondOpinion {
  const second = secondReading(headers);
  return {
    schema: 'secondread/second-opinion',
    version: '1.0',
    id: 'opinion-1',
    studyUid: STUDY_UID,
    readings: [first, second],
    concordance: {
      firstReadingId: first.id,
      secondReadingId: second.id,
      matchThresholdMm: 10,
      pairs: [
        {
          firstFindingId: 'f1',
          secondFindingId: 'g1',
          method: 'distance',
          distanceMm: 0.4,
          sizeDeltaMm: -0.21,
          sizeDeltaPercent: -1.17,
          verdict: 'agree',
          confirmed: true,
        },
        {
          firstFindingId: 'f2',
          method: 'unmatched',
          verdict: 'not-confirmed-by-second',
          confirmed: false,
          comment: 'Atelectasis, not a mass.',
        },
        { secondFindingId: 'g2', method: 'unmatched', verdict: 'missed-by-first', confirmed: true },
      ],
      radpeer: '2a',
      peerLearningComment: 'Small effusion is easy to overlook on lung windows.',
    },
    blinding: { blinded: true, startedAt: T0, unblindedAt: T1 },
    createdAt: T0,
    updatedAt: T1,
    submittedAt: T1,
  };
}
