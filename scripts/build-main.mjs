// Bundles the main-process entries with esbuild into dist/main/*.cjs. Native modules and
// electron stay external: they are loaded from node_modules (or native/) at run time.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // kinesalite loads its actions with dynamic requires; pg-native is optional in pg; DuckDB picks its native binding per platform.
  external: [
    'electron',
    'better-sqlite3',
    '@napi-rs/keyring',
    '@node-rs/crc32',
    'bufferutil',
    'utf-8-validate',
    'kinesalite',
    'pg-native',
    '@duckdb/node-api',
    '@duckdb/node-bindings',
  ],
};

await Promise.all([
  build({
    ...common,
    entryPoints: {
      electron: 'main/electron/main.ts',
      host: 'main/host/index.ts',
      cli: 'main/cli/index.ts',
      'render-worker': 'main/sync/render-worker.ts',
      'ledger-thread': 'main/sync/run/ledger-thread.ts',
      'differ-stage-process': 'main/sync/differ-stage-process.ts',
      'sqlite-read-process': 'main/sources/sqlite-read-process.ts',
    },
    outdir: 'dist/main',
    outExtension: { '.js': '.cjs' },
  }),
  // The sandboxed preload may require only 'electron': everything else is bundled in.
  build({ ...common, entryPoints: { preload: 'main/electron/preload.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' }, target: 'chrome120' }),
]);
console.log('built dist/main (electron, preload, host, cli)');
