import { z } from 'zod';
import { NameSchema } from './names';

/**
 * Capture: a stream's records written into a local table (issue #17 item 4). The captured table's columns
 * (SQLite table `captured_records`, or one NDJSON object per line with the same names but no `id`).
 */
export const CAPTURE_TABLE = 'captured_records';
export const CAPTURE_COLUMNS = [
  'id',
  'stream',
  'shard',
  'sequence',
  'partition_key',
  'data',
  'data_is_base64',
  'arrival_timestamp',
  'ingestion_timestamp',
] as const;

/** Where the first run starts in each shard or partition; later runs resume from the file's checkpoint. */
export const CaptureFromSchema = z.enum(['trim-horizon', 'latest']);
export type CaptureFrom = z.infer<typeof CaptureFromSchema>;

/** `until-caught-up`: stop once every shard/partition is read to its end; `follow`: keep reading until stopped. */
export const CaptureModeSchema = z.enum(['until-caught-up', 'follow']);
export type CaptureMode = z.infer<typeof CaptureModeSchema>;

export const CaptureFileSchema = z
  .string()
  .trim()
  .min(1, 'Say which file to capture into')
  .max(4096, 'The file path is too long')
  .refine((p) => /\.(sqlite|sqlite3|db|ndjson|jsonl)$/i.test(p), 'The capture file ends in .sqlite (a SQLite table) or .ndjson (one JSON object per line)')
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'The capture file needs an absolute path, e.g. /home/me/captures/orders.sqlite');

export const StartCaptureSchema = z
  .object({
    destination: NameSchema,
    file: CaptureFileSchema,
    from: CaptureFromSchema.default('trim-horizon'),
    mode: CaptureModeSchema.default('follow'),
    /** A Kafka topic to capture, for a destination whose syncs choose their topics (none of its own), or another than its own. */
    topic: z.string().min(1).optional(),
  })
  .strict();
export type StartCapture = z.input<typeof StartCaptureSchema>;

/** One reader: a Kinesis shard or a Kafka partition. */
export const CapturePartSchema = z.object({
  /** Shard id, or `topic-partition`. */
  part: z.string(),
  /** waiting: for its parent shards to be read to their end; finished: a closed shard read to its end. */
  state: z.enum(['waiting', 'reading', 'caught-up', 'finished', 'stopped']),
  /** Records captured by this capture (not earlier runs). */
  captured: z.number().int().min(0),
  /** The last sequence number or offset written, this run or an earlier one. */
  position: z.string().nullable(),
});
export type CapturePart = z.infer<typeof CapturePartSchema>;

export const CaptureStatusSchema = z.object({
  id: z.number().int(),
  destination: z.string(),
  /** Stream or topic. */
  target: z.string(),
  file: z.string(),
  format: z.enum(['sqlite', 'ndjson']),
  mode: CaptureModeSchema,
  state: z.enum(['running', 'stopping', 'done', 'stopped', 'failed']),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  captured: z.number().int().min(0),
  parts: z.array(CapturePartSchema),
  error: z.string().nullable(),
});
export type CaptureStatus = z.infer<typeof CaptureStatusSchema>;

/**
 * The source and model that make a capture file a Sluice model: a SQLite source over the file and a model of
 * its `captured_records` table keyed by `id`, or an NDJSON source keyed by stream, shard and sequence.
 */
export function captureModelDefinitions(
  file: string,
  model: string,
): { source: { kind: 'sqlite' | 'ndjson'; name: string; path: string }; model: { name: string; source: string; query?: string; primaryKey: string[] } } {
  const source = `${model} file`;
  if (/\.(ndjson|jsonl)$/i.test(file)) {
    return { source: { kind: 'ndjson', name: source, path: file }, model: { name: model, source, primaryKey: ['stream', 'shard', 'sequence'] } };
  }
  return { source: { kind: 'sqlite', name: source, path: file }, model: { name: model, source, query: `SELECT * FROM ${CAPTURE_TABLE}`, primaryKey: ['id'] } };
}
