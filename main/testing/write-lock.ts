import { spawn } from 'node:child_process';
import { nativeBindingPath } from '../state/native-binding';

/**
 * Another process that takes `file`'s write lock, changes the database and commits `ms` later (as a
 * run's ledger does, over and over). Resolves once the lock is held; `done` once that process has exited.
 */
export async function holdWriteLock(file: string, ms: number): Promise<{ done: Promise<void> }> {
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))});
       const db = new D(process.argv[1], { nativeBinding: process.argv[2] || undefined });
       db.exec('BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS lock_holder (x)'); process.stdout.write('held\\n');
       setTimeout(() => { db.exec('INSERT INTO lock_holder VALUES (1); COMMIT'); process.exit(0); }, Number(process.argv[3]));`,
      file,
      nativeBindingPath() ?? '',
      String(ms),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const done = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    holder.stdout.once('data', () => resolve());
    holder.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before it held the lock`)));
  });
  return { done };
}
