// Steps of the differ (main/sync/differ.ts) on its staging tables: a SQLite model's staging statement,
// the rows refused for their keys, and the events whose trigger is off.
import type { Database } from 'better-sqlite3';
import { asSubquery } from '../../shared/config/model-query';
import { rowPlace, type Column, type RowUnit } from '../../shared/config/source';
import type { RowReject, SyncEvent } from '../../shared/config/sync';
import { SluiceError } from '../../shared/ipc/errors';
import { delimiterHint } from '../sources/delimiter-hint';
import { lookalikeHint } from '../sources/lookalike-hint';
import { indexStagedKeys } from './staged-key-index';

/** An SQL string literal. */
export const quoteString = (text: string) => `'${text.replace(/'/g, "''")}'`;

const SAFE = Number.MAX_SAFE_INTEGER;
/** A GLOB pattern a text matches when it holds a character past ASCII (or a byte that is not UTF-8). */
const NOT_ASCII = "'*[^' || char(1) || '-' || char(127) || ']*'";
/** A SQL literal SQLite reads as +infinity (past a double's range). */
const INFINITY = '9e999';

/**
 * The staging statement's check, every 4096 rows: `sluice_ok` (the staging process's) reports the rows
 * staged so far (the last rowid inserted); it filters nothing out.
 * Rows are inserted as they are read, so the last rowid counts them; while a model query SQLite must
 * sort is read (nothing inserted yet) about one row in 4096 is checked, by random(), whose PRNG
 * (a mutex each row) cost twice what the rowid does. Counted by valgrind on 100k rows of four columns,
 * the check adds 1.8 % of the statement's instructions (random() alone on every row: 5.7 %).
 */
const CHECK = '((last_insert_rowid() & 4095) <> 0 OR (last_insert_rowid() = 0 AND (random() & 4095) <> 0) OR sluice_ok(last_insert_rowid()))';

/**
 * The statement that stages a SQLite model (attached as `model`) into `main.sluice_stage` (the
 * differ's scratch file, in the staging process: `differ-stage-process.ts`): each row's
 * key and its JSON, as the JavaScript path (jsonSafeRow, rowKey, rowJson) makes them. Given the sync
 * whose snapshot to compare with (`unchangedOf`), a row equal to its key's snapshot row is staged
 * with a null row: unchanged, it needs no more than its key (duplicates, removals). Compared as it is
 * read (one lookup per row, no row written for it), a no-change re-run of 1M rows took about a sixth
 * less time than staging every row and joining it to the snapshot after.
 */
