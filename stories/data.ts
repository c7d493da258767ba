/**
 * Data for the stories: the generated phantom and, when the shared data is on this machine,
 * LIDC-IDRI-0001 — both served by Storybook with an `index.json` per folder (.storybook/main.ts).
 */

/** What the loaders hand to `render`. */
export interface LoadedData {
  urls?: readonly string[] | null;
  studyUid?: string;
  seriesUid?: string;
  /** Shown instead of the viewer when the story's data is not on this machine. */
  missing?: string;
}

/**
 * URLs of the DICOM files in a served folder, from the `index.json` that Storybook's data plugin
 * writes for it (.storybook/main.ts). Null when the folder is not served (data absent).
 */
export async function dicomUrlsIn(folder: string): Promise<string[] | null> {
  const response = await fetch(`${folder}/index.json`, { cache: 'no-store' });
  if (!response.ok || !response.headers.get('content-type')?.includes('json')) return null;
  const names = (await response.json()) as string[];
  return names.map((name) => `${folder}/${encodeURIComponent(name)}`);
}

export const phantomLoader = async (): Promise<LoadedData> => {
  const urls = await dicomUrlsIn('phantom/baseline');
  return urls
    ? { urls }
    : { missing: 'The phantom is missing: run `pnpm exec tsx packages/phantom/src/cli.ts` and restart Storybook.' };
};

export const lidcLoader = async (): Promise<LoadedData> => {
  const urls = await dicomUrlsIn('lidc/ct');
  return urls
    ? { urls }
    : { missing: 'LIDC-IDRI-0001 is not on this machine (expected in ../shared/data/lidc-idri-0001/ct).' };
};
