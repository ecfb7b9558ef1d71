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
    rolldownOptions: {
      output: {
        // Monaco's modules import each other in cycles: split into pieces, they must still run in the
        // order of their imports (without this, a class runs before the class it extends).
        strictExecutionOrder: true,
        // The app loads its own code and React first. Monaco (~4 MB) is imported only by the lazily
        // loaded editors (renderer/src/editor/lazy.tsx) and comes in pieces of at most ~450 kB,
        // fetched together when an editor first shows; Liquid (the template checks) and zod load
        // beside the app as chunks of their own.
        codeSplitting: {
          groups: [
            // Vite's helper that loads a lazy chunk's CSS and imports: tiny, needed at start, not Monaco's.
            { name: 'preload', test: /preload-helper/, priority: 4 },
            { name: 'monaco', test: /node_modules[\\/]monaco-editor[\\/]/, maxSize: 1_400_000, priority: 3 },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 2 },
            { name: 'liquid', test: /node_modules[\\/]liquidjs[\\/]/, priority: 2 },
            { name: 'zod', test: /node_modules[\\/]zod[\\/]/, priority: 2 },
          ],
        },
      },
    },
  },
});
