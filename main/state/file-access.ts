import fs from 'node:fs';
import path from 'node:path';

export const ANOTHER_WORKSPACE = 'start Sluice with another workspace (--workspace DIR or SLUICE_HOME)';

export function readOnlyAdvice(): string {
  return `Give your user write permission to the file and its folder (or move the workspace to a writable disk), or ${ANOTHER_WORKSPACE}.`;
}

export interface WriteProblem {
  /** Lower case, without a final full stop: "the file is read-only for this user". */
  cause: string;
  /** Whole sentences: what to do. */
  advice: string;
}

/**
 * Why the file system would not let Sluice create or write the database `file` (and the -wal and
 * -shm files SQLite keeps beside it), or undefined if it finds no reason. Touches nothing.
 */
export function writeProblem(file: string): WriteProblem | undefined {
  const folder = path.dirname(file);
  const folderStat = statOrError(folder);
  if (folderStat instanceof Error) {
    const code = (folderStat as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { cause: `the folder ${folder} does not exist`, advice: `Create the folder, or ${ANOTHER_WORKSPACE}.` };
    if (code === 'ENOTDIR') {
      const blocker = firstNonFolder(folder);
      return { cause: `the folder ${folder} cannot exist: ${blocker} is a file, not a folder`, advice: `Move that file aside, or ${ANOTHER_WORKSPACE}.` };
    }
    return {
      cause: `Sluice cannot look into the folder ${folder} (${code ?? folderStat.message})`,
      advice: `Give your user access to the folder, or ${ANOTHER_WORKSPACE}.`,
    };
  }
  if (!folderStat.isDirectory()) return { cause: `${folder} is a file, not a folder`, advice: `Move that file aside, or ${ANOTHER_WORKSPACE}.` };

  const fileStat = statOrError(file);
  if (!(fileStat instanceof Error)) {
    if (fileStat.isDirectory()) {
      return {
        cause: 'it is a folder, not a database file',
        advice: `Move or rename that folder (Sluice creates the database file itself), or ${ANOTHER_WORKSPACE}.`,
      };
    }
    if (!fileStat.isFile()) return { cause: 'it is not a regular file', advice: `Move it aside, or ${ANOTHER_WORKSPACE}.` };
  }
  const readOnly = (target: string, what: string): WriteProblem | undefined => {
    const denied = accessError(target, fs.constants.R_OK | fs.constants.W_OK);
    if (denied === 'EROFS') return { cause: `read-only: ${what} is on a read-only file system`, advice: readOnlyAdvice() };
    if (denied === 'EACCES' || denied === 'EPERM') return { cause: `read-only: ${what} is read-only for this user`, advice: readOnlyAdvice() };
    return undefined;
  };
  if (!(fileStat instanceof Error)) {
    const problem = readOnly(file, 'the file');
    if (problem) return problem;
  }
  const folderProblem = readOnly(folder, `its folder ${folder}`);
  if (folderProblem) {
    return { cause: `${folderProblem.cause} (SQLite creates the database's -wal and -shm files there)`, advice: folderProblem.advice };
  }
  for (const side of [`${file}-wal`, `${file}-shm`]) {
    if (!fs.existsSync(side)) continue;
    const problem = readOnly(side, path.basename(side));
    if (problem) return problem;
  }
  return undefined;
}

export function statOrError(target: string): fs.Stats | Error {
  try {
    return fs.statSync(target);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

function accessError(target: string, mode: number): string | undefined {
  try {
    fs.accessSync(target, mode);
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'EACCES';
  }
}

/** The first ancestor of `folder` (from the root down) that exists and is not a folder. */
export function firstNonFolder(folder: string): string {
  const parts = path.resolve(folder).split(path.sep);
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join(path.sep) || path.sep;
    const stat = statOrError(prefix);
    if (!(stat instanceof Error) && !stat.isDirectory()) return prefix;
  }
  return folder;
}

/**
 * `mkdir -p` one level at a time. Node's recursive mkdirSync never returns on a file system that
 * answers ENOENT for a folder whose parent exists (e.g. under /proc); this throws that error instead.
 */
export function makeFolders(folder: string): void {
  const missing: string[] = [];
  let at = path.resolve(folder);
  while (!fs.existsSync(at)) {
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const dir of missing) {
    try {
      fs.mkdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(dir).isDirectory()) throw err;
    }
  }
}
