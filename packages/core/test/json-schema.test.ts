import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonFieldReaders } from '../src/json-schema.ts';
import {
  MeasurementSchemaError,
  ReadingSchemaError,
  parseMeasurements,
  parseSecondOpinion,
  serializeMeasurements,
  serializeSecondOpinion,
} from '../src/index.ts';
import { firstReading, secondOpinionFixture } from './fixtures/second-opinion.ts';

class TestSchemaError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

const readers = jsonFieldReaders((path, problem) => new TestSchemaError(path, problem));

function thrown(run: () => unknown): TestSchemaError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof TestSchemaError, `expected the bound error, got ${String(error)}`);
    return error;
  }
  assert.fail('did not throw');
}

test('json-schema readers throw the bound error with the path of the offending value', () => {
  assert.equal(
    thrown(() => readers.objectAt({ a: 1, b: 2 }, 'x', ['a'])).message,
    'x.b: is not a field of this schema',
  );
  assert.deepEqual(readers.objectAt({ a: 1, b: undefined }, 'x', ['a']), { a: 1, b: undefined });
  assert.equal(thrown(() => readers.stringAt({}, 'name', 'reader')).message, 'reader.name: is required');
  assert.equal(
    thrown(() => readers.stringAt({ name: '' }, 'name', 'reader', { nonEmpty: true })).message,
    'reader.name: must not be empty',
  );
  assert.equal(
    thrown(() => readers.enumAt({ v: 'maybe' }, 'v', '', ['yes', 'no'])).message,
    'v: must be one of yes, no, got "maybe"',
  );
  assert.equal(
    thrown(() => readers.numberAt({ n: 200 }, 'n', 'p', 0, 180)).message,
    'p.n: must be between 0 and 180, got 200',
  );
  assert.equal(readers.numberAt({}, 'n', 'p'), undefined);
  assert.equal(
    thrown(() => readers.positiveIntegerAt({ f: 0 }, 'f', 'image')).message,
    'image.f: must be a positive integer, got number',
  );
  assert.deepEqual(readers.numbersAt([1, 2, 3], 'p', 3, 'a point'), [1, 2, 3]);
  assert.equal(
    thrown(() => readers.numbersAt([1, 2, NaN], 'p', 3, 'a point')).message,
    'p: must be a point (3 finite numbers)',
  );
  assert.equal(readers.timestampAt({}, 't', '', true), undefined);
  assert.match(thrown(() => readers.timestampAt({ t: '2026-11-28' }, 't', '')).message, /^t: must be an ISO 8601 date/);
});

test('the measurement and the reading schema word the same problem the same way', () => {
  const measurement = firstReading.findings[0]!.location.measurements[0]!;
  const measurementDocument = JSON.parse(JSON.stringify(serializeMeasurements([measurement]))) as {
    measurements: Record<string, unknown>[];
  };
  measurementDocument.measurements[0]!.label = 42;
  measurementDocument.measurements[0]!.extra = true;
  assert.throws(
    () =>
      parseMeasurements({
        ...measurementDocument,
        measurements: [{ ...measurementDocument.measurements[0], extra: undefined }],
      }),
    (error: unknown) =>
      error instanceof MeasurementSchemaError &&
      error.message === 'measurements[0].label: must be a string, got number',
  );
  assert.throws(
    () => parseMeasurements(measurementDocument),
    (error: unknown) =>
      error instanceof MeasurementSchemaError &&
      error.message === 'measurements[0].extra: is not a field of this schema',
  );

  const opinion = JSON.parse(serializeSecondOpinion(secondOpinionFixture)) as {
    readings: { reader: Record<string, unknown> }[];
  };
  opinion.readings[0]!.reader.name = 42;
  assert.throws(
    () => parseSecondOpinion(opinion),
    (error: unknown) =>
      error instanceof ReadingSchemaError && error.message === 'readings[0].reader.name: must be a string, got number',
  );
  opinion.readings[0]!.reader.name = 'A';
  opinion.readings[0]!.reader.extra = true;
  assert.throws(
    () => parseSecondOpinion(opinion),
    (error: unknown) =>
      error instanceof ReadingSchemaError &&
      error.message === 'readings[0].reader.extra: is not a field of this schema',
  );
});
