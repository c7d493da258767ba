import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sortSlicesByPosition, type Orientation, type Vec3 } from '../src/geometry.ts';
import { markersForScreen, PLANE_CAMERAS, reformatRefusal, screenAxes, slabLabel } from '../src/planes.ts';

const AXIAL: Orientation = [1, 0, 0, 0, 1, 0];

function series(zs: number[], shift: (z: number) => Vec3 = (z) => [0, 0, z], orientation: Orientation = AXIAL) {
  const slices = zs.map((z, i) => ({
    imagePositionPatient: shift(z),
    imageOrientationPatient: orientation,
    instanceNumber: i + 1,
  }));
  const sorted = sortSlicesByPosition(slices);
  return { spacing: sorted.spacing, instances: sorted.slices };
}

describe('reformat planes', () => {
  it('names the markers of each patient plane in radiological convention', () => {
    const down = (plane: keyof typeof PLANE_CAMERAS): Vec3 => {
      const up = PLANE_CAMERAS[plane].up;
      return [-up[0], -up[1], -up[2]];
    };
    assert.deepEqual(markersForScreen(PLANE_CAMERAS.axial.right, down('axial')), {
      right: 'L',
      left: 'R',
      bottom: 'P',
      top: 'A',
    });
    assert.deepEqual(markersForScreen(PLANE_CAMERAS.coronal.right, down('coronal')), {
      right: 'L',
      left: 'R',
      bottom: 'I',
      top: 'S',
    });
    assert.deepEqual(markersForScreen(PLANE_CAMERAS.sagittal.right, down('sagittal')), {
      right: 'P',
      left: 'A',
      bottom: 'I',
      top: 'S',
    });
  });

  it('turns the markers with a rotation and a flip', () => {
    const turned = screenAxes('coronal', { rotationDeg: 90 });
    // Clockwise: superior goes to the right, patient left to the bottom.
    assert.deepEqual(markersForScreen(turned.right, turned.down), { right: 'S', left: 'I', bottom: 'L', top: 'R' });
    const flipped = screenAxes('axial', { flipHorizontal: true });
    assert.deepEqual(markersForScreen(flipped.right, flipped.down), { right: 'R', left: 'L', bottom: 'P', top: 'A' });
    const upsideDown = screenAxes('sagittal', { rotationDeg: 180 });
    assert.deepEqual(markersForScreen(upsideDown.right, upsideDown.down), {
      right: 'A',
      left: 'P',
      bottom: 'S',
      top: 'I',
    });
  });

  it('allows an evenly spaced, untilted series', () => {
    assert.equal(reformatRefusal(series([0, 2.5, 5, 7.5, 10])), null);
  });

  it('refuses uneven spacing, gantry tilt, duplicates, mixed orientations and single slices', () => {
    assert.match(reformatRefusal(series([0, 2.5, 5, 10, 12.5]))!, /uneven/);
    assert.match(
      reformatRefusal(series([0, 2.5, 5, 7.5], (z) => [0, z * Math.tan((15 * Math.PI) / 180), z]))!,
      /gantry tilt of 15\.0°/,
    );
    assert.match(reformatRefusal(series([0, 2.5, 2.5, 5]))!, /share a position/);
    const mixed = series([0, 2.5, 5]);
    const oblique: Orientation = [1, 0, 0, 0, Math.cos(0.2), Math.sin(0.2)];
    const instances = mixed.instances.map((instance, i) =>
      i === 1 ? { ...instance, imageOrientationPatient: oblique } : instance,
    );
    assert.match(reformatRefusal({ spacing: mixed.spacing, instances })!, /orientation/);
    assert.match(reformatRefusal(series([0]))!, /two slices/);
  });

  it('labels slabs for the overlay', () => {
    assert.equal(slabLabel(10, 'mip'), 'MIP 10 mm');
    assert.equal(slabLabel(7.25, 'minip'), 'MinIP 7.3 mm');
    assert.equal(slabLabel(3, 'average'), 'Avg 3 mm');
    assert.equal(slabLabel(0, 'mip'), '');
  });
});
