// `sluice apply`, before it saves anything: a SQL, CSV or NDJSON model of the file that the app's editor would refuse
// to save, by what its source answers, is refused: a query with a SQL error, one that returns two columns of one name
// (`openModel` → `requireDistinctColumns`), a CSV file whose header names a column twice (`csvColumns`), a primary
// key naming a column the query (or the CSV file's header) does not have, or a field no line an NDJSON file starts
// with has (`ndjsonFirstFields`, its first 1,000 lines as the model reader reads them).
import { isSqlSource, type Model, type Source } from '../../shared/config/source';
import { SluiceError } from '../../shared/ipc/errors';
import type { EngineServices } from '../engine/services';
import { lookalikeHint } from '../sources/lookalike-hint';
import { openModel, type OpenOptions } from '../sources/open-model';
import { isRepeatedColumnsError, isRepeatedHeaderError, isUnreadableHeaderError } from '../sources/repeated-columns';
import type { CheckedConfig } from './config-file';
import { ndjsonFirstFields } from './ndjson-first-fields';

/** Models read at once (each a database connection, for a PostgreSQL source). */
const AT_ONCE = 8;

/** A DuckDB error about reaching a file or URL the query reads ("IO Error: No files found that match the pattern …"). */
const DUCKDB_CANNOT_REACH = /DuckDB: (?:IO|HTTP) Error/;

type Services = Pick<EngineServices, 'catalog' | 'secretResolver'>;

/** What reading one model's columns found: its names, its refusal, or null when it could not be read here (a file or server not there yet, a secret not set: its run says what is wrong). */
type Read = { columns: string[] } | { refused: SluiceError } | null;

/**
 * The refusal of the model's query by its source (a SQL error, said where in the query; a statement that returns
 * no rows), naming the model; null for an error about reaching the source (its file, server or secret).
 */
function queryRefusal(model: Model, err: unknown): SluiceError | null {
  if (isRepeatedColumnsError(err)) return err;
  if (!(err instanceof SluiceError) || err.code !== 'invalid-input' || !err.issues.some((i) => i.path === 'query')) return null;
  // A DuckDB query's file not there (yet), or not readable: said of the query, but about reaching the data.
  if (DUCKDB_CANNOT_REACH.test(err.message)) return null;
  return new SluiceError(err.code, `The query of model "${model.name}": ${err.message}`, err.issues);
}

/** The refusal of a primary key naming a column the query does not return, as the editor's Save refuses it. */
function keyRefusal(model: Model, columns: readonly string[], csv: boolean): SluiceError | null {
  const missing = model.primaryKey.filter((k) => !columns.includes(k));
  // (a CSV file with no header yet has no columns to judge by: its run says what is wrong)
  if (missing.length === 0 || columns.length === 0) return null;
  const names = missing.map((m) => `"${m}"`).join(', ');
  const them = missing.length > 1 ? 'them' : 'it';
  const fix = csv ? `name columns of the file's header, or add ${them} to the file` : `name columns of the query, or return ${them} from the query`;
  return new SluiceError(
    'invalid-input',
    `The primary key of model "${model.name}" names ${names}, which its ${csv ? "file's header does not have" : 'query does not return'} (its columns: ${columns.join(', ')}): ${fix}${lookalikeHint(missing, columns)}`,
    [{ path: 'primaryKey', message: `Not a column of the model: ${missing.join(', ')}` }],
  );
}

/**
 * An NDJSON model's key checked against the fields of its file's first lines (a bounded read): refused, naming the
 * model, the key and the file, when no line read has a key column. Its columns are not answered (the model's are
 * those of more lines, `NdjsonReader.columns`): the warnings after the apply read the model as before.
 */
