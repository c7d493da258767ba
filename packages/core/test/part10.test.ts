import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePhantom } from '@secondread/phantom';
import { collectPart10Series, inflateDeflatedPart10, parsePart10 } from '../src/part10.ts';
import { ViewerError } from '../src/errors.ts';
import { phantomDir } from '../../../test/support/paths.ts';

const phantom = await writePhantom(phantomDir);
const inputs = phantom.baseline.files.map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(f)) }));

describe('collectPart10Series', () => {
  it('sorts a shuffled folder by geometry and keeps the ground truth', () => {
    const { series, skipped } = collectPart10Series(inputs);
    assert.equal(series.length, 1);
    assert.equal(skipped.length, 0);
    const model = series[0]!.model;
    assert.equal(model.instances.length, phantom.baseline.truth.sliceCount);
    assert.equal(model.sliceSpacingMm, phantom.baseline.truth.sliceSpacingMm);
    assert.deepEqual(model.pixelSpacingMm, phantom.baseline.truth.pixelSpacingMm);
    const zs = model.instances.map((i) => i.imagePositionPatient![2]);
    assert.deepEqual(
      zs,
      [...zs].sort((a, b) => a - b),
    );
    assert.deepEqual(
      model.instances.map((i) => i.instanceNumber),
      zs.map((_, i) => i + 1),
    );
    assert.deepEqual(model.defaultVoi, phantom.baseline.truth.window);
    assert.equal(model.patient.id, phantom.baseline.truth.patient.id);
  });

  it('tells two series apart and skips what is not an image', () => {
    const mixed = [
      ...inputs,
      ...phantom.followup.files.slice(0, 5).map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(f)) })),
      { name: 'notes.txt', bytes: new TextEncoder().encode('hello') },
    ];
    const { series, skipped } = collectPart10Series(mixed);
    assert.deepEqual(
      series.map((s) => s.objects.length),
      [60, 5],
    );
    assert.deepEqual(skipped, [{ name: 'notes.txt', reason: 'not-dicom' }]);
  });

  it('throws typed errors for non-DICOM and truncated input', () => {
    assert.throws(
      () => collectPart10Series([{ name: 'a.txt', bytes: new Uint8Array(300) }]),
      (e: unknown) => e instanceof ViewerError && e.code === 'not-dicom',
    );
    const truncated = inputs[0]!.bytes.slice(0, inputs[0]!.bytes.length / 2);
    assert.throws(
      () => parsePart10({ name: 'cut.dcm', bytes: truncated }),
      (e: unknown) => e instanceof ViewerError && e.code === 'corrupt',
    );
  });

  it('names damaged files by position, never by name, unless the host opts in', () => {
    // File names often carry the patient ID: a message must not repeat them by default.
    const names = inputs
      .slice(0, 5)
      .map((input, i) => ({ name: `Lung_Dx-A0002_slice${i + 1}.dcm`, bytes: input.bytes }));
    const damaged = names.map((input) => ({ ...input, bytes: input.bytes.slice(0, 200) }));
    damaged[2] = { name: damaged[2]!.name, bytes: new Uint8Array(300) };
    const messageOf = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        assert.ok(error instanceof ViewerError);
        return error.message;
      }
      throw new Error('no error thrown');
    };
    const byPosition = messageOf(() => collectPart10Series(damaged));
    assert.match(byPosition, /^File 1 of 5 is (truncated|damaged)/);
    assert.doesNotMatch(byPosition, /Lung_Dx|A0002|\.dcm/);
    const single = messageOf(() => parsePart10({ name: 'Lung_Dx-A0002_slice1.dcm', bytes: new Uint8Array(300) }));
    assert.equal(single, 'The file is not a DICOM file.');
    const oneOfMany = messageOf(() => parsePart10(damaged[2]!, { index: 2, total: 5 }));
    assert.equal(oneOfMany, 'File 3 of 5 is not a DICOM file.');
    const lone = messageOf(() => collectPart10Series([{ name: 'Lung_Dx-A0002.txt', bytes: new Uint8Array(300) }]));
    assert.equal(lone, 'The file is not a DICOM file.');
    const optedIn = messageOf(() => collectPart10Series(damaged, { fileNames: true }));
    assert.match(optedIn, /^Lung_Dx-A0002_slice1\.dcm is (truncated|damaged)/);
  });

  it('inflates a deflated file (dcmtk dcmconv +td) to the same pixels', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-deflate-'));
    const out = join(dir, 'deflated.dcm');
    const run = spawnSync('dcmconv', ['+td', phantom.baseline.files[0]!, out]);
    assert.equal(run.error, undefined, 'dcmtk (dcmconv) is needed: apt-get install dcmtk');
    const deflated = new Uint8Array(readFileSync(out));
    const inflated = inflateDeflatedPart10(deflated);
    const a = parsePart10({ name: 'orig', bytes: inputs[0]!.bytes });
    const b = parsePart10({ name: 'deflated', bytes: inflated });
    assert.equal(b.dataSet.string('x00020010'), '1.2.840.10008.1.2.1');
    const pa = a.dataSet.elements['x7fe00010']!;
    const pb = b.dataSet.elements['x7fe00010']!;
    assert.deepEqual(
      b.bytes.subarray(pb.dataOffset, pb.dataOffset + pb.length),
      a.bytes.subarray(pa.dataOffset, pa.dataOffset + pa.length),
    );
  });
});
