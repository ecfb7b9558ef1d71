import type { Model, Source } from '../../shared/config/source';
import { SluiceError } from '../../shared/ipc/errors';
import { DuckdbReader } from './duckdb-reader';
import { CsvReader, NdjsonReader } from './file-readers';
import type { ModelReader } from './reader';
import { SqliteReader } from './sqlite-reader';
import { PostgresReader } from './postgres-reader';
import { requireDistinctColumns } from './repeated-columns';

import type { SourceSecretResolver } from '../secrets/types';

/** A resolver that can be scoped to one source (`SecretResolver.forSource`): a source only ever gets its own secret. */
export type SecretResolver = SourceSecretResolver & Required<Pick<SourceSecretResolver, 'forSource'>>;

/** How a model is opened: `connectTimeoutMs`, how long a database server may take to connect (a run waits longest). */
export interface OpenOptions {
  connectTimeoutMs?: number;
  /** The caller checks the model's column names itself (`requireDistinctModelColumns`): a run, while it watches the source for silence and a cancel. */
  columnsCheckedLater?: boolean;
}

/**
 * Opens a model for reading. A PostgreSQL password is resolved through `secrets.forSource(source)`
 * (issue 12): a secret bound to a destination, or to another server, is refused before it is read,
 * and nothing is connected to. A SQL model whose query returns two columns of one name is refused here,
 * before a row is read: every preview, key check, test record and run opens its model here.
 */
export async function openModel(source: Source, model: Model, secrets: SecretResolver, options: OpenOptions = {}): Promise<ModelReader> {
  const reader = await openReader(source, model, secrets, options);
  if (options.columnsCheckedLater) return reader;
  try {
    await requireDistinctModelColumns(source, model, reader);
  } catch (err) {
    await reader.close();
    throw err;
  }
  return reader;
}

/**
 * Refuses a SQL model whose query returns two columns of one name: the row would hold the last one's value
 * at the first one's place (`requireDistinctColumns`). (A CSV header naming a column twice is refused as it
 * is read; a JSON line cannot.)
 */
export async function requireDistinctModelColumns(source: Source, model: Model, reader: ModelReader): Promise<void> {
  if (source.kind === 'csv' || source.kind === 'ndjson') return;
  requireDistinctColumns(
    (await reader.columns()).map((c) => c.name),
    model.name,
  );
}

async function openReader(source: Source, model: Model, secrets: SecretResolver, options: OpenOptions): Promise<ModelReader> {
  switch (source.kind) {
    case 'sqlite':
      return new SqliteReader(source.path, model.query ?? '');
    case 'csv':
      return new CsvReader(source.path, source.delimiter);
    case 'ndjson':
      return new NdjsonReader(source.path);
    case 'duckdb':
      return DuckdbReader.open(source, model.query ?? '');
    case 'postgres': {
      const own = secrets.forSource(source);
      const password = source.password ? await own.resolve(source.password) : undefined;
      return PostgresReader.open(source, model.query ?? '', password, model.name, options.connectTimeoutMs);
    }
    default:
      throw new SluiceError('invalid-input', `Unknown source kind`);
  }
}
