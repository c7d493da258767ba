/** What the report reads from the viewers' images: a finding's slice, a key image of the shown slice. */
import type { Catalogue, Finding, KeyImage } from '@secondread/core';
import type { CtViewer } from '@secondread/ct-viewer';

/** "slice 39/60" for the image a finding is on, from the first viewer that shows that series. */
export function sliceOf(finding: Finding, viewers: readonly (CtViewer | null)[], t: Catalogue): string | null {
  const sop = finding.location.measurements[0]?.sopInstanceUid ?? finding.location.images[0]?.sopInstanceUid;
  if (!sop) return null;
  for (const viewer of viewers) {
    const instances = viewer?.seriesModel?.instances;
    const index = instances?.findIndex((i) => i.sopInstanceUid === sop) ?? -1;
    if (instances && index >= 0) return t.report.sliceOf(String(index + 1), String(instances.length));
  }
  return null;
}

/** The viewer's picture, annotations included, as a key image (PNG data URL); null when no image is shown. */
export async function captureKeyImage(viewer: CtViewer | null, t: Catalogue): Promise<KeyImage | null> {
  const series = viewer?.seriesModel;
  const instance = series?.instances[viewer!.sliceIndex];
  if (!viewer || !series || !instance) return null;
  const blob = await viewer.captureImage();
  const dataUrl = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('The key image could not be read.'));
    reader.readAsDataURL(blob);
  });
  return {
    image: { studyUid: series.studyUid, seriesUid: series.seriesUid, sopInstanceUid: instance.sopInstanceUid },
    dataUrl,
    capturedAt: new Date().toISOString(),
    caption: t.report.sliceOf(String(viewer.sliceIndex + 1), String(series.instances.length)),
  };
}
