import type { Destination } from '../../../shared/config/destination';
import { DRY_RUN_REJECTS_LISTED, type DryRunPlan, type RowReject } from '../../../shared/config/sync';
import { engineKind } from '../../destinations/kinds/registry';
import type { Differ, WorkItem } from '../differ';
import { PAGE, type RunContext } from './context';
import type { Reason } from './placer';
import { rowLabel, type RecordMaker } from './record-maker';

/** What a dry run answers: the plan, and (Kinesis) the records per shard as before. */
export interface DryRunResult {
  perShard: Record<string, number> | null;
  plan: DryRunPlan;
  /** Why its records could not be placed (`Placer.failure`): the dry run fails with it, its plan kept (the records a real run would reject). */
  failure: Error | null;
}

/**
 * The rows a real run refuses for their keys, per reason: a key on three rows is listed once and refuses the three
 * (the plan counted it once, "would reject 2 (1 null-key, 1 duplicate-key)" where the run refused 3 rows).
 */
function keyRows(ctx: RunContext, differ: Differ): Partial<Record<Reason, number>> {
  const t = differ.keyTally();
  let nulls = t.nullRows;
  let duplicates = t.duplicateRows;
  if (nulls + duplicates !== ctx.counts.rejectedRows) {
    // The in-database diff refused them in PostgreSQL: its null keys are listed one a row.
    nulls = ctx.rejects.filter((r) => r.reason === 'null-key').length;
    duplicates = ctx.counts.rejectedRows - nulls;
  }
  return { ...(nulls > 0 ? { 'null-key': nulls } : {}), ...(duplicates > 0 ? { 'duplicate-key': duplicates } : {}) };
}

/** The records a real run would reject, from the run's listed rows (and its rows refused for their keys, counted): per reason, and the first ones. */
function rejectedOf(rejects: RowReject[], byKey: Partial<Record<Reason, number>>): DryRunPlan['rejected'] {
  const perReason: DryRunPlan['rejected']['perReason'] = { ...byKey };
  const first: DryRunPlan['rejected']['first'] = [];
  let total = Object.values(byKey).reduce((sum, n) => sum + n, 0);
  for (const r of rejects) {
    if (r.reason === 'null-key' || r.reason === 'duplicate-key') {
      if (first.length < DRY_RUN_REJECTS_LISTED) first.push({ key: r.key, reason: r.reason, detail: r.detail });
      continue; // counted by row above
    }
    if (r.reason === 'unmatched') continue; // skipped under `unmatched: skip`: not a rejection
    // Under `unmatched: reject` the router's refusal is a render error naming it.
    const reason: Reason = r.reason === 'render-error' && /no event → delivery stream row matches/.test(r.detail) ? 'unmatched' : r.reason;
    perReason[reason] = (perReason[reason] ?? 0) + 1;
    total++;
    if (first.length < DRY_RUN_REJECTS_LISTED) first.push({ key: r.key, reason, detail: r.detail });
  }
  return { total, perReason, first };
}

/**
 * A dry run: every record is rendered and placed as a run would place it — the shard (Kinesis), the
 * topic partition (Kafka), the delivery stream (Firehose) — nothing is sent and no state changes.
 * Records a real run would reject (a template error, too large, a partition or topic that does not
 * exist, a Firehose event no route takes under `unmatched: reject`) are counted as failed and listed.
 * Records that cannot be placed (`Placer.failure`) are still rendered, then the dry run fails saying why.
 */
export async function dryRun(ctx: RunContext, differ: Differ, records: RecordMaker, destination: Destination): Promise<DryRunResult> {
  const publisher = await ctx.deps.publisherFor(destination, { runId: ctx.runId, dryRun: true });
  const reject = (item: WorkItem, reason: Reason, message: string) => {
    ctx.rejects.push({
      reason: reason as RowReject['reason'],
      key: item.key,
      rowNumber: item.rowNumber,
      detail: `${rowLabel(item, ctx.rowUnit)}: ${message}`,
    });
    ctx.counts.failed++;
  };
  const placer = await engineKind(destination.kind).dryRunPlacer(destination, { ctx, publisher, reject });
  try {
    for (let after = 0; ;) {
      const page = differ.page(after, PAGE);
      if (page.length === 0 || ctx.cancelled) break;
      after = page[page.length - 1]!.seq;
      for (const item of page) {
        const record = records.render(item);
        if (!record || records.oversize(publisher, record, item)) continue;
        await placer.place(record, item);
      }
      ctx.progress();
      // Timers and signals get their turn each page: a cancel (Ctrl-C, or asked from another process, looked for each second) is seen.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    await publisher.close();
  }
  const targets = placer.targets();
  const plan: DryRunPlan = {
    per: placer.per,
    targets,
    roundRobin: placer.roundRobin,
    note: placer.note,
    rejected: rejectedOf(ctx.rejects, keyRows(ctx, differ)),
  };
  const perShard = placer.per === 'shard' && placer.note === null ? Object.fromEntries(targets.map((t) => [t.id, t.records])) : null;
  return { perShard, plan, failure: placer.failure };
}