export function sqliteStagingSql(query: string, columns: readonly Column[], primaryKey: readonly string[], unchangedOf?: number): string {
  // Columns by position (c0, c1, …), not by name: SQLite resolves names case-insensitively, so "V"
  // would read the column "v". (A query that returns two columns of one name is refused before this,
  // by openModel: `requireDistinctColumns`.)
  const last = new Map<string, number>();
  columns.forEach((c, i) => last.set(c.name, i));
  const ref = (name: string) => `c${last.get(name)!}`;
  // Values as the JavaScript path makes them (jsonSafe): integers past 2^53 as exact text (by
  // `sluice_big_integer`, which notes the column: it holds numbers, `numbersRead`), blobs as
  // base64, a REAL's infinities as "Infinity" and "-Infinity" (json_object writes 9.0e+999, which a
  // run parsed to Infinity and sent as null). SQLite holds no NaN: it stores one as NULL.
  // Nearly every value is a number within ±2^53 or text, kept as it is: two comparisons find each
  // (text sorts after every number and before every blob), and only other values go through typeof.
  // A no-change re-run's statement (100k rows of four columns, callgrind) runs 11 % fewer instructions
  // than with typeof first: two fifths of what the type tests cost. `+` strips the column's affinity,
  // so neither side of a comparison is converted.
  const value = (name: string) => {
    const col = ref(name);
    return (
      `CASE WHEN +${col} BETWEEN -${SAFE} AND ${SAFE} OR (+${col} >= '' AND +${col} < x'') THEN ${col}` +
      ` ELSE CASE typeof(${col}) WHEN 'integer' THEN sluice_big_integer(${col}, ${last.get(name)!})` +
      ` WHEN 'real' THEN (CASE ${col} WHEN ${INFINITY} THEN 'Infinity' WHEN -${INFINITY} THEN '-Infinity' ELSE ${col} END)` +
      ` WHEN 'blob' THEN sluice_base64(${col}) ELSE ${col} END END`
    );
  };
  const rowJson = rowObject([...last.keys()].map((name) => `${quoteString(name)}, ${value(name)}`));
  // A REAL in the key is written as JavaScript writes the number (`sluice_js_number`, the staging
  // thread's: 1.0 as 1, 1e17 as 100000000000000000), as the JavaScript path, the routing preview and
  // `{{ key }}` have it; SQLite's text (1.0, 1.0e+17, 17 digits) made another partition key. (In the
  // row, json_object's 1.0 is the same number once parsed.) A composite key's infinity stays "Infinity".
  const keyValue = (name: string) => {
    const col = ref(name);
    const real =
      primaryKey.length === 1 ? `sluice_js_number(${col})` : `CASE WHEN abs(${col}) < ${INFINITY} THEN json(sluice_js_number(${col})) ELSE ${value(name)} END`;
    return `CASE typeof(${col}) WHEN 'real' THEN ${real} ELSE ${value(name)} END`;
  };
  const keyExpr =
    primaryKey.length === 1
      ? `CAST(${keyValue(primaryKey[0]!)} AS TEXT)`
      : `CASE WHEN ${primaryKey.map((k) => `${ref(k)} IS NULL`).join(' OR ')} THEN NULL ELSE json_array(${primaryKey.map(keyValue).join(', ')}) END`;
  // A CTE's column list names the query's columns; its own name is one a model table will not have
  // (a table of that name inside the query would make it a circular reference).
  const names = columns.map((_, i) => `c${i}`).join(', ');
  const staged = `WITH sluice_q(${names}) AS (${asSubquery(query)}) INSERT INTO main.sluice_stage (key, row)`;
  // A first run takes a key that is not all ASCII as JavaScript reads it (`sluice_text`: a byte that is
  // not UTF-8 as U+FFFD), as it is sent and kept: two keys SQLite told apart by such bytes are one key,
  // found twice (staged as SQLite's bytes, both were sent). The ASCII test costs about 0.08 s per 1M
  // rows. (A re-run's rows staged as differing are read so after staging: `sqliteNotUtf8Sql`.)
  if (unchangedOf === undefined)
    return `${staged} SELECT CASE WHEN sluice_k GLOB ${NOT_ASCII} THEN sluice_text(sluice_k) ELSE sluice_k END, sluice_r FROM (SELECT ${keyExpr} AS sluice_k, ${rowJson} AS sluice_r FROM sluice_q) WHERE ${CHECK}`;
  // A scalar lookup, not a join: the model query stays the only term of the FROM clause, so its own
  // ORDER BY (the model's order, the rows' numbers) is kept.
  const id = Math.trunc(unchangedOf);
  return `${staged} SELECT sluice_k, CASE WHEN sluice_r = (SELECT p.row FROM state.snapshot p WHERE p.sync_id = ${id} AND p.key = sluice_k) THEN NULL ELSE sluice_r END
    FROM (SELECT ${keyExpr} AS sluice_k, ${rowJson} AS sluice_r FROM sluice_q) WHERE ${CHECK}`;
}

/** Columns per json_object call: SQLite takes at most 127 arguments of a function by default (some builds more). */
const OBJECT_COLUMNS = 60;

/**
 * The row's JSON object from its `'name', value` pairs: one json_object, or for a wider model several
 * joined as text (each without its braces; its last value, never an object, does not end in one).
 */
function rowObject(pairs: readonly string[]): string {
  if (pairs.length <= OBJECT_COLUMNS) return `json_object(${pairs.join(', ')})`;
  const parts: string[] = [];
  for (let i = 0; i < pairs.length; i += OBJECT_COLUMNS) parts.push(`rtrim(ltrim(json_object(${pairs.slice(i, i + OBJECT_COLUMNS).join(', ')}), '{'), '}')`);
  return `('{' || ${parts.join(" || ',' || ")} || '}')`;
}

/**
 * Run after a re-run's staging statement: rows staged as differing from the snapshot whose text is not
 * UTF-8 (Latin-1 bytes an old app stored) get their key and row as JavaScript reads them (`sluice_text`:
 * each such byte as U+FFFD), as they were delivered, and are compared with the snapshot again. Staged as
 * SQLite's bytes, they never matched and were sent again every run. (A first run's rows are read through
 * JavaScript as they are sent; only rows staged as differing are looked at here, few in a re-run.)
 * A row's text is first read as JavaScript reads it (`sluice_replaced`: does it hold U+FFFD?), and only
 * then are its bytes checked: a blob argument cost 1.85 s per 1M rows that differ, text 0.3 s.
 */
