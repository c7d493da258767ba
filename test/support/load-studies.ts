/**
 * Loads the default test studies into an Orthanc: the phantom baseline and follow-up (generated
 * into `.cache/phantom` when missing or outdated) and, when the shared data folder is present,
 * the real LIDC-IDRI-0001 CT (133 slices) and its SEG.
 *
 * Also runnable: `pnpm exec tsx test/support/load-studies.ts <orthanc-url>` uploads into an
 * Orthanc that is already running.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import dicomParser from 'dicom-parser';
import { writePhantom } from '../../packages/phantom/src/index.ts';
import { uploadInstances, type OrthancHandle } from './orthanc.ts';
import { lidcCtFiles, lidcSegFile, phantomDir } from './paths.ts';

/** Which data a loaded series came from. */
export type LoadedSource = 'phantom-baseline' | 'phantom-followup' | 'lidc-ct' | 'lidc-seg';

/** One series that was uploaded. */
export interface LoadedSeries {
  source: LoadedSource;
  studyUid: string;
  seriesUid: string;
  /** SeriesDescription (or StudyDescription when the series has none). */
  description: string;
  modality: string;
  instanceCount: number;
}

/** Options of {@link loadDefaultStudies}. */
export interface LoadDefaultStudiesOptions {
  /** Also load the shared LIDC data when present. Default true. */
  includeShared?: boolean;
  /** Where the phantom is cached. Default `<repo>/.cache/phantom`. */
  phantomDir?: string;
}

/** Reads the identifying tags of one Part 10 file (header only). */
async function describe(file: string): Promise<Omit<LoadedSeries, 'source' | 'instanceCount'>> {
  const bytes = new Uint8Array(await readFile(file));
  const dataSet = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
  return {
    studyUid: dataSet.string('x0020000d') ?? '',
    seriesUid: dataSet.string('x0020000e') ?? '',
    description: dataSet.string('x0008103e') ?? dataSet.string('x00081030') ?? '',
    modality: dataSet.string('x00080060') ?? '',
  };
}

/**
 * Uploads the default studies and returns the series loaded, in this order: phantom baseline,
 * phantom follow-up, then (if present) LIDC CT and LIDC SEG.
 */
export async function loadDefaultStudies(
  orthanc: Pick<OrthancHandle, 'upload'>,
  options: LoadDefaultStudiesOptions = {},
): Promise<LoadedSeries[]> {
  const phantom = await writePhantom(options.phantomDir ?? phantomDir);
  const loaded: LoadedSeries[] = [];
  for (const [source, study] of [
    ['phantom-baseline', phantom.baseline],
    ['phantom-followup', phantom.followup],
  ] as const) {
    await orthanc.upload(study.files);
    loaded.push({
      source,
      studyUid: study.truth.studyInstanceUid,
      seriesUid: study.truth.seriesInstanceUid,
      description: study.truth.seriesDescription,
      modality: study.truth.modality,
      instanceCount: study.files.length,
    });
  }
  if (options.includeShared ?? true) {
    const ct = lidcCtFiles();
    const first = ct?.[0];
    if (ct && first) {
      await orthanc.upload(ct);
      loaded.push({ source: 'lidc-ct', ...(await describe(first)), instanceCount: ct.length });
    }
    const seg = lidcSegFile();
    if (seg) {
      await orthanc.upload([seg]);
      loaded.push({ source: 'lidc-seg', ...(await describe(seg)), instanceCount: 1 });
    }
  }
  return loaded;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const url = process.argv[2];
  if (!url) {
    console.error('usage: tsx test/support/load-studies.ts <orthanc-url>');
    process.exit(2);
  }
  const upload = (files: readonly string[] | readonly Uint8Array[]) => uploadInstances(url, files);
  for (const series of await loadDefaultStudies({ upload })) {
    console.log(
      `${series.source}: ${series.instanceCount} ${series.modality} ${series.studyUid} / ${series.seriesUid} "${series.description}"`,
    );
  }
}
