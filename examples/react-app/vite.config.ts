import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { secondread } from '@secondread/ct-viewer/vite';

// `secondread()` is for the dev server (`vite build` works without it).
export default defineConfig({ plugins: [react(), secondread()] });
