import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { secondread } from '@secondread/ct-viewer/vite';

export default defineConfig({
  plugins: [
    // Vue renders SecondRead's tags as custom elements (properties and DOM events), not as Vue components.
    vue({
      template: { compilerOptions: { isCustomElement: (tag) => tag === 'ct-viewer' || tag === 'measurement-tools' } },
    }),
    // For the dev server (`vite build` works without it).
    secondread(),
  ],
});
