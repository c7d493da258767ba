/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit parsed JSON freely to make it invalid */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  DEFAULT_MATCH_THRESHOLD_MM,
  SECOND_OPINION_SCHEMA_ID,
  SECOND_OPINION_SCHEMA_VERSION,
  READING_SOURCE_KINDS,
  parseReading,
  parseSecondOpinion,
  serializeSecondOpinion,
  type Reading,
} from '../../src/index.ts';
import { scriptedFirst, expectSchemaError, richOpinion } from './fixtures.ts';

describe('reading schema', () => {
  it('round-trips a second opinion using every field, losslessly', () => {
    const opinion = richOpinion();
    assert.equal(opinion.schema, SECOND_OPINION_SCHEMA_ID);
    assert.equal(opinion.version, SECOND_OPINION_SCHEMA_VERSION);
    const text = serializeSecondOpinion(opinion);
    assert.equal(typeof text, 'string');
    assert.deepEqual(parseSecondOpinion(text), opinion);
    assert.deepEqual(parseSecondOpinion(JSON.parse(text)), opinion);
    // Parsing copies: the result shares nothing with the input.
    const copy = parseSecondOpinion(opinion);
    assert.notEqual(copy.readings[0], opinion.readings[0]);
    assert.ok(text.includes('"radpeer":"2b"'));
  });

  it('rejects each kind of bad input with the path of the offending value', () => {
    const good = JSON.parse(serializeSecondOpinion(richOpinion())) as Record<string, any>;
    const secondIndex = (good.readings as Reading[]).findIndex((r) => r.role === 'second');
    const bad = (edit: (doc: Record<string, any>) => void): Record<string, any> => {
      const doc = structuredClone(good);
      edit(doc);
      return doc;
    };
    const f0 = `readings[${secondIndex}].findings[0]`;
    expectSchemaError(() => parseSecondOpinion('{not json'), '', /not JSON/);
    expectSchemaError(() => parseSecondOpinion(bad((d) => (d.schema = 'secondread/measurements'))), 'schema');
    expectSchemaError(() => parseSecondOpinion(bad((d) => (d.version = '2.0'))), 'version', /not a supported version/);
    expectSchemaError(() => parseSecondOpinion(bad((d) => (d.colour = 'red'))), 'colour', /not a field/);
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.readings[secondIndex].findings[0].colour = 'red'))),
      `${f0}.colour`,
      /not a field/,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.readings[secondIndex].findings[0].category = 'tumour'))),
      `${f0}.category`,
      /must be one of nodule, mass/,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.readings[secondIndex].findings[0].severity = 'huge'))),
      `${f0}.severity`,
    );
    expectSchemaError(() => parseSecondOpinion(bad((d) => (d.readings[0].role = 'third'))), 'readings[0].role');
    expectSchemaError(() => parseSecondOpinion(bad((d) => (d.readings[0].status = 'done'))), 'readings[0].status');
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.updatedAt = '2026-11-28'))),
      'updatedAt',
      /ISO 8601 date and time with a time zone/,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.readings[0].createdAt = '2026-11-28T16:00:00'))),
      'readings[0].createdAt',
    );
    expectSchemaError(
      () =>
        parseSecondOpinion(
          bad((d) => (d.readings[secondIndex].findings[0].location.measurements[0].points = [[0, 0, 0]])),
        ),
      `${f0}.location.measurements[0].points`,
      /a length takes 2 points, got 1/,
    );
    expectSchemaError(
      () =>
        parseSecondOpinion(
          bad((d) => (d.readings[secondIndex].findings[0].location.measurements[0].values.lengthMm = -1)),
        ),
      `${f0}.location.measurements[0].values.lengthMm`,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.readings[secondIndex].findings[1].location.images[0].frame = 0))),
      `readings[${secondIndex}].findings[1].location.images[0].frame`,
    );
    expectSchemaError(
      () =>
        parseSecondOpinion(bad((d) => (d.readings[secondIndex].findings[1].keyImages[0].dataUrl = 'http://x/y.png'))),
      `readings[${secondIndex}].findings[1].keyImages[0].dataUrl`,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.readings[0].reader.name = ''))),
      'readings[0].reader.name',
    );
    expectSchemaError(
      () =>
        parseSecondOpinion(
          bad((d) => (d.readings[secondIndex].findings[1].id = d.readings[secondIndex].findings[0].id)),
        ),
      `readings[${secondIndex}].findings[1].id`,
      /duplicates/,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => delete d.readings[secondIndex].finalizedAt)),
      `readings[${secondIndex}].finalizedAt`,
      /required when the status is final/,
    );
    expectSchemaError(() => parseSecondOpinion(bad((d) => (d.readings[0].studyUid = '1.2.3'))), 'readings[0].studyUid');
    expectSchemaError(() => parseSecondOpinion(bad((d) => (d.blinding.blinded = false))), 'blinding.unblindedAt');
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.blinding.unblindedAt = '2020-01-01T00:00:00Z'))),
      'blinding.unblindedAt',
      /earlier than startedAt/,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.concordance.matchThresholdMm = -1))),
      'concordance.matchThresholdMm',
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.concordance.pairs[0].method = 'guess'))),
      'concordance.pairs[0].method',
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.concordance.pairs[0].verdict = 'missed-by-first'))),
      'concordance.pairs[0].verdict',
      /agree or disagree/,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.concordance.pairs[0].overlap = 1.5))),
      'concordance.pairs[0].overlap',
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.concordance.pairs[0].secondFindingId = 'nope'))),
      'concordance.pairs[0].secondFindingId',
      /names no finding of the second reading/,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => d.concordance.pairs.pop())),
      'concordance.pairs',
      /must list every finding/,
    );
    expectSchemaError(
      () => parseSecondOpinion(bad((d) => (d.concordance.secondReadingId = 'x'))),
      'concordance.secondReadingId',
    );
    expectSchemaError(
      () =>
        parseSecondOpinion(
          bad(
            (d) => (
              (d.readings[0].findings[0].location.measurements[0].id = 'dup'),
              d.readings[0].findings.push({ ...d.readings[0].findings[0], id: 'other' })
            ),
          ),
        ),
      'readings[0].findings[1].location.measurements[0].id',
    );
  });

  it('rejects RADPEER 2 and 3 without their clinical-significance modifier', () => {
    const good = JSON.parse(serializeSecondOpinion(richOpinion())) as Record<string, any>;
    for (const score of ['2', '3']) {
      const doc = structuredClone(good);
      doc.concordance.radpeer = score;
      expectSchemaError(
        () => parseSecondOpinion(doc),
        'concordance.radpeer',
        new RegExp(`RADPEER ${score} needs its clinical-significance modifier: ${score}a .* or ${score}b`),
      );
    }
    for (const score of ['4', 'x', 1, '2c', '1a']) {
      const doc = structuredClone(good);
      doc.concordance.radpeer = score;
      expectSchemaError(() => parseSecondOpinion(doc), 'concordance.radpeer', /one of 1, 2a, 2b, 3a, 3b/);
    }
  });

  it('parseReading validates a single reading and prefixes paths', () => {
    const first = scriptedFirst();
    assert.deepEqual(parseReading(JSON.stringify(first)), first);
    expectSchemaError(
      () => parseReading({ ...first, findings: [{ ...first.findings[0], category: 1 }] }),
      'findings[0].category',
    );
    expectSchemaError(() => parseReading({ ...first, role: undefined }, 'first'), 'first.role', /required/);
  });

  it('reads every source kind, a PDF reading with its document described (not carried), and old sources as before', () => {
    const first = scriptedFirst();
    for (const kind of READING_SOURCE_KINDS) {
      const reading = { ...first, source: { kind, studyUid: first.studyUid } };
      assert.deepEqual(parseReading(reading), reading);
    }
    const pdf: Reading = {
      ...first,
      findings: [],
      source: {
        kind: 'pdf',
        sopInstanceUid: '1.2.3',
        document: { mediaType: 'application/pdf', title: 'CT chest report', byteLength: 19559 },
      },
    };
    assert.deepEqual(parseReading(JSON.parse(JSON.stringify(pdf))), pdf);
    // A source written before `document` existed is read as it was.
    const old = { ...first, source: { kind: 'sr', sopInstanceUid: '1.2.3', unknownContent: [{ a: 1 }] } };
    assert.deepEqual(parseReading(old), old);
    expectSchemaError(() => parseReading({ ...first, source: { kind: 'docx' } }), 'source.kind', /one of/);
    expectSchemaError(
      () => parseReading({ ...pdf, source: { kind: 'pdf', document: { mediaType: '' } } }),
      'source.document.mediaType',
    );
    expectSchemaError(
      () =>
        parseReading({ ...pdf, source: { kind: 'pdf', document: { mediaType: 'application/pdf', byteLength: 1.5 } } }),
      'source.document.byteLength',
      /whole number/,
    );
    expectSchemaError(
      () =>
        parseReading({
          ...pdf,
          source: { kind: 'pdf', document: { mediaType: 'application/pdf', bytes: 'JVBERi0=' } },
        }),
      'source.document.bytes',
    );
  });
});

describe('the documentation', () => {
  it('the example of docs/reading-schema.md is valid and says what the text says', () => {
    const markdown = readFileSync(new URL('../../docs/reading-schema.md', import.meta.url), 'utf8');
    const example = /## Example[\s\S]*?```json\n([\s\S]*?)```/.exec(markdown)![1]!;
    const opinion = parseSecondOpinion(example);
    const [pair] = opinion.concordance.pairs;
    assert.deepEqual(
      [pair!.distanceMm, pair!.sizeDeltaMm, pair!.verdict, opinion.concordance.radpeer],
      [2, 4, 'disagree', '2a'],
    );
    assert.equal(opinion.concordance.matchThresholdMm, DEFAULT_MATCH_THRESHOLD_MM);
    assert.ok(markdown.includes(`\`matchThresholdMm\` = ${DEFAULT_MATCH_THRESHOLD_MM} mm`));
  });
});
