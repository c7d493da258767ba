/**
 * Small bad-input fixtures for error-handling tests, written to `.cache/fixtures/bad/`:
 *
 * - `truncated-pixel-data.dcm`: the first half of a phantom CT slice (cut inside Pixel Data);
 * - `truncated-header.dcm`: the first 400 bytes of the same slice (cut inside the header);
 * - `not-dicom.dcm`: a plain text file with a .dcm name;
 * - `empty.dcm`: zero bytes;
 * - a non-image DICOM object: the third-party TID 1500 Comprehensive SR from the shared data
 *   (referenced in place, not copied), or when that is absent `generated-sr.dcm`, a tiny
 *   Comprehensive SR written with dcmjs.
 *
 * Also runnable: `pnpm exec tsx test/support/fixtures.ts [outDir]`.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PHANTOM_PATIENT, uidFromSeed, writePart10, writePhantom } from '../../packages/phantom/src/index.ts';
import { cacheDir, phantomDir, srSampleFile } from './paths.ts';

/** Default output directory. */
export const BAD_FIXTURES_DIR: string = join(cacheDir, 'fixtures/bad');

/** Comprehensive SR Storage. */
export const COMPREHENSIVE_SR_STORAGE = '1.2.840.10008.5.1.4.1.1.88.33';

/** What is wrong with a fixture. */
export type BadFixtureKind = 'truncated' | 'not-dicom' | 'empty' | 'non-image';

/** One bad-input fixture. */
export interface BadFixture {
  name: string;
  kind: BadFixtureKind;
  /** Absolute path. */
  path: string;
  description: string;
}

/** Writes atomically (temp file + rename), so parallel callers never read a partial file. */
async function writeAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const temp = `${path}.${process.pid}-${Date.now()}.tmp`;
  await writeFile(temp, bytes);
  await rename(temp, path);
}

/** A minimal, valid Comprehensive SR (one text item) for the synthetic phantom patient. */
export function generateTinySr(): Uint8Array {
  const uid = (what: string): string => uidFromSeed(`secondread-fixtures|tiny-sr|${what}`);
  const code = (value: string, meaning: string): Record<string, string> => ({
    CodeValue: value,
    CodingSchemeDesignator: 'DCM',
    CodeMeaning: meaning,
  });
  const sopInstanceUid = uid('sop');
  return writePart10(
    {
      SpecificCharacterSet: 'ISO_IR 100',
      SOPClassUID: COMPREHENSIVE_SR_STORAGE,
      SOPInstanceUID: sopInstanceUid,
      StudyDate: '20240115',
      ContentDate: '20240115',
      StudyTime: '093000',
      ContentTime: '093000',
      AccessionNumber: '',
      Modality: 'SR',
      Manufacturer: 'SecondRead',
      ReferringPhysicianName: '',
      StudyDescription: 'SecondRead bad-input fixture',
      SeriesDescription: 'Tiny SR (not an image)',
      PatientName: PHANTOM_PATIENT.name,
      PatientID: PHANTOM_PATIENT.id,
      PatientBirthDate: PHANTOM_PATIENT.birthDate,
      PatientSex: PHANTOM_PATIENT.sex,
      StudyInstanceUID: uid('study'),
      SeriesInstanceUID: uid('series'),
      StudyID: 'SR1',
      SeriesNumber: 1,
      InstanceNumber: 1,
      ReferencedPerformedProcedureStepSequence: [],
      ValueType: 'CONTAINER',
      ConceptNameCodeSequence: [code('126000', 'Imaging Measurement Report')],
      ContinuityOfContent: 'SEPARATE',
      PerformedProcedureCodeSequence: [],
      CompletionFlag: 'COMPLETE',
      VerificationFlag: 'UNVERIFIED',
      ContentSequence: [
        {
          RelationshipType: 'CONTAINS',
          ValueType: 'TEXT',
          ConceptNameCodeSequence: [code('121106', 'Comment')],
          TextValue: 'Synthetic structured report: a DICOM object without pixel data.',
        },
      ],
    },
    {
      mediaStorageSopClassUid: COMPREHENSIVE_SR_STORAGE,
      mediaStorageSopInstanceUid: sopInstanceUid,
      implementationClassUid: uidFromSeed('secondread-phantom|implementation'),
      implementationVersionName: 'SECONDREAD_PH1',
    },
  );
}

/** Writes (or refreshes) the bad-input fixtures and lists them. Cheap and deterministic. */
export async function prepareBadFixtures(outDir: string = BAD_FIXTURES_DIR): Promise<BadFixture[]> {
  outDir = resolve(outDir);
  await mkdir(outDir, { recursive: true });
  const phantom = await writePhantom(phantomDir);
  const slicePath = phantom.baseline.files[0];
  if (!slicePath) throw new Error('phantom has no files');
  const slice = await readFile(slicePath);

  const fixtures: BadFixture[] = [];
  const add = async (
    name: string,
    kind: BadFixtureKind,
    description: string,
    bytes: Uint8Array | string,
  ): Promise<void> => {
    const path = join(outDir, name);
    await writeAtomic(path, bytes);
    fixtures.push({ name, kind, path, description });
  };
  await add(
    'truncated-pixel-data.dcm',
    'truncated',
    `First ${Math.floor(slice.length / 2)} of ${slice.length} bytes of a phantom CT slice: valid header, Pixel Data cut short.`,
    slice.subarray(0, Math.floor(slice.length / 2)),
  );
  await add(
    'truncated-header.dcm',
    'truncated',
    'First 400 bytes of a phantom CT slice: preamble and file meta, dataset cut inside the header.',
    slice.subarray(0, 400),
  );
  await add(
    'not-dicom.dcm',
    'not-dicom',
    'A plain text file named .dcm.',
    'This is not a DICOM file.\nJust text with a .dcm name.\n',
  );
  await add('empty.dcm', 'empty', 'Zero bytes.', new Uint8Array(0));

  const sample = srSampleFile();
  if (sample) {
    await rm(join(outDir, 'generated-sr.dcm'), { force: true });
    fixtures.push({
      name: 'sr.dcm',
      kind: 'non-image',
      path: sample,
      description: 'Third-party TID 1500 Comprehensive SR (dcmqi, QIN-HEADNECK), read in place from the shared data.',
    });
  } else {
    await add(
      'generated-sr.dcm',
      'non-image',
      'Tiny Comprehensive SR written with dcmjs (no pixel data).',
      generateTinySr(),
    );
  }
  return fixtures;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const fixture of await prepareBadFixtures(process.argv[2])) {
    console.log(`${fixture.kind.padEnd(10)} ${fixture.path}  (${fixture.description})`);
  }
}
