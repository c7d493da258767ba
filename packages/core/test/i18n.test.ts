import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CATALOGUES,
  formatMeasurementValues,
  languageOf,
  LANGUAGES,
  messagesFor,
  UNIT_SPACE,
  UNTRANSLATED_TERMS,
  type Catalogue,
} from '../src/index.ts';

/** Every key path of a catalogue with the kind of its value (`string` or `function`). */
function shape(value: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      for (const [p, kind] of shape(child, path ? `${path}.${key}` : key)) out.set(p, kind);
    }
  } else {
    out.set(path, typeof value);
  }
  return out;
}

test('every catalogue has exactly the keys of English, each a non-empty string or a function of the same arity', () => {
  const english = shape(CATALOGUES.en);
  assert.ok(english.size > 250, `the English catalogue has ${english.size} entries`);
  for (const language of LANGUAGES) {
    const catalogue = CATALOGUES[language];
    const other = shape(catalogue);
    assert.deepEqual([...other.keys()].sort(), [...english.keys()].sort(), `${language}: keys differ from English`);
    for (const [path, kind] of english) assert.equal(other.get(path), kind, `${language}.${path}`);
    for (const [path] of english) {
      const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], catalogue);
      if (typeof value === 'string') assert.ok(value.trim().length > 0, `${language}.${path} is empty`);
      if (typeof value === 'function') {
        const source = path
          .split('.')
          .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], CATALOGUES.en);
        assert.equal(value.length, (source as (...args: unknown[]) => string).length, `${language}.${path} arity`);
      }
    }
  }
});

test('translations are translations: German and Russian share no sentence with English (but names such as Study Instance UID)', () => {
  const sentences = (catalogue: Catalogue): Set<string> =>
    new Set(
      [...shape(catalogue).keys()].flatMap((path) => {
        const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], catalogue);
        return typeof value === 'string' && value.split(' ').length >= 3 && !UNTRANSLATED_TERMS.includes(value)
          ? [value]
          : [];
      }),
    );
  const english = sentences(CATALOGUES.en);
  for (const language of ['de', 'ru'] as const) {
    const shared = [...sentences(CATALOGUES[language])].filter((s) => english.has(s));
    assert.deepEqual(shared, [], `${language} repeats English sentences`);
  }
});

test('languageOf: BCP 47 and POSIX locales pick their catalogue; others fall back to English', () => {
  assert.equal(languageOf('de'), 'de');
  assert.equal(languageOf('de-AT'), 'de');
  assert.equal(languageOf('de_DE'), 'de');
  assert.equal(languageOf('de_DE.UTF-8'), 'de');
  assert.equal(languageOf('ru_RU'), 'ru');
  assert.equal(languageOf('RU-ru'), 'ru');
  assert.equal(languageOf('en-GB'), 'en');
  assert.equal(languageOf('fr-FR'), 'en');
  assert.equal(messagesFor('de_CH').viewer.tryAgain, 'Erneut versuchen');
  assert.equal(messagesFor('ru').viewer.tryAgain, 'Повторить');
});

test('Russian counts take their plural forms; German and English one/other', () => {
  const ru = CATALOGUES.ru.report.pages;
  assert.deepEqual(
    [1, 2, 5, 11, 21, 22, 25].map((n) => ru(n, String(n))),
    ['1 страница', '2 страницы', '5 страниц', '11 страниц', '21 страница', '22 страницы', '25 страниц'],
  );
  assert.equal(CATALOGUES.de.report.pages(1, '1'), '1 Seite');
  assert.equal(CATALOGUES.de.report.pages(3, '3'), '3 Seiten');
  assert.equal(CATALOGUES.en.report.pages(1, '1'), '1 page');
});

test('measured values are named in the locale of their numbers', () => {
  assert.equal(
    formatMeasurementValues({ lengthMm: 12, shortAxisMm: 9 }, { locale: 'de-DE', kind: 'bidirectional' }),
    `Lange Achse 12,0${UNIT_SPACE}mm · Kurze Achse 9,0${UNIT_SPACE}mm`,
  );
  assert.equal(formatMeasurementValues({ meanHu: -702.4 }, { locale: 'ru_RU' }), `Среднее -702${UNIT_SPACE}HU`);
});
