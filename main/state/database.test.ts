import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../testing/temp';
import { DATABASE_FILE, MigrationError, NewerDatabaseError, currentSchemaVersion, openDatabase } from './database';
import { MIGRATIONS, type Migration } from './migrations/index';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function workspace(): string {
  const ws = tempWorkspace();
  cleanups.push(ws.cleanup);
  return ws.dir;
}

describe('openDatabase', () => {
  it('creates the file in WAL mode and records every migration once', () => {
    const dir = workspace();
    const db = openDatabase(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // synchronous = NORMAL (1): commits survive a killed process without an fsync each (kill-reconcile proves the rest).
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    db.close();
    const again = openDatabase(dir);
    expect(again.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length });
    again.close();
    expect(fs.existsSync(path.join(dir, DATABASE_FILE))).toBe(true);
  });

  it('refuses a database written by a newer Sluice, naming both versions, and leaves it untouched', () => {
    const dir = workspace();
    const db = openDatabase(dir);
    const future = MIGRATIONS.length + 5;
    db.prepare("INSERT INTO schema_migrations VALUES (?, 'from the future', 'x')").run(future);
    db.close();
    const before = fs.readFileSync(path.join(dir, DATABASE_FILE));
    expect(() => openDatabase(dir)).toThrow(NewerDatabaseError);
    expect(() => openDatabase(dir)).toThrow(`schema version ${future}; this Sluice knows up to ${MIGRATIONS.length}`);
    expect(fs.readFileSync(path.join(dir, DATABASE_FILE)).equals(before)).toBe(true);
  });

  it('rolls a failing migration back whole: no half-made tables, no record of it', () => {
    const dir = workspace();
    const failing: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'half done',
      up(db) {
        db.exec('CREATE TABLE half_done (id INTEGER)');
        db.exec('INSERT INTO no_such_table VALUES (1)');
      },
    };
    expect(() => openDatabase(dir, [...MIGRATIONS, failing])).toThrow(MigrationError);
    expect(() => openDatabase(dir, [...MIGRATIONS, failing])).toThrow(/schema version \d+ \(half done\).*no such table: no_such_table.*Nothing was changed/);
    const db = openDatabase(dir);
    expect(currentSchemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
  });
});
