/**
 * Every element in German and in Russian, in every state these tests reach — viewer empty,
 * loading, ready (overlays, toolbar, slider), failed (not-found); toolbar with its list empty, with
 * measurements of every kind and a locked layer; report waiting, blinded, with findings paired,
 * refusing a submit, submitted; the printable report — shows no English word of the catalogue.
 * The readers' own words (names, descriptions, labels) are the test's data and are left out.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import '@secondread/opinion-report/define.js';
import { CATALOGUES, type Language, type Measurement } from '@secondread/core';
import type { CtViewer } from '@secondread/ct-viewer';
import type { OpinionReport } from '@secondread/opinion-report';
import { seriesLoaded, until } from '../ct-viewer/helpers.ts';
import { measurementsOfEveryKind } from '../measurement-tools/helpers.ts';
import { env, firstReading, measureAcross, n1, truth, workspace } from '../opinion-report/helpers.ts';
import { dataStrings, englishLeftovers, withoutData } from '../support/untranslated.ts';

/** What a reader sees and hears of an element: its shadow text and its labels, titles and alt texts, nested elements included. */
function shownText(root: Element | ShadowRoot): string {
  const parts: string[] = [];
  const visit = (node: Node): void => {
    if (node instanceof Element) {
      // Marked English on purpose: the server's own words under "Technical details".
      if (node.getAttribute('lang') === 'en' || node.localName === 'style') return;
      for (const name of ['aria-label', 'title', 'alt', 'placeholder', 'aria-valuetext']) {
        const value = node.getAttribute(name);
        if (value) parts.push(value);
      }
      if (node.shadowRoot) visit(node.shadowRoot);
    } else if (node.nodeType === Node.TEXT_NODE) {
      parts.push(node.textContent ?? '');
    }
    for (const child of node.childNodes) visit(child);
  };
  visit(root);
  return parts.join('\n').replace(/[ \t]+/g, ' ');
}

function expectNoEnglish(
  text: string,
  language: Exclude<Language, 'en'>,
  data: readonly string[],
  where: string,
): void {
  expect(englishLeftovers(withoutData(text, data), language), `${where}: English left`).to.deep.equal([]);
}

const LOCALES = [
  { locale: 'de_DE', language: 'de' },
  { locale: 'ru-RU', language: 'ru' },
] as const;

let keys = 0;

