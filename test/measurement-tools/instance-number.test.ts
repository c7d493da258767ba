/**
 * Radiologists cite images by Instance Number ("image 8"): each list item names its image by
 * Instance Number and by stack position (`#N, Im i/n`). Tested on the phantom with its Instance
 * Numbers rewritten to run against the position order, as some scanners number them.
 */
import { expect } from '@open-wc/testing';
import dicomParser from 'dicom-parser';
import { createMeasurement, type Measurement } from '@secondread/core';
import type { CtViewer } from '@secondread/ct-viewer';
import type { MeasurementAddEvent } from '@secondread/measurement-tools';
import { fetchBytes, nextEvent, testEnv, until } from '../support/browser-helpers.ts';
import { seriesLoaded } from '../ct-viewer/helpers.ts';
import { drag, mountPair, pagePoint, showSlice } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;
const sliceCount = truth.instances.length;

/**
 * The phantom's files with Instance Number n + 1 − k (k = 1…n, the original numbers), written
 * in place in the IS value (same length, space-padded).
 */
async function reverselyNumberedFiles(): Promise<File[]> {
  const all = await Promise.all(env.phantom.baseline.urls.map((url) => fetchBytes(url)));
  return all.map((bytes, index) => {
    const dataSet = dicomParser.parseDicom(bytes);
    const element = dataSet.elements['x00200013'];
    const original = dataSet.intString('x00200013');
    if (!element || original === undefined) throw new Error('phantom slice without Instance Number');
    const value = String(sliceCount + 1 - original);
    if (value.length > element.length) throw new Error(`Instance Number ${value} does not fit`);
    const text = value.padEnd(element.length, ' ');
    for (let i = 0; i < element.length; i++) bytes[element.dataOffset + i] = text.charCodeAt(i);
    return new File([bytes as Uint8Array<ArrayBuffer>], `slice-${index}.dcm`);
  });
}

/** A length on slice `index` (0-based, position order) of what the viewer shows. */
function lengthOn(viewer: CtViewer, index: number, id: string): Measurement {
  const model = viewer.seriesModel!;
  const instance = model.instances[index]!;
  const z = instance.imagePositionPatient![2];
  return createMeasurement(
    {
      kind: 'length',
      points: [
        [-40, -20, z],
        [-10, -20, z],
      ],
      studyUid: model.studyUid,
      seriesUid: model.seriesUid,
      sopInstanceUid: instance.sopInstanceUid,
      frameOfReferenceUid: truth.frameOfReferenceUid,
      readerId: 'dr-b',
      label: id,
    },
    { id },
  );
}

const whereOf = (root: ShadowRoot, id: string): string =>
  root.querySelector(`[part=item][data-id="${id}"] .where`)?.textContent?.trim() ?? '';

describe('<measurement-tools>: Instance Number in the list', () => {
  it('names each measurement’s image by Instance Number and stack position when they run opposite ways', async () => {
    const { viewer, tools } = await mountPair('v-instance-number');
    const loaded = seriesLoaded(viewer);
    viewer.files = await reverselyNumberedFiles();
    await loaded;
    const instances = viewer.seriesModel!.instances;
    expect(instances).to.have.length(sliceCount);
    // Position order, numbered the other way: the first image is #60, the last #1.
    expect(instances[0]!.instanceNumber).to.equal(sliceCount);
    expect(instances[sliceCount - 1]!.instanceNumber).to.equal(1);

    tools.measurements = [lengthOn(viewer, 5, 'near-top'), lengthOn(viewer, 40, 'lower')];
    const root = tools.shadowRoot!;
    await until(() => whereOf(root, 'lower') !== '', 5000, 'list items');
    expect(whereOf(root, 'near-top')).to.equal(`#${sliceCount - 5}, Im 6/${sliceCount}`);
    expect(whereOf(root, 'lower')).to.equal(`#${sliceCount - 40}, Im 41/${sliceCount}`);

    // One drawn with the mouse on slice index 22: image #38, Im 23/60.
    await showSlice(viewer, 22);
    tools.tool = 'length';
    await tools.toolReady;
    const added = nextEvent<MeasurementAddEvent>(tools, 'ct-measurement-add');
    const series = { studyUid: '', seriesUid: '', columns: truth.columns, rows: truth.rows };
    await drag(pagePoint(viewer, series, 60, 70), pagePoint(viewer, series, 130, 90));
    const drawn = (await added).detail.measurement;
    expect(drawn.sopInstanceUid).to.equal(instances[22]!.sopInstanceUid);
    await until(() => whereOf(root, drawn.id) !== '', 5000, 'the drawn item');
    expect(whereOf(root, drawn.id)).to.equal(`#${sliceCount - 22}, Im 23/${sliceCount}`);
  });
});
