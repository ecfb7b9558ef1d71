import { isSqlSource, sqlSourceLabel, type Model, type ModelPreview } from '../../shared/config/source';
import type { KeyCheck, ModelSavePreview } from '../../shared/config/source-admin';
import { SluiceError } from '../../shared/ipc/errors';
import type { EngineServices } from '../engine/services';
import { stillInUse } from './in-use';
import { checkKeys } from './model-key-check';
import { openModel, type OpenOptions } from '../sources/open-model';
import { previewDefinition } from '../sources/preview';
import { missingColumnsWarning, missingNamedColumns } from '../sync/run/named-columns';

/**
 * What the Models page asks of the engine: preview an unsaved query, check a primary key over the whole
 * model, save (only with a unique key), rename (syncs follow, their snapshots kept) and delete.
 */

/** A model's source must exist, and a SQL source needs a query. */
function requireQuery(engine: EngineServices, model: Pick<Model, 'source' | 'query'>): void {
  const source = engine.catalog.getSource(model.source);
  if (isSqlSource(source.kind) && !model.query?.trim()) {
    throw new SluiceError('invalid-input', `Write the SQL query: the source "${source.name}" is a ${sqlSourceLabel(source.kind)} database`, [
      { path: 'query', message: 'The query is empty' },
    ]);
  }
}

/** The first rows of a query (or file) not saved as a model yet. */
export function previewDraft(engine: EngineServices, source: string, query: string | undefined, limit: number): Promise<ModelPreview> {
  requireQuery(engine, { source, query });
  const kind = engine.catalog.getSource(source).kind;
  const sql = isSqlSource(kind);
  // No name: a connection lost while it reads is said of "the model", not of a model named "draft".
  return previewDefinition(engine, { name: '', source, ...(sql ? { query } : {}), primaryKey: ['-'] }, limit);
}

/** Reads the whole model and checks its primary key: null parts and duplicates, with examples. */
export async function checkModelKeys(engine: EngineServices, model: Model): Promise<KeyCheck> {
  requireQuery(engine, model);
  const reader = await openModel(engine.catalog.getSource(model.source), model, engine.secretResolver);
  try {
    return await checkKeys(reader, model.primaryKey, { stateFile: engine.db.name, model: model.name });
  } finally {
    await reader.close();
  }
}

function exists(engine: EngineServices, name: string): boolean {
  return engine.catalog.listModels().some((m) => m.name === name);
}

/** What is saved of a model: a file source's model is the whole file (no query). */
function storedDefinition(engine: EngineServices, model: Model): Model {
  const kind = engine.catalog.getSource(model.source).kind;
  return kind === 'csv' || kind === 'ndjson' ? { name: model.name, source: model.source, primaryKey: model.primaryKey } : model;
}

/**
 * Saving the model, asked first (the app's editor; `sluice apply` after it applied): the syncs on it whose
 * settings name columns the model's query does not return (a run would stop for it, `missingColumnsProblem`).
 * Reads the model's columns; a query that cannot be read throws as the preview does. An NDJSON model's
 * columns are those of its first lines, which a run does not hold it to: none is said missing.
 * `options.connectTimeoutMs`: how long a database server may take to connect (`sluice apply` waits less).
 */
export async function previewModelSave(engine: EngineServices, model: Model, options?: OpenOptions): Promise<ModelSavePreview> {
  const syncs = engine.catalog.syncsOnModel(model.name);
  if (syncs.length === 0 || engine.catalog.getSource(model.source).kind === 'ndjson') return { syncs: [] };
  const definition = storedDefinition(engine, model);
  requireQuery(engine, definition);
  const columns = (await previewDefinition(engine, definition, 1, options)).columns.map((c) => c.name);
  return savePreviewOf(engine, model.name, columns);
}

/** `previewModelSave` of a model whose columns were read already (`sluice apply`'s check of its models). */
export function savePreviewOf(engine: EngineServices, model: string, columns: readonly string[]): ModelSavePreview {
  return {
    syncs: engine.catalog.syncsOnModel(model).flatMap(({ definition: sync }) => {
      const message = missingColumnsWarning(sync, model, columns);
      return message === null ? [] : [{ sync: sync.name, missing: missingNamedColumns(sync, columns), message }];
    }),
  };
}

/** Saves a model whose key is unique over all its rows; otherwise refuses, saying which keys are not. */
export async function saveModel(engine: EngineServices, model: Model, mode: 'create' | 'update'): Promise<{ model: Model; keyCheck: KeyCheck }> {
  const there = exists(engine, model.name);
  if (mode === 'create' && there)
    throw new SluiceError('conflict', `A model named "${model.name}" already exists`, [
      { path: 'name', message: 'Choose another name, or edit the existing model' },
    ]);
  if (mode === 'update' && !there) throw new SluiceError('not-found', `There is no model named "${model.name}" to update`);
  const definition = storedDefinition(engine, model);
  const keyCheck = await checkModelKeys(engine, definition);
  if (!keyCheck.unique) {
    throw new SluiceError(
      'conflict',
      `The model "${model.name}" was not saved: its primary key is not unique. ${keyCheck.message.replace(/ Choose a key.*$/, '')} Examples: ${keyCheck.examples.join('; ')}.`,
      [{ path: 'primaryKey', message: 'Choose a key that is unique and never null, or fix the data' }],
    );
  }
  const saved = engine.catalog.putModel(definition);
  engine.log.info('model.saved', { name: saved.name, source: saved.source, mode });
  engine.emit('catalogChanged', {});
  return { model: saved, keyCheck };
}

/** Renames a model; the syncs that send it follow in the same transaction and keep their snapshots. */
export function renameModel(engine: EngineServices, from: string, to: string): Model {
  const model = engine.catalog.getModel(from);
  if (from === to) return model;
  if (exists(engine, to)) throw new SluiceError('conflict', `A model named "${to}" already exists: choose another name`);
  const renamed = { ...model, name: to };
  engine.db.transaction(() => {
    // syncs.model follows by ON UPDATE CASCADE; the sync keeps its id, so its snapshot, runs and ledger stay.
    engine.db
      .prepare('UPDATE models SET name = ?, definition = ?, updated_at = ? WHERE name = ?')
      .run(to, JSON.stringify(renamed), new Date().toISOString(), from);
    for (const sync of engine.catalog.listSyncs().filter((s) => s.definition.model === from)) {
      engine.db.prepare('UPDATE syncs SET definition = ? WHERE id = ?').run(JSON.stringify({ ...sync.definition, model: to }), sync.id);
    }
  })();
  engine.log.info('model.renamed', { from, to });
  engine.emit('catalogChanged', {});
  return renamed;
}

/** Deletes a model no sync sends; the message names the syncs that do. */
export function deleteModel(engine: EngineServices, name: string): void {
  engine.catalog.getModel(name);
  const users = engine.catalog
    .listSyncs()
    .filter((s) => s.definition.model === name)
    .map((s) => s.definition.name);
  if (users.length > 0) throw stillInUse({ kind: 'model', name }, { kind: 'sync', names: users });
  engine.db.prepare('DELETE FROM models WHERE name = ?').run(name);
  engine.log.info('model.deleted', { name });
  engine.emit('catalogChanged', {});
}
