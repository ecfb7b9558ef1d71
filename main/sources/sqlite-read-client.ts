// Starting and asking the reading process of a SQLite model's rows (`sqlite-read-process.ts`) from the
// engine's thread: a process in Node, killed when the reading ends; a worker thread in Electron.
import type { Row } from '../../shared/config/source';
import { SluiceError } from '../../shared/ipc/errors';
import { nativeBindingPath } from '../state/native-binding';
import { startProcess, startThread } from '../sync/thread-script';
import { MODEL_BUSY_TIMEOUT_MS } from './sqlite-file-error';
import type { ReadAnswer, ReadAsk, ReadData } from './sqlite-read-process';

/** A model's rows being read in the reading process. */
export interface RowsInProcess {
  /** Up to `more` rows (and the columns where they held an INTEGER past 2^53); `done` once there are no more. Rejects with the error reading failed with (its `code` kept). */
  next(more: number): Promise<{ rows: Row[]; done: boolean; bigIntegers: string[] }>;
  /** Ends the reading at once (a process is killed, whatever its statement is doing). */
  stop(): void;
}

/** The reading script as a process or a thread: both answer messages and end with an exit. */
interface Reading {
  on(event: 'message', listener: (m: ReadAnswer) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  once(event: 'exit', listener: () => void): void;
}

/** Reads `query`'s rows from the SQLite file `file` in a process (a thread in Electron) of its own. */
export function readRowsInProcess(file: string, query: string): RowsInProcess {
  const data: ReadData = {
    file,
    query,
    nativeBinding: nativeBindingPath(),
    busyTimeoutMs: MODEL_BUSY_TIMEOUT_MS,
    sqliteModule: require.resolve('better-sqlite3'),
  };
  const thread = process.versions.electron !== undefined ? startThread(__dirname, 'sqlite-read-process', data) : undefined;
  const child = thread ? undefined : startProcess(__dirname, 'sqlite-read-process');
  const reading: Reading = (thread ?? child)!;
  let waiting: { resolve(a: { rows: Row[]; done: boolean; bigIntegers: string[] }): void; reject(err: Error): void } | undefined;
  let failed: Error | undefined;
  let stopped = false;
  const fail = (err: Error) => {
    failed ??= err;
    waiting?.reject(failed);
    waiting = undefined;
  };
  reading.on('message', (m) => {
    const w = waiting;
    waiting = undefined;
    if ('error' in m) w?.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    else w?.resolve(m);
  });
  reading.on('error', fail);
  reading.once('exit', () => {
    if (!stopped)
      fail(
        new SluiceError('unavailable', `Reading ${file} stopped: the process that read its rows ended before it had read them all (was it killed?). Try again`),
      );
  });
  child?.send(data);
  const ask = (a: ReadAsk) => (thread ? thread.postMessage(a) : child!.send(a));
  return {
    next: (more) =>
      new Promise((resolve, reject) => {
        if (failed) return reject(failed);
        waiting = { resolve, reject };
        ask({ more });
      }),
    stop: () => {
      if (stopped) return;
      stopped = true;
      waiting?.reject(new Error('The reading was ended'));
      waiting = undefined;
      // (a thread busy inside SQLite ends when its statement does: not awaited, so nothing waits for it)
      if (child) child.kill('SIGKILL');
      else void thread!.terminate();
    },
  };
}
