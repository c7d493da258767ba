/**
 * Phantom tests. Run with `pnpm exec tsx --test packages/phantom/test/*.test.ts`.
 *
 * Files are parsed back with dicom-parser (an implementation independent of dcmjs, which wrote
 * them), so these tests check the bytes, not the generator's own view of them.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import dicomParser from 'dicom-parser';
import {
  CT_IMAGE_STORAGE,
  PHANTOM_PATIENT,
  generatePhantomStudy,
  phantomHuAt,
  writePhantom,
  type PhantomStudy,
  type PhantomTruth,
} from '../src/index.ts';

/** Narrows away `undefined` (noUncheckedIndexedAccess) with an assertion. */
function must<T>(value: T | undefined, what = 'value'): T {
  assert.ok(value !== undefined, `${what} is defined`);
  return value;
}

interface ParsedSlice {
  name: string;
  dataSet: dicomParser.DataSet;
  z: number;
  instanceNumber: number;
  /** Stored values (HU + 1024). */
  pixels: Int16Array;
}

function parse(study: PhantomStudy): ParsedSlice[] {
  return study.files
    .map(({ name, bytes }) => {
      const dataSet = dicomParser.parseDicom(bytes);
      const ipp = (dataSet.string('x00200032') ?? '').split('\\').map(Number);
      const element = dataSet.elements.x7fe00010;
      assert.ok(element, `${name} has pixel data`);
      const pixels = new Int16Array(
        bytes.buffer.slice(
          bytes.byteOffset + element.dataOffset,
          bytes.byteOffset + element.dataOffset + element.length,
        ),
      );
      return { name, dataSet, z: must(ipp[2], 'z'), instanceNumber: dataSet.intString('x00200013') ?? -1, pixels };
    })
    .sort((a, b) => a.z - b.z);
}

/** Stored value at continuous pixel coordinates rounded down (a voxel whose centre is nearby). */
function at(slice: ParsedSlice, truth: PhantomTruth, column: number, row: number): number {
  return must(slice.pixels[Math.floor(row) * truth.columns + Math.floor(column)]);
}

/** HU at a patient position (x, y) on a slice, via the truth's geometry. */
function huAtMm(slice: ParsedSlice, truth: PhantomTruth, x: number, y: number): number {
  const [x0, y0] = truth.firstImagePositionPatient;
  const column = Math.round((x - x0) / truth.pixelSpacingMm[1]);
  const row = Math.round((y - y0) / truth.pixelSpacingMm[0]);
  return must(slice.pixels[row * truth.columns + column]) + truth.rescaleIntercept;
}

/** Length (pixels) of the run of voxels equal to `value` through (column, row) along x or y. */
function runLength(
  slice: ParsedSlice,
  truth: PhantomTruth,
  column: number,
  row: number,
  axis: 'x' | 'y',
  value: number,
): number {
  const c = Math.floor(column);
  const r = Math.floor(row);
  const get = (i: number): number =>
    must(axis === 'x' ? slice.pixels[r * truth.columns + i] : slice.pixels[i * truth.columns + c]);
  const start = axis === 'x' ? c : r;
  assert.equal(get(start), value, 'run starts inside the structure');
  let lo = start;
  let hi = start;
  while (get(lo - 1) === value) lo--;
  while (get(hi + 1) === value) hi++;
  return hi - lo + 1;
}

const baseline = generatePhantomStudy();
const followup = generatePhantomStudy({ variant: 'followup' });
const baselineSlices = parse(baseline);
const followupSlices = parse(followup);

