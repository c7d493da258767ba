import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vec3, cross } from '../src/index.ts';

test('vec3: sums, differences, scaling and the dot product component by component', () => {
  assert.deepEqual(vec3.add([1, 2, 3], [10, 20, 30]), [11, 22, 33]);
  assert.deepEqual(vec3.sub([1, 2, 3], [10, 20, 30]), [-9, -18, -27]);
  assert.deepEqual(vec3.scale([1, -2, 3], 2), [2, -4, 6]);
  assert.equal(vec3.dot([1, 2, 3], [4, -5, 6]), 12);
});

test('vec3: the cross product follows the right-hand rule (x × y = z) and is the one geometry exports', () => {
  assert.deepEqual(vec3.cross([1, 0, 0], [0, 1, 0]), [0, 0, 1]);
  assert.deepEqual(vec3.cross([0, 1, 0], [1, 0, 0]), [0, 0, -1]);
  assert.equal(cross, vec3.cross);
});

test('vec3: lengths, distances, unit vectors and means in mm', () => {
  assert.equal(vec3.norm([3, 4, 12]), 13);
  assert.equal(vec3.distance([1, 1, 1], [4, 5, 1]), 5);
  assert.deepEqual(vec3.unit([0, 0, -7]), [0, 0, -1]);
  assert.deepEqual(vec3.unit([0, 0, 0]), [0, 0, 0]);
  assert.deepEqual(
    vec3.mean([
      [0, 0, 0],
      [2, 4, 6],
      [4, 8, 12],
    ]),
    [2, 4, 6],
  );
  assert.deepEqual(vec3.mean([]), [0, 0, 0]);
});
