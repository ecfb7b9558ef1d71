// What `sluice sync run` says when a run ends: its counts, and why records were not sent (the top
// reasons from the ledger, grouped by error code and message), the rows refused for their keys and the
// run's own error.
import { exampleKeyWords } from '../../shared/config/example-key';
import { oneLine } from '../../shared/format/one-line';
import {
  CANCEL_ABORTED,
  DRY_RUN_REJECTS_LISTED,
  deliveredLine,
  failureReasonWhy,
  givenUpByCancel,
  withoutCancelNote,
  recordsLeftLine,
  removedCount,
  type DryRunPlan,
  type RowReject,
  type RunFailures as LedgerFailures,
  type RunSummary,
} from '../../shared/config/sync';
import type { Engine } from '../engine/engine';
import type { FailureReason } from '../sync/ledger-store';
import { shellArg } from './options';
import { fmt } from './cli-format';

/** How many reasons a run report shows (the rest: `sluice runs NAME --failures`). */
export const TOP_REASONS = 5;
const KEY_REASONS: readonly RowReject['reason'][] = ['null-key', 'duplicate-key'];
const SHOWN_KEY_REJECTS = 20;
/** Stored per run (`SyncRunner`: the first 1000 rejects). */
const STORED_REJECTS = 1000;

export interface RunFailures {
  /** Records that failed or were rejected (a dry run: that could not be rendered or were too large). */
  total: number;
  /** The most frequent reasons, at most TOP_REASONS. */
  reasons: FailureReason[];
  /** Reasons not shown. */
  moreReasons: number;
  /** A dry run's reasons come from its first 1000 listed rows only. */
  sampled: boolean;
}

export interface RunReport extends RunSummary {
  /** The run's listed rows (first 20), as before: keys, renders, sizes. */
  rejects: RowReject[];
  /** Rows not sent because of their keys, first 20: one per row without a key, one per duplicated key (all its rows). */
  keyRejects: RowReject[];
  /** Listed key refusals beyond those 20 (the run lists its first 1,000 refusals: `keyRejectsCut` when it may hold more). */
  moreKeyRejects: number;
  keyRejectsCut: boolean;
  /** Firehose records skipped because no route matches them, first 20. */
  skipped: RowReject[];
  failures: RunFailures;
  /** A real run: how many of its records did not arrive, as the app's run page has it (the destination failed them, a cancel gave them up, or they were refused before sending). */
  arrival: Pick<LedgerFailures, 'failed' | 'givenUp' | 'rejected'> | null;
}

/** The message of a listed row, without its "Row N (key K, event): " prefix. */
function rejectMessage(r: RowReject): string {
  return r.detail.replace(/^Row \S+ \(key .*?(?:, (?:added|changed|removed))?\): /, '');
}

const REJECT_CODES: Record<RowReject['reason'], string> = {
  'render-error': 'RenderError',
  'no-partition-key': 'RenderError',
  'too-large': 'RecordTooLarge',
  'null-key': 'NullKey',
  'duplicate-key': 'DuplicateKey',
  unmatched: 'Unmatched',
  'invalid-partition': 'INVALID_PARTITION',
  'unknown-topic': 'UNKNOWN_TOPIC_OR_PARTITION',
};

/** A dry run writes no ledger: its reasons are its listed rows that could not be rendered or were too large. */
function dryRunFailures(rejects: RowReject[]): RunFailures {
  const groups = new Map<string, FailureReason>();
  for (const r of rejects) {
    if (KEY_REASONS.includes(r.reason) || r.reason === 'unmatched') continue;
    const code = REJECT_CODES[r.reason];
    const message = rejectMessage(r);
    const id = `${code}\0${message}`;
    const group = groups.get(id);
    if (group) group.count++;
    else groups.set(id, { status: 'rejected', errorCode: code, errorMessage: message, count: 1, exampleKey: r.key ?? '' });
  }
  const all = [...groups.values()].sort((a, b) => b.count - a.count);
  return {
    total: all.reduce((n, g) => n + g.count, 0),
    reasons: all.slice(0, TOP_REASONS),
    moreReasons: Math.max(0, all.length - TOP_REASONS),
    sampled: rejects.length >= STORED_REJECTS,
  };
}

