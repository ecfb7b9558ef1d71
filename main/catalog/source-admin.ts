import { isSqlSource, type Source } from '../../shared/config/source';
import type { SourceTest } from '../../shared/config/source-admin';
import { SluiceError } from '../../shared/ipc/errors';
import type { EngineServices } from '../engine/services';
import { quoted, stillInUse } from './in-use';
import { putSourceChecked } from '../sources/secret-scope';
import { assertAbsolutePath, EMPTY_FILE, readSourceTables } from '../sources/source-schema';

/**
 * What the Sources page asks of the engine: save (create or edit), rename, delete and test a source,
 * and list a saved source's tables. Every change ends with `catalogChanged`.
 */

function exists(engine: EngineServices, name: string): boolean {
  return engine.catalog.listSources().some((s) => s.name === name);
}

function modelsUsing(engine: EngineServices, source: string): string[] {
  return engine.catalog
    .listModels()
    .filter((m) => m.source === source)
    .map((m) => m.name);
}

export function saveSource(engine: EngineServices, source: Source, mode: 'create' | 'update'): Source {
  assertAbsolutePath(source);
  const there = exists(engine, source.name);
  if (mode === 'create' && there) {
    throw new SluiceError('conflict', `A source named "${source.name}" already exists`, [
      { path: 'name', message: 'Choose another name, or edit the existing source' },
    ]);
  }
  if (mode === 'update' && !there) throw new SluiceError('not-found', `There is no source named "${source.name}" to update`);
  if (mode === 'update') {
    const before = engine.catalog.getSource(source.name);
    const users = modelsUsing(engine, source.name);
    const sql = isSqlSource;
    if (users.length > 0 && sql(before.kind) !== sql(source.kind)) {
      throw new SluiceError(
        'conflict',
        `The source "${source.name}" cannot become a ${source.kind} source: the model${users.length > 1 ? 's' : ''} ${quoted(users)} ${sql(before.kind) ? 'use a SQL query' : 'read the whole file'}. Add a new source instead.`,
        [{ path: 'kind', message: 'Models use this source as it is' }],
      );
    }
  }
  // A PostgreSQL password must only go to its own server (issue 12): refused like `sluice apply` would.
  // (reads, then writes: the write lock first, or a run's ledger committing in between refuses it)
  const saved = engine.db.transaction(() => putSourceChecked(engine.catalog, engine.secrets.bindings, source)).immediate();
  engine.log.info('source.saved', { name: saved.name, kind: saved.kind, mode });
  engine.emit('catalogChanged', {});
  return saved;
}

/** Renames a source; the models that read it follow, in the same transaction. */
export function renameSource(engine: EngineServices, from: string, to: string): Source {
  const source = engine.catalog.getSource(from);
  if (from === to) return source;
  if (exists(engine, to)) throw new SluiceError('conflict', `A source named "${to}" already exists: choose another name`);
  const renamed = { ...source, name: to };
  engine.db.transaction(() => {
    // models.source follows by ON UPDATE CASCADE; each model's definition names its source too.
    engine.db
      .prepare('UPDATE sources SET name = ?, definition = ?, updated_at = ? WHERE name = ?')
      .run(to, JSON.stringify(renamed), new Date().toISOString(), from);
    for (const model of engine.catalog.listModels().filter((m) => m.source === from)) {
      engine.db.prepare('UPDATE models SET definition = ? WHERE name = ?').run(JSON.stringify({ ...model, source: to }), model.name);
    }
    // A keychain secret bound to the source stays bound to it under its new name.
    engine.db.prepare("UPDATE secret_bindings SET destination = ? WHERE destination = ? AND json_extract(identity, '$.kind') = 'source'").run(to, from);
  })();
  engine.log.info('source.renamed', { from, to });
  engine.emit('catalogChanged', {});
  return renamed;
}

/** Deletes a source no model reads; the message names the models that do. */
export function deleteSource(engine: EngineServices, name: string): void {
  engine.catalog.getSource(name);
  const users = modelsUsing(engine, name);
  if (users.length > 0) throw stillInUse({ kind: 'source', name }, { kind: 'model', names: users });
  engine.db.prepare('DELETE FROM sources WHERE name = ?').run(name);
  engine.log.info('source.deleted', { name });
  engine.emit('catalogChanged', {});
}

/** What to do about a failed test, from the field the error names. */
function hintFor(source: Source, issue: { path: string; message: string } | undefined): string | undefined {
  switch (issue?.path) {
    case 'path':
      return issue.message === EMPTY_FILE
        ? 'The file is there but holds nothing yet: write its rows into it (or choose the file that has them), then test again.'
        : 'Check the path: the full path of a file your user may read.';
    case 'password':
      return 'Type the password again (or choose the right keychain secret).';
    case 'user':
      return 'Check the user name, and that the server lets it connect.';
    case 'database':
      return 'Check the database name (psql -l lists them).';
    case 'host':
    case 'port':
      return 'Check the host and port, and that the server is running and reachable from here.';
    case 'ssl':
      return source.kind === 'postgres' && source.ssl ? 'Turn TLS off if the server does not offer it.' : 'Turn TLS on if the server requires it.';
    default:
      return undefined;
  }
}

/** Connects to (or reads) a source, saved or not, and lists its tables; a failure says what to fix. */
export async function testSource(engine: EngineServices, draft: Source): Promise<SourceTest> {
  const started = Date.now();
  try {
    const tables = await readSourceTables(draft, engine.secretResolver);
    const detail =
      draft.kind === 'csv' || draft.kind === 'ndjson'
        ? `Read ${draft.path}: ${tables[0]!.columns.length} column${tables[0]!.columns.length === 1 ? '' : 's'}`
        : draft.kind === 'duckdb' && !draft.database
          ? 'DuckDB is ready (in memory): models read Parquet, CSV or JSON files by their full path'
          : `Connected; found ${tables.length} ${tables.length === 1 ? 'table or view' : 'tables and views'}`;
    return { source: draft.name, ok: true, detail, tables, ms: Date.now() - started };
  } catch (err) {
    const e = err instanceof SluiceError ? err : new SluiceError('internal', (err as Error).message);
    const hint = hintFor(draft, e.issues[0]);
    return { source: draft.name, ok: false, detail: engine.redactor.redact(e.message), ...(hint ? { hint } : {}), tables: [], ms: Date.now() - started };
  }
}
