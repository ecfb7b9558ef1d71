// A run of a sync: its status and counts, the mass-removal guard, a dry run's plan, the ledger's entries and rejected rows.
import { z } from 'zod';
import type { Format } from '../format/format';
import { failedAtDestination } from './run-arrival';
import { shownErrorCode } from './ledger-reason';
import { SyncEventSchema } from './sync-event';

export { DEFAULT_MAX_REMOVAL_PERCENT, MASS_REMOVAL_PREFIX, massRemovalStop, plainPercent } from './mass-removal';

export const RUN_STATUSES = ['running', 'succeeded', 'partial', 'failed', 'cancelled'] as const;
export const RunStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const RunCountsSchema = z.object({
  read: z.number().int(),
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  unchanged: z.number().int(),
  /** Rows of events this sync does not send: recorded in the snapshot, not sent. */
  skippedByTrigger: z.number().int(),
  /** Firehose records no event → delivery stream row matches (`firehose.unmatched: skip`): not sent, recorded in the snapshot. */
  skippedUnmatched: z.number().int().default(0),
  rejectedRows: z.number().int(),
  rendered: z.number().int(),
  /** Sends of records, each retry counted again (a record sent three times counts 3): not records delivered (`acknowledged`). */
  sent: z.number().int(),
  acknowledged: z.number().int(),
  /** Records not delivered: the destination failed them, they were refused before sending (`refused`), or a cancel gave them up (`givenUp`). */
  failed: z.number().int(),
  /** Of `failed`, the records refused before sending: a template error, a record over the destination's size limit. */
  refused: z.number().int().default(0),
  /** Of `failed`, the records a cancel gave up: answered with an error worth retrying, not tried again (`run-arrival.ts`). */
  givenUp: z.number().int().default(0),
});
export type RunCounts = z.infer<typeof RunCountsSchema>;

export const RunAnswersSchema = z.object({ throttled: z.number().int(), retried: z.number().int() });
export type RunAnswers = z.infer<typeof RunAnswersSchema>;

/** A run being sent: its records not settled yet that are being sent again, and a destination that settles none. */
export const RunRetryingSchema = z.object({
  /** Records sent at least once, neither delivered nor failed yet, waiting to be sent again (or on their way again). */
  records: z.number().int(),
  /**
   * Set while the destination has settled no record for a while, every answer an error: whether it
   * could not be reached at all, what answers in words ("broker"), its last error code, and for how long.
   * `silent`: no answer at all for that long while requests wait on the wire (a hung broker; `code` empty).
   */
  stalled: z.object({ unreachable: z.boolean(), server: z.string(), code: z.string(), seconds: z.number().int(), silent: z.boolean().optional() }).nullable(),
});
export type RunRetrying = z.infer<typeof RunRetryingSchema>;

/** Why a dry run says a record would not be sent (`unmatched`: a Firehose record no route takes, under `unmatched: reject`). */
export const DRY_RUN_REJECT_REASONS = [
  'render-error',
  'no-partition-key',
  'too-large',
  'invalid-partition',
  'unknown-topic',
  'unmatched',
  'null-key',
  'duplicate-key',
] as const;
/** A dry run lists at most this many of the records a real run would reject (all are counted per reason). */
export const DRY_RUN_REJECTS_LISTED = 100;

/**
 * Where a dry run's records would go and which a real run would reject. Per shard (Kinesis: MD5 of the
 * partition key or the explicit hash key in the shards' ranges), per topic partition (Kafka: explicit
 * partition, else murmur2 of the key; keyless records are counted apart, spread round-robin), per
 * delivery stream (Firehose routes). Given with the dry run's end; not kept with the run.
 */
export const DryRunPlanSchema = z.object({
  per: z.enum(['shard', 'partition', 'delivery-stream']),
  /** Every target, in order (Kinesis: every open shard, also those that take nothing; Kafka: partitions that take records). */
  targets: z.array(
    z.object({
      /** The shard id, `topic/partition`, or the delivery stream. */
      id: z.string(),
      records: z.number().int(),
      topic: z.string().optional(),
      partition: z.number().int().optional(),
    }),
  ),
  /**
   * Kafka: records with neither key nor partition. They spread round-robin over their topic's partitions
   * (about evenly) in the order they are sent, so they are counted here and not in `targets`.
   */
  roundRobin: z.number().int(),
  /** Why records could not be placed (the stream's shards or the topic's partitions could not be read), else null. */
  note: z.string().nullable(),
  rejected: z.object({
    total: z.number().int(),
    perReason: z.partialRecord(z.enum(DRY_RUN_REJECT_REASONS), z.number().int()),
    /** The first DRY_RUN_REJECTS_LISTED, in work-list order. */
    first: z.array(z.object({ key: z.string().nullable(), reason: z.enum(DRY_RUN_REJECT_REASONS), detail: z.string() })),
  }),
});
export type DryRunPlan = z.infer<typeof DryRunPlanSchema>;

