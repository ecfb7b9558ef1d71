// The in-database diff's steps, in the sync's REPEATABLE READ transaction (pg-snapshot.ts): the model's
// columns checked, then one pass (pg-join.ts) — a hash full join of the model (each row's key and
// fingerprint, pg-fingerprint.ts, computed on the fly) against the snapshot's keys and fingerprints — that
// keeps only the rows that differ, with their columns (`sluice_delta`); then the keys refused (null, duplicated).
// pg-delta-stream.ts reads the delta out.
import type pg from 'pg';
import type { Model } from '../../../shared/config/source';
import type { RowReject } from '../../../shared/config/sync';
import { asSubquery } from '../../../shared/config/model-query';
import { requireDistinctColumns } from '../../sources/repeated-columns';
import { SluiceError } from '../../../shared/ipc/errors';
import { numberColumns } from '../../../shared/config/number-columns';
import { isConnectionLost } from '../../sources/postgres-lost';
import { pgTypeName } from '../../sources/postgres-reader';
import { sqlError } from '../../sources/sql-error';
import { requireKeyColumns } from '../differ-steps';
import { fingerprintFor } from './pg-fingerprint';
import type { DeltaTally } from './pg-join';

/** A PostgreSQL identifier, quoted. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

const JSON_TYPES: Record<number, string> = { 114: 'json_typeof', 3802: 'jsonb_typeof' };
/** float4, float8. */
const FLOAT_TYPES: Record<number, string> = { 700: 'float4', 701: 'float8' };

/**
 * The key of a model row as PostgreSQL computes it (`q` is the model); NULL when a key column is, a
 * json or jsonb one holding JSON null included (Sluice's row has null there, as from SQL NULL).
 */
function pgKeyExpr(primaryKey: readonly string[], types: ReadonlyMap<string, number>): string {
  const cols = primaryKey.map((k) => {
    const col = `q.${ident(k)}`;
    const typeOf = JSON_TYPES[types.get(k) ?? 0];
    if (typeOf) return `(CASE WHEN ${typeOf}(${col}) = 'null' THEN NULL ELSE ${col} END)`;
    // A float's -0 is its 0, as Sluice's own key of the row has it (String(-0) is "0"): two rows, one key.
    // (Added as its own type: float4 + an integer is a float8, whose text of 1.1 is 1.100000023841858.)
    const float = FLOAT_TYPES[types.get(k) ?? 0];
    return float ? `(${col} + '0'::${float})` : col;
  });
  // Compared and hashed byte for byte (the "C" collation), as the local differ compares keys and as
  // the snapshot's keys are hashed: under a case-insensitive (ICU) collation of the key column, "a" and
  // "A" were one duplicated key, and a split join put a key in one half and its snapshot row in the
  // other (an unchanged row sent as added, then removed).
  if (cols.length === 1) return `((${cols[0]})::text COLLATE "C")`;
  return `(CASE WHEN ${cols.map((c) => `${c} IS NULL`).join(' OR ')} THEN NULL ELSE json_build_array(${cols.join(', ')})::text END COLLATE "C")`;
}

/**
 * The run's rows that differ from the snapshot: `__rn` (model row number; NULL for a snapshot key the
 * model lacks), `__k`, `__fp`, the model's columns `c0`…, then `__spk` and `__sat`: the snapshot's key
 * and its row's place in the table (ctid) when it has one — the diff's transaction sees the table as it
 * was, so the place holds that row until the diff ends, and reading delivered rows by place, in place
 * order, is a page read each rather than a walk of the key index.
 */
export const DELTA = 'pg_temp.sluice_delta';
/** Keys more than one model row has: `k`, `n`, `first` (row number). */
export const DUPS = 'pg_temp.sluice_dups';
/** The temporary sequence that numbers the model's rows as the join reads them. */
export const MODEL_ROWS = 'pg_temp.sluice_model_rows';

