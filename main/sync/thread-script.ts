import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** A path inside the packaged app's asar archive, moved to its unpacked copy (electron-builder's asarUnpack). */
export function outsideAsar(file: string): string {
  return file.replace(/\.asar([\\/])/, '.asar.unpacked$1');
}

/**
 * A run's threads (render, ledger) hold a chunk or a batch at a time: a young generation of 16 MiB
 * (V8's default grows to three times that per thread) lowered a 1M-row Kafka sync's peak memory
 * (533 → 500 MB in one run each). Their old generation is left unbounded, so a model of very large rows cannot run a thread
 * out of memory.
 */
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 16 };

/**
 * Starts a worker thread on the script `name` in `dir`: from sources (tsx: tests, bench) the `.ts`
 * through tsx; bundled, the `.cjs` build-main.mjs writes beside the bundle (packaged: unpacked from the
 * asar, where a Worker cannot load it).
 */
export function startThread(dir: string, name: string, workerData: unknown): Worker {
  const fromSource = __filename.endsWith('.ts');
  const script = outsideAsar(path.join(dir, fromSource ? `${name}.ts` : `${name}.cjs`));
  // (tsx as this checkout resolves it: an eval'd worker resolves a bare name from the working directory,
  // and `sluice` run from sources in a folder of the user's found none there)
  const tsx = JSON.stringify(require.resolve('tsx/cjs'));
  return fromSource
    ? new Worker(`require(${tsx}); require(${JSON.stringify(script)});`, { workerData, eval: true, resourceLimits: THREAD_LIMITS })
    : new Worker(script, { workerData, resourceLimits: THREAD_LIMITS });
}

/** The processes `startProcess` started that are still running: killed when this process exits. */
const running = new Set<ChildProcess>();
let killOnExit = false;

/**
 * Starts a Node process on the script `name` in `dir` (as `startThread` finds it), with an IPC channel: for
 * work that must be stoppable at once (a process is killed; a thread busy in native code is not even
 * terminated). In Electron the app's own binary runs it as Node (`ELECTRON_RUN_AS_NODE`). One still running
 * when this process exits is killed: busy inside SQLite, it would not see its channel close, and would run on
 * alone until its statement ended.
 */
export function startProcess(dir: string, name: string): ChildProcess {
  const fromSource = __filename.endsWith('.ts');
  const script = outsideAsar(path.join(dir, fromSource ? `${name}.ts` : `${name}.cjs`));
  const child = fork(script, [], {
    execArgv: fromSource ? ['--require', require.resolve('tsx/cjs')] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!killOnExit) {
    killOnExit = true;
    process.once('exit', () => running.forEach((c) => c.kill('SIGKILL')));
  }
  return child;
}
