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
import type { Reading } from '../src/reading/types.ts';
import { lidcCtFiles, lidcSegFile, sharedDataDir } from '../../../test/support/paths.ts';

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
    // JSON as it is: a round trip gives an equal reading.
    assert.deepEqual(JSON.parse(JSON.stringify(reading)), reading);
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
      const element = dataSet.elements['x7fe00010']!;
      const pixels = new Int16Array(
        dataSet.byteArray.buffer,
        dataSet.byteArray.byteOffset + element.dataOffset,
        element.length / 2,
      );
      const stats = roiStatistics('freehand-roi', m.points, {
        pixels,
        rows: info.rows,
        columns: info.columns,
        imagePositionPatient: info.imagePositionPatient!,
        imageOrientationPatient: info.imageOrientationPatient!,
        pixelSpacingMm: info.pixelSpacingMm!,
        rescaleSlope: info.rescaleSlope,
        rescaleIntercept: info.rescaleIntercept,
      });
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