describe('every element in each locale', () => {
  it('the check sees English: the English viewer and report fail it', async () => {
    const viewer = await fixture<CtViewer>(html`<ct-viewer style="height:300px"></ct-viewer>`);
    expect(englishLeftovers(shownText(viewer), 'de')).to.include.members(['No series', 'Choose files']);
  });

  for (const { locale, language } of LOCALES) {
    const t = CATALOGUES[language];

    it(`${locale}: <ct-viewer> empty, loading, ready and failed`, async () => {
      const root = await fixture<HTMLDivElement>(
        html`<div>
          <ct-viewer locale=${locale} style="height:360px;width:480px"></ct-viewer>
          <ct-viewer locale=${locale} style="height:360px;width:480px"></ct-viewer>
        </div>`,
      );
      const [viewer, failing] = [...root.querySelectorAll('ct-viewer')] as [CtViewer, CtViewer];
      expect(shownText(viewer)).to.include(t.viewer.noSeries);
      expectNoEnglish(shownText(viewer), language, [], 'empty');

      const loaded = seriesLoaded(viewer);
      viewer.dicomwebRoot = env.dicomwebRoot!;
      viewer.studyUid = truth.studyInstanceUid;
      viewer.seriesUid = truth.seriesInstanceUid;
      await until(() => !!viewer.shadowRoot!.querySelector('[part=loading]'), 10_000, 'loading panel');
      expect(shownText(viewer)).to.include(t.viewer.loadingSeries);
      expectNoEnglish(shownText(viewer), language, [], 'loading');
      await loaded;
      await viewer.updateComplete;
      const ready = shownText(viewer);
      expect(ready).to.include(t.viewer.invert);
      expect(ready).to.include(t.windowPreset.lung);
      expect(ready).to.include(t.viewer.overlayZoom('100').split(' ')[0]!);
      // Numbers in the locale: the position line has a decimal comma in both languages.
      expect(viewer.shadowRoot!.querySelector('.corner.tr')!.textContent).to.match(/\d,\d\s*mm/);
      expectNoEnglish(ready, language, dataStrings(viewer.seriesModel?.study ?? {}), 'ready');

      failing.dicomwebRoot = env.dicomwebRoot!;
      failing.studyUid = '1.2.3.4.5.6.7.8.9';
      await until(() => !!failing.shadowRoot!.querySelector('[part=error]'), 20_000, 'error panel');
      const failed = shownText(failing);
      expect(failed).to.include(t.viewer.errorTitle);
      expect(failed).to.include(t.errorSummary['not-found']);
      expect(failed).to.include(t.errorHint['not-found']);
      expect(failed).to.include(t.common.technicalDetails);
      expectNoEnglish(failed, language, [], 'failed');
    });

    it(`${locale}: <measurement-tools> and <opinion-report> in every state, and the printable report`, async () => {
      // Waiting for a study: the report alone.
      const waiting = await fixture<OpinionReport>(
        html`<opinion-report locale=${locale} no-autosave></opinion-report>`,
      );
      expect(shownText(waiting)).to.include(t.report.waiting);
      expectNoEnglish(shownText(waiting), language, [], 'report waiting');

      const ws = await workspace({
        key: `i18n-${language}-${++keys}-${Date.now()}`,
        blinded: true,
        firstReading: firstReading(),
      });
      for (const el of [ws.first, ws.second, ws.tools, ws.report]) el.setAttribute('locale', locale);
      ws.report.readerName = 'Dr. Weber';
      await ws.report.updateComplete;
      await ws.tools.updateComplete;
      const data = (): string[] => [
        'Dr. Weber',
        ...dataStrings(ws.report.opinion),
        ...dataStrings(ws.tools.measurements),
        ...dataStrings(ws.second.seriesModel?.study ?? {}),
      ];
      const everything = (): string => [ws.report, ws.tools, ws.second].map(shownText).join('\n');

      // The toolbar with nothing measured yet, and the blinded report.
      expect(shownText(ws.tools)).to.include(t.tools.empty);
      expect(shownText(ws.report)).to.include(t.report.blindedNotice);
      expectNoEnglish(everything(), language, data(), 'blinded, nothing measured');

      // The reader measures: the default name is the locale's ("Länge 1"), the values too.
      const drawn = await measureAcross(ws, n1, n1.diameterMm);
      expect(drawn.label).to.equal(`${t.kind.length} 1`);
      const more: Measurement[] = measurementsOfEveryKind(truth, {
        prefix: `i18n-${language}`,
        readerId: 'second',
        label: (_kind, i) => `M${i}`,
        text: () => '…',
      });
      ws.tools.measurements = [drawn, ...more];
      await until(() => (ws.report.opinion?.readings.find((r) => r.role === 'second')?.findings.length ?? 0) > 5);
      await ws.tools.updateComplete;
      const list = shownText(ws.tools);
      expect(list).to.include(t.value.lengthMm);
      expect(list).to.include(t.tools.renameOf(drawn.label));
      expectNoEnglish(everything(), language, data(), 'blinded, measured');

      // Unblinded: both readings, pairs, verdicts, RADPEER picker; the first reading locked in the toolbar.
      ws.report.overlayFirst = true;
      ws.report.unblind();
      await ws.report.updateComplete;
      await until(() => shownText(ws.tools).includes(t.tools.locked), 20_000, 'locked first-reading layer');
      const report = shownText(ws.report);
      expect(report).to.include(t.report.radpeer);
      expect(report).to.include(t.radpeerDescription['3b']);
      expect(report).to.include(t.verdict.agree);
      expectNoEnglish(everything(), language, data(), 'report with findings');

      // Submit without a score is refused, in words of the locale.
      expect(ws.report.submit()).to.equal(null);
      await ws.report.updateComplete;
      expect(shownText(ws.report)).to.include(t.readingError['missing-radpeer']);
      expectNoEnglish(everything(), language, data(), 'refused submit');

      // Scored and submitted.
      ws.report.shadowRoot!.querySelector<HTMLInputElement>('input[type=radio][name=radpeer]')!.click();
      expect(ws.report.submit()).to.not.equal(null);
      await ws.report.updateComplete;
      expect(shownText(ws.report)).to.include(t.report.submitted);
      expectNoEnglish(everything(), language, data(), 'submitted');

      // The printable report of that opinion.
      const printable = ws.report.printableReport()!;
      const doc = new DOMParser().parseFromString(printable, 'text/html');
      expect(doc.documentElement.lang).to.equal(locale.replace('_', '-'));
      const printed = doc.body.textContent ?? '';
      expect(printed).to.include(t.printable.concordance);
      expect(printed).to.include(t.radpeerInterpretation['1']);
      expectNoEnglish(printed, language, data(), 'printable report');
    });
  }
});
