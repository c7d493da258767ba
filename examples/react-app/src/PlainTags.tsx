import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';

/**
 * The same reader without the wrappers: React 19 sets the elements' properties itself and binds
 * `on` + an event's name as a listener; the packages' JSX typings (src/vite-env.d.ts) type both.
 * Not rendered by the example; `tsc` checks it.
 */
export function PlainTags({ urls, onSlice }: { urls: string[]; onSlice: (index: number) => void }) {
  return (
    <main style={{ display: 'flex', gap: 8 }}>
      <ct-viewer
        id="plain-viewer"
        urls={urls}
        headers={{ 'X-Portal': 'example' }}
        onct-slice-change={(event) => onSlice(event.detail.index)}
        style={{ width: 640, height: 640 }}
      />
      <measurement-tools
        for="plain-viewer"
        tool="length"
        onct-measurement-add={(event) => console.log(event.detail.measurement.values.lengthMm)}
      />
    </main>
  );
}