describe('phantom DICOM files', () => {
  it('writes 60 CT slices with valid, unique, deterministic UIDs', () => {
    assert.equal(baseline.files.length, 60);
    const uidPattern = /^2\.25\.[1-9][0-9]*$/;
    const sopUids = new Set<string>();
    for (const { dataSet } of baselineSlices) {
      assert.equal(dataSet.string('x00080016'), CT_IMAGE_STORAGE);
      assert.equal(dataSet.string('x00020010'), '1.2.840.10008.1.2.1');
      for (const tag of ['x00080018', 'x0020000d', 'x0020000e', 'x00200052']) {
        const uid = dataSet.string(tag) ?? '';
        assert.match(uid, uidPattern, tag);
        assert.ok(uid.length <= 64, `${tag} length`);
      }
      assert.equal(dataSet.string('x00020003'), dataSet.string('x00080018'));
      sopUids.add(dataSet.string('x00080018') ?? '');
    }
    assert.equal(sopUids.size, 60);
    assert.equal(must(baselineSlices[0]).dataSet.string('x0020000d'), baseline.truth.studyInstanceUid);
  });

  it('is byte-for-byte deterministic', () => {
    const again = generatePhantomStudy();
    assert.deepEqual(again.truth, baseline.truth);
    assert.deepEqual(
      again.files.map((file) => file.name),
      baseline.files.map((file) => file.name),
    );
    for (let i = 0; i < again.files.length; i++) {
      assert.ok(
        Buffer.from(must(again.files[i]).bytes).equals(Buffer.from(must(baseline.files[i]).bytes)),
        must(again.files[i]).name,
      );
    }
  });

  it('names files in shuffled order while InstanceNumber and geometry stay consistent', () => {
    const byName = baseline.files.map((file) => file.name);
    assert.deepEqual(byName, [...byName].sort());
    const instanceNumbersInNameOrder = parse(baseline)
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((slice) => slice.instanceNumber);
    assert.notDeepEqual(
      instanceNumbersInNameOrder,
      [...instanceNumbersInNameOrder].sort((a, b) => a - b),
    );
    baselineSlices.forEach((slice, index) => {
      assert.equal(slice.instanceNumber, index + 1);
      assert.equal(slice.z, -75 + 2.5 * index);
      assert.equal(slice.name, must(baseline.truth.instances[index]).fileName);
    });
  });

  it('writes full CT geometry and pixel description', () => {
    const { dataSet } = must(baselineSlices[10]);
    assert.equal(dataSet.string('x00200037'), '1\\0\\0\\0\\1\\0');
    assert.equal(dataSet.string('x00280030'), '1\\1');
    assert.equal(dataSet.floatString('x00180050'), 2.5);
    assert.equal(dataSet.floatString('x00180088'), 2.5);
    assert.equal(dataSet.uint16('x00280010'), 256);
    assert.equal(dataSet.uint16('x00280011'), 256);
    assert.equal(dataSet.uint16('x00280100'), 16);
    assert.equal(dataSet.uint16('x00280103'), 1);
    assert.equal(dataSet.floatString('x00281052'), -1024);
    assert.equal(dataSet.floatString('x00281053'), 1);
    assert.equal(dataSet.floatString('x00281050'), 40);
    assert.equal(dataSet.floatString('x00281051'), 400);
    assert.equal(dataSet.string('x00080060'), 'CT');
    assert.equal(dataSet.string('x00081030'), 'SecondRead phantom');
    assert.equal(dataSet.string('x00100010'), PHANTOM_PATIENT.name);
    assert.equal(dataSet.string('x00100020'), 'SR-PHANTOM-0001');
    assert.equal(dataSet.string('x00200052'), baseline.truth.frameOfReferenceUid);
  });
});