/** The prefix of the names the diff gives its own columns next to the model's (a model column may not start with it). */
const RESERVED_PREFIX = '__sluice_';

/** A failed statement's error, its position made the model query's (`at`: where the query starts in the statement); a lost connection as it is (the diff words it). */
export function modelError(query: string, err: unknown, at: number): Error {
  if (err instanceof SluiceError || isConnectionLost(err)) return err as Error;
  const e = err as Error & { position?: string };
  return sqlError(query, e.message, e.position ? Number(e.position) - at : undefined);
}

export interface ModelColumns {
  names: string[];
  /** The expression of a row's fingerprint (`q` is the model). */
  fingerprint: string;
  /** The expression of a row's key (`q` is the model): pgKeyExpr for the model's column types. */
  key: string;
  /** The columns that hold numbers (`numberColumns`). */
  numbers: string[];
}

/**
 * The model's column names (its query run for none) and the fingerprint of its rows (pg-fingerprint.ts, for the
 * server's `server_version_num`);
 * refuses a key column it lacks, or a column no table can hold.
 */
export async function modelColumns(c: pg.Client, model: Model, serverVersion: number): Promise<ModelColumns> {
  const query = model.query ?? '';
  const head = 'SELECT * FROM (';
  let fields: pg.FieldDef[];
  try {
    fields = (await c.query(`${head}${asSubquery(query)}) AS q LIMIT 0`)).fields;
  } catch (err) {
    throw modelError(query, err, head.length);
  }
  // (an in-database run reads its model here, not through openModel, which refuses it for every other read)
  requireDistinctColumns(
    fields.map((f) => f.name),
    model.name,
  );
  const reserved = fields.filter((f) => f.name.startsWith(RESERVED_PREFIX));
  if (reserved.length > 0) {
    const list = reserved.map((f) => `"${f.name}"`).join(', ');
    throw new SluiceError(
      'invalid-input',
      `The in-database diff names its own columns with the prefix ${RESERVED_PREFIX}, which is reserved: rename the model's column${reserved.length > 1 ? 's' : ''} ${list} in the query (e.g. AS ${reserved[0]!.name.slice(RESERVED_PREFIX.length)}).`,
      [{ path: 'query', message: `Columns named with the reserved prefix ${RESERVED_PREFIX}: ${reserved.map((f) => f.name).join(', ')}` }],
    );
  }
  requireKeyColumns(
    fields.map((f) => ({ name: f.name, type: pgTypeName(f.dataTypeID) })),
    model.primaryKey,
    model.name,
  );
  // The changed rows wait in a temporary table: a pseudo-type (record, …) cannot be a table's column ('unknown' becomes text).
  const pseudo = await c.query<{ oid: number; type: string }>(
    `SELECT t.oid::int AS oid, format_type(t.oid, NULL) AS type FROM pg_type t LEFT JOIN pg_type e ON e.oid = t.typelem
     WHERE t.oid = ANY($1::oid[]) AND t.oid <> 'unknown'::regtype AND (t.typtype = 'p' OR e.typtype = 'p')`,
    [fields.map((f) => f.dataTypeID)],
  );
  const refused = fields.filter((f) => pseudo.rows.some((p) => p.oid === f.dataTypeID));
  if (refused.length > 0) {
    const list = refused.map((f) => `"${f.name}" (${pseudo.rows.find((p) => p.oid === f.dataTypeID)!.type})`).join(', ');
    throw new SluiceError(
      'invalid-input',
      `The in-database diff keeps changed rows in a table, and a table cannot hold the column${refused.length > 1 ? 's' : ''} ${list}: cast it in the query (e.g. ${refused[0]!.name}::text) or set the model's diff to local.`,
      [{ path: 'query', message: `Columns of a pseudo-type: ${refused.map((f) => f.name).join(', ')}` }],
    );
  }
  const types = new Map(fields.map((f) => [f.name, f.dataTypeID]));
  const numbers = numberColumns(
    'postgres',
    fields.map((f) => ({ name: f.name, type: pgTypeName(f.dataTypeID) })),
  );
  return { names: fields.map((f) => f.name), fingerprint: fingerprintFor(fields, serverVersion), key: pgKeyExpr(model.primaryKey, types), numbers };
}

