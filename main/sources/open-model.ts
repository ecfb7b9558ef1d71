import type { Model, Source } from '../../shared/config/source';
import { SluiceError } from '../../shared/ipc/errors';
import { CsvReader, NdjsonReader } from './file-readers';
import type { ModelReader } from './reader';
import { SqliteReader } from './sqlite-reader';
import { PostgresReader } from './postgres-reader';

import type { SourceSecretResolver } from '../secrets/types';

export type SecretResolver = SourceSecretResolver;

export async function openModel(source: Source, model: Model, secrets: SecretResolver): Promise<ModelReader> {
  switch (source.kind) {
    case 'sqlite':
      return new SqliteReader(source.path, model.query ?? '');
    case 'csv':
      return new CsvReader(source.path, source.delimiter);
    case 'ndjson':
      return new NdjsonReader(source.path);
    case 'postgres': {
      const password = source.password ? await secrets.resolve(source.password) : undefined;
      return PostgresReader.open(source, model.query ?? '', password);
    }
    default:
      throw new SluiceError('invalid-input', `Unknown source kind`);
  }
}
