// Which SQLite files a capture may write into: a new or empty file, or one a Sluice capture made (it holds
// only the capture's tables). Anything else — a user's own database, Sluice's workspace, a model's source,
// a file that is no SQLite database — is refused before it is opened for writing, so it stays byte for byte
// as it was: no journal mode change, no table, no -wal or -shm file left beside it.
import fs from 'node:fs';
import Sqlite, { type Database } from 'better-sqlite3';
import { CAPTURE_COLUMNS, CAPTURE_TABLE } from '../../shared/config/capture';
import { SluiceError } from '../../shared/ipc/errors';

/** Where a SQLite capture keeps each shard's or partition's checkpoint. */
export const CHECKPOINT_TABLE = 'sluice_capture_checkpoints';
const CHECKPOINT_COLUMNS = ['source', 'part', 'last', 'since', 'finished', 'updated_at'] as const;

/** The tables a Sluice capture makes, with the columns it reads and writes. */
const CAPTURE_TABLES: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  [CAPTURE_TABLE, CAPTURE_COLUMNS],
  [CHECKPOINT_TABLE, CHECKPOINT_COLUMNS],
]);

/** The first 16 bytes of every SQLite database file. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function refusal(file: string, why: string): SluiceError {
  return new SluiceError('invalid-input', `Cannot capture into ${file}: ${why}. Choose a new file, or a SQLite file Sluice captured into before.`);
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

function statOf(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw refusal(file, `it cannot be read (${messageOf(err)})`);
  }
}

/** The file a path names, its links followed; the path itself when it names nothing yet (a new file, or a link to one). */
function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return file;
    throw refusal(file, `it cannot be read (${messageOf(err)})`);
  }
}

function readBytes(file: string, length: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    return buffer.subarray(0, fs.readSync(fd, buffer, 0, length, 0));
  } finally {
    fs.closeSync(fd);
  }
}

interface SchemaEntry {
  type: string;
  name: string;
  /** The table an index or trigger belongs to (a table's or view's own name). */
  table: string;
}

/**
 * The file's first page, alone, as a read-only database in memory: its schema table, read without SQLite
 * opening the file (which, for a WAL database, leaves -wal and -shm files beside it, even read-only). A
 * Sluice capture's schema always fits that page; one that does not fails to read.
 */
function firstPage(file: string, header: Buffer): Database {
  const size = header.readUInt16BE(16);
  const page = readBytes(file, size === 1 ? 65536 : size);
  page.writeUInt32BE(1, 28); // the database is this one page
  page[18] = page[19] = 1; // read as a rollback-journal database (a WAL one cannot be loaded from memory)
  const db = new Sqlite(page, { readonly: true });
  // Its tables' root pages lie past this page: list them without SQLite refusing the schema for it.
  db.unsafeMode(true);
  db.pragma('writable_schema = ON');
  return db;
}

/**
 * The file's schema, or why it has none a capture could use. A database another connection has open (its
 * -wal and -shm are there) is read by SQLite itself, read-only: its log may hold changes the file lacks.
 */
function readSchema(file: string): { entries: SchemaEntry[]; columns: Map<string, string[]> } | string {
  const header = readBytes(file, 100);
  if (header.length < 100 || !header.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)) return 'it is not a SQLite database';
  const live = fs.existsSync(`${file}-wal`) && fs.existsSync(`${file}-shm`);
  let db: Database;
  try {
    db = live ? new Sqlite(file, { readonly: true, fileMustExist: true }) : firstPage(file, header);
  } catch (err) {
    return `it cannot be opened as a SQLite database (${messageOf(err)})`;
  }
  try {
    const entries = db.prepare('SELECT type, name, tbl_name AS "table" FROM sqlite_schema').all() as SchemaEntry[];
    const columns = new Map<string, string[]>();
    for (const e of entries.filter((x) => x.type === 'table' && CAPTURE_TABLES.has(x.name))) {
      const info = db.prepare('SELECT name FROM pragma_table_info(?)').all(e.name) as { name: string }[];
      columns.set(
        e.name,
        info.map((c) => c.name),
      );
    }
    return { entries, columns };
  } catch (err) {
    return live ? `it cannot be read as a SQLite database (${messageOf(err)})` : 'it is a SQLite database with more in it than a Sluice capture makes';
  } finally {
    db.close();
  }
}

/** `table "people", view "recent" and 3 more`. */
function listed(entries: SchemaEntry[]): string {
  const named = entries.slice(0, 3).map((e) => `${e.type} "${e.name}"`);
  const more = entries.length - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)!}` : named[0]!;
}

/** Why the schema is not a Sluice capture's, or null when it is. */
function schemaProblem(entries: SchemaEntry[], columns: Map<string, string[]>): string | null {
  // SQLite's own tables and indexes (sqlite_sequence, sqlite_autoindex_…), and indexes or triggers on the capture's tables, belong to it.
  const foreign = entries.filter((e) => !e.name.startsWith('sqlite_') && !(e.type !== 'view' && CAPTURE_TABLES.has(e.table)));
  if (foreign.length > 0)
    return `it is a SQLite database that holds ${listed(foreign)}, which no Sluice capture makes (Sluice does not change other databases)`;
  if (columns.size === 0) return 'it is a SQLite database without the tables of a Sluice capture';
  for (const [table, found] of columns) {
    const missing = CAPTURE_TABLES.get(table)!.find((c) => !found.includes(c));
    if (missing) return `its table ${table} has no column ${missing}, so no Sluice capture made it`;
  }
  return null;
}

/**
 * Throws, naming the file and why, unless a SQLite capture may write into it: it does not exist yet, is
 * empty (0 bytes), or holds only the tables of a Sluice capture (`captured_records`,
 * `sluice_capture_checkpoints`). Reads the file and nothing more.
 */
export function assertCaptureTarget(file: string): void {
  // Through a symlink, SQLite writes the file it points to, with the -wal and -shm beside that one: look there.
  const real = realPath(file);
  const stat = statOf(real);
  if (!stat) return;
  if (stat.isDirectory()) throw refusal(file, 'it is a folder');
  if (!stat.isFile()) throw refusal(file, 'it is not a regular file');
  if (stat.size === 0) {
    const wal = statOf(`${real}-wal`);
    if (wal && wal.size > 0) throw refusal(file, `it is empty, but ${real}-wal beside it holds a SQLite log of changes not yet written into it`);
    return;
  }
  let schema: ReturnType<typeof readSchema>;
  try {
    schema = readSchema(real);
  } catch (err) {
    throw refusal(file, `it cannot be read (${messageOf(err)})`);
  }
  const problem = typeof schema === 'string' ? schema : schemaProblem(schema.entries, schema.columns);
  if (problem) throw refusal(file, problem);
}
