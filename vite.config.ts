import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer: a static bundle loaded by Electron (sluice://app/) or served by the browser host.
// Monaco is bundled from node_modules, never fetched from a CDN.
const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: path.resolve(here, 'renderer'),
  base: './',
  plugins: [react()],
  resolve: {
    // Monaco's package exports hide the files a slim editor imports (features, CSS, the worker).
    alias: [{ find: /^monaco-editor\/esm\/(.*)$/, replacement: path.resolve(here, 'node_modules/monaco-editor/esm/$1') }],
  },
  build: {
    outDir: path.resolve(here, 'dist/renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
  },
});
