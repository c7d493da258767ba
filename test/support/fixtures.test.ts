/**
 * Bad-input fixtures exist and are bad in the advertised way.
 * Run with `pnpm exec tsx --test test/support/fixtures.test.ts`.
 */
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import dicomParser from 'dicom-parser';
import { readPart10 } from '../../packages/phantom/src/index.ts';
import { COMPREHENSIVE_SR_STORAGE, generateTinySr, prepareBadFixtures } from './fixtures.ts';

describe('bad-input fixtures', () => {
  it('writes truncated, non-DICOM, empty and non-image files', async () => {
    const fixtures = await prepareBadFixtures();
    const byKind = (kind: string) => fixtures.filter((fixture) => fixture.kind === kind);
    assert.equal(byKind('truncated').length, 2);
    assert.equal(byKind('not-dicom').length, 1);
    assert.equal(byKind('empty').length, 1);
    assert.equal(byKind('non-image').length, 1);

    for (const fixture of byKind('truncated')) {
      const bytes = new Uint8Array(await readFile(fixture.path));
      assert.equal(Buffer.from(bytes.subarray(128, 132)).toString('latin1'), 'DICM', fixture.name);
      // dicom-parser throws strings, not Errors: accept anything thrown.
      assert.throws(
        () => dicomParser.parseDicom(bytes),
        () => true,
        `${fixture.name} must not parse`,
      );
    }
    const text = new Uint8Array(await readFile(byKind('not-dicom')[0]!.path));
    assert.throws(
      () => dicomParser.parseDicom(text),
      () => true,
    );
    assert.equal((await readFile(byKind('empty')[0]!.path)).length, 0);

    const sr = new Uint8Array(await readFile(byKind('non-image')[0]!.path));
    const dataSet = dicomParser.parseDicom(sr);
    assert.equal(dataSet.string('x00080060'), 'SR');
    assert.equal(dataSet.elements.x7fe00010, undefined, 'no pixel data');
  });

  it('can generate its own SR when the shared sample is absent', () => {
    const bytes = generateTinySr();
    const { dataset, meta } = readPart10(bytes);
    assert.equal(meta.MediaStorageSOPClassUID, COMPREHENSIVE_SR_STORAGE);
    assert.equal(dataset.Modality, 'SR');
    assert.equal(dataset.PixelData, undefined);
    assert.deepEqual(Buffer.from(generateTinySr()), Buffer.from(bytes), 'deterministic');
  });
});
