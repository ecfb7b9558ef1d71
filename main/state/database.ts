import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations/index';
import { nativeBindingPath } from './native-binding';
import { ANOTHER_WORKSPACE, firstNonFolder, makeFolders, readOnlyAdvice, statOrError, writeProblem } from './file-access';
import { BUSY_TIMEOUT_MS, describeSqliteError } from './sqlite-errors';

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
    const reason = describeSqliteError(cause, file) ?? (cause instanceof Error ? cause.message : String(cause));
    super(`Could not upgrade ${file} to schema version ${migration.version} (${migration.name}): ${reason}. Nothing was changed.`);
    this.name = 'MigrationError';
  }
}

export function currentSchemaVersion(db: Database): number {
  const row = db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number };
  return row.v;
}

/** The workspace cannot be used as it is: the message names the file, the cause and what to do. */
export class WorkspaceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WorkspaceError';
  }
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** Offset of the 4-byte big-endian user_version in a SQLite file's header (set by `migrate`). */
const USER_VERSION_OFFSET = 60;

/**
 * Opens (creating if needed) `<workspace>/sluice.db`: WAL, foreign keys, and every pending
 * migration applied in order, each in its own transaction and recorded in `schema_migrations`.
 *
 * Nothing is written before the file is known to be usable: a folder in its place, an empty
 * (truncated) file, a file that is not SQLite, a database of a newer Sluice (by the header's
 * user_version, then by `schema_migrations`, read only) and a read-only file or folder are refused
 * with a WorkspaceError or NewerDatabaseError that names the file and what to do.
 */
export function openDatabase(workspace: string, migrations: readonly Migration[] = MIGRATIONS): Database {
  ensureFolder(workspace);
  const file = path.join(workspace, DATABASE_FILE);
  const known = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const existing = inspectFile(file);
  if (existing && existing.userVersion > known) throw new NewerDatabaseError(file, existing.userVersion, known);
  const problem = writeProblem(file);
  if (problem) throw new WorkspaceError(`Sluice cannot write to ${file}: ${problem.cause}. ${problem.advice}`);

  let db: Database;
  try {
    db = new BetterSqlite3(file, { nativeBinding: nativeBindingPath() });
  } catch (err) {
    throw named(err, file);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Read only: a newer Sluice's database must not be changed, not even its journal mode.
    if (existing) {
      const found = storedSchemaVersion(db);
      if (found > known) throw new NewerDatabaseError(file, found, known);
    }
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit is safe from a crashed or killed process (the WAL is written before
    // the commit returns) but not fsynced each time. A power cut may undo the last commits, which only
    // makes the next run send those rows again: duplicates, never a lost row. FULL fsynced every answered
    // batch and cost a run more than its SQL did.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    ) STRICT`);
    migrate(db, file, migrations);
    return db;
  } catch (err) {
    db.close();
    // A brand-new workspace that failed to initialise (a full disk, say) must not leave an empty
    // sluice.db behind: the next start would refuse it as truncated.
    if (!existing) removeIfEmpty(file);
    throw named(err, file);
  }
}

function named(err: unknown, file: string): unknown {
  if (err instanceof NewerDatabaseError || err instanceof MigrationError || err instanceof WorkspaceError) return err;
  const message = describeSqliteError(err, file);
  return message === undefined ? err : new WorkspaceError(message, { cause: err });
}

function ensureFolder(folder: string): void {
  const stat = statOrError(folder);
  if (!(stat instanceof Error) && !stat.isDirectory()) {
    throw new WorkspaceError(
      `The workspace ${folder} is a file, not a folder (Sluice keeps its sluice.db in a workspace folder): ${ANOTHER_WORKSPACE}, a folder.`,
    );
  }
  try {
    makeFolders(folder);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const cause =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? `${firstNonFolder(folder)} is a file, not a folder`
        : code === 'EROFS'
          ? 'the disk is read-only'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied: a folder above it is read-only for this user'
            : code === 'ENOENT'
              ? 'the file system there does not allow new folders'
              : err instanceof Error
                ? err.message
                : String(err);
    throw new WorkspaceError(
      `The workspace folder ${folder} does not exist and Sluice cannot create it: ${cause}. Create it yourself, or ${ANOTHER_WORKSPACE}.`,
      { cause: err },
    );
  }
}

/** What is there before anything is opened: nothing (undefined), or a SQLite file and its header's user_version. */
function inspectFile(file: string): { userVersion: number } | undefined {
  const stat = statOrError(file);
  if (stat instanceof Error) {
    if ((stat as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new WorkspaceError(`Sluice cannot read ${file}: ${stat.message}. Give your user access to it, or ${ANOTHER_WORKSPACE}.`, { cause: stat });
  }
  if (!stat.isFile()) {
    const problem = writeProblem(file);
    throw new WorkspaceError(
      `Sluice cannot write to ${file}: ${problem?.cause ?? 'it is not a regular file'}. ${problem?.advice ?? `Move it aside, or ${ANOTHER_WORKSPACE}.`}`,
    );
  }
  if (stat.size === 0) {
    throw new WorkspaceError(
      `${file} is empty (0 bytes): it was probably truncated (a full disk, a crash or a file-sync tool), and Sluice will not set up a new workspace over it. ` +
        'To start afresh, move it aside (e.g. rename it to sluice.db.empty) and start Sluice again; to get your data back, restore it from a backup.',
    );
  }
  const header = Buffer.alloc(100);
  let read: number;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      read = fs.readSync(fd, header, 0, header.length, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'EACCES' ? 'it is not readable for this user' : err instanceof Error ? err.message : String(err);
    throw new WorkspaceError(`Sluice cannot read ${file}: ${reason}. ${readOnlyAdvice()}`, { cause: err });
  }
  if (read < header.length || !header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    throw new WorkspaceError(
      `${file} is not a SQLite database (${stat.size} bytes that do not start with SQLite's header; perhaps truncated or overwritten). ` +
        'Restore it from a backup, or move it aside (rename it) to start afresh with an empty workspace.',
    );
  }
  return { userVersion: header.readUInt32BE(USER_VERSION_OFFSET) };
}

/** The highest recorded migration, reading only (0 if the table is not there yet). */
function storedSchemaVersion(db: Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  return table === undefined ? 0 : currentSchemaVersion(db);
}

function removeIfEmpty(file: string): void {
  try {
    if (fs.statSync(file).size === 0) fs.unlinkSync(file);
  } catch {
    // Nothing there, or not ours to remove.
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