async function ndjsonKeyRead(model: Model, file: string): Promise<Read> {
  const first = await ndjsonFirstFields(file);
  // (a file not there or not readable, a line that is no JSON object: its run says what is wrong; an empty file: nothing to judge)
  if (!first || first.lines === 0) return null;
  const missing = model.primaryKey.filter((k) => !first.fields.includes(k));
  if (missing.length === 0) return null;
  const names = missing.map((m) => `"${m}"`).join(', ');
  const lines = first.lines === 1 ? 'its first line' : `any of its first ${first.lines.toLocaleString('en-US')} lines`;
  return {
    refused: new SluiceError(
      'invalid-input',
      `The primary key of model "${model.name}" names ${names}, which no line of its file ${file} has (the fields of ${lines}: ${first.fields.join(', ')}): name fields of the file's lines, or add ${missing.length > 1 ? 'them' : 'it'} to them`,
      [{ path: 'primaryKey', message: `Not a field of the file's lines: ${missing.join(', ')}` }],
    ),
  };
}

async function readColumns(services: Services, source: Source, model: Model, options: OpenOptions): Promise<Read> {
  if (source.kind === 'ndjson') return ndjsonKeyRead(model, source.path);
  let columns: string[];
  try {
    const reader = await openModel(source, model, services.secretResolver, options);
    try {
      columns = (await reader.columns()).map((c) => c.name);
    } finally {
      await reader.close();
    }
  } catch (err) {
    if (isRepeatedHeaderError(err) || isUnreadableHeaderError(err))
      return { refused: new SluiceError(err.code, `Model "${model.name}" reads ${err.message}`, err.issues) };
    const refused = queryRefusal(model, err);
    return refused ? { refused } : null;
  }
  const refused = keyRefusal(model, columns, source.kind === 'csv');
  return refused ? { refused } : { columns };
}

/**
 * Reads the columns of each SQL or CSV model the checked file adds or changes (one saved as it is was judged when
 * it was saved, and its runs refuse it) and refuses the first that its source refuses (`queryRefusal`: a SQL
 * error, two columns of one name; a CSV header naming a column twice) or whose primary key names a column the
 * query (or header) does not have, or a field no line of an NDJSON file's first has (`ndjsonKeyRead`), saying where
 * it is in the file (`fileName, models[i] (line n): …`). A model whose source cannot be reached here is not
 * refused. Answers the columns read, by model (null: not readable here), so that what is said after the apply
 * reads no model twice.
 */
export async function refuseBadModelQueries(services: Services, checked: CheckedConfig, options: OpenOptions = {}): Promise<Map<string, string[] | null>> {
  const read = new Map<string, string[] | null>();
  const { sources, models } = checked.config;
  const saved = new Map(services.catalog.listSources().map((s) => [s.name, s]));
  // A model reads the file's source of its source's name, else the one saved.
  const inFile = new Map(sources.map((s) => [s.name, s]));
  // What a model reads: its source's definition, its query and its key (a model and source as saved were judged when saved).
  const reads = (m: Model, source: Source | undefined) => JSON.stringify([m.query, m.primaryKey, source]);
  const stored = new Map(services.catalog.listModels().map((m) => [m.name, reads(m, saved.get(m.source))]));
  const todo = models.flatMap((model, index) => {
    const source = inFile.get(model.source) ?? saved.get(model.source);
    const judged = stored.get(model.name) === reads(model, source);
    const read = source && ((isSqlSource(source.kind) && model.query !== undefined) || source.kind === 'csv' || source.kind === 'ndjson');
    return read && !judged ? [{ model, index, source }] : [];
  });
  for (let i = 0; i < todo.length; i += AT_ONCE) {
    const batch = todo.slice(i, i + AT_ONCE);
    const answers = await Promise.all(batch.map((t) => readColumns(services, t.source, t.model, options)));
    const refused = answers.findIndex((a) => a !== null && 'refused' in a);
    if (refused >= 0) throw checked.refusal('models', batch[refused]!.index, (answers[refused] as { refused: SluiceError }).refused);
    // (an NDJSON model's columns were not read: its warnings read it, `ndjsonKeyRead`)
    batch.forEach((t, k) => {
      if (t.source.kind !== 'ndjson') read.set(t.model.name, answers[k] && 'columns' in answers[k] ? answers[k].columns : null);
    });
  }
  return read;
}
