import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** A path inside the packaged app's asar archive, moved to its unpacked copy (electron-builder's asarUnpack). */
export function outsideAsar(file: string): string {
  return file.replace(/\.asar([\\/])/, '.asar.unpacked$1');
}

/**
 * Starts a worker thread on the script `name` in `dir`: from sources (tsx: tests, bench) the `.ts`
 * through tsx; bundled, the `.cjs` build-main.mjs writes beside the bundle (packaged: unpacked from the
 * asar, where a Worker cannot load it).
 */
export function startThread(dir: string, name: string, workerData: unknown): Worker {
  const fromSource = __filename.endsWith('.ts');
  const script = outsideAsar(path.join(dir, fromSource ? `${name}.ts` : `${name}.cjs`));
  return fromSource ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { workerData, eval: true }) : new Worker(script, { workerData });
}
