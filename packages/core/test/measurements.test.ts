import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { phantomHuAt, writePhantom, type WrittenPhantomStudy } from '@secondread/phantom';
import {
  DEFAULT_MEASUREMENT_LAYER,
  MEASUREMENT_KINDS,
  MEASUREMENT_SCHEMA_VERSION,
  MeasurementError,
  MeasurementSchemaError,
  MeasurementStore,
  computeGeometry,
  createMeasurement,
  measurementPixelValues,
  parseMeasurements,
  patientToPixel,
  pixelToPatient,
  probeValue,
  roiPixelMask,
  roiStatistics,
  serializeMeasurements,
  type Measurement,
  type MeasurementInit,
  type MeasurementKind,
  type MeasurementStoreChange,
  type Orientation,
  type SlicePixels,
  type Vec3,
} from '../src/index.ts';
import { phantomDir } from '../../../test/support/paths.ts';
import { slicePixelsOf } from './fixtures/slice-pixels.ts';

const phantom = await writePhantom(phantomDir);
const study = phantom.baseline;
const truth = study.truth;
const spacing = truth.pixelSpacingMm;
const nodule = truth.nodules.find((n) => n.id === 'N1')!;
const uniform = truth.regions.uniform;

/** One phantom slice, read from its DICOM file with dicom-parser (stored pixels and geometry). */
function readSlice(written: WrittenPhantomStudy, sliceIndex: number): SlicePixels & { sopInstanceUid: string } {
  const instance = written.truth.instances[sliceIndex]!;
  return slicePixelsOf(new Uint8Array(readFileSync(join(written.dir, instance.fileName))));
}

const zOf = (sliceIndex: number): number => truth.firstImagePositionPatient[2] + sliceIndex * truth.sliceSpacingMm;
const noduleSlice = readSlice(study, nodule.sliceIndex);
const liverSlice = readSlice(study, uniform.suggestedRoi.sliceIndex);
const liverZ = zOf(uniform.suggestedRoi.sliceIndex);

const close = (actual: number | undefined, expected: number, tolerance: number, what: string): void => {
  assert.ok(actual !== undefined, `${what}: missing`);
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);
};