export function sqliteNotUtf8Sql(syncId: number): string {
  const id = Math.trunc(syncId);
  return `UPDATE main.sluice_stage SET key = sluice_text(key), row = CASE WHEN sluice_text(row) = (SELECT p.row FROM state.snapshot p WHERE p.sync_id = ${id} AND p.key = sluice_text(key)) THEN NULL ELSE sluice_text(row) END
    WHERE row IS NOT NULL AND sluice_replaced(row) AND NOT sluice_utf8(CAST(row AS BLOB))`;
}

/**
 * Refuses a model without every primary-key column (unless no column is known yet). `model`: its name,
 * said with what to do (the source's column renamed or dropped since the key was chosen).
 */
export function requireKeyColumns(columns: readonly Column[], primaryKey: readonly string[], model?: string): void {
  const missing = primaryKey.filter((k) => !columns.some((c) => c.name === k));
  if (missing.length > 0 && columns.length > 0) {
    const which = model === undefined ? 'the model' : `model "${model}"`;
    const hint =
      delimiterHint(columns.map((c) => c.name)) ||
      lookalikeHint(
        missing,
        columns.map((c) => c.name),
      );
    const todo =
      hint !== '' || model === undefined ? hint : `. Choose its primary key again among them (Models → ${model} → Edit), or give the source its column back`;
    throw new SluiceError(
      'invalid-input',
      `The primary-key column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in ${which} (its columns: ${columns.map((c) => c.name).join(', ')})${todo}`,
      [{ path: 'primaryKey', message: `Not a column of the model: ${missing.join(', ')}` }],
    );
  }
}

/**
 * An error while staging a SQLite model. The model file is attached as `model`, so `main.<table>`
 * (valid when the file is opened alone, as SqliteReader checked it) names the differ's empty main database.
 */
export function stagingError(err: Error): SluiceError {
  const inMain = /^no such (?:table|column): main\.([^.\s]+)/.exec(err.message);
  if (inMain) {
    const table = inMain[1]!;
    return new SluiceError(
      'invalid-input',
      `The model query names main.${table}, which Sluice cannot read when it syncs (it reads the model's file under a schema of its own): write the table without "main." (${table}). (${err.message})`,
      [{ path: 'query', message: `Write main.${table} as ${table}` }],
    );
  }
  return new SluiceError('invalid-input', `Reading the model failed: ${err.message}`);
}

/** A row refused for its key: `extraRows`, the other rows of a duplicated key; `nullColumns`, a null key's empty parts. */
export interface StagedKeyReject {
  reject: RowReject;
  extraRows: number;
  nullColumns?: string[];
}

/**
 * Rows staged with a null key part or a key on several rows: each refused (`extraRows`: the other rows
 * of a duplicated key, counted but not listed), and taken out of the staging table (duplicated keys
 * go to `main.sluice_dups`, so their snapshot entries are not taken for removed).
 */
export function stagedKeyRejects(db: Database, primaryKey: readonly string[], unit: RowUnit, indexed?: { unique: boolean }): StagedKeyReject[] {
  // (the staging process indexes the keys of a SQLite model as it stages them)
  const unique = indexed ? indexed.unique : indexStagedKeys(db);
  const out: StagedKeyReject[] = [];
  const nullKeys = db.prepare('SELECT rowid AS n, row FROM main.sluice_stage WHERE key IS NULL ORDER BY rowid').all() as { n: number; row: string }[];
  for (const r of nullKeys) {
    const row = JSON.parse(r.row) as Record<string, unknown>;
    const nullColumns = primaryKey.filter((k) => row[k] === null || row[k] === undefined);
    const detail = `${rowPlace(unit, r.n)} has no value in ${nullColumns.join(', ')}`;
    out.push({ reject: { reason: 'null-key', key: null, rowNumber: r.n, detail }, extraRows: 0, nullColumns });
  }
  const duplicates = unique
    ? []
    : (db
        .prepare('SELECT key, COUNT(*) AS n, MIN(rowid) AS first FROM main.sluice_stage WHERE key IS NOT NULL GROUP BY key HAVING COUNT(*) > 1 ORDER BY first')
        .all() as { key: string; n: number; first: number }[]);
  for (const d of duplicates) {
    const detail = `The key ${d.key} appears on ${d.n} rows; none of them is sent until it is unique`;
    out.push({ reject: { reason: 'duplicate-key', key: d.key, rowNumber: d.first, detail }, extraRows: d.n - 1 });
  }
  db.transaction(() => {
    db.exec('DELETE FROM main.sluice_stage WHERE key IS NULL');
    const dup = db.prepare('INSERT INTO main.sluice_dups (key) VALUES (?)');
    for (const d of duplicates) dup.run(d.key);
    db.exec('DELETE FROM main.sluice_stage WHERE key IN (SELECT key FROM main.sluice_dups)');
  })();
  return out;
}

