import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { collectPart10Series } from '../src/part10.ts';
import { ViewerError } from '../src/errors.ts';
import { isColourImage, unsupportedPixelFormat } from '../src/instance.ts';
import { pixelReadingOf } from '../src/engine.ts';
import { preparePixelFixtures } from '../../../test/support/pixel-fixtures.ts';

const fixtures = await preparePixelFixtures();
const input = (path: string) => ({ name: path, bytes: new Uint8Array(readFileSync(path)) });

describe('pixel formats', () => {
  const native = '1.2.840.10008.1.2.1';
  const rle = '1.2.840.10008.1.2.5';
  const format = (samplesPerPixel: number, photometricInterpretation: string, bitsAllocated: number, ts = native) => ({
    samplesPerPixel,
    photometricInterpretation,
    bitsAllocated,
    transferSyntaxUid: ts,
  });

  it('displays 8/16-bit grayscale, 8-bit colour and uncompressed 16-bit RGB', () => {
    assert.equal(unsupportedPixelFormat(format(1, 'MONOCHROME2', 16)), null);
    assert.equal(unsupportedPixelFormat(format(1, 'MONOCHROME1', 8, rle)), null);
    for (const pi of ['RGB', 'YBR_FULL', 'YBR_FULL_422', 'YBR_ICT', 'YBR_RCT']) {
      assert.equal(unsupportedPixelFormat(format(3, pi, 8, rle)), null, pi);
    }
    assert.equal(unsupportedPixelFormat(format(3, 'RGB', 16)), null);
  });

  it('refuses 32-bit samples, 16-bit compressed colour, odd sample counts', () => {
    assert.match(unsupportedPixelFormat(format(1, 'MONOCHROME2', 32, rle))!, /32 bits/);
    assert.match(unsupportedPixelFormat(format(1, 'MONOCHROME2', 1))!, /1 bits/);
    assert.match(unsupportedPixelFormat(format(3, 'RGB', 16, rle))!, /16-bit RGB uncompressed/);
    assert.match(unsupportedPixelFormat(format(4, 'ARGB', 8))!, /1 or 3 samples/);
  });

  it('tells colour from grayscale', () => {
    assert.equal(isColourImage({ samplesPerPixel: 3, photometricInterpretation: 'YBR_FULL_422' }), true);
    assert.equal(isColourImage({ samplesPerPixel: 1, photometricInterpretation: 'PALETTE COLOR' }), true);
    assert.equal(isColourImage({ samplesPerPixel: 1, photometricInterpretation: 'MONOCHROME2' }), false);
  });

  it('lists every frame of a multi-frame image as a slice', () => {
    const multi = fixtures.colour.find((c) => c.frames > 1)!;
    const { series } = collectPart10Series([input(multi.file)]);
    const instances = series[0]!.model.instances;
    assert.equal(instances.length, multi.frames);
    assert.deepEqual(
      instances.map((i) => i.frameNumber),
      Array.from({ length: multi.frames }, (_, i) => i + 1),
    );
    assert.equal(series[0]!.objects.length, multi.frames);
  });

  it('refuses a 32-bit RLE image as unsupported, naming the format', () => {
    assert.throws(
      () => collectPart10Series([input(fixtures.rle32)]),
      (error: unknown) => error instanceof ViewerError && error.code === 'unsupported' && /32 bits/.test(error.message),
    );
  });

  it('types a pixel reading by kind', () => {
    const at = { column: 1, row: 2, positionMm: [0, 0, 0] as const };
    assert.deepEqual(pixelReadingOf({ ...at, value: -5 }), { kind: 'modality', value: -5, ...at });
    assert.deepEqual(pixelReadingOf({ ...at, value: null, rgb: [1, 2, 3] }), { kind: 'rgb', rgb: [1, 2, 3], ...at });
    assert.equal(pixelReadingOf({ ...at, value: null }), null);
  });
});
