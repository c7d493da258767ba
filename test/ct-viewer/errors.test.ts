import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import { ERROR_CODES, type ErrorCode } from '@secondread/core';
import type { CtViewer, SeriesLoadEvent, ViewerErrorEvent } from '@secondread/ct-viewer';
import { fetchBytes, nextEvent, testEnv } from './helpers.ts';

const env = await testEnv();
const baseline = env.phantom.baseline.truth;

async function viewer(): Promise<CtViewer> {
  return fixture<CtViewer>(html`<ct-viewer style="width:400px;height:400px" timeout-ms="1500"></ct-viewer>`);
}

/** Expects a fatal `ct-error` with `code`, a visible error panel, and a viewer that still loads a good series. */
async function expectError(el: CtViewer, code: ErrorCode, trigger: () => void): Promise<void> {
  const uncaught: unknown[] = [];
  const onRejection = (e: PromiseRejectionEvent): void => void uncaught.push(e.reason);
  window.addEventListener('unhandledrejection', onRejection);
  try {
    const error = nextEvent<ViewerErrorEvent>(el, 'ct-error');
    trigger();
    const { detail } = await error;
    expect(detail.code).to.equal(code);
    expect(detail.fatal).to.equal(true);
    expect(ERROR_CODES).to.include(detail.code);
    await el.updateComplete;
    expect(el.state).to.equal('error');
    expect(el.matches(':state(error)')).to.equal(true);
    const panel = el.shadowRoot!.querySelector('[part=error]');
    expect(panel, 'visible error panel').to.not.equal(null);
    expect(panel!.getAttribute('role')).to.equal('alert');
    expect(panel!.textContent).to.include(code);
    // No patient identity in the message.
    expect(detail.message).not.to.include('PHANTOM');
  } finally {
    window.removeEventListener('unhandledrejection', onRejection);
  }
  expect(uncaught, 'no unhandled rejections').to.deep.equal([]);
  // The viewer stays usable: a good series loads afterwards.
  el.removeAttribute('dicomweb-root');
  el.dicomwebRoot = undefined;
  el.urls = undefined;
  const loaded = nextEvent<SeriesLoadEvent>(el, 'ct-series-load');
  el.files = [new File([(await fetchBytes(env.phantom.baseline.urls[0]!)) as Uint8Array<ArrayBuffer>], 'good.dcm')];
  await loaded;
  expect(el.state).to.equal('ready');
}

describe('<ct-viewer> errors', () => {
  it('not-dicom: a text file', async () => {
    const el = await viewer();
    await expectError(el, 'not-dicom', () => (el.files = [new File(['patient notes, not an image'], 'notes.txt')]));
  });

  it('corrupt: a truncated DICOM file', async () => {
    const el = await viewer();
    const bytes = await fetchBytes(env.phantom.baseline.urls[0]!);
    await expectError(
      el,
      'corrupt',
      () => (el.files = [new File([bytes.slice(0, bytes.length / 2)], 'truncated.dcm')]),
    );
  });

  it('not-an-image: a DICOM Structured Report', async () => {
    const el = await viewer();
    const sr = await fetchBytes(env.fixtures.structuredReport);
    await expectError(el, 'not-an-image', () => (el.files = [new File([sr as Uint8Array<ArrayBuffer>], 'report.dcm')]));
  });

  it('unsupported-transfer-syntax: an image encoded with a syntax no codec decodes', async () => {
    const el = await viewer();
    const bytes = await fetchBytes(env.fixtures.unsupportedTransferSyntax);
    await expectError(
      el,
      'unsupported-transfer-syntax',
      () => (el.files = [new File([bytes as Uint8Array<ArrayBuffer>], 'mpeg2.dcm')]),
    );
  });

  it('unauthorized: the server answers 401', async () => {
    const el = await viewer();
    await expectError(el, 'unauthorized', () => {
      el.dicomwebRoot = `${env.faultsRoot}/401/dicom-web`;
      el.studyUid = baseline.studyInstanceUid;
    });
  });

  it('not-found: a study the server does not have', async () => {
    const el = await viewer();
    await expectError(el, 'not-found', () => {
      el.dicomwebRoot = env.dicomwebRoot!;
      el.studyUid = '1.2.3.4.5.6.7.8.9';
      el.seriesUid = '1.2.3.4.5.6.7.8.9.1';
    });
  });

  it('http-status: the server answers 500', async () => {
    const el = await viewer();
    await expectError(el, 'http-status', () => {
      el.dicomwebRoot = `${env.faultsRoot}/500/dicom-web`;
      el.studyUid = baseline.studyInstanceUid;
      el.seriesUid = baseline.seriesInstanceUid;
    });
  });

  it('network: a server that stops answering', async () => {
    const el = await viewer();
    await expectError(el, 'network', () => {
      el.dicomwebRoot = `${env.faultsRoot}/hang/dicom-web`;
      el.studyUid = baseline.studyInstanceUid;
      el.seriesUid = baseline.seriesInstanceUid;
    });
  });

  it('corrupt: a server that sends malformed metadata', async () => {
    const el = await viewer();
    await expectError(el, 'corrupt', () => {
      el.dicomwebRoot = `${env.faultsRoot}/garbage/dicom-web`;
      el.studyUid = baseline.studyInstanceUid;
      el.seriesUid = baseline.seriesInstanceUid;
    });
  });

  it('empty-series: a series with no instances', async () => {
    const el = await viewer();
    await expectError(el, 'empty-series', () => {
      el.dicomwebRoot = `${env.faultsRoot}/empty/dicom-web`;
      el.studyUid = baseline.studyInstanceUid;
      el.seriesUid = baseline.seriesInstanceUid;
    });
  });

  it('a folder with reports and stray files still shows its images', async () => {
    const el = await viewer();
    const files = [
      new File(['readme'], 'README.txt'),
      new File([(await fetchBytes(env.fixtures.structuredReport)) as Uint8Array<ArrayBuffer>], 'sr.dcm'),
      ...(await Promise.all(
        env.phantom.baseline.urls.map(
          async (u) => new File([(await fetchBytes(u)) as Uint8Array<ArrayBuffer>], u.split('/').pop()!),
        ),
      )),
    ];
    const loaded = nextEvent<SeriesLoadEvent>(el, 'ct-series-load');
    el.files = files;
    const { detail } = await loaded;
    expect(detail.sliceCount).to.equal(baseline.sliceCount);
    expect(detail.skipped).to.equal(2);
  });

  it('several series in one drop are told apart (largest first, selectable)', async () => {
    const el = await viewer();
    const followupSubset = env.phantom.followup.urls.slice(0, 10);
    const urls = [...env.phantom.baseline.urls, ...followupSubset];
    const files = await Promise.all(
      urls.map(async (u, i) => new File([(await fetchBytes(u)) as Uint8Array<ArrayBuffer>], `${i}.dcm`)),
    );
    const loaded = nextEvent<SeriesLoadEvent>(el, 'ct-series-load');
    el.files = files;
    const { detail } = await loaded;
    expect(detail.seriesCount).to.equal(2);
    expect(detail.seriesUid).to.equal(baseline.seriesInstanceUid);
    await el.updateComplete;
    const select = el.shadowRoot!.querySelector<HTMLSelectElement>('#series')!;
    expect(select.options.length).to.equal(2);
    const next = nextEvent<SeriesLoadEvent>(el, 'ct-series-load');
    select.value = '1';
    select.dispatchEvent(new Event('change'));
    const second = await next;
    expect(second.detail.seriesUid).to.equal(env.phantom.followup.truth.seriesInstanceUid);
    expect(second.detail.sliceCount).to.equal(10);
  });
});
