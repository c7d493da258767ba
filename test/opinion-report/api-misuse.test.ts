import { expect } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import '@secondread/opinion-report/define.js';
import { until } from '../ct-viewer/helpers.ts';
import { nextFrames, watchMisuse } from '../support/misuse.ts';
import { firstReading, measureAcross, n1, workspace } from './helpers.ts';

/** Assigns a value whatever its declared type: what a careless host page's script does. */
const set = (target: object, key: string, value: unknown): void => void Reflect.set(target, key, value);

describe('<opinion-report> used wrongly', () => {
  it('ignores an invalid locale, default-category and draft-retention with one warning each, and keeps showing new findings', async function () {
    this.timeout(120_000);
    const ws = await workspace({ key: `misuse-${Date.now()}`, firstReading: firstReading() });
    const { report } = ws;
    const rows = () => [...report.shadowRoot!.querySelectorAll('[part=row]')];
    await until(() => rows().length === 1, 5000, 'the first reading’s row');

    const watch = watchMisuse();
    try {
      const cases: [string, () => void][] = [
        ['locale="not a locale!"', () => report.setAttribute('locale', 'not a locale!')],
        ['default-category="nope"', () => report.setAttribute('default-category', 'nope')],
        ['default-category=""', () => report.setAttribute('default-category', '')],
        ['defaultCategory = 42', () => set(report, 'defaultCategory', 42)],
        ['draft-retention="forever"', () => report.setAttribute('draft-retention', 'forever')],
        ['draftRetention = {}', () => set(report, 'draftRetention', {})],
      ];
      for (const [what, apply] of cases) {
        apply();
        await report.updateComplete;
        await nextFrames();
        const warnings = watch.takeWarnings();
        expect(warnings, `${what}: one warning`).to.have.length(1);
        expect(report.defaultCategory, `${what}: category`).to.equal('other');
        expect(report.draftRetention, `${what}: retention`).to.equal('until-stored');
      }

      // With the invalid locale still set, a new measurement becomes a finding on screen, in the
      // category that stayed.
      await measureAcross(ws, n1, 15);
      const second = () => report.opinion!.readings.find((r) => r.role === 'second')!;
      await until(() => second().findings.length === 1, 5000, 'the second reader’s finding');
      expect(second().findings[0]!.category).to.equal('other');
      await until(() => rows().some((row) => /15/.test(row.textContent ?? '')), 5000, 'the finding’s row');

      // A POSIX locale is read as the tag it means, silently: German decimals.
      report.setAttribute('locale', 'de_DE');
      await report.updateComplete;
      await until(() => rows().some((row) => /\d,\d/.test(row.textContent ?? '')), 5000, 'German decimals');
      expect(watch.takeWarnings()).to.deep.equal([]);
      expect(watch.pageErrors, 'no page error, no unhandled rejection').to.deep.equal([]);
    } finally {
      watch.stop();
    }
  });
});
