import { expect, fixture, html } from '@open-wc/testing';
import '@secondread/ct-viewer/define.js';
import type { CtViewer } from '@secondread/ct-viewer';
import { fetchBytes, pixelToCss, seriesLoaded, storedPixel, testEnv } from './helpers.ts';
import dicomParser from 'dicom-parser';

const env = await testEnv();
const sourceBytes = await fetchBytes(env.transcodeSourceUrl);
const source = dicomParser.parseDicom(sourceBytes);
const rows = source.uint16('x00280010')!;
const columns = source.uint16('x00280011')!;
/** Points spread over the body, where lossy codecs are judged too. */
const points: [number, number][] = [
  [columns >> 1, rows >> 1],
  [columns >> 2, rows >> 1],
  [(3 * columns) >> 2, (3 * rows) >> 2],
  [columns >> 1, (3 * rows) >> 3],
  [5, 5],
];

describe('<ct-viewer> transfer syntaxes (one slice transcoded by dcmtk/GDCM)', () => {
  it('has fixtures for every required syntax', () => {
    const syntaxes = env.transcoded.map((t) => t.transferSyntaxUid);
    for (const uid of env.requiredTransferSyntaxes) {
      expect(syntaxes, uid).to.include(uid);
    }
  });

  for (const fixtureInfo of env.transcoded) {
    it(`${fixtureInfo.name} (${fixtureInfo.transferSyntaxUid}) renders with the ${fixtureInfo.lossless ? 'exact' : 'approximate'} HU`, async () => {
      const el = await fixture<CtViewer>(html`<ct-viewer style="width:400px;height:440px" hide-toolbar></ct-viewer>`);
      const loaded = seriesLoaded(el);
      el.files = [
        new File([(await fetchBytes(fixtureInfo.url)) as Uint8Array<ArrayBuffer>], `${fixtureInfo.name}.dcm`),
      ];
      await loaded;
      let sumError = 0;
      for (const [column, row] of points) {
        const { stored, slope, intercept } = storedPixel(sourceBytes, column, row);
        const expected = stored * slope + intercept;
        const [x, y] = pixelToCss(el, columns, rows, column, row);
        const shown = el.valueAt(x, y);
        expect(shown, `HU at (${column}, ${row})`).to.be.a('number');
        if (fixtureInfo.lossless) expect(shown, `HU at (${column}, ${row})`).to.equal(expected);
        else sumError += Math.abs(shown! - expected);
      }
      // Lossy: 8-bit baseline JPEG of 16-bit CT is coarse (dcmtk rescales to 8 bits, ~16 HU per step).
      if (!fixtureInfo.lossless) expect(sumError / points.length).to.be.lessThan(60);
    });
  }
});
