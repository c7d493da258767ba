/**
 * The reader's measurements survive the viewer's lost WebGL context: they stay in the store and
 * are drawn again on the picture the CPU renders.
 */
import { expect } from '@open-wc/testing';
import { createMeasurement } from '@secondread/core';
import type { RendererChangeEvent } from '@secondread/ct-viewer';
import { nextEvent, testEnv, until } from '../ct-viewer/helpers.ts';
import { annotationSvg, mountPair, showSeries, showSlice } from './helpers.ts';

const env = await testEnv();
const truth = env.phantom.baseline.truth;

describe('<measurement-tools> when the viewer loses its WebGL context', () => {
  it('keeps every measurement and draws it again on the CPU-rendered slice', async function () {
    this.timeout(90_000);
    const { viewer, tools } = await mountPair('v-lost', 420);
    await showSeries(viewer, env.dicomwebRoot!, {
      studyUid: truth.studyInstanceUid,
      seriesUid: truth.seriesInstanceUid,
      columns: truth.columns,
      rows: truth.rows,
    });
    const slice = truth.nodules[0]!.sliceIndex;
    const instance = truth.instances[slice]!;
    const z = instance.imagePositionPatient[2];
    const length = createMeasurement(
      {
        kind: 'length',
        points: [
          [-60, 0, z],
          [-20, 0, z],
        ],
        studyUid: truth.studyInstanceUid,
        seriesUid: truth.seriesInstanceUid,
        sopInstanceUid: instance.sopInstanceUid,
        frameOfReferenceUid: truth.frameOfReferenceUid,
        readerId: 'dr-b',
        label: 'kept',
      },
      { id: 'kept-1' },
    );
    tools.measurements = [length];
    await showSlice(viewer, slice);
    const drawn = (): string[] =>
      [...annotationSvg(viewer).querySelectorAll('[data-annotation-uid]')].map(
        (e) => e.getAttribute('data-annotation-uid') ?? '',
      );
    await until(() => drawn().includes('kept-1'), 10_000, 'drawn on the GPU');

    const switched = nextEvent<RendererChangeEvent>(viewer, 'ct-renderer-change', 30_000);
    const host: WebGL2RenderingContext[] = [];
    for (let i = 0; i < 16; i++) host.push(document.createElement('canvas').getContext('webgl2')!);
    expect((await switched).detail.renderer).to.equal('cpu');
    await until(() => viewer.state === 'ready', 30_000, 'shown again');
    expect(viewer.sliceIndex).to.equal(slice);
    await until(() => drawn().includes('kept-1'), 10_000, 'drawn again on the CPU');
    expect(tools.measurements.map((m) => m.id)).to.deep.equal(['kept-1']);
    expect(tools.store.get('kept-1')!.values.lengthMm).to.be.closeTo(40, 0.01);
    expect(host.length).to.equal(16);
  });
});
