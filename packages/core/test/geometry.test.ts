import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  orientationMarkers,
  pixelToPatient,
  sliceNormal,
  sortSlicesByPosition,
  type Orientation,
  type Vec3,
} from '../src/geometry.ts';

const AXIAL: Orientation = [1, 0, 0, 0, 1, 0];

function stack(zs: number[], orientation: Orientation = AXIAL, shift: (z: number) => Vec3 = (z) => [0, 0, z]) {
  return zs.map((z, i) => ({
    imagePositionPatient: shift(z),
    imageOrientationPatient: orientation,
    instanceNumber: i + 1,
    z,
  }));
}

describe('sortSlicesByPosition', () => {
  it('orders by position along the normal, never by arrival order', () => {
    const shuffled = stack([5, -2.5, 0, 10, 2.5, 7.5]);
    const { slices, spacing } = sortSlicesByPosition(shuffled);
    assert.deepEqual(
      slices.map((s) => s.z),
      [-2.5, 0, 2.5, 5, 7.5, 10],
    );
    assert.equal(spacing.sliceSpacingMm, 2.5);
    assert.equal(spacing.uneven, false);
    assert.equal(spacing.gantryTiltDeg, 0);
    assert.equal(spacing.sortedBy, 'position');
  });

  it('orders along an oblique normal (sagittal stack)', () => {
    const sagittal: Orientation = [0, 1, 0, 0, 0, -1];
    const normal = sliceNormal(sagittal);
    assert.deepEqual(
      normal.map((v) => Math.round(v)),
      [-1, 0, 0],
    );
    const slices = [3, 1, 2].map((x) => ({
      imagePositionPatient: [x, 0, 0] as Vec3,
      imageOrientationPatient: sagittal,
      x,
    }));
    // Ascending along the normal (-x) means descending x.
    assert.deepEqual(
      sortSlicesByPosition(slices).slices.map((s) => s.x),
      [3, 2, 1],
    );
  });

  it('reports uneven spacing (a gap) with min and max', () => {
    const { spacing } = sortSlicesByPosition(stack([0, 2.5, 5, 10, 12.5]));
    assert.equal(spacing.uneven, true);
    assert.equal(spacing.minSpacingMm, 2.5);
    assert.equal(spacing.maxSpacingMm, 5);
    assert.equal(spacing.sliceSpacingMm, 2.5);
  });

  it('reports gantry tilt: positions drift along y as z advances', () => {
    const tiltDeg = 15;
    const t = Math.tan((tiltDeg * Math.PI) / 180);
    const { spacing } = sortSlicesByPosition(stack([0, 2, 4, 6, 8], AXIAL, (z) => [0, z * t, z]));
    assert.ok(Math.abs(spacing.gantryTiltDeg - tiltDeg) < 1e-6, `tilt ${spacing.gantryTiltDeg}`);
  });

  it('counts duplicate positions and falls back to InstanceNumber without positions', () => {
    assert.equal(sortSlicesByPosition(stack([0, 0, 2.5])).spacing.duplicatePositions, 1);
    const noPositions = [3, 1, 2].map((n) => ({ instanceNumber: n }));
    const result = sortSlicesByPosition(noPositions);
    assert.deepEqual(
      result.slices.map((s) => s.instanceNumber),
      [1, 2, 3],
    );
    assert.equal(result.spacing.sortedBy, 'instance-number');
  });
});

describe('orientation', () => {
  it('labels the edges of an axial image: A top, P bottom, R left, L right', () => {
    assert.deepEqual(orientationMarkers(AXIAL), { top: 'A', bottom: 'P', left: 'R', right: 'L' });
  });

  it('labels a coronal image: S top, I bottom', () => {
    assert.deepEqual(orientationMarkers([1, 0, 0, 0, 0, -1]), { top: 'S', bottom: 'I', left: 'R', right: 'L' });
  });

  it('maps pixels to patient millimetres with PixelSpacing [row, column]', () => {
    assert.deepEqual(pixelToPatient([-100, -50, 20], AXIAL, [0.5, 0.7], 10, 4), [-93, -48, 20]);
  });
});
