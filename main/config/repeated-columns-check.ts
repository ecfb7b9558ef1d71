// `sluice apply`, before it saves anything: a SQL model of the file whose query returns two columns of one name
// is refused, as the app's editor refuses to save it (`openModel` → `requireDistinctColumns`); so is a CSV
// model whose file's header names a column twice, which the editor and its runs refuse (`csvColumns`).
import { isSqlSource, type Model, type Source } from '../../shared/config/source';
import { SluiceError } from '../../shared/ipc/errors';
import type { EngineServices } from '../engine/services';
import { openModel, type OpenOptions } from '../sources/open-model';
import { isRepeatedColumnsError, isRepeatedHeaderError } from '../sources/repeated-columns';
import type { CheckedConfig } from './config-file';

/** Models read at once (each a database connection, for a PostgreSQL source). */
const AT_ONCE = 8;

type Services = Pick<EngineServices, 'catalog' | 'secretResolver'>;

/** What reading one model's columns found: its names, its refusal, or null when it could not be read here (a file or server not there yet, a secret not set: its run says what is wrong). */
type Read = { columns: string[] } | { refused: SluiceError } | null;

async function readColumns(services: Services, source: Source, model: Model, options: OpenOptions): Promise<Read> {
  try {
    const reader = await openModel(source, model, services.secretResolver, options);
    try {
      return { columns: (await reader.columns()).map((c) => c.name) };
    } finally {
      await reader.close();
    }
  } catch (err) {
    if (isRepeatedHeaderError(err)) return { refused: new SluiceError(err.code, `Model "${model.name}" reads ${err.message}`, err.issues) };
    return isRepeatedColumnsError(err) ? { refused: err } : null;
  }
}

/**
 * Reads the columns of each SQL or CSV model the checked file adds or changes (one saved as it is was judged when
 * it was saved, and its runs refuse it) and refuses the first whose query returns two columns of one name, or
 * whose CSV file's header names a column twice (with the model's name), saying
 * where it is in the file (`fileName, models[i] (line n): …`). Answers the columns read, by model (null: not
 * readable here), so that what is said after the apply reads no model twice.
 */
export async function refuseRepeatedColumns(services: Services, checked: CheckedConfig, options: OpenOptions = {}): Promise<Map<string, string[] | null>> {
  const read = new Map<string, string[] | null>();
  const { sources, models } = checked.config;
  const saved = new Map(services.catalog.listSources().map((s) => [s.name, s]));
  // A model reads the file's source of its source's name, else the one saved.
  const inFile = new Map(sources.map((s) => [s.name, s]));
  // What a model reads: its source's definition and its query (a model and source as saved were judged when saved).
  const reads = (m: Model, source: Source | undefined) => JSON.stringify([m.query, source]);
  const stored = new Map(services.catalog.listModels().map((m) => [m.name, reads(m, saved.get(m.source))]));
  const todo = models.flatMap((model, index) => {
    const source = inFile.get(model.source) ?? saved.get(model.source);
    const judged = stored.get(model.name) === reads(model, source);
    const read = source && ((isSqlSource(source.kind) && model.query !== undefined) || source.kind === 'csv');
    return read && !judged ? [{ model, index, source }] : [];
  });
  for (let i = 0; i < todo.length; i += AT_ONCE) {
    const batch = todo.slice(i, i + AT_ONCE);
    const answers = await Promise.all(batch.map((t) => readColumns(services, t.source, t.model, options)));
    const refused = answers.findIndex((a) => a !== null && 'refused' in a);
    if (refused >= 0) throw checked.refusal('models', batch[refused]!.index, (answers[refused] as { refused: SluiceError }).refused);
    batch.forEach((t, k) => read.set(t.model.name, answers[k] && 'columns' in answers[k] ? answers[k].columns : null));
  }
  return read;
}