/** Expected statistics by brute force: phantomHuAt at every pixel centre the predicate accepts. */
function expectedStatistics(slice: SlicePixels, z: number, inside: (x: number, y: number) => boolean) {
  const values: number[] = [];
  for (let row = 0; row < slice.rows; row++) {
    for (let column = 0; column < slice.columns; column++) {
      const [x, y] = pixelToPatient(
        slice.imagePositionPatient,
        slice.imageOrientationPatient,
        slice.pixelSpacingMm,
        column,
        row,
      );
      if (inside(x, y)) values.push(phantomHuAt(x, y, z));
    }
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { pixelCount: values.length, mean, std, min: Math.min(...values), max: Math.max(...values) };
}

describe('phantom slices as read for these tests', () => {
  it('carry the ground-truth geometry', () => {
    assert.deepEqual(noduleSlice.imagePositionPatient, [
      ...truth.firstImagePositionPatient.slice(0, 2),
      nodule.centerMm[2],
    ]);
    assert.deepEqual(noduleSlice.pixelSpacingMm, spacing);
    assert.equal(noduleSlice.sopInstanceUid, nodule.sopInstanceUid);
    assert.equal(liverSlice.imagePositionPatient[2], liverZ);
  });
});

describe('patientToPixel', () => {
  it('inverts pixelToPatient on an oblique slice with anisotropic spacing', () => {
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const oblique: Orientation = [c, s, 0, 0, 0, -1];
    const position: Vec3 = [10, -20, 30];
    for (const [column, row] of [
      [0, 0],
      [12.25, 3.5],
      [-4, 100],
    ] as const) {
      const point = pixelToPatient(position, oblique, [0.7, 1.3], column, row);
      const back = patientToPixel(position, oblique, [0.7, 1.3], point);
      close(back.column, column, 1e-9, 'column');
      close(back.row, row, 1e-9, 'row');
      close(back.distanceFromPlaneMm, 0, 1e-9, 'distance from plane');
    }
    const normal: Vec3 = [-s, c, 0]; // row × column
    const [x, y, z] = pixelToPatient(position, oblique, [0.7, 1.3], 5, 5);
    const lifted = patientToPixel(position, oblique, [0.7, 1.3], [x + 2 * normal[0], y + 2 * normal[1], z]);
    close(lifted.distanceFromPlaneMm, 2, 1e-9, 'lifted off the plane');
    close(lifted.column, 5, 1e-9, 'lifted column');
  });
});

describe('length on the phantom', () => {
  const { centerMm, diameterMm } = nodule;
  const radius = diameterMm / 2;

  it('across nodule N1 along x, centre ± radius, equals its diameter', () => {
    const points: Vec3[] = [
      [centerMm[0] - radius, centerMm[1], centerMm[2]],
      [centerMm[0] + radius, centerMm[1], centerMm[2]],
    ];
    close(computeGeometry('length', points).lengthMm, diameterMm, spacing[1] / 2, 'lengthMm');
    // The ends sit on the imaged edge: a quarter pixel inside is nodule, a quarter pixel outside is lung.
    const quarter = spacing[1] / 4;
    for (const [end, inward] of [
      [points[0]!, +1],
      [points[1]!, -1],
    ] as const) {
      assert.equal(probeValue([end[0] + inward * quarter, end[1], end[2]], noduleSlice)?.hu, nodule.hu);
      assert.equal(probeValue([end[0] - inward * quarter, end[1], end[2]], noduleSlice)?.hu, truth.regions.lungHu);
    }
  });

  it('between the nodule edges found in the pixels equals its diameter', () => {
    // Scan the row through the centre for the run of nodule pixels, and measure from the outer
    // edge of its first pixel to the outer edge of its last.
    const row = Math.floor(nodule.pixel.row);
    const hu = (column: number) => probeValue(pixelToPatientOn(noduleSlice, column, row), noduleSlice)!.hu;
    let first = Math.floor(nodule.pixel.column);
    let last = first;
    assert.equal(hu(first), nodule.hu);
    while (hu(first - 1) === nodule.hu) first--;
    while (hu(last + 1) === nodule.hu) last++;
    const measurement = createMeasurement({
      ...reference(noduleSlice),
      kind: 'length',
      points: [pixelToPatientOn(noduleSlice, first - 0.5, row), pixelToPatientOn(noduleSlice, last + 0.5, row)],
    });
    close(measurement.values.lengthMm, diameterMm, spacing[1] / 2, 'lengthMm');
  });
});

function pixelToPatientOn(slice: SlicePixels, column: number, row: number): Vec3 {
  return pixelToPatient(slice.imagePositionPatient, slice.imageOrientationPatient, slice.pixelSpacingMm, column, row);
}

function reference(slice: SlicePixels & { sopInstanceUid: string }) {
  return {
    studyUid: truth.studyInstanceUid,
    seriesUid: truth.seriesInstanceUid,
    sopInstanceUid: slice.sopInstanceUid,
    frameOfReferenceUid: truth.frameOfReferenceUid,
    readerId: 'reader-2',
    imageOrientationPatient: slice.imageOrientationPatient,
  };
}

describe('ROI statistics on the uniform region', () => {
  const [cx, cy] = uniform.suggestedRoi.centerMm;
  const [a, b] = uniform.suggestedRoi.radiiMm;
  const pixelAreaMm2 = spacing[0] * spacing[1];

  it('ellipse ROI: mean = region HU within 1, std 0, area within 2 % of π·a·b', () => {
    const points: Vec3[] = [
      [cx - a, cy, liverZ],
      [cx + a, cy, liverZ],
      [cx, cy - b, liverZ],
      [cx, cy + b, liverZ],
    ];
    const stats = roiStatistics('ellipse-roi', points, liverSlice);
    const ideal = Math.PI * a * b;
    close(stats.meanHu, uniform.hu, 1, 'meanHu');
    close(stats.stdHu, 0, 1e-9, 'stdHu');
    assert.equal(stats.minHu, uniform.hu);
    assert.equal(stats.maxHu, uniform.hu);
    close(stats.areaMm2, ideal, 0.02 * ideal, 'areaMm2');
    // The pixels counted cover the same area (the discretisation is honest too).
    close(stats.pixelCount * pixelAreaMm2, ideal, 0.02 * ideal, 'pixel area');
    const expected = expectedStatistics(liverSlice, liverZ, (x, y) => ((x - cx) / a) ** 2 + ((y - cy) / b) ** 2 <= 1);
    assert.equal(stats.pixelCount, expected.pixelCount);
    // The same values through a measurement made from them.
    const measurement = createMeasurement({
      ...reference(liverSlice),
      kind: 'ellipse-roi',
      points,
      values: measurementPixelValues('ellipse-roi', points, liverSlice),
    });
    close(measurement.values.meanHu, uniform.hu, 1, 'values.meanHu');
    close(measurement.values.areaMm2, ideal, 0.02 * ideal, 'values.areaMm2');
  });

  it('ellipse ROI given by rotated (oblique in-plane) axes counts the same pixels as the formula', () => {
    const angle = Math.PI / 6;
    const u: Vec3 = [a * Math.cos(angle), a * Math.sin(angle), 0];
    const v: Vec3 = [-b * Math.sin(angle), b * Math.cos(angle), 0];
    const points: Vec3[] = [
      [cx - u[0], cy - u[1], liverZ],
      [cx + u[0], cy + u[1], liverZ],
      [cx - v[0], cy - v[1], liverZ],
      [cx + v[0], cy + v[1], liverZ],
    ];
    const stats = roiStatistics('ellipse-roi', points, liverSlice);
    const expected = expectedStatistics(liverSlice, liverZ, (x, y) => {
      const dx = x - cx;
      const dy = y - cy;
      const s = (dx * Math.cos(angle) + dy * Math.sin(angle)) / a;
      const t = (-dx * Math.sin(angle) + dy * Math.cos(angle)) / b;
      return s * s + t * t <= 1 + 1e-9;
    });
    assert.equal(stats.pixelCount, expected.pixelCount);
    close(stats.areaMm2, Math.PI * a * b, 1e-9, 'areaMm2');
    close(stats.meanHu, uniform.hu, 1e-9, 'meanHu');
  });

  it('rectangle ROI: mean, std 0, exact area and pixel count', () => {
    const points: Vec3[] = [
      [cx - 20, cy - 15, liverZ],
      [cx + 20, cy + 15, liverZ],
    ];
    const stats = roiStatistics('rectangle-roi', points, liverSlice);
    close(stats.meanHu, uniform.hu, 1, 'meanHu');
    close(stats.stdHu, 0, 1e-9, 'stdHu');
    close(stats.areaMm2, 40 * 30, 1e-9, 'areaMm2');
    assert.equal(stats.pixelCount, (40 * 30) / pixelAreaMm2);
    // Corners given the other way round describe the same rectangle.
    assert.deepEqual(roiStatistics('rectangle-roi', [points[1]!, points[0]!], liverSlice), stats);
  });

  it('rectangle ROI across the liver edge reports the mixture exactly', () => {
    // From inside the liver out into soft tissue: both HU values, a real standard deviation.
    const x0 = uniform.centerMm[0] + uniform.radiiMm[0] - 10;
    const points: Vec3[] = [
      [x0, -5, liverZ],
      [x0 + 20, 5, liverZ],
    ];
    const stats = roiStatistics('rectangle-roi', points, liverSlice);
    const expected = expectedStatistics(liverSlice, liverZ, (x, y) => x >= x0 && x <= x0 + 20 && y >= -5 && y <= 5);
    assert.equal(stats.pixelCount, expected.pixelCount);
    close(stats.meanHu, expected.mean, 1e-9, 'meanHu');
    close(stats.stdHu, expected.std, 1e-9, 'stdHu');
    assert.equal(stats.minHu, truth.regions.softTissueHu);
    assert.equal(stats.maxHu, uniform.hu);
    assert.ok(stats.stdHu! > 5);
  });

  it('freehand ROI: a known square, a diamond and a concave L-shape', () => {
    const square: Vec3[] = [
      [cx - 10, cy - 10, liverZ],
      [cx + 10, cy - 10, liverZ],
      [cx + 10, cy + 10, liverZ],
      [cx - 10, cy + 10, liverZ],
    ];
    const squareStats = roiStatistics('freehand-roi', square, liverSlice);
    close(squareStats.areaMm2, 400, 1e-9, 'square area');
    assert.equal(squareStats.pixelCount, 400);
    close(squareStats.meanHu, uniform.hu, 1, 'square meanHu');
    close(squareStats.stdHu, 0, 1e-9, 'square stdHu');
    // Clockwise or counter-clockwise: same area.
    close(computeGeometry('freehand-roi', [...square].reverse()).areaMm2, 400, 1e-9, 'reversed');

    const half = 10 * Math.SQRT2; // the same square turned by 45°
    const diamond: Vec3[] = [
      [cx, cy - half, liverZ],
      [cx + half, cy, liverZ],
      [cx, cy + half, liverZ],
      [cx - half, cy, liverZ],
    ];
    const diamondStats = roiStatistics('freehand-roi', diamond, liverSlice);
    close(diamondStats.areaMm2, 400, 1e-9, 'diamond area');
    // 420 pixel centres lie inside this small diamond (its corners sit on pixel corners): count them.
    const expected = expectedStatistics(liverSlice, liverZ, (x, y) => Math.abs(x - cx) + Math.abs(y - cy) <= half);
    assert.equal(diamondStats.pixelCount, expected.pixelCount);

    // An L: a 20 × 20 square without its 10 × 10 upper-right quarter, area 300.
    const l: Vec3[] = [
      [cx - 10, cy - 10, liverZ],
      [cx + 10, cy - 10, liverZ],
      [cx + 10, cy, liverZ],
      [cx, cy, liverZ],
      [cx, cy + 10, liverZ],
      [cx - 10, cy + 10, liverZ],
    ];
    const lStats = roiStatistics('freehand-roi', l, liverSlice);
    close(lStats.areaMm2, 300, 1e-9, 'L area');
    assert.equal(lStats.pixelCount, 300);
  });

  it('outline pixels count once, as the mask shows', () => {
    // Corners on pixel centres: the outline pixels are inside, an 11 × 11 block.
    const corner = pixelToPatientOn(liverSlice, 60, 120);
    const opposite = pixelToPatientOn(liverSlice, 70, 130);
    const mask = roiPixelMask('rectangle-roi', [corner, opposite], liverSlice);
    assert.deepEqual([mask.columnStart, mask.rowStart, mask.width, mask.height], [60, 120, 11, 11]);
    const polygon = roiStatistics(
      'freehand-roi',
      [corner, [opposite[0], corner[1], liverZ], opposite, [corner[0], opposite[1], liverZ]],
      liverSlice,
    );
    assert.equal(polygon.pixelCount, 121);
  });

  it('an ROI smaller than a pixel between centres has no HU values, and one off the image none either', () => {
    const tiny = roiStatistics(
      'ellipse-roi',
      [
        [cx + 0.1, cy + 0.1, liverZ],
        [cx + 0.3, cy + 0.1, liverZ],
        [cx + 0.2, cy, liverZ],
        [cx + 0.2, cy + 0.2, liverZ],
      ],
      liverSlice,
    );
    assert.equal(tiny.pixelCount, 0);
    assert.equal(tiny.meanHu, undefined);
    const off = roiStatistics(
      'rectangle-roi',
      [
        [500, 500, liverZ],
        [520, 520, liverZ],
      ],
      liverSlice,
    );
    assert.deepEqual(off, { pixelCount: 0, areaMm2: 400 });
  });

  it('works on an oblique slice with anisotropic pixels (synthetic)', () => {
    const c = Math.cos(0.5);
    const s = Math.sin(0.5);
    const slice: SlicePixels = {
      rows: 8,
      columns: 10,
      pixels: Int16Array.from({ length: 80 }, (_, i) => i % 10), // stored value = column
      imagePositionPatient: [5, 5, 5],
      imageOrientationPatient: [c, s, 0, 0, 0, -1],
      pixelSpacingMm: [2, 0.5],
      rescaleSlope: 2,
      rescaleIntercept: -10,
    };
    const corner = pixelToPatientOn(slice, 2, 1);
    const opposite = pixelToPatientOn(slice, 6, 3);
    const stats = roiStatistics('rectangle-roi', [corner, opposite], slice);
    assert.equal(stats.pixelCount, 5 * 3);
    close(stats.meanHu, 4 * 2 - 10, 1e-9, 'meanHu'); // mean column 4
    assert.equal(stats.minHu, 2 * 2 - 10);
    assert.equal(stats.maxHu, 6 * 2 - 10);
    close(stats.areaMm2, 4 * 0.5 * (2 * 2), 1e-9, 'areaMm2'); // 4 columns × 0.5 mm by 2 rows × 2 mm
    assert.equal(probeValue(pixelToPatientOn(slice, 7.3, 5.8), slice)?.hu, 7 * 2 - 10);
  });
});

describe('angles, Cobb angle, bidirectional, probe', () => {
  const vertex: Vec3 = [nodule.centerMm[0], nodule.centerMm[1], nodule.centerMm[2]];
  const arm = (angleDeg: number, lengthMm: number, from: Vec3 = vertex): Vec3 => [
    from[0] + lengthMm * Math.cos((angleDeg * Math.PI) / 180),
    from[1] + lengthMm * Math.sin((angleDeg * Math.PI) / 180),
    from[2],
  ];

  it('angle of a known construction within 0.5°', () => {
    for (const angleDeg of [30, 90, 135, 0, 180]) {
      const points = [arm(15, 20), vertex, arm(15 + angleDeg, 12)];
      close(computeGeometry('angle', points).angleDeg, angleDeg, 0.5, `angle ${angleDeg}`);
    }
    // With the ends snapped to pixel centres of the phantom slice, still within 0.5°.
    const snap = (p: Vec3): Vec3 => {
      const { column, row } = patientToPixel(
        noduleSlice.imagePositionPatient,
        noduleSlice.imageOrientationPatient,
        spacing,
        p,
      );
      return pixelToPatientOn(noduleSlice, Math.round(column), Math.round(row));
    };
    const snappedVertex = snap(vertex);
    for (const angleDeg of [30, 90, 135]) {
      const points = [arm(0, 80, snappedVertex), snappedVertex, snap(arm(angleDeg, 80, snappedVertex))];
      close(computeGeometry('angle', points).angleDeg, angleDeg, 0.5, `snapped angle ${angleDeg}`);
    }
    // Out of the axial plane too (the angle is taken in 3-D).
    close(
      computeGeometry('angle', [
        [1, 0, 0],
        [0, 0, 0],
        [0, 0, 1],
      ]).angleDeg,
      90,
      1e-9,
      'x to z',
    );
    // A zero-length arm has no angle.
    assert.deepEqual(computeGeometry('angle', [vertex, vertex, arm(0, 5)]), {});
  });

  it('Cobb angle: the acute angle between two lines, however they were drawn', () => {
    const line = (angleDeg: number, at: Vec3): Vec3[] => [arm(angleDeg + 180, 30, at), arm(angleDeg, 30, at)];
    const upper = line(10, [0, -50, 0]);
    const lower = line(45, [0, 50, 0]);
    close(computeGeometry('cobb-angle', [...upper, ...lower]).angleDeg, 35, 0.5, 'cobb');
    close(computeGeometry('cobb-angle', [...upper, lower[1]!, lower[0]!]).angleDeg, 35, 0.5, 'one line reversed');
    close(computeGeometry('cobb-angle', [...line(0, [0, 0, 0]), ...line(120, [0, 60, 0])]).angleDeg, 60, 0.5, 'acute');
  });

  it('bidirectional: long and short axis of a known construction and across nodule N1', () => {
    const values = computeGeometry('bidirectional', [
      [0, 0, 0],
      [30, 0, 0],
      [15, -9, 0],
      [15, 9, 0],
    ]);
    assert.deepEqual(values, { lengthMm: 30, shortAxisMm: 18 });
    const [x, y, z] = nodule.centerMm;
    const r = nodule.diameterMm / 2;
    const across = computeGeometry('bidirectional', [
      [x - r, y, z],
      [x + r, y, z],
      [x, y - r, z],
      [x, y + r, z],
    ]);
    close(across.lengthMm, nodule.diameterMm, spacing[1] / 2, 'long axis');
    close(across.shortAxisMm, nodule.diameterMm, spacing[0] / 2, 'short axis');
  });

  it('probe: nodule HU at its centre, lung HU in the lung, null off the image', () => {
    assert.equal(probeValue(vertex, noduleSlice)?.hu, 60);
    assert.equal(probeValue(vertex, noduleSlice)?.hu, nodule.hu);
    const lung = truth.regions.rightLung.centerMm;
    const inLung: Vec3 = [lung[0], lung[1] + 35, nodule.centerMm[2]];
    assert.equal(probeValue(inLung, noduleSlice)?.hu, -850);
    assert.equal(probeValue(inLung, noduleSlice)?.hu, truth.regions.lungHu);
    assert.equal(probeValue([400, 0, nodule.centerMm[2]], noduleSlice), null);
    const measurement = createMeasurement({
      ...reference(noduleSlice),
      kind: 'probe',
      points: [vertex],
      values: measurementPixelValues('probe', [vertex], noduleSlice),
    });
    assert.deepEqual(measurement.values, { hu: nodule.hu });
  });

  it('kinds without a geometric value, and wrong point counts', () => {
    for (const kind of ['probe', 'label'] as const) assert.deepEqual(computeGeometry(kind, [vertex]), {});
    assert.deepEqual(computeGeometry('arrow', [vertex, arm(0, 10)]), {});
    assert.throws(
      () => computeGeometry('length', [vertex]),
      (error: unknown) => error instanceof MeasurementError && error.code === 'invalid-points',
    );
    assert.throws(() => computeGeometry('freehand-roi', [vertex, vertex]), MeasurementError);
    assert.throws(() => computeGeometry('probe', [[0, Number.NaN, 0]]), MeasurementError);
  });
});

// ---- the store ----------------------------------------------------------------------------

const REFERENCE = {
  studyUid: '1.2.3',
  seriesUid: '1.2.3.4',
  sopInstanceUid: '1.2.3.4.5',
  frameOfReferenceUid: '1.2.3.9',
  readerId: 'reader-2',
};

let clock = Date.parse('2024-03-01T10:00:00.000Z');
const tick = (): Date => new Date((clock += 1000));

function line(id: string, lengthMm: number, extra: Partial<MeasurementInit> = {}): Measurement {
  return createMeasurement(
    {
      ...REFERENCE,
      kind: 'length',
      points: [
        [0, 0, 0],
        [lengthMm, 0, 0],
      ],
      label: id,
      ...extra,
    },
    { id, now: tick() },
  );
}

function recordingStore(): { store: MeasurementStore; changes: MeasurementStoreChange[] } {
  const store = new MeasurementStore({ now: tick });
  const changes: MeasurementStoreChange[] = [];
  store.subscribe((change) => changes.push(change));
  return { store, changes };
}

const ids = (store: MeasurementStore): string[] => store.list().map((m) => m.id);
const summary = (changes: readonly MeasurementStoreChange[]) =>
  changes.map((c) => `${c.cause}:${c.type}:${c.measurement.id}`);

describe('createMeasurement', () => {
  it('fills id, timestamps and geometric values; pixel values are kept, geometric ones recomputed', () => {
    const now = new Date('2024-05-06T07:08:09.010Z');
    const m = createMeasurement(
      {
        ...REFERENCE,
        kind: 'length',
        points: [
          [0, 0, 0],
          [3, 4, 0],
        ],
        values: { lengthMm: 999, meanHu: 12 },
      },
      { now },
    );
    assert.match(m.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(m.createdAt, '2024-05-06T07:08:09.010Z');
    assert.equal(m.updatedAt, m.createdAt);
    assert.deepEqual(m.values, { lengthMm: 5, meanHu: 12 });
    assert.equal(m.label, '');
    assert.equal('text' in m, false);
    assert.notEqual(createMeasurement({ ...REFERENCE, kind: 'probe', points: [[0, 0, 0]] }).id, m.id);
  });

  it('takes a rectangle in the plane of its image', () => {
    const corners: Vec3[] = [
      [0, 0, 0],
      [0, 10, -20],
    ];
    const sagittal: Orientation = [0, 1, 0, 0, 0, -1];
    const m = createMeasurement({
      ...REFERENCE,
      kind: 'rectangle-roi',
      points: corners,
      imageOrientationPatient: sagittal,
    });
    assert.equal(m.values.areaMm2, 200);
    // Without an orientation the image is taken as axial: this diagonal spans no area there.
    assert.equal(computeGeometry('rectangle-roi', corners).areaMm2, 0);
  });
});

describe('MeasurementStore', () => {
  it('adds, updates, removes and tells its listeners', () => {
    const { store, changes } = recordingStore();
    const a = store.add(line('a', 10));
    store.add(line('b', 20));
    assert.deepEqual(ids(store), ['a', 'b']);
    assert.equal(store.get('a'), a);
    assert.ok(Object.isFrozen(a) && Object.isFrozen(a.points[0]) && Object.isFrozen(a.values));

    const moved = store.update('a', {
      points: [
        [0, 0, 0],
        [0, 7, 0],
      ],
      label: 'renamed',
    });
    assert.equal(moved.values.lengthMm, 7);
    assert.equal(moved.label, 'renamed');
    assert.ok(moved.updatedAt > a.updatedAt);
    assert.equal(moved.createdAt, a.createdAt);
    store.remove('b');
    assert.deepEqual(ids(store), ['a']);
    assert.deepEqual(summary(changes), ['edit:add:a', 'edit:add:b', 'edit:change:a', 'edit:remove:b']);
    assert.equal(changes[2]!.previous, a);
    assert.equal(changes[2]!.layer, DEFAULT_MEASUREMENT_LAYER);

    assert.throws(
      () => store.update('nope', { label: 'x' }),
      (e: unknown) => e instanceof MeasurementError && e.code === 'not-found',
    );
    assert.throws(
      () => store.add(line('a', 1)),
      (e: unknown) => e instanceof MeasurementError && e.code === 'duplicate-id',
    );
    assert.throws(
      () => store.update('a', { points: [[0, 0, 0]] }),
      (e: unknown) => e instanceof MeasurementError && e.code === 'invalid-points',
    );
    assert.equal(store.get('a'), moved, 'a refused edit changes nothing');
  });

  it('undoes and redoes sequences of edits, and a new edit drops the redo steps', () => {
    const { store, changes } = recordingStore();
    assert.equal(store.canUndo, false);
    store.add(line('a', 10));
    store.add(line('b', 20));
    store.update('a', { label: 'A' });
    store.remove('b');
    const states = [ids(store)];
    const final = store.list();

    assert.equal(store.undo(), true); // remove b
    assert.deepEqual(ids(store), ['a', 'b']);
    assert.equal(store.undo(), true); // rename a
    assert.equal(store.get('a')!.label, 'a');
    assert.equal(store.undo(), true); // add b
    assert.equal(store.undo(), true); // add a
    assert.equal(store.size, 0);
    assert.equal(store.undo(), false);
    assert.equal(store.canUndo, false);
    assert.equal(store.canRedo, true);

    while (store.redo());
    assert.deepEqual(store.list(), final);
    states.push(ids(store));
    assert.deepEqual(states[0], states[1]);
    assert.deepEqual(summary(changes.slice(4)), [
      'undo:add:b',
      'undo:change:a',
      'undo:remove:b',
      'undo:remove:a',
      'redo:add:a',
      'redo:add:b',
      'redo:change:a',
      'redo:remove:b',
    ]);

    store.undo();
    store.undo();
    store.add(line('c', 5));
    assert.equal(store.canRedo, false);
    assert.equal(store.redo(), false);
    assert.deepEqual(ids(store), ['a', 'b', 'c']);
    assert.equal(store.get('a')!.label, 'a');
  });

  it('puts a deleted measurement back in its place on undo', () => {
    const { store } = recordingStore();
    for (const id of ['a', 'b', 'c']) store.add(line(id, 1));
    store.remove('b');
    assert.deepEqual(ids(store), ['a', 'c']);
    store.undo();
    assert.deepEqual(ids(store), ['a', 'b', 'c']);
  });

  it('clears the editable measurements in one undo step and keeps locked ones', () => {
    const { store } = recordingStore();
    store.addLayer('first-reader', [line('f1', 3)], { locked: true });
    for (const id of ['a', 'b', 'c']) store.add(line(id, 1));
    store.add(line('kept', 2, { locked: true }));
    const removed = store.clear();
    assert.deepEqual(
      removed.map((m) => m.id),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(ids(store), ['f1', 'kept']);
    store.undo();
    assert.deepEqual(ids(store), ['f1', 'a', 'b', 'c', 'kept']);
    store.redo();
    assert.deepEqual(ids(store), ['f1', 'kept']);
  });

  it('ignores an edit that changes nothing: same measurement, no updatedAt, no undo step, no event', () => {
    const { store, changes } = recordingStore();
    const a = store.add(line('a', 10, { text: 'note', values: { meanHu: 40 } }));
    const points = a.points.map((p) => [p[0], p[1], p[2]] as Vec3);
    assert.equal(store.update('a', { points, values: { meanHu: 40 }, text: 'note' }, { merge: true }), a);
    assert.equal(store.update('a', { label: 'a' }), a);
    assert.equal(store.update('a', {}), a);
    assert.equal(store.get('a'), a);
    assert.equal(store.get('a')!.updatedAt, a.updatedAt);
    assert.deepEqual(summary(changes), ['edit:add:a']);
    // The one undo step is the add: undoing it empties the store.
    store.undo();
    assert.equal(store.size, 0);
    store.redo();
    // A real edit still counts: a new pixel value, then a new label.
    const brighter = store.update('a', { values: { meanHu: 41 } });
    assert.equal(brighter.values.meanHu, 41);
    assert.equal(brighter.values.lengthMm, 10);
    assert.ok(brighter.updatedAt > a.updatedAt);
    store.update('a', { label: 'renamed' });
    assert.deepEqual(summary(changes), ['edit:add:a', 'undo:remove:a', 'redo:add:a', 'edit:change:a', 'edit:change:a']);
  });

  it('merges the moves of a drag into one undo step', () => {
    const { store, changes } = recordingStore();
    store.add(line('a', 1));
    for (const x of [2, 3, 4]) {
      store.update(
        'a',
        {
          points: [
            [0, 0, 0],
            [x, 0, 0],
          ],
        },
        { merge: true },
      );
    }
    assert.equal(store.get('a')!.values.lengthMm, 4);
    assert.equal(changes.length, 4, 'every move is announced');
    store.undo();
    assert.equal(store.size, 0, 'one undo removes the measurement drawn by the drag');
    store.redo();
    assert.equal(store.get('a')!.values.lengthMm, 4);
    // After an undo, a merge does not reach into older steps.
    store.add(line('b', 1));
    store.update('b', { label: 'x' });
    store.undo();
    store.update('b', { label: 'y' }, { merge: true });
    store.undo();
    assert.equal(store.get('b')!.label, 'b');
  });

  it('groups a transaction into one undo step and rolls it back on error without telling anyone', () => {
    const { store, changes } = recordingStore();
    store.add(line('a', 1));
    store.transaction(() => {
      store.add(line('b', 1));
      store.remove('a');
    });
    assert.deepEqual(ids(store), ['b']);
    store.undo();
    assert.deepEqual(ids(store), ['a']);
    const before = changes.length;
    assert.throws(() =>
      store.transaction(() => {
        store.add(line('c', 1));
        store.update('a', { label: 'changed' });
        store.remove('missing');
      }),
    );
    assert.deepEqual(ids(store), ['a']);
    assert.equal(store.get('a')!.label, 'a');
    assert.equal(changes.length, before);
  });

  it('refuses edits to a locked layer and to locked measurements', () => {
    const { store, changes } = recordingStore();
    const first = [line('f1', 10, { readerId: 'reader-1' }), line('f2', 20, { readerId: 'reader-1' })];
    store.addLayer('first-reader', first, { locked: true });
    store.add(line('own', 5));
    assert.deepEqual(
      store.layers().map((l) => [l.name, l.locked]),
      [
        [DEFAULT_MEASUREMENT_LAYER, false],
        ['first-reader', true],
      ],
    );
    assert.equal(store.isLocked('f1'), true);
    assert.equal(store.isLocked('own'), false);
    assert.equal(store.layerOf('f2'), 'first-reader');
    assert.deepEqual(
      store.list({ layer: 'first-reader' }).map((m) => m.id),
      ['f1', 'f2'],
    );
    const heard = changes.length;
    const isLocked = (e: unknown) => e instanceof MeasurementError && e.code === 'locked';
    assert.throws(() => store.update('f1', { label: 'mine now' }), isLocked);
    assert.throws(() => store.update('f1', { locked: false }), isLocked, 'a layer lock is not lifted per measurement');
    assert.throws(() => store.remove('f2'), isLocked);
    assert.throws(() => store.add(line('sneak', 1), { layer: 'first-reader' }), isLocked);
    assert.equal(changes.length, heard);
    assert.deepEqual(store.list({ layer: 'first-reader' }), first);

    // A measurement flagged locked in an editable layer: no edits, but it can be unlocked.
    store.update('own', { locked: true });
    assert.throws(() => store.update('own', { label: 'x' }), isLocked);
    assert.throws(() => store.remove('own'), isLocked);
    store.update('own', { locked: false });
    store.remove('own');

    // Locking a layer clears the history (older steps could touch it).
    store.add(line('late', 1));
    store.setLayerLocked(DEFAULT_MEASUREMENT_LAYER, true);
    assert.equal(store.canUndo, false);
    assert.throws(() => store.remove('late'), isLocked);
    store.setLayerLocked(DEFAULT_MEASUREMENT_LAYER, false);
    store.removeLayer('first-reader');
    assert.deepEqual(ids(store), ['late']);
  });

  it('loads a set atomically: an invalid measurement changes nothing', () => {
    const { store, changes } = recordingStore();
    store.add(line('a', 1));
    const good = [line('x', 1), line('y', 2)];
    const broken = [good[0]!, { ...good[1]!, points: [[0, 0, 0]] } as unknown as Measurement];
    assert.throws(
      () => store.load(broken),
      (e: unknown) => e instanceof MeasurementSchemaError && e.path === '[1].points',
    );
    assert.deepEqual(ids(store), ['a']);
    assert.equal(store.canUndo, true);
    store.load(good);
    assert.deepEqual(ids(store), ['x', 'y']);
    assert.equal(store.canUndo, false, 'a loaded set starts a fresh history');
    assert.deepEqual(summary(changes.slice(1)), ['load:remove:a', 'load:add:x', 'load:add:y']);
    assert.throws(
      () => store.addLayer('other', [line('x', 3)]),
      (e: unknown) => e instanceof MeasurementError && e.code === 'duplicate-id',
    );
    assert.throws(
      () => store.addLayer(DEFAULT_MEASUREMENT_LAYER),
      (e: unknown) => e instanceof MeasurementError && e.code === 'duplicate-layer',
    );
  });

  it('stops telling a listener after it unsubscribes', () => {
    const store = new MeasurementStore();
    const heard: string[] = [];
    const stop = store.subscribe((c) => heard.push(c.type));
    store.add(line('a', 1));
    stop();
    store.remove('a');
    assert.deepEqual(heard, ['add']);
  });
});

// ---- the JSON schema ----------------------------------------------------------------------

const SAMPLE_POINTS: Record<MeasurementKind, Vec3[]> = {
  length: [
    [0, 0, 0],
    [10, 0, 0],
  ],
  angle: [
    [10, 0, 0],
    [0, 0, 0],
    [0, 10, 0],
  ],
  'cobb-angle': [
    [0, 0, 0],
    [10, 1, 0],
    [0, 20, 0],
    [10, 25, 0],
  ],
  bidirectional: [
    [0, 0, 0],
    [30, 0, 0],
    [15, -9, 0],
    [15, 9, 0],
  ],
  'ellipse-roi': [
    [-10, 0, 0],
    [10, 0, 0],
    [0, -5, 0],
    [0, 5, 0],
  ],
  'rectangle-roi': [
    [0, 0, 0],
    [10, 20, 0],
  ],
  'freehand-roi': [
    [0, 0, 0],
    [10, 0, 0],
    [10, 10, 0],
    [0.1234567890123, 10.987654321, -0.000001],
  ],
  probe: [[1.5, -2.25, 3.125]],
  arrow: [
    [0, 0, 0],
    [5, 5, 0],
  ],
  label: [[7, 8, 9]],
};

function sampleSet(): Measurement[] {
  return MEASUREMENT_KINDS.map((kind, index) =>
    createMeasurement(
      {
        ...REFERENCE,
        kind,
        points: SAMPLE_POINTS[kind],
        label: `${kind} ${index} — ünïcödé "quoted"`,
        ...(kind === 'arrow' || kind === 'label' ? { text: 'see here' } : {}),
        ...(index % 2 ? { locked: true } : {}),
        ...(index % 3 ? { imageOrientationPatient: [1, 0, 0, 0, 1, 0] as Orientation } : {}),
        values:
          kind === 'probe'
            ? { hu: -850 }
            : kind.endsWith('-roi')
              ? { meanHu: 60.123456789, stdHu: 1.5, minHu: 55, maxHu: 65, pixelCount: 1234 }
              : {},
      },
      { now: tick() },
    ),
  );
}

describe('measurement schema', () => {
  it('round-trips every kind losslessly, as an object and through JSON text', () => {
    const set = sampleSet();
    const document = serializeMeasurements(set);
    assert.equal(document.schema, 'secondread/measurements');
    assert.equal(document.version, MEASUREMENT_SCHEMA_VERSION);
    assert.equal(MEASUREMENT_SCHEMA_VERSION, '1.0');
    assert.deepEqual(parseMeasurements(document), set);
    const text = JSON.stringify(document);
    assert.deepEqual(parseMeasurements(JSON.parse(text)), set);
    assert.deepEqual(parseMeasurements(text), set);
    assert.deepEqual(parseMeasurements(serializeMeasurements([])), []);
    // A measurement loaded from JSON shows the same numbers as when it was drawn.
    const store = new MeasurementStore();
    store.load(parseMeasurements(text));
    assert.deepEqual(
      store.list().map((m) => m.values),
      set.map((m) => m.values),
    );
  });

  const invalid: [string, (doc: Record<string, unknown>, first: Record<string, unknown>) => void, string][] = [
    ['a wrong kind', (_, m) => (m.kind = 'circle'), 'measurements[2].kind'],
    ['a NaN coordinate', (_, m) => ((m.points as number[][])[1]![2] = Number.NaN), 'measurements[2].points[1]'],
    ['a point of two numbers', (_, m) => ((m.points as number[][])[1] = [1, 2]), 'measurements[2].points[1]'],
    ['a point that is a string', (_, m) => ((m.points as unknown[])[0] = '1,2,3'), 'measurements[2].points[0]'],
    ['a missing field', (_, m) => delete m.studyUid, 'measurements[2].studyUid'],
    ['a missing kind', (_, m) => delete m.kind, 'measurements[2].kind'],
    ['a missing values object', (_, m) => delete m.values, 'measurements[2].values'],
    ['a UID that is a number', (_, m) => (m.seriesUid = 1.2), 'measurements[2].seriesUid'],
    ['a wrong point count', (_, m) => (m.points as unknown[]).pop(), 'measurements[2].points'],
    ['a string value', (_, m) => (m.values = { angleDeg: '90' }), 'measurements[2].values.angleDeg'],
    ['an unknown value', (_, m) => (m.values = { volumeMl: 3 }), 'measurements[2].values.volumeMl'],
    ['a negative length', (_, m) => (m.values = { lengthMm: -1 }), 'measurements[2].values.lengthMm'],
    ['an infinite HU', (_, m) => (m.values = { meanHu: Infinity }), 'measurements[2].values.meanHu'],
    ['a bad timestamp', (_, m) => (m.updatedAt = 'yesterday'), 'measurements[2].updatedAt'],
    ['an unknown field', (_, m) => (m.colour = 'red'), 'measurements[2].colour'],
    ['a non-boolean lock', (_, m) => (m.locked = 'yes'), 'measurements[2].locked'],
    [
      'a short orientation',
      (_, m) => (m.imageOrientationPatient = [1, 0, 0]),
      'measurements[2].imageOrientationPatient',
    ],
    ['an empty id', (_, m) => (m.id = ''), 'measurements[2].id'],
    ['a duplicate id', (doc, m) => (m.id = (doc.measurements as Measurement[])[0]!.id), 'measurements[2].id'],
    ['a measurement that is null', (doc) => ((doc.measurements as unknown[])[2] = null), 'measurements[2]'],
    ['a wrong version', (doc) => (doc.version = '2.0'), 'version'],
    ['a missing version', (doc) => delete doc.version, 'version'],
    ['a wrong schema', (doc) => (doc.schema = 'other/thing'), 'schema'],
    ['measurements that are not a list', (doc) => (doc.measurements = {}), 'measurements'],
  ];

  for (const [what, spoil, path] of invalid) {
    it(`refuses ${what} with the path ${path}`, () => {
      const document = JSON.parse(JSON.stringify(serializeMeasurements(sampleSet()))) as Record<string, unknown>;
      spoil(document, (document.measurements as Record<string, unknown>[])[2]!);
      assert.throws(
        () => parseMeasurements(document),
        (error: unknown) => {
          assert.ok(error instanceof MeasurementSchemaError, String(error));
          assert.equal(error.code, 'invalid-schema');
          assert.equal(error.path, path, error.message);
          assert.ok(error.message.startsWith(path), error.message);
          return true;
        },
      );
    });
  }

  it('refuses what is not a document at all', () => {
    for (const value of [null, 42, [], 'not json {']) {
      assert.throws(
        () => parseMeasurements(value),
        (e: unknown) => e instanceof MeasurementSchemaError && e.path === '',
      );
    }
  });

  it('reads the example of the schema document, whose numbers are those the model measures', () => {
    const markdown = readFileSync(new URL('../docs/measurement-schema.md', import.meta.url), 'utf8');
    const blocks = [...markdown.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]!);
    const example = parseMeasurements(blocks[blocks.length - 1]!);
    assert.deepEqual(
      example.map((m) => m.kind),
      ['length', 'ellipse-roi', 'arrow'],
    );
    for (const m of example) {
      assert.deepEqual(
        { ...m.values, ...computeGeometry(m.kind, m.points, m.imageOrientationPatient) },
        m.values,
        `${m.kind}: geometric values`,
      );
    }
    const ellipse = example[1]!;
    assert.equal(ellipse.sopInstanceUid, liverSlice.sopInstanceUid);
    assert.deepEqual(measurementPixelValues(ellipse.kind, ellipse.points, liverSlice), {
      pixelCount: ellipse.values.pixelCount,
      areaMm2: ellipse.values.areaMm2,
      meanHu: ellipse.values.meanHu,
      stdHu: ellipse.values.stdHu,
      minHu: ellipse.values.minHu,
      maxHu: ellipse.values.maxHu,
    });
    assert.deepEqual(parseMeasurements(serializeMeasurements(example)), example);
  });

  it('will not write what it could not read back', () => {
    const bad = { ...sampleSet()[0]!, points: [[0, 0, Number.NaN]] } as unknown as Measurement;
    assert.throws(
      () => serializeMeasurements([sampleSet()[1]!, bad]),
      (e: unknown) => e instanceof MeasurementSchemaError && e.path === 'measurements[1].points',
    );
  });
});
