import type { z } from 'zod';
import type { PreviewRowsSchema } from '../../shared/config/payload-preview';
import type { Row } from '../../shared/config/source';
import { numberColumns, withNumbersRead } from '../../shared/config/number-columns';
import type { EngineServices } from '../engine/services';
import { openModel } from '../sources/open-model';
import { sharedModelRead } from '../sources/shared-reads';
import { rowKey } from './row-identity';
import { ABORTED, untilAborted } from './until-aborted';

export type RowsPick = z.output<typeof PreviewRowsSchema>;
export interface PickedRow {
  rowNumber: number;
  row: Row;
}

/**
 * Picks rows as they stream by: the first N, the one row with a key, or a uniform random sample of
 * N (a reservoir over every row offered). `done` once nothing more can be picked.
 */
export class RowPicker {
  readonly picked: PickedRow[] = [];
  private seen = 0;

  constructor(
    private readonly pick: RowsPick,
    private readonly primaryKey: readonly string[],
  ) {}

  get done(): boolean {
    if (this.pick.mode === 'first') return this.picked.length >= this.pick.count;
    if (this.pick.mode === 'key') return this.picked.length > 0;
    return false;
  }

  offer(item: PickedRow): void {
    if (this.done) return;
    const pick = this.pick;
    if (pick.mode === 'first') this.picked.push(item);
    else if (pick.mode === 'key') {
      // A key pasted with spaces around it (` 3 `) still finds its row; a key that has them matches as typed.
      const key = rowKey(item.row, this.primaryKey);
      if (key === pick.key || key === pick.key.trim()) this.picked.push(item);
    } else {
      this.seen++;
      if (this.picked.length < pick.count) this.picked.push(item);
      else {
        const j = Math.floor(Math.random() * this.seen);
        if (j < pick.count) this.picked[j] = item;
      }
    }
  }
}

/**
 * Streams a model's rows to `visit` until it answers true (stop) or the rows run out. Answers the model's
 * columns that hold numbers (`numberColumns`), for rendering the rows as a run would. `signal` stops
 * the read and rejects with its reason: the reader is closed at once, which stops the source's work too
 * (PostgreSQL cancels the query on the server, DuckDB is interrupted, a file's stream destroyed, a
 * SQLite model's reading process killed, `sqlite-read-client.ts`).
 */
export async function scanModel(
  engine: EngineServices,
  modelName: string,
  visit: (item: PickedRow) => boolean | void,
  signal?: AbortSignal,
): Promise<string[]> {
  const model = engine.catalog.getModel(modelName);
  const source = engine.catalog.getSource(model.source);
  const reader = await openModel(source, model, engine.secretResolver);
  const batches = reader.batches()[Symbol.asyncIterator]();
  let waiting = false; // (a batch asked for and not come: the generator cannot be ended before it comes)
  let declared: string[] = [];
  // With the columns in which the rows read held a number carried as its text, as a run has them (`numbersRead`).
  const numbers = () => withNumbersRead(declared, reader.numbersRead?.());
  try {
    declared = numberColumns(source.kind, await reader.columns());
    while (!signal?.aborted) {
      const next = await untilAborted(batches.next(), signal);
      if (next === ABORTED) {
        waiting = true;
        break;
      }
      if (next.done) return numbers();
      for (const item of next.value) if (visit(item) === true) return numbers();
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    if (!waiting) await batches.return?.(undefined).catch(() => undefined);
    // (with a batch on its way, closing fails it: left unheard)
    await reader.close();
  }
  signal?.throwIfAborted();
  return numbers();
}

/**
 * The rows a pick chooses from a model, and the model's columns that hold numbers (`numberColumns`);
 * `signal` stops the read (`scanModel`). Without one, the same pick asked while it is read shares that
 * read (`sharedRead`): a preview asked on each edit of a template reads a slow model once.
 */
export async function pickModelRows(
  engine: EngineServices,
  modelName: string,
  pick: RowsPick,
  primaryKey: readonly string[],
  signal?: AbortSignal,
): Promise<{ rows: PickedRow[]; numberColumns: string[] }> {
  if (signal) return readPicked(engine, modelName, pick, primaryKey, signal);
  const model = engine.catalog.getModel(modelName);
  const { rows, numberColumns } = await sharedModelRead(engine, 'pick', model, [pick, primaryKey], () => readPicked(engine, modelName, pick, primaryKey));
  return { rows: [...rows], numberColumns: [...numberColumns] };
}

async function readPicked(
  engine: EngineServices,
  modelName: string,
  pick: RowsPick,
  primaryKey: readonly string[],
  signal?: AbortSignal,
): Promise<{ rows: PickedRow[]; numberColumns: string[] }> {
  const picker = new RowPicker(pick, primaryKey);
  const numbers = await scanModel(
    engine,
    modelName,
    (item) => {
      picker.offer(item);
      return picker.done;
    },
    signal,
  );
  return { rows: picker.picked, numberColumns: numbers };
}

/** The rows a pick chooses from a model. */
export async function pickRows(
  engine: EngineServices,
  modelName: string,
  pick: RowsPick,
  primaryKey: readonly string[],
  signal?: AbortSignal,
): Promise<PickedRow[]> {
  return (await pickModelRows(engine, modelName, pick, primaryKey, signal)).rows;
}