/**
 * Fills the work list from the staged rows (`staged` of them, keys unique) against the sync's snapshot
 * (`snapshot` rows): added and changed rows in model order, then removed keys. Answers whether every
 * item is an added row whose number is its seq (the staged table became the work list).
 */
export function buildWorkList(db: Database, syncId: number, staged: number, snapshot: number): boolean {
  if (snapshot === 0) {
    // Nothing delivered yet: every staged row is added, in model order, so the staged table becomes the
    // work list as it is rather than a copy of every row (0.6 s of a 1M-row first run). Its seq is
    // the row's number already.
    db.exec(`DROP TABLE main.sluice_work; ALTER TABLE main.sluice_stage RENAME TO sluice_work;
      ALTER TABLE main.sluice_work ADD COLUMN event TEXT NOT NULL DEFAULT 'added'; ALTER TABLE main.sluice_work ADD COLUMN previous TEXT;
      ALTER TABLE main.sluice_work ADD COLUMN row_number INTEGER GENERATED ALWAYS AS (seq) VIRTUAL;
      ALTER TABLE main.sluice_work ADD COLUMN pg_key TEXT; ALTER TABLE main.sluice_work ADD COLUMN pg_fp TEXT; ALTER TABLE main.sluice_work ADD COLUMN pg_at TEXT;`);
    return true;
  }
  db.transaction(() => {
    // One pass over the model: every added or changed row goes to the work list…
    db.prepare(
      `INSERT INTO main.sluice_work (key, event, row, previous, row_number)
         SELECT s.key, CASE WHEN p.key IS NULL THEN 'added' ELSE 'changed' END, s.row, p.row, s.seq
         FROM main.sluice_stage s LEFT JOIN state.snapshot p ON p.sync_id = ? AND p.key = s.key
         WHERE s.row IS NOT NULL AND (p.key IS NULL OR p.row <> s.row) ORDER BY s.seq`,
    ).run(syncId);
    // …one pass over the snapshot for the removed ones (a key missing from the model, unless the model
    // has it on several rows), skipped when every snapshot key is a staged one: staged keys are unique,
    // and those not added are in the snapshot (a no-change re-run of 1M rows saves a third of a second).
    const added = (db.prepare("SELECT COUNT(*) AS n FROM main.sluice_work WHERE event = 'added'").get() as { n: number }).n;
    if (snapshot === staged - added) return;
    db.prepare(
      `INSERT INTO main.sluice_work (key, event, row, previous, row_number)
         SELECT p.key, 'removed', p.row, p.row, NULL FROM state.snapshot p WHERE p.sync_id = ?
         AND NOT EXISTS (SELECT 1 FROM main.sluice_stage s WHERE s.key = p.key) AND NOT EXISTS (SELECT 1 FROM main.sluice_dups d WHERE d.key = p.key)
         ORDER BY p.key`,
    ).run(syncId);
  })();
  return false;
}

/** Events whose trigger is off leave the work list; with `record` (not a dry run) the snapshot records them as delivered. */
export function dropUnselected(db: Database, syncId: number, unselected: readonly SyncEvent[], record: boolean): void {
  if (unselected.length === 0) return;
  db.transaction(() => {
    const at = new Date().toISOString();
    if (record) {
      if (unselected.includes('added') || unselected.includes('changed')) {
        const events = unselected
          .filter((e) => e !== 'removed')
          .map(quoteString)
          .join(', ');
        db.prepare(
          `INSERT INTO state.snapshot (sync_id, key, row, delivered_at) SELECT ?, w.key, w.row, ? FROM main.sluice_work w WHERE w.event IN (${events})
                    ON CONFLICT(sync_id, key) DO UPDATE SET row = excluded.row, delivered_at = excluded.delivered_at`,
        ).run(syncId, at);
      }
      if (unselected.includes('removed')) {
        db.prepare("DELETE FROM state.snapshot WHERE sync_id = ? AND key IN (SELECT key FROM main.sluice_work WHERE event = 'removed')").run(syncId);
      }
    }
    db.exec(`DELETE FROM main.sluice_work WHERE event IN (${unselected.map(quoteString).join(', ')})`);
  })();
}
