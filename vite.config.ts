import { defineConfig } from 'vite';
import { viteCommonjs } from '@originjs/vite-plugin-commonjs';

/**
 * One Vite configuration for the demo portal, Storybook and the browser tests.
 * Cornerstone3D v5 needs the CommonJS plugin, ES-module workers, and the metadata
 * and utils packages pre-bundled once so that core and the image loader share them
 * (see ../shared/docs/platform-notes.md).
 */
export default defineConfig({
  plugins: [viteCommonjs({ skipPreBuild: true })],
  worker: { format: 'es' },
  resolve: { dedupe: ['lit', 'lit-html', '@lit/reactive-element'] },
  optimizeDeps: {
    // pako stays unbundled: the image loader imports its default export, which a pre-bundled copy lacks.
    exclude: ['@cornerstonejs/dicom-image-loader', 'pako'],
    include: ['dicom-parser', '@cornerstonejs/metadata', '@cornerstonejs/utils'],
  },
});
