import type { z } from 'zod';
import type { PreviewRowsSchema } from '../../shared/config/payload-preview';
import type { Row } from '../../shared/config/source';
import { numberColumns } from '../../shared/config/number-columns';
import type { EngineServices } from '../engine/services';
import { openModel } from '../sources/open-model';
import { rowKey } from './row-identity';

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
 * columns that hold numbers (`numberColumns`), for rendering the rows as a run would.
 */
export async function scanModel(engine: EngineServices, modelName: string, visit: (item: PickedRow) => boolean | void): Promise<string[]> {
  const model = engine.catalog.getModel(modelName);
  const source = engine.catalog.getSource(model.source);
  const reader = await openModel(source, model, engine.secretResolver);
  try {
    const numbers = numberColumns(source.kind, await reader.columns());
    for await (const batch of reader.batches()) for (const item of batch) if (visit(item) === true) return numbers;
    return numbers;
  } finally {
    await reader.close();
  }
}

/** The rows a pick chooses from a model, and the model's columns that hold numbers (`numberColumns`). */
export async function pickModelRows(
  engine: EngineServices,
  modelName: string,
  pick: RowsPick,
  primaryKey: readonly string[],
): Promise<{ rows: PickedRow[]; numberColumns: string[] }> {
  const picker = new RowPicker(pick, primaryKey);
  const numbers = await scanModel(engine, modelName, (item) => {
    picker.offer(item);
    return picker.done;
  });
  return { rows: picker.picked, numberColumns: numbers };
}

/** The rows a pick chooses from a model. */
export async function pickRows(engine: EngineServices, modelName: string, pick: RowsPick, primaryKey: readonly string[]): Promise<PickedRow[]> {
  return (await pickModelRows(engine, modelName, pick, primaryKey)).rows;
}
