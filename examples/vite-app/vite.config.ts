import { defineConfig } from 'vite';
import { secondread } from '@secondread/ct-viewer/vite';

// Only the dev server needs this line (`vite build` works without a config).
export default defineConfig({ plugins: [secondread()] });
