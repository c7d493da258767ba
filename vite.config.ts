import { defaultClientConditions, defineConfig } from 'vite';
import { viteCommonjs } from '@originjs/vite-plugin-commonjs';

/**
 * One Vite configuration for the demo portal, Storybook and the browser tests.
 * Cornerstone3D v5 needs the CommonJS plugin, ES-module workers, and the metadata
 * and utils packages pre-bundled once so that core and the image loader share them
 * (see ../shared/docs/platform-notes.md). The packages' exports point at their built dist/ (what
 * an app installs); the "@secondread/source" condition serves their TypeScript sources here instead.
 */
export default defineConfig({
  plugins: [viteCommonjs({ skipPreBuild: true })],
  worker: { format: 'es' },
  resolve: {
    conditions: ['@secondread/source', ...defaultClientConditions],
    dedupe: ['lit', 'lit-html', '@lit/reactive-element'],
  },
  optimizeDeps: {
    // pako stays unbundled: the image loader imports its default export, which a pre-bundled copy lacks.
    exclude: ['@cornerstonejs/dicom-image-loader', 'pako'],
    include: [
      'dicom-parser',
      '@cornerstonejs/metadata',
      '@cornerstonejs/utils',
      '@secondread/opinion-report > pdfjs-dist',
    ],
  },
});
