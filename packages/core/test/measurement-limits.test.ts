import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createMeasurement,
  MAX_MEASUREMENTS_PER_LOAD,
  MAX_POINTS_PER_MEASUREMENT,
  MeasurementError,
  MeasurementStore,
  parseMeasurements,
  serializeMeasurements,
  type Measurement,
  type Vec3,
} from '../src/index.ts';

const REF = {
  studyUid: '1.2.3',
  seriesUid: '1.2.3.4',
  sopInstanceUid: '1.2.3.4.5',
  frameOfReferenceUid: '1.2.3.9',
  readerId: 'reader',
};

/** A closed polygon of `n` points on a circle (radius 20 mm, z = 0). */
function circle(n: number): Vec3[] {
  return Array.from({ length: n }, (_, i): Vec3 => [
    20 * Math.cos((2 * Math.PI * i) / n),
    20 * Math.sin((2 * Math.PI * i) / n),
    0,
  ]);
}

function lengths(n: number): Measurement[] {
  return Array.from({ length: n }, (_, i) =>
    createMeasurement({
      ...REF,
      kind: 'length',
      points: [
        [i, 0, 0],
        [i, 10, 0],
      ],
    }),
  );
}

const tooLarge = (error: unknown): boolean => error instanceof MeasurementError && error.code === 'too-large';

test('a freehand ROI takes up to MAX_POINTS_PER_MEASUREMENT points; one more is refused as too-large', () => {
  const largest = createMeasurement({ ...REF, kind: 'freehand-roi', points: circle(MAX_POINTS_PER_MEASUREMENT) });
  assert.ok(Math.abs(largest.values.areaMm2! - Math.PI * 400) < 1, 'the area of the circle');
  assert.throws(
    () => createMeasurement({ ...REF, kind: 'freehand-roi', points: circle(MAX_POINTS_PER_MEASUREMENT + 1) }),
    tooLarge,
  );
  const json = serializeMeasurements([largest]) as unknown as { measurements: { points: unknown[] }[] };
  json.measurements[0]!.points = circle(200_000);
  const started = performance.now();
  assert.throws(() => parseMeasurements(json), tooLarge);
  assert.ok(performance.now() - started < 50, 'refused before the points are read');
});

test('a load takes up to MAX_MEASUREMENTS_PER_LOAD measurements; more are refused as too-large and nothing is loaded', () => {
  const store = new MeasurementStore();
  store.load(lengths(3));
  store.load(lengths(MAX_MEASUREMENTS_PER_LOAD));
  assert.equal(store.list().length, MAX_MEASUREMENTS_PER_LOAD);
  assert.throws(() => store.load(lengths(MAX_MEASUREMENTS_PER_LOAD + 1)), tooLarge);
  assert.equal(store.list().length, MAX_MEASUREMENTS_PER_LOAD, 'the previous set stays');
  assert.throws(() => store.addLayer('first', lengths(MAX_MEASUREMENTS_PER_LOAD + 1)), tooLarge);

  const document = serializeMeasurements(lengths(MAX_MEASUREMENTS_PER_LOAD + 1));
  assert.throws(() => parseMeasurements(document), tooLarge);
  assert.equal(
    parseMeasurements(serializeMeasurements(lengths(MAX_MEASUREMENTS_PER_LOAD))).length,
    MAX_MEASUREMENTS_PER_LOAD,
  );
});
