import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  distanceFromSlicePlaneMm,
  pointsOnSlicePlane,
  SLICE_PLANE_TOLERANCE_MM,
  type Orientation,
  type Vec3,
} from '../src/index.ts';

const axial = {
  imagePositionPatient: [-127.5, -127.5, -25] as Vec3,
  imageOrientationPatient: [1, 0, 0, 0, 1, 0] as Orientation,
};

// An 18.5° gantry tilt: rows along +x, columns tilted about x.
const tilt = (18.5 * Math.PI) / 180;
const tilted = {
  imagePositionPatient: [-100, -80, 40] as Vec3,
  imageOrientationPatient: [1, 0, 0, 0, Math.cos(tilt), -Math.sin(tilt)] as Orientation,
};
/** A point of the tilted image at (column, row) in mm from its first pixel. */
const onTilted = (x: number, y: number): Vec3 => [-100 + x, -80 + y * Math.cos(tilt), 40 - y * Math.sin(tilt)];

describe('points on a slice plane', () => {
  it('accepts points of the axial image, whatever their x and y', () => {
    const points: Vec3[] = [
      [-27.5, -27.5, -25],
      [122.2, 102.4, -25],
      [0, 0, -25 + 1e-9],
    ];
    assert.equal(pointsOnSlicePlane(points, axial), true);
    assert.ok(distanceFromSlicePlaneMm(points, axial) < 1e-8);
  });

  it('refuses a length whose second end is on the slice 10 mm away (the stray click across 4 slices)', () => {
    const points: Vec3[] = [
      [-27.5, -27.5, -25],
      [122.2, 102.4, -15],
    ];
    assert.equal(pointsOnSlicePlane(points, axial), false);
    assert.ok(Math.abs(distanceFromSlicePlaneMm(points, axial) - 10) < 1e-9);
  });

  it('measures along the normal of a tilted image, not along z', () => {
    const inPlane = [onTilted(10, 20), onTilted(200, 150), onTilted(0, 0)];
    assert.equal(pointsOnSlicePlane(inPlane, tilted), true);
    // Same z as an in-plane point but off the tilted plane.
    const p = onTilted(50, 60);
    const shifted: Vec3 = [p[0], p[1] + 1, p[2]];
    assert.ok(Math.abs(distanceFromSlicePlaneMm([shifted], tilted) - Math.sin(tilt)) < 1e-9);
    assert.equal(pointsOnSlicePlane([shifted], tilted), false);
  });

  it('keeps half a 0.5 mm spacing well outside the tolerance, and a rounding error inside', () => {
    assert.ok(SLICE_PLANE_TOLERANCE_MM < 0.25);
    assert.equal(pointsOnSlicePlane([[0, 0, -25.25]], axial), false);
    assert.equal(pointsOnSlicePlane([[0, 0, -25 + 1e-6]], axial), true);
    assert.equal(pointsOnSlicePlane([[0, 0, -25.25]], axial, 0.3), true);
  });

  it('never takes a point that is not three numbers as on the plane', () => {
    assert.equal(pointsOnSlicePlane([[Number.NaN, 0, -25]], axial), false);
    assert.equal(
      distanceFromSlicePlaneMm(
        [
          [0, 0, -25],
          [0, 0, Number.NaN],
        ],
        axial,
      ),
      Infinity,
    );
    assert.equal(distanceFromSlicePlaneMm([], axial), 0);
  });
});
