import { useEffect, useState } from 'react';
import { CtViewer, MeasurementTools } from '@secondread/react';
import type { SliceChangeDetail } from '@secondread/ct-viewer';

/** What the page tells the test (and a reader): the last slice event and how often the app rendered. */
declare global {
  interface Window {
    app?: { renders: number; slice: SliceChangeDetail | null; lengths: number[]; rerender: () => void };
  }
}

export function App() {
  const [urls, setUrls] = useState<string[]>([]);
  const [slice, setSlice] = useState<SliceChangeDetail | null>(null);
  const [lengths, setLengths] = useState<number[]>([]);
  const [tick, setTick] = useState(0);

  // Part 10 files from the app's own server, listed in /study/index.json. With a PACS instead:
  // <CtViewer dicomwebRoot="/dicom-web" studyUid="1.2.840…" />.
  useEffect(() => {
    void fetch('/study/index.json')
      .then((response) => response.json() as Promise<string[]>)
      .then((names) => setUrls(names.map((name) => `/study/${name}`)));
  }, []);

  window.app = { renders: tick, slice, lengths, rerender: () => setTick((n) => n + 1) };

  return (
    <main style={{ display: 'flex', gap: 8 }}>
      <CtViewer
        id="viewer"
        urls={urls}
        // A new object on every render, as a token refresh gives: equal content is no change.
        headers={{ 'X-Portal': 'example' }}
        onCtSliceChange={(event) => setSlice(event.detail)}
        onCtError={(event) => console.warn(event.detail.code, event.detail.message)}
        style={{ width: 640, height: 640 }}
      />
      <MeasurementTools
        for="viewer"
        tool="length"
        onCtMeasurementAdd={(event) => {
          const { lengthMm } = event.detail.measurement.values;
          if (lengthMm !== undefined) setLengths((list) => [...list, lengthMm]);
        }}
        style={{ width: 280 }}
      />
      <output>{slice ? `slice ${slice.index + 1} of ${slice.count}` : 'no slice yet'}</output>
    </main>
  );
}
