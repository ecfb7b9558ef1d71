import { exampleKeyWords } from '../../../../shared/config/example-key';
import {
  failureReasonWhy,
  sendingProgress,
  sourceSilentWords,
  type DryRunPlan,
  type FailureReason,
  type LedgerEntry,
  type RowReject,
  type RunFailures,
  type RunSummary,
} from '../../../../shared/config/sync';
import { fmt } from '../../../../shared/format/format';

/** How each run status reads in a badge. */
export const STATUS_LABEL: Record<RunSummary['status'], string> = {
  running: 'Running',
  succeeded: 'Succeeded',
  partial: 'Partly sent',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** A dry run's badge when no record was refused (partial: `statusLabel` counts them). */
const DRY_RUN_LABEL: Record<Exclude<RunSummary['status'], 'partial'>, string> = {
  running: 'Dry run: running',
  succeeded: 'Dry run: none refused',
  failed: 'Dry run failed',
  cancelled: 'Dry run cancelled',
};

/**
 * A run's badge: a real run's status; a dry run's in its own words, which never say "sent" (nothing is):
 * "Dry run: 200 would be refused" (the rows refused for their keys and the records refused before sending).
 */
export function statusLabel(run: Pick<RunSummary, 'status' | 'dryRun' | 'counts'>): string {
  if (!run.dryRun) return STATUS_LABEL[run.status];
  if (run.status === 'partial') return `Dry run: ${fmt.number(run.counts.failed + run.counts.rejectedRows)} would be refused`;
  return DRY_RUN_LABEL[run.status];
}

/** How long ago `iso` was, in a list's words: "just now", "2 min ago", "3 h ago", "4 days ago". */
export function agoWords(iso: string, now = Date.now()): string {
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

/** How long a run took, or has taken so far (`now` for a run still going). */
export function runDuration(run: RunSummary, now = Date.now()): string {
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return fmt.duration(end - Date.parse(run.startedAt));
}

/** Where a record landed: shard and sequence number, Firehose record id, or topic-partition@offset. */
export function landedAt(e: LedgerEntry): string {
  if (e.shardId) return `${e.shardId} · ${e.sequenceNumber ?? ''}`;
  if (e.recordId) return e.recordId;
  if (e.topic) return `${e.topic}-${e.partition ?? '?'}@${e.offset ?? '?'}`;
  return '';
}

/** The progress card's headline after "Run #n": what the run is doing now (sending: in the CLI's progress line's words). */
export function progressHeadline(run: RunSummary): string {
  const c = run.counts;
  if (run.phase === 'reading') return `reading the model… ${fmt.count(c.read, 'row')}${sourceSilentWords(run, fmt)}`;
  if (run.phase === 'diffing') return `comparing ${fmt.count(c.read, 'row')} with what was delivered…`;
  return `sending: ${sendingProgress(run, fmt)}`;
}

/**
 * The progress bar while sending, in % of the records to send: those delivered (rendered, for a dry run)
 * and those that failed, as two segments; null before sending (the bar then shows a sliver).
 */
export function progressPercent(run: RunSummary): { delivered: number; failed: number } | null {
  if (run.phase !== 'sending' || run.toSend <= 0) return null;
  const share = (n: number) => Math.min(100, Math.round((n / run.toSend) * 100));
  const delivered = share(run.dryRun ? run.counts.rendered : run.counts.acknowledged);
  return { delivered, failed: Math.min(100 - delivered, share(run.counts.failed)) };
}

/** A run's rows that were not sent, and those skipped (no Firehose route with `unmatched: skip`). */
export function splitRejects(rejects: readonly RowReject[]): { notSent: RowReject[]; skipped: RowReject[] } {
  return { notSent: rejects.filter((r) => r.reason !== 'unmatched'), skipped: rejects.filter((r) => r.reason === 'unmatched') };
}

/**
 * The count in "Rows not sent: refused before sending (n)": the rows refused for their keys, and the
 * records refused before sending — a real run's from its ledger (`rejected`: every one, where the listed
 * rows stop at the first 1,000), a dry run's from its counts (`failed`: every record it could not make or place).
 */
export function notSentCount(run: RunSummary, notSent: readonly RowReject[], failures: Pick<RunFailures, 'rejected'> | null): number {
  const listed = notSent.filter((r) => r.reason !== 'null-key' && r.reason !== 'duplicate-key').length;
  const refused = run.dryRun ? run.counts.failed : failures ? failures.rejected : listed;
  return Math.max(notSent.length, run.counts.rejectedRows + refused);
}

/** The heading over the rows not sent, with their total and, when the list stops short, how many it lists. */
export function notSentHeading(run: RunSummary, notSent: readonly RowReject[], failures: Pick<RunFailures, 'rejected'> | null): string {
  const total = notSentCount(run, notSent, failures);
  const listed = total > notSent.length ? `, the first ${fmt.number(notSent.length)} listed` : '';
  return `Rows not sent: refused before sending (${fmt.number(total)}${listed})`;
}

/** Why the listed rows were not sent, in words for the reasons among them: "… (a template error, no partition key) or their key is missing or repeated". */
export function notSentWhy(notSent: readonly RowReject[]): string {
  const has = (...reasons: RowReject['reason'][]) => notSent.some((r) => reasons.includes(r.reason));
  const made = [
    has('render-error') && 'a template error',
    has('no-partition-key') && 'no partition key: it is null or empty',
    has('too-large') && 'too large',
    has('invalid-partition', 'unknown-topic') && 'a partition or topic that does not exist',
  ].filter((w): w is string => w !== false);
  const why = [
    made.length > 0 && `their record could not be made (${made.join(', ')})`,
    has('null-key', 'duplicate-key') && 'their key is missing or repeated',
  ];
  return why.filter((w): w is string => w !== false).join(' or ');
}

/** One reason the destination failed records: "3 × MESSAGE_TOO_LARGE: the broker refuses … (e.g. key 100)". */
export function failureReasonLine(r: FailureReason): string {
  return `${fmt.number(r.count)} × ${failureReasonWhy(r)} (${exampleKeyWords(r.exampleKey)})`;
}

export const PLAN_NOUN: Record<DryRunPlan['per'], string> = { shard: 'Shard', partition: 'Partition', 'delivery-stream': 'Delivery stream' };

type PlanReason = DryRunPlan['rejected']['first'][number]['reason'];
const PLAN_REASON: Record<PlanReason, string> = {
  'render-error': 'template errors',
  'no-partition-key': 'no partition key',
  'too-large': 'too large',
  'invalid-partition': 'partition the topic lacks',
  'unknown-topic': 'topic does not exist',
  unmatched: 'no Firehose route (unmatched: reject)',
  'null-key': 'null primary key',
  'duplicate-key': 'duplicate primary key',
};

/** What a real run would reject, per reason: "3 too large, 1 null primary key". */
export function planRejections(plan: DryRunPlan): string {
  const reasons = Object.entries(plan.rejected.perReason) as [PlanReason, number][];
  return reasons.map(([r, n]) => `${fmt.number(n)} ${PLAN_REASON[r]}`).join(', ');
}