describe('phantom content', () => {
  const truth = baseline.truth;

  it('stores HU + 1024 at the nodule centres', () => {
    for (const nodule of truth.nodules) {
      const slice = must(baselineSlices[nodule.sliceIndex]);
      assert.equal(slice.z, nodule.centerMm[2]);
      assert.equal(at(slice, truth, nodule.pixel.column, nodule.pixel.row), nodule.hu + 1024, nodule.id);
    }
    assert.deepEqual(must(truth.nodules[0]).centerMm, [-55, -10, 20]);
    assert.equal(must(truth.nodules[0]).hu, 60);
    assert.equal(must(truth.nodules[0]).sliceIndex, 38);
    assert.deepEqual(must(truth.nodules[0]).pixel, { column: 72.5, row: 117.5 });
  });

  it('has the stated nodule diameters along rows and columns', () => {
    for (const [study, slices] of [
      [baseline, baselineSlices],
      [followup, followupSlices],
    ] as const) {
      for (const nodule of study.truth.nodules) {
        const slice = must(slices[nodule.sliceIndex]);
        const stored = nodule.hu + 1024;
        const { column, row } = nodule.pixel;
        const spacing = study.truth.pixelSpacingMm[0];
        assert.equal(
          runLength(slice, study.truth, column, row, 'x', stored) * spacing,
          nodule.diameterMm,
          `${study.truth.variant} ${nodule.id} x`,
        );
        assert.equal(
          runLength(slice, study.truth, column, row, 'y', stored) * spacing,
          nodule.diameterMm,
          `${study.truth.variant} ${nodule.id} y`,
        );
      }
    }
    assert.equal(must(baseline.truth.nodules[0]).diameterMm, 12);
    assert.equal(must(followup.truth.nodules[0]).diameterMm, 16);
    assert.equal(must(followup.truth.nodules[0]).baselineDiameterMm, 12);
    assert.equal(must(baseline.truth.nodules[1]).diameterMm, 6);
    assert.equal(must(followup.truth.nodules[1]).diameterMm, 6);
  });

  it('extends nodules over the expected slices', () => {
    // Only above the diaphragm: below it the same column runs through the 60 HU uniform region.
    const count = (slices: ParsedSlice[], t: PhantomTruth): number =>
      slices
        .filter((slice) => slice.z >= t.regions.diaphragmZMm)
        .filter((slice) => at(slice, t, must(t.nodules[0]).pixel.column, must(t.nodules[0]).pixel.row) === 60 + 1024)
        .length;
    // r = 6 mm: slices at dz = 0, ±2.5, ±5; r = 8 mm: also ±7.5.
    assert.equal(count(baselineSlices, baseline.truth), 5);
    assert.equal(count(followupSlices, followup.truth), 7);
    assert.deepEqual(must(baseline.truth.nodules[0]).sliceIndexRange, [36, 40]);
    assert.deepEqual(must(followup.truth.nodules[0]).sliceIndexRange, [35, 41]);
  });

  it('has air, fat, soft tissue, lung and bone where the truth says', () => {
    const slice = must(baselineSlices[30]); // z = 0: lungs present
    assert.equal(must(slice.pixels[0]) - 1024, truth.regions.airHu);
    assert.equal(huAtMm(slice, truth, -127.5, -127.5), -1000);
    assert.equal(huAtMm(slice, truth, -55.5, 30.5), truth.regions.lungHu);
    assert.equal(huAtMm(slice, truth, 55.5, -40.5), -850);
    assert.equal(huAtMm(slice, truth, 0.5, -30.5), truth.regions.softTissueHu);
    assert.equal(huAtMm(slice, truth, 0.5, -86.5), truth.regions.fatHu);
    assert.equal(huAtMm(slice, truth, 0.5, 60.5), truth.regions.boneHu);
    assert.deepEqual(
      [
        truth.regions.airHu,
        truth.regions.fatHu,
        truth.regions.softTissueHu,
        truth.regions.lungHu,
        truth.regions.boneHu,
      ],
      [-1000, -100, 40, -850, 700],
    );
  });

  it('has a uniform 60 HU region below the diaphragm for ROI statistics', () => {
    const uniform = truth.regions.uniform;
    assert.deepEqual(uniform.sliceIndexRange, [0, 17]);
    assert.deepEqual(uniform.zRangeMm, [-75, -32.5]);
    const roi = uniform.suggestedRoi;
    const slice = must(baselineSlices[roi.sliceIndex]);
    const [x0, y0] = truth.firstImagePositionPatient;
    const values: number[] = [];
    for (let row = 0; row < truth.rows; row++) {
      for (let column = 0; column < truth.columns; column++) {
        const dx = (x0 + column - roi.centerMm[0]) / roi.radiiMm[0];
        const dy = (y0 + row - roi.centerMm[1]) / roi.radiiMm[1];
        if (dx * dx + dy * dy < 1) values.push(must(slice.pixels[row * truth.columns + column]) - 1024);
      }
    }
    assert.ok(values.length > 2000, `ROI has ${values.length} pixels`);
    assert.ok(values.every((hu) => hu === 60));
    // Above the diaphragm the same place is lung.
    assert.equal(huAtMm(must(baselineSlices[18]), truth, -55.5, 0.5), -850);
    assert.equal(huAtMm(must(baselineSlices[17]), truth, -55.5, 0.5), 60);
  });

  it('matches phantomHuAt at every voxel of a slice', () => {
    const k = must(truth.nodules[0]).sliceIndex;
    const slice = must(baselineSlices[k]);
    const [x0, y0, z0] = truth.firstImagePositionPatient;
    for (let row = 0; row < truth.rows; row += 3) {
      for (let column = 0; column < truth.columns; column += 3) {
        const expected = phantomHuAt(x0 + column, y0 + row, z0 + 2.5 * k) + 1024;
        assert.equal(slice.pixels[row * truth.columns + column], expected);
      }
    }
  });
});

describe('follow-up study', () => {
  it('is another study of the same patient with the same geometry', () => {
    const a = baseline.truth;
    const b = followup.truth;
    assert.notEqual(a.studyInstanceUid, b.studyInstanceUid);
    assert.notEqual(a.seriesInstanceUid, b.seriesInstanceUid);
    assert.deepEqual(a.patient, b.patient);
    assert.deepEqual(
      [a.rows, a.columns, a.sliceCount, a.pixelSpacingMm, a.sliceSpacingMm, a.firstImagePositionPatient],
      [b.rows, b.columns, b.sliceCount, b.pixelSpacingMm, b.sliceSpacingMm, b.firstImagePositionPatient],
    );
    assert.ok(a.studyDate < b.studyDate);
    assert.equal(must(followupSlices[0]).dataSet.string('x00100020'), 'SR-PHANTOM-0001');
    const sopA = new Set(a.instances.map((instance) => instance.sopInstanceUid));
    assert.ok(b.instances.every((instance) => !sopA.has(instance.sopInstanceUid)));
  });
});

