/** Accessibility of the second-opinion UI, checked with axe-core (WCAG 2 A/AA rules) in Chromium. */
import { expect, fixture, html } from '@open-wc/testing';
import axe from 'axe-core';
import '@secondread/opinion-report/define.js';
import '@secondread/measurement-tools/define.js';
import { createMeasurement, SecondOpinionModel, type Measurement } from '@secondread/core';
import type { OpinionReport } from '@secondread/opinion-report';
import { firstReading, truth, workspace } from './helpers.ts';

async function violations(element: Element): Promise<string[]> {
  const result = await axe.run(element, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

function line(id: string, x: number, lengthMm: number): Measurement {
  const n1 = truth.nodules[0]!;
  return createMeasurement(
    {
      kind: 'length',
      points: [
        [x, n1.centerMm[1], n1.centerMm[2]],
        [x + lengthMm, n1.centerMm[1], n1.centerMm[2]],
      ],
      studyUid: truth.studyInstanceUid,
      seriesUid: truth.seriesInstanceUid,
      sopInstanceUid: n1.sopInstanceUid,
      frameOfReferenceUid: truth.frameOfReferenceUid,
      readerId: 'second',
    },
    { id },
  );
}

describe('<opinion-report> accessibility (axe-core)', () => {
  it('sees into shadow roots: an unlabelled control there is a violation', async () => {
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    host.attachShadow({ mode: 'open' }).innerHTML = '<select><option>1</option></select>';
    expect((await violations(host)).join('\n')).to.match(/select-name/);
  });

  it('has no WCAG 2 A/AA violations with matched, missed and unconfirmed findings and a score', async () => {
    const model = new SecondOpinionModel({
      studyUid: truth.studyInstanceUid,
      reader: { name: 'Dr B. Second' },
      first: firstReading(),
    });
    const n1 = truth.nodules[0]!;
    model.addFinding({
      category: 'nodule',
      description: 'Enlarging nodule',
      measurements: [line('b1', n1.centerMm[0] - 8, 16)],
    });
    model.addFinding({ category: 'mass', description: 'Hilar mass', measurements: [line('b2', 40, 30)] });
    model.setImpression('Enlarging nodule; new hilar mass.');
    model.setRadpeer('3b');
    const report = await fixture<OpinionReport>(
      html`<opinion-report no-autosave study-uid=${truth.studyInstanceUid} .opinion=${model.opinion}></opinion-report>`,
    );
    await report.updateComplete;
    expect(report.shadowRoot!.querySelectorAll('[part=row]').length).to.equal(2);
    expect(await violations(report)).to.deep.equal([]);
  });

  it('has no WCAG 2 A/AA violations in the blinded side-by-side workspace', async () => {
    const ws = await workspace({ key: `a11y-${Date.now()}`, blinded: true, firstReading: firstReading() });
    expect(await violations(ws.report)).to.deep.equal([]);
    expect(await violations(ws.tools)).to.deep.equal([]);
  });
});