/** The snapshot's alias in the join: its scan node in the join's plan is found by it. */
export const SNAPSHOT_ALIAS = 'sluice_snapshot';

/** A node of EXPLAIN's JSON plan: the fields read here. */
interface PlanNode {
  'Relation Name'?: string;
  Alias?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/**
 * The rows the join's scan of the snapshot table (`table`) returned, from EXPLAIN ANALYZE's JSON; null
 * when the plan does not show one such scan, run once. EXPLAIN renames an alias used twice (`_1`, …),
 * and a model that scans the table under the same alias (or a renamed one) leaves two: null then.
 */
export function snapshotRowsOf(explained: unknown, table: string): number | null {
  const found: PlanNode[] = [];
  const alias = new RegExp(`^${SNAPSHOT_ALIAS}(_\\d+)?$`);
  const walk = (node: PlanNode) => {
    if (node['Relation Name'] === table && alias.test(node.Alias ?? '')) found.push(node);
    node.Plans?.forEach(walk);
  };
  const root = Array.isArray(explained) ? (explained[0] as { Plan?: PlanNode } | undefined)?.Plan : undefined;
  if (root) walk(root);
  const scan = found.length === 1 ? found[0]! : undefined;
  const rows = scan?.['Actual Rows'];
  return scan?.['Actual Loops'] === 1 && Number.isSafeInteger(rows) ? rows! : null;
}

/**
 * Rows with a null key column, and keys more than one row has (as `sluice_dups`): refused, the first
 * 1,000 listed. A duplicated key the snapshot lacks is in the delta; one it has shows in the counts (more
 * model rows matched its keys than it has keys left), and only then is the model grouped by key.
 */
export async function keyRejects(
  c: pg.Client,
  model: Model,
  columns: Pick<ModelColumns, 'key'>,
  counts: DeltaTally,
): Promise<{ rejects: RowReject[]; rejectedRows: number; dupRows: number }> {
  const rejects: RowReject[] = [];
  const nulls = await c.query<{ rn: string }>(`SELECT __rn::text AS rn FROM ${DELTA} WHERE __rn IS NOT NULL AND __k IS NULL ORDER BY __rn LIMIT 1000`);
  for (const r of nulls.rows)
    rejects.push({
      reason: 'null-key',
      key: null,
      rowNumber: Number(r.rn),
      detail: `Row ${r.rn} has no value in ${model.primaryKey.join(', ')} (a key column is null)`,
    });
  const matchedRows = counts.read - counts.nulls - counts.addedRows;
  const keyed =
    matchedRows > counts.snapshot - counts.removed
      ? `SELECT row_number() OVER () AS __rn, ${columns.key} AS __k FROM (${asSubquery(model.query ?? '')}) AS q`
      : `SELECT __rn, __k FROM ${DELTA} WHERE __spk IS NULL`;
  await c.query(
    `CREATE TEMP TABLE sluice_dups ON COMMIT DROP AS SELECT __k AS k, count(*) AS n, min(__rn) AS first FROM (${keyed}) AS m WHERE __k IS NOT NULL GROUP BY __k HAVING count(*) > 1`,
  );
  const dups = await c.query<{ k: string; n: string; first: string }>(`SELECT k, n::text, first::text FROM ${DUPS} ORDER BY first`);
  let dupRows = 0;
  for (const d of dups.rows) {
    dupRows += Number(d.n);
    if (rejects.length < 1000)
      rejects.push({
        reason: 'duplicate-key',
        key: d.k,
        rowNumber: Number(d.first),
        detail: `The key ${d.k} appears on ${d.n} rows; none of them is sent until it is unique`,
      });
  }
  return { rejects, rejectedRows: counts.nulls + dupRows, dupRows };
}