describe('options', () => {
  it('adds deterministic zero-mean noise only when asked', () => {
    const noisy = generatePhantomStudy({ noiseStdHu: 10, sliceCount: 20 });
    const again = generatePhantomStudy({ noiseStdHu: 10, sliceCount: 20 });
    assert.ok(Buffer.from(must(noisy.files[0]).bytes).equals(Buffer.from(must(again.files[0]).bytes)));
    assert.notEqual(noisy.truth.studyInstanceUid, baseline.truth.studyInstanceUid);
    const slice = must(parse(noisy)[8]); // inside the uniform region
    const roi = noisy.truth.regions.uniform.suggestedRoi;
    const [x0, y0] = noisy.truth.firstImagePositionPatient;
    let sum = 0;
    let sumSq = 0;
    let n = 0;
    for (let row = 0; row < 256; row++) {
      for (let column = 0; column < 256; column++) {
        const dx = (x0 + column - roi.centerMm[0]) / roi.radiiMm[0];
        const dy = (y0 + row - roi.centerMm[1]) / roi.radiiMm[1];
        if (dx * dx + dy * dy < 1) {
          const hu = must(slice.pixels[row * 256 + column]) - 1024;
          sum += hu;
          sumSq += hu * hu;
          n++;
        }
      }
    }
    const mean = sum / n;
    const std = Math.sqrt(sumSq / n - mean * mean);
    assert.ok(Math.abs(mean - 60) < 1, `mean ${mean}`);
    assert.ok(Math.abs(std - 10) < 1, `std ${std}`);
  });

  it('shifts the patient when asked, deterministically, with the truth following', () => {
    const zero = generatePhantomStudy({ variant: 'followup', patientShiftMm: [0, 0, 0] });
    assert.ok(
      zero.files.every((file, i) => Buffer.from(file.bytes).equals(Buffer.from(must(followup.files[i]).bytes))),
    );
    assert.equal(zero.truth.patientShiftMm, undefined);
    const shift: [number, number, number] = [4, -6, 21.3];
    const moved = generatePhantomStudy({ variant: 'followup', patientShiftMm: shift });
    const again = generatePhantomStudy({ variant: 'followup', patientShiftMm: shift });
    assert.ok(Buffer.from(must(moved.files[5]).bytes).equals(Buffer.from(must(again.files[5]).bytes)));
    assert.deepEqual(moved.truth.patientShiftMm, shift);
    assert.notEqual(moved.truth.studyInstanceUid, followup.truth.studyInstanceUid);
    assert.notEqual(moved.truth.frameOfReferenceUid, followup.truth.frameOfReferenceUid);
    const n1 = must(moved.truth.nodules[0]);
    const unshifted = must(followup.truth.nodules[0]);
    assert.deepEqual(n1.centerMm, [-51, -16, 41.3]);
    assert.equal(n1.diameterMm, 16);
    // z 41.3 lies between the slices at z = 40 (46) and z = 42.5 (47): the nearest is 47.
    assert.equal(n1.sliceIndex, 47);
    const slices = parse(moved);
    const slice = must(slices[n1.sliceIndex]);
    assert.equal(huAtMm(slice, moved.truth, n1.centerMm[0], n1.centerMm[1]), n1.hu);
    // Where N1 was before the shift, there is lung now.
    assert.equal(
      huAtMm(must(slices[unshifted.sliceIndex]), moved.truth, unshifted.centerMm[0], unshifted.centerMm[1]),
      -850,
    );
    assert.deepEqual(moved.truth.regions.uniform.centerMm, [-36, -6]);
    assert.throws(() => generatePhantomStudy({ patientShiftMm: [0, Number.NaN, 0] }), RangeError);
  });

  it('rejects invalid options', () => {
    assert.throws(() => generatePhantomStudy({ rows: 0 }), RangeError);
    assert.throws(() => generatePhantomStudy({ pixelSpacingMm: -1 }), RangeError);
  });
});

describe('writePhantom', () => {
  it('writes both studies with truth and skips an up-to-date output', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'phantom-test-'));
    try {
      const first = await writePhantom(dir, { sliceCount: 8 });
      assert.equal(first.generated, true);
      const names = await readdir(join(dir, 'baseline'));
      assert.equal(names.filter((name) => name.endsWith('.dcm')).length, 8);
      assert.ok(names.includes('truth.json'));
      assert.equal((await readdir(join(dir, 'followup'))).length, 9);
      const second = await writePhantom(dir, { sliceCount: 8 });
      assert.equal(second.generated, false);
      assert.deepEqual(second.followup.truth, first.followup.truth);
      assert.deepEqual(second.baseline.files, first.baseline.files);
      assert.equal((await writePhantom(dir, { sliceCount: 8, force: true })).generated, true);
      assert.equal((await writePhantom(dir, { sliceCount: 9 })).generated, true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
