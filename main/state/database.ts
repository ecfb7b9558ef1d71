import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations/index';
import { nativeBindingPath } from './native-binding';

export const DATABASE_FILE = 'sluice.db';

export class NewerDatabaseError extends Error {
  constructor(file: string, found: number, known: number) {
    super(
      `${file} was written by a newer Sluice (schema version ${found}; this Sluice knows up to ${known}). ` +
        'Update Sluice, or start it with another workspace (--workspace DIR or SLUICE_HOME).',
    );
    this.name = 'NewerDatabaseError';
  }
}

export class MigrationError extends Error {
  constructor(file: string, migration: Migration, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Could not upgrade ${file} to schema version ${migration.version} (${migration.name}): ${reason}. Nothing was changed.`);
    this.name = 'MigrationError';
  }
}

export function currentSchemaVersion(db: Database): number {
  const row = db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number };
  return row.v;
}

/**
 * Opens (creating if needed) `<workspace>/sluice.db`: WAL, foreign keys, and every pending
 * migration applied in order, each in its own transaction and recorded in `schema_migrations`.
 */
export function openDatabase(workspace: string, migrations: readonly Migration[] = MIGRATIONS): Database {
  fs.mkdirSync(workspace, { recursive: true });
  const file = path.join(workspace, DATABASE_FILE);
  const db = new BetterSqlite3(file, { nativeBinding: nativeBindingPath() });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    ) STRICT`);
    migrate(db, file, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function migrate(db: Database, file: string, migrations: readonly Migration[]): void {
  const known = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const found = currentSchemaVersion(db);
  if (found > known) throw new NewerDatabaseError(file, found, known);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= found) continue;
    const apply = db.transaction(() => {
      migration.up(db);
      record.run(migration.version, migration.name, new Date().toISOString());
    });
    try {
      apply();
    } catch (err) {
      throw new MigrationError(file, migration, err);
    }
  }
  db.pragma(`user_version = ${known}`);
}