export const RunSummarySchema = z.object({
  id: z.number().int(),
  sync: z.string(),
  status: RunStatusSchema,
  dryRun: z.boolean(),
  phase: z.enum(['reading', 'diffing', 'sending', 'done']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  counts: RunCountsSchema,
  /** Records that must be sent this run (selected events), for progress and ETA. */
  toSend: z.number().int(),
  ratePerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  error: z.string().nullable(),
  /** Dry runs: how many records each shard would take. */
  perShard: z.record(z.string(), z.number().int()).nullable(),
  /** Dry runs: records per shard / partition / delivery stream, and those a real run would reject. */
  dryRunPlan: DryRunPlanSchema.nullable().optional(),
  /**
   * A finished run that did not send every record: the most frequent reason (error code and message, or
   * the first row refused for its key) and how many records it stopped. Given with the run's end event
   * (alerts use it); not kept with the run.
   */
  topReason: z.object({ message: z.string(), count: z.number().int() }).nullable().optional(),
  /**
   * Progress of a run being sent: how many record answers so far were throttling (the destination over
   * its limits) and how many records went back to be sent again. Not kept with the run.
   */
  answers: RunAnswersSchema.optional(),
  /** Progress of a run being sent: records being retried, and a destination that settles none (its time left is then unknown). Not kept with the run. */
  retrying: RunRetryingSchema.optional(),
  /** Progress of a run reading its model: the source's server ("PostgreSQL server db:5432") while it has said nothing for a while, and for how long. Not kept with the run. */
  sourceSilent: z.object({ server: z.string(), seconds: z.number().int() }).nullable().optional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/**
 * Records of a run that stopped early (failed or cancelled) that were neither answered nor refused:
 * still pending, so the next run sends them. Zero for dry runs and runs still going.
 */
export function recordsLeft(run: Pick<RunSummary, 'status' | 'dryRun' | 'toSend' | 'counts'>): number {
  return run.dryRun || run.status === 'running' ? 0 : unsettled(run);
}

/** Records to send that were neither answered, refused nor skipped (yet). */
function unsettled({ toSend, counts: c }: Pick<RunSummary, 'toSend' | 'counts'>): number {
  return Math.max(0, toSend - c.acknowledged - c.failed - c.skippedUnmatched);
}

/**
 * A running run's pace after `seconds`: its rate (records acknowledged a second, rendered for a dry
 * run; one decimal) and, while it sends, the seconds left for the records not settled yet (unknown while
 * the destination settles nothing: `retrying.stalled`).
 */
export function runPace(
  run: Pick<RunSummary, 'dryRun' | 'toSend' | 'counts' | 'phase' | 'retrying'>,
  seconds: number,
): Pick<RunSummary, 'ratePerSecond' | 'etaSeconds'> {
  const done = run.dryRun ? run.counts.rendered : run.counts.acknowledged;
  const rate = seconds > 0 ? Math.round((done / seconds) * 10) / 10 : 0;
  const knowable = run.phase === 'sending' && rate > 0 && !run.retrying?.stalled;
  return { ratePerSecond: rate, etaSeconds: knowable ? Math.ceil(unsettled(run) / rate) : null };
}

/** What the run report and the run's page say of those records (counted in `format`), or null when there are none. */
export function recordsLeftLine(run: Pick<RunSummary, 'status' | 'dryRun' | 'toSend' | 'counts'>, format: Format): string | null {
  const left = recordsLeft(run);
  if (left === 0) return null;
  return `${format.count(left, 'record')} not sent before the run ${run.status === 'cancelled' ? 'was cancelled' : 'stopped'}; ${left === 1 ? 'it stays' : 'they stay'} pending for the next run`;
}

/**
 * A run being sent, in the words the CLI's progress line and the app's progress card share: records
 * delivered of those to send, failed, being retried, and why nothing settles — "1,200/10,000 delivered
 * (12%), 0 failed, 3,000 retrying — broker unreachable for 12 s". A dry run counts what it rendered.
 */
export function sendingProgress(run: Pick<RunSummary, 'dryRun' | 'toSend' | 'counts' | 'retrying'>, format: Format): string {
  const c = run.counts;
  const n = format.number;
  const of = (done: number) => `${n(done)}/${n(run.toSend)}`;
  const percent = (done: number) => `${run.toSend > 0 ? Math.floor((done / run.toSend) * 100) : 100}%`;
  if (run.dryRun) return `${of(c.rendered)} rendered (${percent(c.rendered)}), ${n(c.failed)} could not be sent`;
  const parts = [`${of(c.acknowledged)} delivered (${percent(c.acknowledged)})`, `${n(failedAtDestination(c))} failed`];
  if (c.refused > 0) parts.push(`${n(c.refused)} refused before sending`);
  if (c.givenUp > 0) parts.push(`${n(c.givenUp)} not tried again (cancelled)`);
  if (c.skippedUnmatched > 0) parts.push(`${n(c.skippedUnmatched)} skipped`);
  const retrying = run.retrying;
  if (retrying && retrying.records > 0) parts.push(`${n(retrying.records)} retrying`);
  return parts.join(', ') + (retrying?.stalled ? ` — ${stalledWords(retrying.stalled, format)}` : '');
}

/** Why a run settles nothing: "broker unreachable for 12 s", "Kinesis answering ProvisionedThroughputExceededException for 3 s". */
export function stalledWords(stalled: NonNullable<RunRetrying['stalled']>, format: Format): string {
  const since = format.duration(stalled.seconds * 1000);
  if (stalled.silent) return `${stalled.server} not answering for ${since}`;
  if (stalled.unreachable) return `${stalled.server} unreachable for ${since}`;
  const code = shownErrorCode(stalled.code);
  return `${stalled.server} answering ${code ?? 'with errors'} for ${since}`;
}

/** A run reading its model, after its rows read so far: why no rows come, if its source is silent (" — PostgreSQL server db:5432 not answering for 12 s"), else nothing. */
export function sourceSilentWords(run: Pick<RunSummary, 'phase' | 'sourceSilent'>, format: Format): string {
  const s = run.phase === 'reading' ? run.sourceSilent : null;
  return s ? ` — ${stalledWords({ unreachable: false, server: s.server, code: '', seconds: s.seconds, silent: true }, format)}` : '';
}

export const LEDGER_STATUSES = ['acknowledged', 'failed', 'rejected'] as const;
export const LedgerEntrySchema = z.object({
  id: z.number().int(),
  runId: z.number().int(),
  key: z.string(),
  event: SyncEventSchema,
  status: z.enum(LEDGER_STATUSES),
  attempts: z.number().int(),
  partitionKey: z.string().nullable(),
  shardId: z.string().nullable(),
  sequenceNumber: z.string().nullable(),
  recordId: z.string().nullable(),
  topic: z.string().nullable(),
  partition: z.number().int().nullable(),
  offset: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  bytes: z.number().int(),
  firstAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
});
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

/** One reason a run's records were not sent: their ledger status, error code and message, how many, and the key of the first. */
export const FailureReasonSchema = z.object({
  status: z.enum(['failed', 'rejected']),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  count: z.number().int(),
  exampleKey: z.string(),
});
export type FailureReason = z.infer<typeof FailureReasonSchema>;

export { codeAndMessage, failureReasonWhy, isClientLibraryCode, shownErrorCode } from './ledger-reason';

/**
 * What of a run did not arrive, from its ledger: records the destination failed (`failed`: it refused
 * them, or they still failed after their retries; they stay pending, so the next run sends them again)
 * and why, most frequent first; and records refused before sending (`rejected`: a template error, a
 * record too large). Rows refused for their keys are not in the ledger (`counts.rejectedRows`).
 */
export const RunFailuresSchema = z.object({
  failed: z.number().int(),
  /** Of `failed`, the records a cancel gave up (`run-arrival.ts`): not in `reasons`. */
  givenUp: z.number().int(),
  rejected: z.number().int(),
  /** Why the destination failed records: at most a few reasons, each with the key of its first record. */
  reasons: z.array(FailureReasonSchema),
  /** Reasons of failed records not given. */
  moreReasons: z.number().int(),
});
export type RunFailures = z.infer<typeof RunFailuresSchema>;

export const RowRejectSchema = z.object({
  /**
   * `unmatched`: a Firehose record skipped because no route matches it (listed, not a failure).
   * `invalid-partition` / `unknown-topic`: a dry run's Kafka record the broker would refuse (a real run
   * has them in its ledger as INVALID_PARTITION / UNKNOWN_TOPIC_OR_PARTITION).
   * `no-partition-key`: the Kinesis/Firehose partition key is null or empty for the row (its ledger code stays RenderError).
   */
  reason: z.enum(['null-key', 'duplicate-key', 'render-error', 'no-partition-key', 'too-large', 'unmatched', 'invalid-partition', 'unknown-topic']),
  key: z.string().nullable(),
  rowNumber: z.number().int().nullable(),
  detail: z.string(),
});
export type RowReject = z.infer<typeof RowRejectSchema>;

/**
 * A run read from the workspace (another process's, e.g. `sluice sync run`) with its rate and time
 * left worked out as of `nowMs` from its start, as the process running it would tell them (the runs
 * table keeps no rate: the app showed such a run going at 0 records/s).
 */
export function withRateSoFar(run: RunSummary, nowMs: number): RunSummary {
  return run.status === 'running' ? { ...run, ...runPace(run, (nowMs - Date.parse(run.startedAt)) / 1000) } : run;
}
