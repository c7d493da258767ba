/**
 * DICOM SEG as a reading layer, on the real LIDC-IDRI-0001 nodule SEG (checked against the CT it
 * segments) and on a third-party dcmqi SEG. Run with
 * `node --import tsx --test packages/core/test/segmentation.test.ts`.
 *
 * The real data is read from the shared data folder. When that folder exists the files must be
 * there (a missing file fails); on a machine without it, the data tests are skipped and only the
 * synthetic outline and error tests run.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { ViewerError } from '../src/errors.ts';
import { patientToPixel } from '../src/geometry.ts';
import { instanceFromDataSet, type InstanceInfo } from '../src/instance.ts';
import { roiStatistics } from '../src/measurements/statistics.ts';
import {
  SegmentationError,
  categoryForSegment,
  parseSegmentation,
  segmentationToReading,
  traceLargestOutline,
  type SegmentationData,
} from '../src/reading/segmentation.ts';
import { parseReading } from '../src/reading/schema.ts';
import { slicePixelsOf } from './fixtures/slice-pixels.ts';
import type { Reading } from '../src/reading/types.ts';
import { lidcCtFiles, lidcSegFile, phantomDir, sharedDataDir } from '../../../test/support/paths.ts';
import { writePhantom, type WrittenPhantomStudy } from '@secondread/phantom';
import { buildSegmentation, phantomNoduleSegmentation } from '@secondread/phantom/segmentation';

const LIDC_STUDY_UID = '1.3.6.1.4.1.14519.5.2.1.6279.6001.298806137288633453246975630178';
const LIDC_SERIES_UID = '1.3.6.1.4.1.14519.5.2.1.6279.6001.179049373636438705059720603192';
const shared = sharedDataDir();
const noData = shared ? false : 'no shared data folder on this machine';

function arrayBuffer(file: string): ArrayBuffer {
  const bytes = readFileSync(file);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function throwsSegmentationError(run: () => unknown, reason: SegmentationError['reason']): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof SegmentationError, `expected a SegmentationError, got ${String(error)}`);
    assert.ok(error instanceof ViewerError);
    assert.equal(error.reason, reason, error.message);
    assert.ok(error.message.length > 10);
    return true;
  });
}

interface CtSlice {
  readonly info: InstanceInfo;
  readonly dataSet: dicomParser.DataSet;
}

describe('parseSegmentation and segmentationToReading on LIDC-IDRI-0001', { skip: noData }, () => {
  let seg: SegmentationData;
  let reading: Reading;
  let ct: Map<string, CtSlice>;

  before(() => {
    const segFile = lidcSegFile();
    const ctFiles = lidcCtFiles();
    assert.ok(segFile, `${shared}/lidc-idri-0001/seg/nodule_01_annotation_0.dcm is missing`);
    assert.ok(ctFiles && ctFiles.length === 133, `${shared}/lidc-idri-0001/ct/ must hold the 133 CT slices`);
    seg = parseSegmentation(arrayBuffer(segFile));
    reading = segmentationToReading(seg, { role: 'first', reader: { name: 'LIDC reader 1', id: 'lidc-reader-1' } });
    ct = new Map();
    for (const file of ctFiles) {
      const dataSet = dicomParser.parseDicom(new Uint8Array(readFileSync(file)));
      const info = instanceFromDataSet(dataSet);
      ct.set(info.sopInstanceUid, { info, dataSet });
    }
  });

  it('reads the SEG: 9 BINARY frames of one nodule segment on the CT grid', () => {
    assert.equal(seg.frames.length, 9);
    assert.equal(seg.segmentationType, 'BINARY');
    assert.equal(seg.rows, 512);
    assert.equal(seg.columns, 512);
    assert.equal(seg.studyUid, LIDC_STUDY_UID);
    assert.equal(seg.referencedSeriesUid, LIDC_SERIES_UID);
    assert.equal(seg.sliceSpacingMm, 2.5);
    assert.equal(seg.segments.length, 1);
    const segment = seg.segments[0]!;
    assert.equal(segment.segmentNumber, 1);
    assert.equal(segment.label, 'Nodule 1 - Annotation 0');
    assert.deepEqual(segment.type, { value: 'M-03010', scheme: 'SRT', meaning: 'Nodule' });
    assert.equal(categoryForSegment(segment), 'nodule');
    for (const frame of seg.frames) {
      assert.equal(frame.segmentNumber, 1);
      assert.deepEqual(frame.pixelSpacingMm, [0.703125, 0.703125]);
      assert.ok(frame.pixelCount > 0, `frame ${frame.frameNumber} is empty`);
    }
  });

  it('references instances 39–47 of the CT series, one frame each, on their planes', () => {
    const referenced = seg.frames.map((f) => f.referencedSopInstanceUid!);
    for (const uid of referenced) assert.ok(ct.has(uid), `${uid} is not a CT SOP Instance UID`);
    assert.deepEqual(
      referenced.map((uid) => ct.get(uid)!.info.instanceNumber).sort((a, b) => a! - b!),
      [39, 40, 41, 42, 43, 44, 45, 46, 47],
    );
    for (const frame of seg.frames) {
      const slice = ct.get(frame.referencedSopInstanceUid!)!.info;
      assert.equal(slice.seriesUid, LIDC_SERIES_UID);
      for (let axis = 0; axis < 3; axis++) {
        assert.ok(Math.abs(frame.imagePositionPatient[axis]! - slice.imagePositionPatient![axis]!) < 1e-3);
      }
    }
  });

  it('makes one nodule finding with one locked freehand ROI per frame, on the referenced image', () => {
    assert.equal(reading.role, 'first');
    assert.equal(reading.studyUid, LIDC_STUDY_UID);
    assert.equal(reading.createdAt, '2019-03-22T15:47:59Z');
    assert.deepEqual(reading.source, {
      kind: 'seg',
      studyUid: LIDC_STUDY_UID,
      seriesUid: seg.seriesUid,
      sopInstanceUid: seg.sopInstanceUid,
    });
    assert.equal(reading.findings.length, 1);
    const finding = reading.findings[0]!;
    assert.equal(finding.category, 'nodule');
    assert.equal(finding.description, 'Nodule 1 - Annotation 0');
    assert.equal(finding.location.segment?.segmentNumber, 1);
    assert.equal(finding.location.segment?.sopInstanceUid, seg.sopInstanceUid);
    const measurements = finding.location.measurements;
    assert.equal(measurements.length, 9);
    assert.deepEqual(
      measurements.map((m) => m.sopInstanceUid),
      seg.frames.map((f) => f.referencedSopInstanceUid),
    );
    for (const m of measurements) {
      assert.equal(m.kind, 'freehand-roi');
      assert.ok(m.points.length >= 3);
      assert.equal(m.locked, true);
      assert.equal(m.readerId, 'lidc-reader-1');
      assert.equal(m.createdAt, '2019-03-22T15:47:59Z');
      assert.equal(m.seriesUid, LIDC_SERIES_UID);
      assert.equal(m.studyUid, LIDC_STUDY_UID);
      assert.equal(m.frameOfReferenceUid, ct.get(m.sopInstanceUid)!.info.frameOfReferenceUid);
    }
    // JSON as it is: a round trip gives an equal reading, valid under the reading schema.
    assert.deepEqual(JSON.parse(JSON.stringify(reading)), reading);
    assert.deepEqual(parseReading(JSON.parse(JSON.stringify(reading))), reading);
  });

  it('outlines each frame so that the polygon area is the mask pixel count × pixel area', () => {
    const measurements = reading.findings[0]!.location.measurements;
    seg.frames.forEach((frame, i) => {
      const pixelAreaMm2 = frame.pixelSpacingMm[0] * frame.pixelSpacingMm[1];
      const expected = frame.pixelCount * pixelAreaMm2;
      const area = measurements[i]!.values.areaMm2!;
      assert.ok(
        Math.abs(area - expected) / expected < 0.01,
        `frame ${frame.frameNumber}: ${area} mm² vs ${expected} mm²`,
      );
    });
  });

  it('puts every outline vertex inside its CT image, on its plane', () => {
    for (const m of reading.findings[0]!.location.measurements) {
      const slice = ct.get(m.sopInstanceUid)!.info;
      for (const point of m.points) {
        const pixel = patientToPixel(
          slice.imagePositionPatient!,
          slice.imageOrientationPatient!,
          slice.pixelSpacingMm!,
          point,
        );
        assert.ok(pixel.column >= -0.5 && pixel.column <= slice.columns - 0.5, `column ${pixel.column}`);
        assert.ok(pixel.row >= -0.5 && pixel.row <= slice.rows - 0.5, `row ${pixel.row}`);
        assert.ok(Math.abs(pixel.distanceFromPlaneMm) < 1e-3, `off the plane by ${pixel.distanceFromPlaneMm} mm`);
      }
    }
  });

  it('outlines soft tissue in the lung: the nodule reads as a nodule on the CT', () => {
    // The bit order of the packed frames decides where the mask lands: a wrong order outlines lung
    // (about −800 HU). The nodule is soft tissue (about 0 HU), partial-volumed at its top and bottom.
    let weightedHu = 0;
    let pixelTotal = 0;
    const meanHuByInstance = new Map<number, number>();
    for (const m of reading.findings[0]!.location.measurements) {
      const { info, dataSet } = ct.get(m.sopInstanceUid)!;
      const stats = roiStatistics('freehand-roi', m.points, slicePixelsOf(dataSet.byteArray));
      weightedHu += stats.meanHu! * stats.pixelCount;
      pixelTotal += stats.pixelCount;
      meanHuByInstance.set(info.instanceNumber!, stats.meanHu!);
    }
    assert.ok(weightedHu / pixelTotal > -200, `mean ${weightedHu / pixelTotal} HU inside the outlines`);
    for (const instance of [42, 43, 44, 45]) {
      const hu = meanHuByInstance.get(instance)!;
      assert.ok(hu > -100 && hu < 150, `mean ${hu} HU on instance ${instance}`);
    }
  });

  it('places the centroid inside the CT volume, within the referenced slices, and sums the voxels into the volume', () => {
    const segment = reading.findings[0]!.location.segment!;
    const centroid = segment.centroid!;
    const slices = seg.frames.map((f) => ct.get(f.referencedSopInstanceUid!)!.info);
    const zs = slices.map((s) => s.imagePositionPatient![2]);
    assert.ok(centroid[2] >= Math.min(...zs) && centroid[2] <= Math.max(...zs), `centroid z ${centroid[2]}`);
    const allZ = [...ct.values()].map((s) => s.info.imagePositionPatient![2]);
    assert.ok(centroid[2] >= Math.min(...allZ) && centroid[2] <= Math.max(...allZ));
    const reference = slices[0]!;
    const pixel = patientToPixel(
      reference.imagePositionPatient!,
      reference.imageOrientationPatient!,
      reference.pixelSpacingMm!,
      centroid,
    );
    assert.ok(pixel.column > 0 && pixel.column < reference.columns - 1);
    assert.ok(pixel.row > 0 && pixel.row < reference.rows - 1);
    const voxels = seg.frames.reduce((sum, f) => sum + f.pixelCount, 0);
    assert.equal(voxels, 5498);
    const expected = voxels * 0.703125 * 0.703125 * 2.5;
    assert.ok(Math.abs(segment.volumeMm3! - expected) < 1e-6, `${segment.volumeMm3} mm³ vs ${expected} mm³`);
  });

  it('copies no patient identity into the segmentation or the reading', () => {
    const { frames, ...header } = seg;
    const text = JSON.stringify([header, frames.map(({ mask: _mask, ...frame }) => frame), reading]);
    assert.ok(!text.includes('LIDC-IDRI-0001'), 'PatientID leaked');
    assert.ok(!text.includes('2819497684894126'), 'AccessionNumber leaked');
    assert.ok(!/"patient/i.test(text));
  });

  it('rejects a CT image and truncated SEGs with typed errors, never a half result', () => {
    const ctFile = lidcCtFiles()![0]!;
    throwsSegmentationError(() => parseSegmentation(arrayBuffer(ctFile)), 'not-a-segmentation');
    const whole = arrayBuffer(lidcSegFile()!);
    throwsSegmentationError(() => parseSegmentation(whole.slice(0, whole.byteLength / 2)), 'truncated');
    throwsSegmentationError(() => parseSegmentation(whole.slice(0, whole.byteLength - 64)), 'truncated');
  });
});

describe('parseSegmentation on a third-party (dcmqi) SEG', { skip: noData }, () => {
  it('parses the PET tumour SEG with its one segment', () => {
    const file = shared && join(shared, 'sr-samples/dcmqi-pet-tid1500/seg.dcm');
    assert.ok(file && existsSync(file), `${shared}/sr-samples/dcmqi-pet-tid1500/seg.dcm is missing`);
    const seg = parseSegmentation(arrayBuffer(file));
    assert.equal(seg.segments.length, 1);
    assert.equal(seg.segments[0]!.label, 'Neoplasm, Primary');
    assert.equal(seg.frames.length, 13);
    assert.equal(seg.rows, 128);
    const reading = segmentationToReading(seg, { role: 'cad', reader: { name: 'dcmqi' } });
    assert.equal(reading.findings.length, 1);
    assert.equal(reading.findings[0]!.category, 'other');
    const measurements = reading.findings[0]!.location.measurements;
    assert.ok(measurements.length > 0 && measurements.length <= 13);
    assert.equal(reading.createdAt, '2015-08-19T11:21:52Z');
  });
});

describe('parseSegmentation and segmentationToReading on a SEG written from the phantom', () => {
  let study: WrittenPhantomStudy;
  let bytes: Uint8Array;
  let seg: SegmentationData;
  let reading: Reading;

  before(async () => {
    study = (await writePhantom(phantomDir)).baseline;
    bytes = phantomNoduleSegmentation(study.truth);
    seg = parseSegmentation(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    reading = segmentationToReading(seg, { role: 'first', reader: { name: 'Test Reader', id: 'test-reader' } });
  });

  it('reads both nodule segments with one frame per slice that cuts each sphere', () => {
    const { truth } = study;
    assert.equal(seg.segments.length, 2);
    assert.deepEqual(
      seg.segments.map((s) => [s.segmentNumber, s.label, categoryForSegment(s)]),
      truth.nodules.map((n, i) => [i + 1, n.label, 'nodule']),
    );
    assert.equal(seg.referencedSeriesUid, truth.seriesInstanceUid);
    assert.equal(seg.contentDateTime, '2026-01-02T10:15:00.250+01:00');
    const uids = new Set(truth.instances.map((i) => i.sopInstanceUid));
    for (const frame of seg.frames) assert.ok(uids.has(frame.referencedSopInstanceUid!));
    truth.nodules.forEach((nodule, i) => {
      const frames = seg.frames.filter((f) => f.segmentNumber === i + 1);
      const slices = frames.map(
        (f) => truth.instances.find((x) => x.sopInstanceUid === f.referencedSopInstanceUid)!.sliceIndex,
      );
      assert.deepEqual([Math.min(...slices), Math.max(...slices)], nodule.sliceIndexRange, nodule.id);
    });
  });

  it('outlines every frame exactly (area = pixels × pixel area) inside the image, on the nodule', () => {
    const { truth } = study;
    const byUid = new Map(truth.instances.map((i) => [i.sopInstanceUid, i]));
    for (const finding of reading.findings) {
      const segmentFrames = seg.frames.filter((f) => f.segmentNumber === finding.location.segment!.segmentNumber);
      assert.equal(finding.location.measurements.length, segmentFrames.length);
      finding.location.measurements.forEach((m, i) => {
        const frame = segmentFrames[i]!;
        assert.ok(Math.abs(m.values.areaMm2! - frame.pixelCount) < 1e-6, `${m.values.areaMm2} vs ${frame.pixelCount}`);
        const instance = byUid.get(m.sopInstanceUid)!;
        for (const point of m.points) {
          const pixel = patientToPixel(
            instance.imagePositionPatient,
            truth.imageOrientationPatient,
            truth.pixelSpacingMm,
            point,
          );
          assert.ok(pixel.column >= -0.5 && pixel.column <= truth.columns - 0.5);
          assert.ok(pixel.row >= -0.5 && pixel.row <= truth.rows - 0.5);
          assert.ok(Math.abs(pixel.distanceFromPlaneMm) < 1e-6);
        }
      });
    }
  });

  it('reads the nodule density inside the outline on the phantom CT', () => {
    const { truth } = study;
    const nodule = truth.nodules[0]!;
    const m = reading.findings[0]!.location.measurements.find((x) => x.sopInstanceUid === nodule.sopInstanceUid)!;
    const instance = truth.instances[nodule.sliceIndex]!;
    const stats = roiStatistics(
      'freehand-roi',
      m.points,
      slicePixelsOf(new Uint8Array(readFileSync(join(study.dir, instance.fileName)))),
    );
    assert.ok(Math.abs(stats.meanHu! - nodule.hu) < 1, `mean ${stats.meanHu} HU, nodule ${nodule.hu} HU`);
  });

  it('puts the centroid on the sphere centre and sums voxels into the volume', () => {
    const { truth } = study;
    truth.nodules.forEach((nodule, i) => {
      const segment = reading.findings[i]!.location.segment!;
      for (let axis = 0; axis < 3; axis++) {
        assert.ok(
          Math.abs(segment.centroid![axis]! - nodule.centerMm[axis]!) < 0.5,
          `${nodule.id} centroid ${segment.centroid}`,
        );
      }
      const voxels = seg.frames.filter((f) => f.segmentNumber === i + 1).reduce((sum, f) => sum + f.pixelCount, 0);
      assert.equal(
        segment.volumeMm3,
        voxels * truth.pixelSpacingMm[0] * truth.pixelSpacingMm[1] * truth.sliceSpacingMm,
      );
    });
    const n1 = reading.findings[0]!.location.segment!.volumeMm3!;
    assert.ok(Math.abs(n1 - truth.nodules[0]!.volumeMm3) / truth.nodules[0]!.volumeMm3 < 0.1, `${n1} mm³`);
  });

  it('copies none of the patient identity written into the SEG', () => {
    const { frames, ...header } = seg;
    const text = JSON.stringify([header, frames.map(({ mask: _mask, ...frame }) => frame), reading]);
    for (const value of [study.truth.patient.name, study.truth.patient.id, 'ACC-SEG-TEST']) {
      assert.ok(value && !text.includes(value), `${value} leaked`);
    }
  });

  it('rejects the SEG cut inside its pixel data as truncated', () => {
    const cut = bytes.slice(0, bytes.length - 1000);
    throwsSegmentationError(() => parseSegmentation(cut.buffer), 'truncated');
  });
});

describe('parseSegmentation of bit-packed and fractional frames', () => {
  // 5 × 5 frames: 25 bits each, so frames 2 and 3 start in the middle of a byte.
  const masks = [
    '.....' + '.##..' + '.##..' + '.....' + '.....',
    '#....' + '.....' + '..#..' + '.....' + '....#',
    '#####' + '#...#' + '#.#.#' + '#...#' + '#####',
  ].map((m) => Uint8Array.from(m, (c) => (c === '#' ? 1 : 0)));
  const input = {
    seed: 'tiny',
    studyUid: '1.2.3',
    referencedSeriesUid: '1.2.3.4',
    referencedSopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    frameOfReferenceUid: '1.2.3.5',
    rows: 5,
    columns: 5,
    pixelSpacingMm: [0.5, 0.8] as const,
    sliceSpacingMm: 2,
    imageOrientationPatient: [1, 0, 0, 0, 1, 0] as const,
    segments: [
      { segmentNumber: 1, label: 'Mass', type: ['4147007', 'SCT', 'Mass'] as const },
      { segmentNumber: 2, label: 'Something else', type: ['123037004', 'SCT', 'Body structure'] as const },
    ],
    frames: masks.map((mask, i) => ({
      segmentNumber: i === 1 ? 2 : 1,
      mask,
      imagePositionPatient: [0, 0, i * 2] as const,
      referencedSopInstanceUid: `1.2.3.4.${i + 1}`,
    })),
  };

  for (const segmentationType of ['BINARY', 'FRACTIONAL'] as const) {
    it(`reads ${segmentationType} frames back exactly`, () => {
      const bytes = buildSegmentation({ ...input, segmentationType });
      const seg = parseSegmentation(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      );
      assert.equal(seg.segmentationType, segmentationType);
      assert.deepEqual(
        seg.frames.map((f) => [...f.mask].join('')),
        masks.map((m) => [...m].join('')),
      );
      assert.deepEqual(
        seg.frames.map((f) => f.pixelCount),
        [4, 3, 17],
      );
      const reading = segmentationToReading(seg, { role: 'cad', reader: { name: 'CAD' } });
      assert.deepEqual(
        reading.findings.map((f) => f.category),
        ['mass', 'other'],
      );
      // Frame 3 is a ring with a dot in its hole: the outline encloses the hole too (5 × 5 pixels).
      const ring = reading.findings[0]!.location.measurements[1]!;
      assert.ok(Math.abs(ring.values.areaMm2! - 25 * 0.4) < 1e-9, `${ring.values.areaMm2}`);
      const square = reading.findings[0]!.location.measurements[0]!;
      assert.ok(Math.abs(square.values.areaMm2! - 4 * 0.4) < 1e-9);
      assert.equal(square.points.length, 4);
      // Segment 2 has three single pixels: only the first (largest, first found) is outlined.
      assert.equal(reading.findings[1]!.location.measurements[0]!.values.areaMm2, 0.4);
      assert.equal(reading.findings[1]!.location.segment!.volumeMm3, 3 * 0.4 * 2);
    });
  }
});

describe('parseSegmentation on bad input', () => {
  it('rejects empty and non-DICOM buffers as not-dicom', () => {
    throwsSegmentationError(() => parseSegmentation(new ArrayBuffer(0)), 'not-dicom');
    throwsSegmentationError(
      () => parseSegmentation(new TextEncoder().encode('not a DICOM file at all').buffer as ArrayBuffer),
      'not-dicom',
    );
    throwsSegmentationError(() => parseSegmentation(new ArrayBuffer(400)), 'not-dicom');
  });

  it('asks for the referenced series when the SEG names none', () => {
    const seg: SegmentationData = {
      sopInstanceUid: '1.2.3.4',
      studyUid: '1.2.3',
      seriesUid: '1.2.3.5',
      frameOfReferenceUid: '',
      segmentationType: 'BINARY',
      rows: 1,
      columns: 1,
      segments: [],
      frames: [],
    };
    throwsSegmentationError(
      () => segmentationToReading(seg, { role: 'first', reader: { name: 'A' } }),
      'missing-reference',
    );
    const reading = segmentationToReading(seg, {
      role: 'first',
      reader: { name: 'A' },
      referencedSeriesUid: '1.2.3.6',
      createdAt: '2026-01-01T00:00:00Z',
    });
    assert.equal(reading.findings.length, 0);
    assert.equal(reading.createdAt, '2026-01-01T00:00:00Z');
  });
});

describe('traceLargestOutline', () => {
  const grid = (rows: string[]): { mask: Uint8Array; columns: number; rows: number } => ({
    mask: Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0)),
    columns: rows[0]!.length,
    rows: rows.length,
  });

  it('outlines an L shape with its six corners on pixel edges', () => {
    const { mask, columns, rows } = grid(['.....', '.#...', '.#...', '.###.', '.....']);
    const outline = traceLargestOutline(mask, columns, rows)!;
    assert.equal(outline.pixelCount, 5);
    assert.equal(outline.enclosedPixelCount, 5);
    assert.deepEqual(
      new Set(outline.vertices.map((v) => `${v.x},${v.y}`)),
      new Set(['1,1', '2,1', '2,3', '4,3', '4,4', '1,4']),
    );
  });

  it('keeps the largest region and does not join pixels that touch only at a corner', () => {
    const { mask, columns, rows } = grid(['##...', '##...', '..#..', '.....']);
    const outline = traceLargestOutline(mask, columns, rows)!;
    assert.equal(outline.pixelCount, 4);
    assert.equal(outline.enclosedPixelCount, 4);
    assert.equal(outline.vertices.length, 4);
  });

  it('encloses holes, and traces regions whose pixels also meet at a corner', () => {
    const ring = grid(['###.', '#.##', '###.']);
    const outline = traceLargestOutline(ring.mask, ring.columns, ring.rows)!;
    assert.equal(outline.pixelCount, 9);
    assert.equal(outline.enclosedPixelCount, 10);
    // (1,1) and (2,2) are joined around the ring but also touch at a corner, where the outside
    // (through (2,0) and (2,1)) meets the pixel (1,2): the outline pinches there and goes round (1,2).
    const pinched = grid(['##.#', '##.#', '#.##', '####']);
    const around = traceLargestOutline(pinched.mask, pinched.columns, pinched.rows)!;
    assert.equal(around.pixelCount, 13);
    assert.equal(around.enclosedPixelCount, 13);
    assert.equal(around.vertices.filter((v) => v.x === 2 && v.y === 2).length, 2);
    assert.equal(traceLargestOutline(new Uint8Array(9), 3, 3), undefined);
  });
});
