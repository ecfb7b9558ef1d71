import type { EngineServices } from '../engine/services';
import type { HandlerTable } from './dispatcher';
import type { sourcesModelsChannels } from '../../shared/ipc/channels/sources-models';
import { deleteSource, renameSource, saveSource, testSource } from '../catalog/source-admin';
import { checkModelKeys, deleteModel, previewDraft, previewModelSave, renameModel, saveModel } from '../catalog/model-admin';
import { readSourceTables } from '../sources/source-schema';

/** Handlers for the channels in shared/ipc/channels/sources-models.ts. */
export function sourcesModelsHandlers(engine: EngineServices): Pick<HandlerTable, keyof typeof sourcesModelsChannels> {
  return {
    saveSource: ({ source, mode }) => saveSource(engine, source, mode),
    renameSource: ({ from, to }) => renameSource(engine, from, to),
    deleteSource: ({ name }) => {
      deleteSource(engine, name);
      return { deleted: true };
    },
    testSource: ({ draft }) => testSource(engine, draft),
    sourceSchema: async ({ source }) => ({ tables: await readSourceTables(engine.catalog.getSource(source), engine.secretResolver) }),
    previewModelDraft: ({ source, query, limit }) => previewDraft(engine, source, query, limit),
    checkModelKeys: ({ model }) => checkModelKeys(engine, model),
    previewModelSave: ({ model }) => previewModelSave(engine, model),
    saveModel: ({ model, mode }) => saveModel(engine, model, mode),
    renameModel: ({ from, to }) => renameModel(engine, from, to),
    deleteModel: ({ name }) => {
      deleteModel(engine, name);
      return { deleted: true };
    },
  };
}
