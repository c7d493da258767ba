/**
 * The printable second-opinion report as a string: content, escaping and localisation. The
 * Chromium/PDF rendering is tested in `report-pdf.test.ts` (beside this file).
 * Run with `node --import tsx --test packages/core/test/report-html.test.ts`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RADPEER_MEANINGS, VERDICT_LABELS } from '../src/labels.ts';
import { renderReportHtml } from '../src/reading/report-html.ts';
import { parseSecondOpinion } from '../src/reading/schema.ts';
import { RADPEER_SCORES, type Finding, type SecondOpinion } from '../src/reading/types.ts';
import { secondOpinionFixture } from './fixtures/second-opinion.ts';

/** The visible text of the document: tags removed, entities decoded, white space collapsed. */
function visibleText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[ \t\r\n]+/g, ' ')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

function withFirstFinding(opinion: SecondOpinion, change: Partial<Finding>): SecondOpinion {
  const [first, ...rest] = opinion.readings;
  return {
    ...opinion,
    readings: [{ ...first!, findings: [{ ...first!.findings[0]!, ...change }, ...first!.findings.slice(1)] }, ...rest],
  };
}

describe('renderReportHtml', () => {
  it('uses a fixture that follows the second-opinion schema', () => {
    assert.deepEqual(parseSecondOpinion(JSON.parse(JSON.stringify(secondOpinionFixture))), secondOpinionFixture);
  });

  const html = renderReportHtml(secondOpinionFixture, { locale: 'en-GB', timeZone: 'UTC' });
  const text = visibleText(html);

  it('is a complete standalone document with a print stylesheet and no external resources', () => {
    assert.match(html, /^<!DOCTYPE html>\s*<html lang="en-GB">/);
    assert.match(html, /<\/html>\s*$/);
    assert.match(html, /<meta charset="utf-8">/);
    assert.match(html, /@page \{ size: A4;/);
    assert.match(html, /@media print/);
    assert.match(html, /break-inside: avoid/);
    assert.doesNotMatch(html, /<script|<link|@import|url\(|src="(?!data:image\/png;base64,)/i);
  });

  it('shows the header, both readers and the blinding order', () => {
    assert.ok(text.includes('CT second opinion'));
    assert.ok(text.includes(secondOpinionFixture.studyUid));
    assert.ok(text.includes('Submitted 28 Nov 2026, 14:52 UTC'), text.slice(0, 400));
    for (const reading of secondOpinionFixture.readings) {
      assert.ok(text.includes(reading.reader.name));
      assert.ok(text.includes(reading.reader.institution!));
    }
    assert.ok(
      text.includes('read blinded from 28 Nov 2026, 13:40 UTC and saw the first reading from 28 Nov 2026, 14:35 UTC'),
    );
  });

  it('lists every finding of both readings with values and units, impressions and recommendations', () => {
    for (const reading of secondOpinionFixture.readings) {
      for (const finding of reading.findings) assert.ok(text.includes(finding.description), finding.description);
      assert.ok(text.includes(reading.impression));
      assert.ok(text.includes(reading.recommendations));
    }
    assert.ok(text.includes('Long axis 12.0\u202fmm Short axis 9.0\u202fmm'));
    assert.ok(text.includes('Long axis 16.0\u202fmm Short axis 12.0\u202fmm'));
    assert.ok(text.includes('Area 150.8\u202fmm²'));
    assert.ok(text.includes('Mean 21\u202fHU'));
    assert.ok(text.includes('Lower lobe of left lung'));
  });

  it('shows the concordance table with methods, distance, size delta and every verdict', () => {
    const table = visibleText(/<table class="concordance">[\s\S]*?<\/table>/.exec(html)![0]);
    assert.ok(table.includes('# First reading Second reading Match Distance Size Δ Verdict'));
    assert.ok(table.includes('1 F1 Solid pulmonary nodule, left lower lobe 12.0\u202fmm S1 Solid pulmonary nodule'));
    assert.ok(table.includes('3D distance 1.5\u202fmm +4.0\u202fmm +33\u202f% Disagree'));
    assert.ok(table.includes('2 F2 Mild centrilobular emphysema, upper lobes S2'));
    assert.ok(table.includes('Manual — — Agree'));
    assert.ok(
      table.includes(
        '3 Not reported S3 Enlarged subcarinal lymph node 17.0\u202fmm Unmatched — — Missed by first reader',
      ),
    );
    assert.ok(table.includes('Subcarinal node > 10 mm short axis, relevant for staging.'));
    assert.equal((html.match(/class="verdict verdict-/g) ?? []).length, secondOpinionFixture.concordance.pairs.length);
  });

  it('shows the RADPEER score with its ACR meaning and the peer-learning comment', () => {
    assert.ok(text.includes('RADPEER score 2b'));
    assert.ok(
      text.includes('Discrepancy in interpretation, not ordinarily expected to be made (understandable miss).'),
    );
    assert.ok(text.includes('Likely to be clinically significant.'));
    assert.ok(text.includes(secondOpinionFixture.concordance.peerLearningComment!));
    for (const score of RADPEER_SCORES) {
      const scored = renderReportHtml({
        ...secondOpinionFixture,
        concordance: { ...secondOpinionFixture.concordance, radpeer: score },
      });
      assert.ok(visibleText(scored).includes(RADPEER_MEANINGS[score].interpretation), score);
    }
    const { radpeer: _radpeer, ...unscored } = secondOpinionFixture.concordance;
    assert.ok(
      visibleText(renderReportHtml({ ...secondOpinionFixture, concordance: unscored })).includes('Not scored.'),
    );
    assert.deepEqual(Object.keys(VERDICT_LABELS).sort(), [
      'agree',
      'disagree',
      'missed-by-first',
      'not-confirmed-by-second',
    ]);
  });

  it('embeds the key images as data URLs with their captions', () => {
    const images = [...html.matchAll(/<img src="([^"]+)" alt="([^"]*)">/g)];
    assert.equal(images.length, 2);
    for (const [, src] of images) assert.match(src!, /^data:image\/png;base64,iVBORw0KGgo/);
    assert.ok(text.includes('Nodule, left lower lobe, 16 × 12 mm (image 43, lung window)'));
  });

  it('escapes text everywhere and embeds no image that is not a data URL', () => {
    const hostile = withFirstFinding(secondOpinionFixture, {
      description: '<script>alert("x")</script> & <b>bold</b>',
      keyImages: [
        {
          image: { studyUid: '1', seriesUid: '2', sopInstanceUid: '3' },
          dataUrl: 'https://tracker.example/pixel.png" onerror="alert(1)',
          capturedAt: '2026-11-28T14:00:00Z',
          caption: '"><img src=x onerror=alert(2)>',
        },
      ],
    });
    const out = renderReportHtml(hostile, {
      title: '</title><script>alert(3)</script>',
      brand: 'A "quoted" </style> brand',
    });
    assert.doesNotMatch(out, /<script/i);
    assert.doesNotMatch(out, /<img src=x/);
    assert.doesNotMatch(out, /tracker\.example/);
    assert.ok(out.includes('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#60;b&#62;bold&#60;/b&#62;'));
    assert.ok(visibleText(out).includes('<script>alert("x")</script> & <b>bold</b>'));
    assert.equal(out.match(/<\/style>/g)?.length, 1, 'the brand must not close the style element');
    assert.ok(out.includes('Image not embedded'));
  });

  it('formats dates and numbers for the locale and time zone', () => {
    const german = renderReportHtml(withFirstFinding(secondOpinionFixture, {}), {
      locale: 'de-DE',
      timeZone: 'Europe/Berlin',
    });
    const germanText = visibleText(german);
    assert.match(german, /<html lang="de-DE">/);
    // German numbers with German words (the report speaks its locale's language).
    assert.ok(germanText.includes('Lange Achse 12,0\u202fmm'));
    assert.ok(germanText.includes('Fläche 150,8\u202fmm²'));
    assert.ok(germanText.includes('+33\u202f%'));
    assert.ok(germanText.includes('28. Nov. 2026, 15:52 MEZ'), germanText.slice(0, 300));
    // 12.5 → 12,5
    const nodule = secondOpinionFixture.readings[0]!.findings[0]!;
    const measurement = nodule.location.measurements[0]!;
    const twelveAndAHalf = withFirstFinding(secondOpinionFixture, {
      location: { ...nodule.location, measurements: [{ ...measurement, values: { lengthMm: 12.5 } }] },
    });
    assert.ok(visibleText(renderReportHtml(twelveAndAHalf, { locale: 'de-DE' })).includes('Lange Achse 12,5\u202fmm'));
    assert.ok(visibleText(renderReportHtml(twelveAndAHalf, { locale: 'en-US' })).includes('Long axis 12.5\u202fmm'));
    // An invalid locale or zone falls back instead of throwing.
    assert.ok(
      renderReportHtml(secondOpinionFixture, { locale: 'not a locale!', timeZone: 'Mars/Olympus' }).includes(
        'lang="en-GB"',
      ),
    );
  });

  it('adds no patient identity', () => {
    assert.doesNotMatch(html, /patient name|date of birth|LIDC-IDRI-0001|PatientName|PatientID/i);
  });
});
