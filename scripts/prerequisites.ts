/**
 * What `pnpm test` and `pnpm start` need from the machine, checked before they start, so that a
 * missing tool is named with the Debian package that brings it instead of a stack trace
 * (`spawn gdcmconv ENOENT`) half-way through a run.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CHROMIUM_PATH } from '../test/support/chromium.ts';
import { DEFAULT_DICOMWEB_PLUGIN, orthancBinary } from '../test/support/orthanc.ts';

/** One program or file the project runs, and where it comes from. */
export interface Prerequisite {
  /** What is looked for (a command on PATH, or a file). */
  readonly what: string;
  /** The Debian package that installs it. */
  readonly debianPackage: string;
  /** What it is used for, in a few words. */
  readonly usedFor: string;
  /** True when it is there. */
  readonly present: () => boolean;
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .some((dir) => isExecutable(join(dir, command)));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function command(what: string, debianPackage: string, usedFor: string): Prerequisite {
  return { what, debianPackage, usedFor, present: () => onPath(what) };
}

/** Orthanc and its DICOMweb plugin: the PACS of the tests and the demo. */
export const ORTHANC: readonly Prerequisite[] = [
  {
    what: 'Orthanc',
    debianPackage: 'orthanc',
    usedFor: 'the PACS (DICOMweb server)',
    present: () => !!orthancBinary(),
  },
  {
    what: process.env.ORTHANC_DICOMWEB_PLUGIN || DEFAULT_DICOMWEB_PLUGIN,
    debianPackage: 'orthanc-dicomweb',
    usedFor: "Orthanc's DICOMweb plugin",
    present: () => isReadable(process.env.ORTHANC_DICOMWEB_PLUGIN || DEFAULT_DICOMWEB_PLUGIN),
  },
];

function isReadable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** Everything `pnpm test` runs besides Node. */
export const TEST_PREREQUISITES: readonly Prerequisite[] = [
  {
    what: CHROMIUM_PATH,
    debianPackage: 'chromium',
    usedFor: 'the browser tests (or set CHROME_PATH)',
    present: () => isExecutable(CHROMIUM_PATH),
  },
  ...ORTHANC,
  command('dcmconv', 'dcmtk', 'transfer-syntax fixtures'),
  command('dcmcjpeg', 'dcmtk', 'JPEG fixtures'),
  command('dcmcjpls', 'dcmtk', 'JPEG-LS fixtures'),
  command('dcmcrle', 'dcmtk', 'RLE fixtures'),
  command('dcmdump', 'dcmtk', 'reading fixtures back'),
  command('dsrdump', 'dcmtk', 'checking the SRs we write'),
  command('gdcmconv', 'libgdcm-tools', 'JPEG 2000 fixtures'),
  command('dciodvfy', 'dicom3tools', 'validating the SRs we write'),
  command('pdftotext', 'poppler-utils', 'checking the printed report'),
];

/** The prerequisites of `list` that are missing. */
export function missing(list: readonly Prerequisite[]): Prerequisite[] {
  return list.filter((p) => !p.present());
}

/** Words for a list of missing prerequisites, ending with the `apt-get` line that installs them. */
export function describeMissing(list: readonly Prerequisite[]): string {
  const packages = [...new Set(list.map((p) => p.debianPackage))];
  return [
    ...list.map((p) => `  - ${p.what} (${p.usedFor}): Debian package ${p.debianPackage}`),
    `Install them with: sudo apt-get install -y ${packages.join(' ')}`,
  ].join('\n');
}
