import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  correspondingSliceIndex,
  sliceCentre,
  type Orientation,
  type PlacedSlice,
  type SliceStack,
  type Vec3,
} from '../src/index.ts';

const SIZE = 512;
const SPACING_MM = 0.5; // a 256 mm field of view
const HALF_EXTENT_MM = ((SIZE - 1) / 2) * SPACING_MM;
const TILT_DEG = 18.5;
const tilt = (TILT_DEG * Math.PI) / 180;

const AXIAL: Orientation = [1, 0, 0, 0, 1, 0];
/** Rows along x; columns tilted about x, as a gantry tilt does. */
const TILTED: Orientation = [1, 0, 0, 0, Math.cos(tilt), -Math.sin(tilt)];

/** A slice of orientation `o` whose image centre lies at `centre`. */
function slice(o: Orientation, centre: Vec3): PlacedSlice {
  const corner: Vec3 = [
    centre[0] - (o[0] + o[3]) * HALF_EXTENT_MM,
    centre[1] - (o[1] + o[4]) * HALF_EXTENT_MM,
    centre[2] - (o[2] + o[5]) * HALF_EXTENT_MM,
  ];
  return {
    imagePositionPatient: corner,
    imageOrientationPatient: o,
    rows: SIZE,
    columns: SIZE,
    pixelSpacingMm: [SPACING_MM, SPACING_MM],
  };
}

/** An axial series with a slice every 1 mm from z = 0 to 199: slice i is at z = i. */
const axial: SliceStack = {
  seriesUid: '1.2.3.1',
  instances: Array.from({ length: 200 }, (_, i) => slice(AXIAL, [0, 0, i])),
};
/** A tilted series whose image centres lie on the z axis, 2 mm apart from z = 60. */
const tiltedCentreZ = (k: number): number => 60 + 2 * k;
const tilted: SliceStack = {
  seriesUid: '1.2.3.2',
  instances: Array.from({ length: 40 }, (_, k) => slice(TILTED, [0, 0, tiltedCentreZ(k)])),
};

describe('correspondingSliceIndex', () => {
  it('finds the image centre of a slice', () => {
    const centre = sliceCentre(tilted.instances[5]!)!;
    assert.ok(Math.abs(centre[0]) < 1e-9 && Math.abs(centre[1]) < 1e-9);
    assert.ok(Math.abs(centre[2] - tiltedCentreZ(5)) < 1e-9);
    // The corner lies ~40 mm from the centre along the axial series' normal.
    const cornerOffsetMm = tilted.instances[5]!.imagePositionPatient![2] - centre[2];
    assert.ok(Math.abs(cornerOffsetMm) > 38 && Math.abs(cornerOffsetMm) < 42, `${cornerOffsetMm} mm`);
  });

  it('maps an 18.5° tilted slice to the axial slice through its image centre, not its corner', () => {
    for (let k = 0; k < tilted.instances.length; k++) {
      const expected = tiltedCentreZ(k); // axial slice i is at z = i
      assert.equal(correspondingSliceIndex(tilted, k, axial), expected, `tilted slice ${k}`);
      // What the corner would have given: tens of slices (mm) away.
      const cornerZ = tilted.instances[k]!.imagePositionPatient![2];
      const byCorner = Math.max(0, Math.min(199, Math.round(cornerZ)));
      assert.ok(Math.abs(byCorner - expected) > 30, `the corner is ${byCorner - expected} mm off on slice ${k}`);
    }
  });

  it('maps an axial slice to the tilted slice whose plane passes nearest its centre', () => {
    for (let k = 0; k < tilted.instances.length; k++) {
      assert.equal(correspondingSliceIndex(axial, tiltedCentreZ(k), tilted), k, `axial slice ${tiltedCentreZ(k)}`);
    }
    // Between two tilted planes (centres 2 mm apart): the nearer one.
    const shifted: SliceStack = {
      seriesUid: '1.2.3.3',
      instances: Array.from({ length: 200 }, (_, i) => slice(AXIAL, [0, 0, i + 0.3])),
    };
    assert.equal(correspondingSliceIndex(shifted, tiltedCentreZ(10), tilted), 10); // z = 80.3
    assert.equal(correspondingSliceIndex(shifted, tiltedCentreZ(10) + 1, tilted), 11); // z = 81.3
    // Outside the tilted stack: its end slices.
    assert.equal(correspondingSliceIndex(axial, 0, tilted), 0);
    assert.equal(correspondingSliceIndex(axial, 199, tilted), tilted.instances.length - 1);
  });

  it('maps a series to itself index for index, and falls back to the index without geometry', () => {
    assert.equal(correspondingSliceIndex(axial, 17, axial), 17);
    const bare: SliceStack = {
      seriesUid: '1.2.3.9',
      instances: Array.from({ length: 10 }, () => ({ rows: SIZE, columns: SIZE, pixelSpacingMm: null })),
    };
    assert.equal(correspondingSliceIndex(bare, 4, axial), 4);
    assert.equal(correspondingSliceIndex(axial, 150, bare), 9);
    assert.equal(correspondingSliceIndex(tilted, 3, bare), 3);
  });

  it('applies a link offset between two frames of reference (prior → current)', () => {
    // The current study sees the prior's z = 50 at z = 71.3: offset [0, 0, 21.3].
    assert.equal(correspondingSliceIndex(axial, 50, axial, [0, 0, 21.3]), 71);
    assert.equal(correspondingSliceIndex(axial, 50, axial, [5, -7, 21.6]), 72);
    assert.equal(correspondingSliceIndex(axial, 71, axial, [0, 0, -21.3]), 50);
    // Into the tilted series: centre z = 50 + 20 = 70 lies on tilted slice 5.
    assert.equal(correspondingSliceIndex(axial, 50, tilted, [0, 0, 20]), 5);
    // A zero offset is no offset: index for index on the same series.
    assert.equal(correspondingSliceIndex(axial, 17, axial, [0, 0, 0]), 17);
  });
});
