/**
 * Autosave that cannot happen is never silent: when IndexedDB cannot be opened, or the site's
 * storage is full, the reader is told at once (status line, alert, a typed `ct-error`), and
 * autosave comes back by itself once a write succeeds again.
 */
import { expect } from '@open-wc/testing';
import type { SecondReadErrorEvent } from '@secondread/opinion-report';
// The draft store is internal to the element (not exported by the package): the tests open it directly.
import { draftStore } from '../../packages/opinion-report/src/draft-store.ts';
import { until } from '../support/browser-helpers.ts';
import { firstReading, workspace } from './helpers.ts';

function text(report: HTMLElement, part: string): string | undefined {
  return report.shadowRoot!.querySelector(`[part=${part}]`)?.textContent?.trim();
}

/** Every `ct-error` reaching the document from now on. */
function collectErrors(): { errors: SecondReadErrorEvent['detail'][]; stop(): void } {
  const errors: SecondReadErrorEvent['detail'][] = [];
  const listener = (event: SecondReadErrorEvent): void => void errors.push(event.detail);
  document.addEventListener('ct-error', listener);
  return { errors, stop: () => document.removeEventListener('ct-error', listener) };
}

describe('<opinion-report> autosave that cannot happen', () => {
  it('IndexedDB unavailable: says at once, before any edit, that autosave is off', async () => {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function blocked(): IDBOpenDBRequest {
      throw new DOMException('Access to storage is not allowed from this context.', 'SecurityError');
    };
    const { errors, stop } = collectErrors();
    try {
      const ws = await workspace({ key: `blocked-${Date.now()}`, firstReading: firstReading() });
      await until(() => errors.some((e) => e.code === 'storage'), 5000, 'storage error');
      await ws.report.updateComplete;
      const error = errors.find((e) => e.code === 'storage')!;
      expect(error.fatal).to.equal(false);
      expect(error.message).to.match(/^Autosave is off: this browser does not let the page keep data \(SecurityError/);
      expect(text(ws.report, 'status')).to.equal('Draft NOT saved: autosave is off');
      expect(text(ws.report, 'error')).to.match(/^Autosave is off: .*keep the page open, or submit\.$/);
      // Editing keeps working, and keeps saying so.
      const impression = ws.report.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea')!;
      impression.value = 'Kept in the page only.';
      impression.dispatchEvent(new Event('input'));
      await ws.report.saved;
      await ws.report.updateComplete;
      expect(ws.report.opinion!.readings.find((r) => r.role === 'second')!.impression).to.equal(
        'Kept in the page only.',
      );
      expect(text(ws.report, 'error')).to.match(/^Autosave is off/);
    } finally {
      IDBFactory.prototype.open = open;
      stop();
    }
  });

  it('storage full: the first failed write says so at once, once, and a later write turns autosave back on', async () => {
    const key = `full-${Date.now()}`;
    const ws = await workspace({ key, firstReading: firstReading() });
    await ws.report.saved;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function full(): IDBRequest<IDBValidKey> {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    const { errors, stop } = collectErrors();
    const impression = ws.report.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea')!;
    const type = (value: string): void => {
      impression.value = value;
      impression.dispatchEvent(new Event('input'));
    };
    try {
      type('First words.');
      await ws.report.saved;
      await ws.report.updateComplete;
      expect(errors.map((e) => e.code)).to.deep.equal(['storage']);
      expect(errors[0]!.message).to.match(/storage for this site is full \(QuotaExceededError/);
      expect(text(ws.report, 'status')).to.equal('Draft NOT saved: autosave is off');
      expect(text(ws.report, 'error')).to.match(/^Autosave is off: the browser's storage for this site is full/);
      type('First words, more.');
      await ws.report.saved;
      expect(errors).to.have.length(1);
    } finally {
      IDBObjectStore.prototype.put = put;
      stop();
    }
    // Space again: the next edit is saved and the notice goes.
    type('First words, saved.');
    await ws.report.saved;
    await ws.report.updateComplete;
    expect(text(ws.report, 'status')).to.match(/^Draft saved /);
    expect(ws.report.shadowRoot!.querySelector('[part=error]')).to.equal(null);
    expect((await draftStore.get(key))!.opinion.readings.find((r) => r.role === 'second')!.impression).to.equal(
      'First words, saved.',
    );
  });

  it('the same study in two tabs: the later writer does not overwrite the other draft, keeps its own and says so', async () => {
    const key = `two-tabs-${Date.now()}`;
    // Two pages open on the same study and reader before either saved (two elements, two writers).
    const one = await workspace({ key, firstReading: firstReading() });
    const two = await workspace({ key, firstReading: firstReading() });
    const type = (report: HTMLElement, value: string): void => {
      const impression = report.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea')!;
      impression.value = value;
      impression.dispatchEvent(new Event('input'));
    };
    const impressionOf = async (draftKey: string): Promise<string | undefined> =>
      (await draftStore.get(draftKey))?.opinion.readings.find((r) => r.role === 'second')?.impression;

    type(one.report, 'Reader one.');
    await one.report.saved;
    expect(await impressionOf(key)).to.equal('Reader one.');

    const { errors, stop } = collectErrors();
    try {
      type(two.report, 'Reader two.');
      await two.report.saved;
      await two.report.updateComplete;
      // The first tab's draft is untouched; the second's is kept beside it.
      expect(await impressionOf(key)).to.equal('Reader one.');
      const copies = (await draftStore.keys()).filter((k) => k.startsWith(`${key}:copy-`));
      expect(copies).to.have.length(1);
      expect(await impressionOf(copies[0]!)).to.equal('Reader two.');
      // The second reader is told, visibly and with a typed error.
      expect(errors.map((e) => e.code)).to.deep.equal(['storage']);
      expect(errors[0]!.message).to.match(/also changed in another tab or window/);
      expect(text(two.report, 'error')).to.match(/also changed in another tab or window .*Nothing was overwritten/);
      expect(text(two.report, 'status')).to.match(/^Draft saved /);

      // Both go on saving, each into its own draft, without overwriting the other.
      type(two.report, 'Reader two, later.');
      type(one.report, 'Reader one, later.');
      await Promise.all([one.report.saved, two.report.saved]);
      expect(await impressionOf(key)).to.equal('Reader one, later.');
      expect(await impressionOf(copies[0]!)).to.equal('Reader two, later.');
      expect(one.report.shadowRoot!.querySelector('[part=error]')).to.equal(null);
      expect(errors).to.have.length(1);
    } finally {
      stop();
    }
  });
});
