// Workspaces as an older Sluice left them, for the tests of a migration: each test's own folder,
// deleted (its connections closed first) after the test.
import type { Database } from 'better-sqlite3';
import { expect } from 'vitest';
import { currentSchemaVersion, openDatabase } from '../state/database';
import { tempWorkspace } from './temp';
import { MIGRATIONS } from '../state/migrations';
import { closeAfterEach } from './lifecycle';

const cleanups = closeAfterEach();

/** A new workspace whose database has the migrations up to `version` only, open as `db` (close it to upgrade). */
export function workspaceAtVersion(version: number): { dir: string; db: Database } {
  const ws = tempWorkspace();
  cleanups.push(ws.cleanup);
  const db = openDatabase(
    ws.dir,
    MIGRATIONS.filter((m) => m.version <= version),
  );
  expect(currentSchemaVersion(db)).toBe(version);
  return { dir: ws.dir, db };
}

/** The workspace's database opened by this Sluice (every migration run), closed after the test. */
export function openUpgraded(dir: string): Database {
  const db = openDatabase(dir);
  cleanups.push(() => db.close());
  expect(currentSchemaVersion(db)).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
  return db;
}
