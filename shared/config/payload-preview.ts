import { z } from 'zod';
import { DestinationKindSchema } from './destination';
import { ExplicitHashKeySchema, KafkaMessageSchema, PartitionKeySchema, PayloadSchema, SyncEventSchema } from './sync';

export const PreviewRowsSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('first'), count: z.number().int().min(1).max(100).default(5) }).strict(),
  z.object({ mode: z.literal('key'), key: z.string().min(1) }).strict(),
  z.object({ mode: z.literal('random'), count: z.number().int().min(1).max(100).default(5) }).strict(),
]);

export const PayloadPreviewRequestSchema = z
  .object({
    model: z.string().min(1),
    payload: PayloadSchema,
    partitionKey: PartitionKeySchema.default({ kind: 'primary-key' }),
    kafka: KafkaMessageSchema.optional(),
    explicitHashKey: ExplicitHashKeySchema.optional(),
    /** The destination whose limits and wire format apply. */
    destination: z.string().min(1).optional(),
    /** With a sync, `previous` comes from what it last delivered. */
    sync: z.string().min(1).optional(),
    rows: PreviewRowsSchema.default({ mode: 'first', count: 5 }),
    event: SyncEventSchema.default('added'),
  })
  .strict();
export type PayloadPreviewRequest = z.input<typeof PayloadPreviewRequestSchema>;

export const TemplateProblemSchema = z.object({
  /** The template or setting ("payload template", "key template"); empty when the message names its place itself ("The mapping's key …"). */
  where: z.string(),
  message: z.string(),
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
});
export type TemplateProblem = z.infer<typeof TemplateProblemSchema>;

export const PreviewItemSchema = z.object({
  key: z.string(),
  rowNumber: z.number().int().nullable(),
  /** What `rowNumber` counts: the model file's line (CSV, NDJSON) or the query's row. */
  rowUnit: z.enum(['row', 'line']),
  event: SyncEventSchema,
  /** The record's JSON, pretty-printed for reading (the wire form is `data`); null for a tombstone, or JSON nested too deep to indent. */
  pretty: z.string().nullable(),
  /** Exactly what goes on the wire, as text; null for a Kafka tombstone. */
  data: z.string().nullable(),
  partitionKey: z.string().nullable(),
  kafka: z
    .object({ topic: z.string(), key: z.string().nullable(), partition: z.number().int().nullable(), headers: z.record(z.string(), z.string()) })
    .nullable(),
  bytes: z.number().int(),
  limit: z.number().int(),
  previousFrom: z.enum(['snapshot', 'current-row', 'none']),
  error: z.string().nullable(),
});
export type PreviewItem = z.infer<typeof PreviewItemSchema>;

export const PayloadPreviewSchema = z.object({
  items: z.array(PreviewItemSchema),
  /** A template that does not parse: where. */
  problems: z.array(TemplateProblemSchema),
  destinationKind: DestinationKindSchema.nullable(),
  renderMs: z.number(),
  /**
   * The model's columns that hold numbers, as the rows read say (`numberColumns` with `withNumbersRead`: a
   * SQLite expression's INTEGER past 2^53): the template made from a mapping writes them as the mapping does.
   */
  numberColumns: z.array(z.string()).optional(),
});
export type PayloadPreview = z.infer<typeof PayloadPreviewSchema>;
