/**
 * The printable report in German and Russian: no English word of the catalogue remains (the
 * readers' own words, coded meanings and names aside), and the RADPEER texts are the locale's.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOGUES, renderReportHtml, UNIT_SPACE } from '../src/index.ts';
import {
  dataStrings,
  englishFragmentCount,
  englishLeftovers,
  withoutData,
} from '../../../test/support/untranslated.ts';
import { secondOpinionFixture } from './fixtures/second-opinion.ts';

function visibleText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/[ \t\r\n]+/g, ' ');
}

describe('printable report per locale', () => {
  const data = dataStrings(secondOpinionFixture);

  it('the check knows the English catalogue, and finds English in the English report', () => {
    assert.ok(englishFragmentCount() > 250);
    const english = withoutData(visibleText(renderReportHtml(secondOpinionFixture, { locale: 'en-GB' })), data);
    assert.ok(englishLeftovers(english, 'de').length > 40, 'an English report must fail the German check');
  });

  for (const [locale, language] of [
    ['de_DE', 'de'],
    ['de-AT', 'de'],
    ['ru-RU', 'ru'],
  ] as const) {
    it(`${locale}: no English remains, RADPEER in ${language}, page footer in ${language}`, () => {
      const html = renderReportHtml(secondOpinionFixture, { locale, timeZone: 'UTC' });
      const text = withoutData(visibleText(html), data);
      assert.deepEqual(englishLeftovers(text, language), []);
      const t = CATALOGUES[language];
      const score = secondOpinionFixture.concordance.radpeer!;
      assert.ok(text.includes(t.radpeerInterpretation[score]), 'RADPEER interpretation');
      assert.ok(text.includes(t.printable.title));
      assert.ok(text.includes(t.verdict.agree));
      // The page counter of the print stylesheet is worded too.
      assert.match(html, new RegExp(`content: "${t.printable.pageBefore.trim().replace(/[^A-Za-z]/g, '.')}`));
      assert.match(html, new RegExp(`<html lang="${locale.replace('_', '-')}">`));
      // Values are named in the language, numbers in the locale.
      assert.ok(text.includes(`${t.value.longAxis} 16,0${UNIT_SPACE}mm`), text.slice(0, 2000));
    });
  }
});
