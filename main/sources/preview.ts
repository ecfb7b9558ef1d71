import type { Model, ModelPreview } from '../../shared/config/source';
import type { EngineServices } from '../engine/services';
import { openModel, type OpenOptions } from './open-model';
import { sharedModelRead } from './shared-reads';

/** The model's columns (with types) and its first rows; asked again while they are read, that read's answer (`sharedRead`). */
export async function previewModel(engine: EngineServices, name: string, limit: number): Promise<ModelPreview> {
  const model = engine.catalog.getModel(name);
  const { columns, rows, truncated } = await sharedModelRead(engine, 'preview', model, limit, () => previewDefinition(engine, model, limit));
  return { columns: [...columns], rows: [...rows], truncated };
}

/** The same for a model definition, saved or not (the model editor's preview). */
export async function previewDefinition(engine: EngineServices, model: Model, limit: number, options?: OpenOptions): Promise<ModelPreview> {
  const source = engine.catalog.getSource(model.source);
  const reader = await openModel(source, model, engine.secretResolver, options);
  try {
    const columns = await reader.columns();
    const rows = [];
    let truncated = false;
    for await (const batch of reader.batches(limit + 1)) {
      for (const { row } of batch) {
        if (rows.length === limit) {
          truncated = true;
          break;
        }
        rows.push(row);
      }
      break;
    }
    return { columns, rows, truncated };
  } finally {
    await reader.close();
  }
}
