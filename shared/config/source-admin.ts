import { z } from 'zod';
import { ColumnSchema } from './source';

/** A table (or view) of a source with its columns; a CSV or NDJSON file is one table named after the file. */
export const SourceTableSchema = z.object({ name: z.string(), columns: z.array(ColumnSchema) });
export type SourceTable = z.infer<typeof SourceTableSchema>;
export const SourceTablesSchema = z.object({ tables: z.array(SourceTableSchema) });

/** A source test: it connected (or read the file) and listed its tables, or what to fix. */
export const SourceTestSchema = z.object({
  source: z.string(),
  ok: z.boolean(),
  /** What happened, in words a person can act on. */
  detail: z.string(),
  /** What to do about a failure. */
  hint: z.string().optional(),
  tables: z.array(SourceTableSchema),
  ms: z.number(),
});
export type SourceTest = z.infer<typeof SourceTestSchema>;

/** The whole model read once: rows without a key, and keys more than one row has, with examples. */
export const KeyCheckSchema = z.object({
  rows: z.number().int(),
  /** True when every row has a full key and no two rows share one. */
  unique: z.boolean(),
  nullRows: z.number().int(),
  duplicateKeys: z.number().int(),
  duplicateRows: z.number().int(),
  /** Up to 5 examples in words: "2 rows have id 17", "1 row has a null id". */
  examples: z.array(z.string()),
  /** One sentence: all is well, or what is wrong. */
  message: z.string(),
});
export type KeyCheck = z.infer<typeof KeyCheckSchema>;

/**
 * Saving a model, asked first: the syncs on it whose settings name columns its new query does not return
 * (each column, and where the sync uses it), so their next runs would stop. Empty when none.
 */
export const ModelSavePreviewSchema = z.object({
  syncs: z.array(
    z.object({
      sync: z.string(),
      missing: z.array(z.object({ column: z.string(), where: z.string() })),
      /** One sentence naming the sync, each column and where it is used, and what to do. */
      message: z.string(),
    }),
  ),
});
export type ModelSavePreview = z.infer<typeof ModelSavePreviewSchema>;
