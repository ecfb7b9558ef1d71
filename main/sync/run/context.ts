import type { Database } from 'better-sqlite3';
import type { Destination } from '../../../shared/config/destination';
import type { RowUnit } from '../../../shared/config/source';
import type { RowReject, RunAnswers, RunCounts, RunSummary } from '../../../shared/config/sync';
import type { CatalogStore, StoredSync } from '../../catalog/catalog-store';
import type { Logger } from '../../log/logger';
import type { Publisher } from '../../publishers/publisher';
import type { Redactor } from '../../secrets/redactor';
import type { SecretResolver } from '../../sources/open-model';
import type { BackoffPolicy } from '../backoff';
import type { PgOutbox } from '../in-database/pg-outbox';
import type { LedgerStore } from '../ledger-store';
import type { RunStore } from '../run-store';

export interface RunOptions {
  dryRun?: boolean;
  /** Send only the records that failed or were rejected in this earlier run. */
  retryFailedOf?: number;
  signal?: AbortSignal;
  backoff?: BackoffPolicy;
  /** Adapt the send rate to throttling (AIMD, `send-rate.ts`); on unless false. */
  adaptiveRate?: boolean;
  /** Work lists of at least this many records render on worker threads (`render-pool.ts`); default 20,000. */
  renderPoolThreshold?: number;
  /** Work lists of at least this many records commit on a ledger thread (`ledger-sink.ts`); default 20,000. */
  ledgerThreadThreshold?: number;
  /** Send removals past the sync's mass-removal limit (`maxRemovalPercent`): the user confirmed them (the CLI's `--allow-mass-removal`). */
  allowMassRemoval?: boolean;
  /**
   * Send removals past the limit if there are at most this many: the count the user confirmed (the app's "Send
   * the removals (N)" on the run the guard stopped). More than that stops the run again, saying the new count:
   * the model has changed since, and what was confirmed is not what would go.
   */
  allowRemovalsUpTo?: number;
}

/** Whether the user confirmed `removed` removals past the sync's mass-removal limit (`allowMassRemoval`, `allowRemovalsUpTo`). */
export function removalsConfirmed(options: Pick<RunOptions, 'allowMassRemoval' | 'allowRemovalsUpTo'>, removed: number): boolean {
  return options.allowMassRemoval === true || (options.allowRemovalsUpTo !== undefined && removed <= options.allowRemovalsUpTo);
}

/** A publisher, and for Kinesis the stream's shards, for Kafka a topic's partition count (dry runs place records with them). */
export type RunPublisher = Publisher & {
  shards?(): Promise<{ ShardId?: string; HashKeyRange?: { StartingHashKey?: string; EndingHashKey?: string } }[]>;
  /** How many partitions the topic has, or null when it does not exist. */
  partitionCount?(topic: string): Promise<number | null>;
};

export interface RunnerDeps {
  db: Database;
  catalog: CatalogStore;
  runs: RunStore;
  ledger: LedgerStore;
  log: Logger;
  redactor: Redactor;
  secrets: SecretResolver;
  /** The run is passed along so the publisher's API calls are recorded under it (the Debugger). */
  publisherFor(destination: Destination, run?: { runId: number; dryRun: boolean }): Promise<RunPublisher>;
  onProgress(summary: RunSummary): void;
}

/** What every stage of a run shares: who it is, its options, and the counts and rejects it builds up. */
export interface RunContext {
  readonly runId: number;
  readonly syncName: string;
  readonly sync: StoredSync;
  readonly deps: RunnerDeps;
  readonly options: RunOptions;
  readonly startedAt: string;
  readonly counts: RunCounts;
  /** Throttled answers and records sent again, for the live chart (not kept with the run). */
  readonly answers: RunAnswers;
  readonly rejects: RowReject[];
  readonly cancelled: boolean;
  /** In-database diff (PostgreSQL): where delivered records' snapshot changes go instead of the workspace's snapshot. */
  readonly snapshotOutbox?: PgOutbox;
  /** The model's columns a row may leave out (an NDJSON line's missing fields): null when the row is rendered (`withColumns`). */
  columns?: readonly string[];
  /** The model's columns that hold numbers (`numberColumns`), once it is read: a mapping payload sends their values as numbers. */
  numberColumns?: readonly string[];
  /** While the model is read: its source's server, silent for a while as the read waits on it (`ModelReader.silence`), else null. */
  sourceSilent: { server: string; seconds: number } | null;
  /** What the model's row numbers count (a file's lines, or a query's rows), for the words of a row's rejects. */
  rowUnit: RowUnit;
  /** Reports progress (at most every 250 ms unless forced). */
  progress(force?: boolean): void;
}

/** Stops the run with a message meant for the user as it is. */
export class FatalRunError extends Error {}

/** Work-list items read from the differ at a time. */
export const PAGE = 500;

/** A size to the byte, with its rounded MiB/KiB beside it: near a limit, the rounded figure alone hides the difference. */
export function formatBytes(n: number): string {
  const exact = `${n.toLocaleString('en-US')} bytes`;
  return n >= 1024 * 1024 ? `${exact} (${(n / 1024 / 1024).toFixed(2)} MiB)` : n >= 1024 ? `${exact} (${(n / 1024).toFixed(1)} KiB)` : exact;
}
