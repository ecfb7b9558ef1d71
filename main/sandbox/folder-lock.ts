import path from 'node:path';

// leveldown (kinesalite's on-disk store, a prebuilt N-API module) ships no types; this is what Sluice uses.
interface LevelDown {
  open(options: { createIfMissing: boolean }, callback: (err: Error | undefined) => void): void;
  close(callback: (err: Error | undefined) => void): void;
}
type LevelDownFactory = (location: string) => LevelDown;

/**
 * leveldown as kinesalite loads it (its optional dependency), or undefined where it is not installed
 * or does not load: the sandbox then keeps its records in memory, for the process's life.
 */
export function loadLevelDown(): LevelDownFactory | undefined {
  try {
    const kinesalite = require.resolve('kinesalite');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve('leveldown', { paths: [path.dirname(kinesalite)] })) as LevelDownFactory;
  } catch {
    return undefined;
  }
}

export interface FolderLock {
  release(): Promise<void>;
}

function opened(db: LevelDown): Promise<Error | undefined> {
  return new Promise((resolve) => db.open({ createIfMissing: true }, (err) => resolve(err ?? undefined)));
}

function closed(db: LevelDown): Promise<void> {
  return new Promise((resolve) => db.close(() => resolve()));
}

/**
 * A lock on a folder that ends with its process: LevelDB's LOCK file, held with an OS file lock
 * (fcntl, LockFileEx) for as long as the database is open, which the OS releases when the process dies,
 * even by `kill -9`. So no lock is ever left stale by a crash, and of two processes (or two engines of
 * one process) trying at once exactly one gets it. Undefined: someone else holds it.
 */
export async function tryLockFolder(levelDown: LevelDownFactory, folder: string): Promise<FolderLock | undefined> {
  const db = levelDown(folder);
  const err = await opened(db);
  if (err) {
    if (/lock/i.test(err.message)) return undefined;
    throw err;
  }
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await closed(db);
    },
  };
}

/** Opens and closes a LevelDB store: undefined if it opens, else why not (a damaged store). */
export async function storeProblem(levelDown: LevelDownFactory, folder: string): Promise<Error | undefined> {
  const db = levelDown(folder);
  const err = await opened(db);
  if (!err) await closed(db);
  return err;
}
