import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  SecondOpinionModel,
  computeGeometry,
  findingCentre,
  parseSecondOpinion,
  parseSegmentation,
  roiOverlap,
  segmentationToReading,
  serializeSecondOpinion,
  type Measurement,
  type Vec3,
} from '../src/index.ts';
import { lidcSegFile } from '../../../test/support/paths.ts';

const segFile = lidcSegFile();

describe('matching on LIDC-IDRI-0001 (a real reader’s nodule SEG as the first reading)', { skip: !segFile }, () => {
  it('pairs a second reader’s ellipse around the nodule with the SEG finding, by distance and overlap', () => {
    const bytes = readFileSync(segFile!);
    const seg = parseSegmentation(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const first = segmentationToReading(seg, { role: 'first', reader: { name: 'LIDC reader 1' } });
    const [nodule] = first.findings;
    assert.ok(
      nodule && nodule.location.measurements.length > 1,
      'the SEG gives one finding outlined on several slices',
    );
    const outlines = nodule.location.measurements;
    const middle = outlines[Math.floor(outlines.length / 2)]!;

    // The second reader draws an axis-aligned ellipse inscribed in the outline's bounding box.
    const xs = middle.points.map((p) => p[0]);
    const ys = middle.points.map((p) => p[1]);
    const z = middle.points[0]![2];
    const [cx, cy] = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
    const [a, b] = [(Math.max(...xs) - Math.min(...xs)) / 2, (Math.max(...ys) - Math.min(...ys)) / 2];
    const ellipse = (dx: number, id: string): Measurement => {
      const points: Vec3[] = [
        [cx - a + dx, cy, z],
        [cx + a + dx, cy, z],
        [cx + dx, cy - b, z],
        [cx + dx, cy + b, z],
      ];
      const { locked: _locked, ...rest } = middle;
      void _locked;
      return {
        ...rest,
        id,
        kind: 'ellipse-roi',
        points,
        values: computeGeometry('ellipse-roi', points, middle.imageOrientationPatient),
        label: '',
        readerId: 'second',
      };
    };
    const overlap = roiOverlap(middle, ellipse(0, 'e0'))!;
    assert.ok(overlap > 0.7 && overlap < 1, `Dice of the inscribed ellipse and the outline: ${overlap}`);

    const model = new SecondOpinionModel({
      studyUid: first.studyUid,
      reader: { name: 'Dr Second' },
      first,
      blinded: true,
    });
    model.syncMeasurements([ellipse(0, 'e0'), ellipse(60, 'elsewhere')], { category: 'nodule' });
    model.unblind();
    const [pair, missed] = model.concordance.pairs;
    assert.equal(pair!.firstFindingId, nodule.id);
    assert.equal(pair!.method, 'distance');
    assert.ok(
      pair!.distanceMm! < 3,
      `centre of the ellipse vs the SEG centroid ${String(findingCentre(nodule))}: ${pair!.distanceMm} mm`,
    );
    assert.ok(Math.abs(pair!.overlap! - overlap) < 1e-12);
    assert.equal(typeof pair!.sizeDeltaMm, 'number');
    assert.equal(missed!.verdict, 'missed-by-first');
    model.setRadpeer('1');
    const submitted = model.submit();
    assert.deepEqual(parseSecondOpinion(serializeSecondOpinion(submitted)), submitted);
  });
});
