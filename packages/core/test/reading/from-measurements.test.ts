import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readingFromMeasurements } from '../../src/index.ts';
import { STUDY, NODULE, FIRST_READER, measurement, line, expectSchemaError } from './fixtures.ts';

describe('readingFromMeasurements', () => {
  it('makes one finding per measurement', () => {
    const measurements = [
      line(NODULE, 12, { label: 'N1' }),
      measurement(
        'arrow',
        [
          [0, 0, 20],
          [10, 10, 20],
        ],
        { text: 'rib' },
      ),
    ];
    const first = readingFromMeasurements(measurements, { role: 'first', reader: FIRST_READER, studyUid: STUDY });
    assert.equal(first.role, 'first');
    assert.equal(first.status, 'final');
    assert.equal(first.finalizedAt, first.createdAt);
    assert.deepEqual(
      first.findings.map((f) => [f.description, f.category]),
      [
        ['N1: 12.0 mm', 'other'],
        ['Arrow: rib', 'other'],
      ],
    );
    assert.deepEqual(first.findings[0]!.location.measurements[0], measurements[0]);
    assert.notEqual(first.findings[0]!.location.measurements[0], measurements[0]);
    const draft = readingFromMeasurements([], {
      role: 'additional',
      reader: FIRST_READER,
      studyUid: STUDY,
      status: 'draft',
    });
    assert.equal('finalizedAt' in draft, false);
    expectSchemaError(
      () =>
        readingFromMeasurements([{ ...measurements[0]!, createdAt: 'yesterday' }], {
          role: 'first',
          reader: FIRST_READER,
          studyUid: STUDY,
        }),
      'measurements[0].createdAt',
    );
  });
});
