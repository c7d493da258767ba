import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import type { CtViewer, SeriesLoadEvent } from '@secondread/ct-viewer';

async function lidcFiles(): Promise<File[]> {
  const names = (await (await fetch('/__data/shared/lidc-idri-0001/ct/')).json()) as string[];
  return Promise.all(
    names.map(async (n) => new File([await (await fetch(`/__data/shared/lidc-idri-0001/ct/${n}`)).arrayBuffer()], n)),
  );
}

describe('ct-viewer local files', () => {
  it('loads LIDC from files', async () => {
    const el = await fixture<CtViewer>(html`<ct-viewer style="width:512px;height:512px"></ct-viewer>`);
    const loaded = new Promise<SeriesLoadEvent>((r) => el.addEventListener('ct-series-load', r, { once: true }));
    el.files = await lidcFiles();
    const ev = await loaded;
    expect(ev.detail.sliceCount).to.equal(133);
    expect(el.state).to.equal('ready');
  });
});
