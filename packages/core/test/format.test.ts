import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMeasurementValues, formatQuantity, normalizeLocale, UNIT_SPACE } from '../src/index.ts';

test('formatQuantity: a narrow no-break space before mm, HU and mm², none before the degree sign', () => {
  assert.equal(formatQuantity(12, 'mm', 'en-GB'), `12.0${UNIT_SPACE}mm`);
  assert.equal(formatQuantity(-3.25, 'HU', 'en-GB', 1), `-3.3${UNIT_SPACE}HU`);
  assert.equal(formatQuantity(30.14, '°', 'en-GB'), '30.1°');
  assert.equal(formatQuantity(30.14, '°', 'de-DE'), '30,1°');
  assert.equal(formatQuantity(7, '', 'en-GB', 0), '7');
});

test('formatMeasurementValues: an angle reads "Angle 30.1°"; a bidirectional length is the long axis', () => {
  assert.equal(formatMeasurementValues({ angleDeg: 30.14 }, { locale: 'en-GB' }), 'Angle 30.1°');
  const line = formatMeasurementValues({ lengthMm: 12, shortAxisMm: 9 }, { locale: 'en-GB', kind: 'bidirectional' });
  assert.equal(line, `Long axis 12.0${UNIT_SPACE}mm · Short axis 9.0${UNIT_SPACE}mm`);
});

test('normalizeLocale: POSIX locales become BCP 47 tags, nonsense falls back to the default', () => {
  assert.equal(normalizeLocale('de_DE.UTF-8'), 'de-DE');
  assert.equal(normalizeLocale('  '), undefined);
  assert.equal(normalizeLocale('!!'), undefined);
});
