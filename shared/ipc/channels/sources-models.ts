import { z } from 'zod';
import { NameSchema, NewNameSchema } from '../../config/names';
import { ModelPreviewSchema, ModelSchema, SourceSchema } from '../../config/source';
import { KeyCheckSchema, ModelSavePreviewSchema, SourceTablesSchema, SourceTestSchema } from '../../config/source-admin';

/**
 * Channels for adding, editing, testing and deleting sources and models from the app (issue #14).
 * Spread into the one contract in shared/ipc/contract.ts.
 */
export const sourcesModelsChannels = {
  saveSource: {
    does: 'save the source',
    input: z.object({ source: SourceSchema, mode: z.enum(['create', 'update']) }).strict(),
    output: SourceSchema,
  },
  renameSource: {
    does: 'rename the source',
    input: z.object({ from: NameSchema, to: NewNameSchema }).strict(),
    output: SourceSchema,
  },
  deleteSource: { does: 'delete the source', input: z.object({ name: NameSchema }).strict(), output: z.object({ deleted: z.boolean() }) },
  testSource: { does: 'test the source', input: z.object({ draft: SourceSchema }).strict(), output: SourceTestSchema },
  sourceSchema: { does: "read the source's tables and columns", input: z.object({ source: NameSchema }).strict(), output: SourceTablesSchema },
  previewModelDraft: {
    does: 'preview the model',
    input: z
      .object({
        source: NameSchema,
        query: z.string().max(1_000_000, 'A query can be at most 1 MB').optional(),
        limit: z.number().int().min(1).max(1000).default(50),
      })
      .strict(),
    output: ModelPreviewSchema,
  },
  checkModelKeys: { does: "check the model's primary key", input: z.object({ model: ModelSchema }).strict(), output: KeyCheckSchema },
  /** Saving the model, asked first: which syncs on it name columns it would no longer have (their next runs would stop). */
  previewModelSave: { does: 'check what saving the model changes', input: z.object({ model: ModelSchema }).strict(), output: ModelSavePreviewSchema },
  saveModel: {
    does: 'save the model',
    input: z.object({ model: ModelSchema, mode: z.enum(['create', 'update']) }).strict(),
    output: z.object({ model: ModelSchema, keyCheck: KeyCheckSchema }),
  },
  renameModel: {
    does: 'rename the model',
    input: z.object({ from: NameSchema, to: NewNameSchema }).strict(),
    output: ModelSchema,
  },
  deleteModel: { does: 'delete the model', input: z.object({ name: NameSchema }).strict(), output: z.object({ deleted: z.boolean() }) },
} as const;
