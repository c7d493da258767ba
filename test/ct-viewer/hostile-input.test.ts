/**
 * Hostile input is inert in `<ct-viewer>`: phantom slices rewritten with dcmjs so their patient
 * name, institution, study/series descriptions and physician names carry HTML/SVG payloads are
 * shown (with `show-patient-info`) as literal text, and a file whose name carries a payload
 * ends in an error panel that shows the name as text. Nothing runs, no element from a payload
 * appears in the shadow root, no page error.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import type { CtViewer, ViewerErrorEvent } from '@secondread/ct-viewer';
import { readPart10, writePart10 } from '../../packages/phantom/src/dicom.ts';
import { deepText, expectInert, hostile, PAYLOADS, watchPageErrors } from '../support/hostile.ts';
import { fetchBytes, nextEvent, seriesLoaded, testEnv, until } from './helpers.ts';

const env = await testEnv();

/** Each DICOM text element and the hostile value written into it. */
const TEXTS = {
  PatientName: hostile('DOE^JANE', 'img'),
  InstitutionName: hostile('General', 'svg'),
  StudyDescription: hostile('CT CHEST', 'script'),
  SeriesDescription: hostile('AX', 'style'),
  ReferringPhysicianName: hostile('REF', 'url'),
  PerformingPhysicianName: hostile('PERF', 'img'),
  NameOfPhysiciansReadingStudy: hostile('READ', 'svg'),
  OperatorsName: hostile('OP', 'script'),
} as const;

/** A phantom slice rewritten with dcmjs: the same pixels and geometry, hostile text elements. */
async function hostileSlice(url: string, transferSyntaxUid?: string, name?: string): Promise<File> {
  const { meta, dataset } = readPart10(await fetchBytes(url));
  const bytes = writePart10(
    { ...dataset, ...TEXTS },
    {
      mediaStorageSopClassUid: meta.MediaStorageSOPClassUID as string,
      mediaStorageSopInstanceUid: meta.MediaStorageSOPInstanceUID as string,
      transferSyntaxUid: transferSyntaxUid ?? (meta.TransferSyntaxUID as string),
      implementationClassUid: meta.ImplementationClassUID as string,
    },
  );
  // The rewrite really carries the payloads (read back with dcmjs).
  expect(readPart10(bytes).dataset.StudyDescription).to.equal(TEXTS.StudyDescription);
  return new File([bytes as Uint8Array<ArrayBuffer>], name ?? url.split('/').pop()!);
}

describe('<ct-viewer> hostile input is inert', () => {
  afterEach(() => {
    delete window.__pwned;
  });

  it('DICOM text with HTML/SVG payloads is shown as literal text in the overlay, never parsed', async () => {
    const errors = watchPageErrors();
    try {
      const el = await fixture<CtViewer>(
        html`<ct-viewer show-patient-info style="width:420px;height:420px"></ct-viewer>`,
      );
      const loaded = seriesLoaded(el);
      el.exposePatientIdentity = true;
      el.files = await Promise.all(env.phantom.baseline.urls.slice(0, 4).map((url) => hostileSlice(url)));
      await loaded;
      await el.updateComplete;
      const overlay = el.shadowRoot!.querySelector('[part=overlay]')!;
      await until(
        () => overlay.textContent!.includes(TEXTS.StudyDescription),
        5000,
        'study description in the overlay',
      );
      // Shown where the overlay shows them, character for character.
      expect(overlay.textContent).to.include(PAYLOADS.img);
      expect(overlay.textContent).to.include(TEXTS.StudyDescription);
      expect(overlay.textContent).to.include(TEXTS.SeriesDescription);
      // The model hands the text over unchanged (the host decides how to show it).
      expect(el.seriesModel!.study.studyDescription).to.equal(TEXTS.StudyDescription);
      expect(el.seriesModel!.patient.name).to.include(PAYLOADS.img);
      await expectInert(el.shadowRoot!);
      await expectInert(document);
      expect(deepText(el.shadowRoot!)).to.include(PAYLOADS.script);
    } finally {
      errors.stop();
    }
    expect(errors.errors, 'no page errors').to.deep.equal([]);
  });

  it('a transfer syntax UID with a payload is shown as literal text in the error panel', async () => {
    const errors = watchPageErrors();
    const syntax = `1.2.3${PAYLOADS.img}`;
    try {
      const el = await fixture<CtViewer>(html`<ct-viewer style="width:420px;height:420px"></ct-viewer>`);
      const failed = nextEvent<ViewerErrorEvent>(el, 'ct-error');
      // Named like an attack too (the message says "The file", never the name).
      el.files = [await hostileSlice(env.phantom.baseline.urls[0]!, syntax, `${PAYLOADS.script}.dcm`)];
      const { detail } = await failed;
      expect(detail.code).to.equal('unsupported-transfer-syntax');
      expect(detail.message).to.include(syntax);
      await el.updateComplete;
      const panel = el.shadowRoot!.querySelector('[part=error]')!;
      expect(panel.textContent).to.include(syntax);
      await expectInert(el.shadowRoot!);
      await expectInert(document);
    } finally {
      errors.stop();
    }
    expect(errors.errors, 'no page errors').to.deep.equal([]);
  });
});