export function runReport(engine: Engine, summary: RunSummary): RunReport {
  const listed = engine.runs.rejects(summary.id, STORED_REJECTS);
  const keyRejects = listed.filter((r) => KEY_REASONS.includes(r.reason));
  let failures: RunFailures;
  let arrival: RunReport['arrival'] = null;
  if (summary.dryRun) failures = dryRunFailures(listed);
  else {
    arrival = engine.ledger.notArrived(summary.id, summary.status === 'cancelled'); // the reasons below cover both statuses: one pass over them, not two
    const found = engine.ledger.failureReasons(summary.id, TOP_REASONS);
    failures = { total: found.total, reasons: found.reasons, moreReasons: found.groups - found.reasons.length, sampled: false };
  }
  return {
    ...summary,
    rejects: listed.slice(0, SHOWN_KEY_REJECTS),
    keyRejects: keyRejects.slice(0, SHOWN_KEY_REJECTS),
    moreKeyRejects: Math.max(0, keyRejects.length - SHOWN_KEY_REJECTS),
    keyRejectsCut: listed.length >= STORED_REJECTS,
    skipped: listed.filter((r) => r.reason === 'unmatched').slice(0, SHOWN_KEY_REJECTS),
    failures,
    arrival,
  };
}

export function duration(r: RunSummary): string {
  if (!r.finishedAt) return 'running';
  const ms = Date.parse(r.finishedAt) - Date.parse(r.startedAt);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export { oneLine };

export function reasonText(r: Pick<FailureReason, 'errorCode' | 'errorMessage'>): string {
  return oneLine(failureReasonWhy(r));
}

/** Dry-run rejections shown by the text report (`--json` has the first DRY_RUN_REJECTS_LISTED). */
const SHOWN_PLAN_REJECTS = 10;
const PER_LABEL: Record<DryRunPlan['per'], string> = { shard: 'per shard', partition: 'per partition', 'delivery-stream': 'per delivery stream' };

/** Where a dry run's records would go, and what a real run would reject (with keys and reasons). */
function planLines(plan: DryRunPlan): string[] {
  const n = fmt.number;
  const lines: string[] = [];
  if (plan.targets.length === 0 && plan.roundRobin)
    lines.push(`  ${n(plan.roundRobin)} without key or partition: spread round-robin over their topic's partitions (about evenly)`);
  if (plan.targets.length) {
    const spread = plan.roundRobin
      ? `; and ${n(plan.roundRobin)} without key or partition, spread round-robin over their topic's partitions (about evenly)`
      : '';
    lines.push(`  ${PER_LABEL[plan.per]}: ${plan.targets.map((t) => `${t.id} ${n(t.records)}`).join(', ')}${spread}`);
  }
  if (plan.note) lines.push(`  ${plan.note}`);
  const r = plan.rejected;
  if (r.total > 0) {
    const reasons = Object.entries(r.perReason)
      .map(([reason, count]) => `${n(count)} ${reason}`)
      .join(', ');
    lines.push(`  a real run would reject ${n(r.total)} record${r.total === 1 ? '' : 's'} (${reasons}):`);
    for (const x of r.first.slice(0, SHOWN_PLAN_REJECTS)) lines.push(`    - [${x.reason}] ${oneLine(x.detail)}`);
    // (Counted by what is listed: a key on several rows is one line, and the total counts its rows.)
    const more = r.first.length - SHOWN_PLAN_REJECTS;
    if (more > 0)
      lines.push(`    … and ${n(more)} more listed by --json${r.first.length >= DRY_RUN_REJECTS_LISTED ? ` (its first ${n(r.first.length)})` : ''}`);
  }
  return lines;
}

export function formatRunReport(s: RunReport): string {
  const c = s.counts;
  const n = fmt.number;
  const lines = [
    `Run ${s.id} of "${s.sync}": ${s.status}${s.dryRun ? ' (dry run: nothing was sent)' : ''} in ${duration(s)}`,
    `  read ${fmt.count(c.read, 'row')}: added ${n(c.added)}, changed ${n(c.changed)}, removed ${removedCount(s, n)}, unchanged ${n(c.unchanged)}` +
      (c.skippedByTrigger ? `, ${n(c.skippedByTrigger)} recorded without sending (their trigger is off, or a first run that only records)` : ''),
    s.dryRun
      ? `  would send ${n(s.toSend)}; rendered ${n(c.rendered)}; ${n(c.failed)} could not be sent`
      : `  ${deliveredLine(s, s.arrival ?? { failed: c.failed, givenUp: c.givenUp, rejected: 0 }, fmt)}`,
  ];
  if (s.dryRunPlan) lines.push(...planLines(s.dryRunPlan));
  else if (s.perShard)
    lines.push(
      `  per shard: ${Object.entries(s.perShard)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  lines.push(...failureLines(s), ...skippedLines(s));
  const left = recordsLeftLine(s, fmt);
  if (left) lines.push(`  ${left}`);
  if (s.error) lines.push(`  error: ${s.error}`);
  return lines.join('\n') + '\n';
}

/** A reason's ledger status, as the app's run page says it. */
const STATUS_WORDS: Record<FailureReason['status'], string> = { failed: 'failed at the destination', rejected: 'refused before sending' };

/** A reason's words: its status's, and why; records a cancel gave up say so, with the destination's answer they had. */
function reasonLine(r: FailureReason): string {
  if (r.status === 'failed' && givenUpByCancel(r.errorMessage) && r.errorCode === CANCEL_ABORTED) {
    // Its request given up unanswered: its own words say so ("The run was cancelled before Kafka answered …").
    const why = oneLine(withoutCancelNote(r.errorMessage) ?? '');
    return `not tried again: ${why.charAt(0).toLowerCase()}${why.slice(1)}`;
  }
  if (r.status === 'failed' && givenUpByCancel(r.errorMessage))
    return `not tried again, the run was cancelled (the destination had answered ${reasonText({ ...r, errorMessage: withoutCancelNote(r.errorMessage) })})`;
  return `${STATUS_WORDS[r.status]}: ${reasonText(r)}`;
}

/** Why records were not sent: the top reasons with counts and an example key, and how to list them all. */
function failureLines(s: RunReport): string[] {
  const lines: string[] = [];
  const f = s.failures;
  if (f.total > 0) {
    const records = fmt.count(f.total, 'record');
    const verb = s.dryRun ? 'could not be sent' : f.total === 1 ? 'was not sent' : 'were not sent';
    lines.push(`  why ${records} ${verb}${f.sampled ? ' (of the first 1,000 listed)' : ''}:`);
    for (const r of f.reasons) lines.push(`    ${fmt.number(r.count)} × ${reasonLine(r)} (${exampleKeyWords(r.exampleKey)})`);
    const all = s.dryRun ? '' : `: sluice runs ${shellArg(s.sync)} --failures --run ${s.id}`;
    if (f.moreReasons > 0) lines.push(`    … and ${f.moreReasons} more reason${f.moreReasons === 1 ? '' : 's'}${all}`);
    else if (!s.dryRun) lines.push(`    every record: sluice runs ${shellArg(s.sync)} --failures --run ${s.id}`);
  }
  return lines;
}

/** Records skipped on purpose (no Firehose route) and rows refused for their keys. */
function skippedLines(s: RunReport): string[] {
  const c = s.counts;
  const lines: string[] = [];
  if (c.skippedUnmatched) {
    lines.push(`  ${c.skippedUnmatched} skipped: no event → delivery stream row matches them (firehose.unmatched: skip; not sent, not failures)`);
    const shown = s.skipped.slice(0, 3);
    for (const r of shown) lines.push(`    - ${oneLine(r.detail)}`);
    if (c.skippedUnmatched > shown.length) lines.push(`    … and ${c.skippedUnmatched - shown.length} more`);
  }
  if (c.rejectedRows) {
    lines.push(`  ${fmt.count(c.rejectedRows, 'row')} not sent because of ${c.rejectedRows === 1 ? 'its key' : 'their keys'}:`);
    for (const r of s.keyRejects) lines.push(`    - ${oneLine(r.detail)}`);
    // One line per null key and per duplicated key (with its count of rows): more only when the list goes on.
    const more = s.moreKeyRejects > 0 ? ` ${fmt.number(s.moreKeyRejects)} more` : s.keyRejectsCut ? ' more' : '';
    if (more) lines.push(`    … and${more} (sluice runs ${shellArg(s.sync)} --failures --run ${s.id} lists them)`);
  }
  return lines;
}
