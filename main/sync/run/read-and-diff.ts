import { rowUnitOf, type Column, type Model, type Source } from '../../../shared/config/source';
import { massRemovalStop, type SyncEvent } from '../../../shared/config/sync';
import { numberColumns, withNumbersRead } from '../../../shared/config/number-columns';
import { openModel, requireDistinctModelColumns } from '../../sources/open-model';
import { ABORTED, untilAborted } from '../until-aborted';
import type { ModelReader } from '../../sources/reader';
import { SqliteReader } from '../../sources/sqlite-reader';
import type { Differ, DiffCounts } from '../differ';
import { FatalRunError, removalsConfirmed, type RunContext } from './context';
import { missingColumnsProblem } from './named-columns';

/**
 * Stage 1 — read: the model's rows are staged in the differ (a SQLite model entirely inside SQLite on
 * the differ's staging process, other sources streamed from JavaScript). Answers how many rows were read.
 */
export async function readModel(ctx: RunContext, differ: Differ, source: Source, model: Model): Promise<number> {
  const reader = await openModel(source, model, ctx.deps.secrets, { columnsCheckedLater: true });
  const onRead = (n: number) => {
    ctx.counts.read = n;
    ctx.progress();
  };
  const unwatch = watchSilence(ctx, reader);
  try {
    // Two columns of one name: refused before a row is read (a source silent meanwhile is said, and a cancel does not wait).
    if ((await untilAborted(requireDistinctModelColumns(source, model, reader), ctx.options.signal)) === ABORTED) return 0;
    if (reader instanceof SqliteReader && reader.stagesInSqlite()) {
      // Validated against the model alone; staged inside SQLite, on a thread of its own.
      const columns = await reader.columns();
      await reader.close();
      requireNamedColumns(ctx, model, columns);
      const staged = await differ.stageSqlite(reader.file, reader.query, columns, model.primaryKey, onRead, ctx.options.signal);
      // A column that held an INTEGER past 2^53 holds numbers, whatever its declared type (an expression has none).
      ctx.numberColumns = withNumbersRead(numberColumns(source.kind, columns), staged.numbersRead);
      return staged.read;
    }
    // Streamed from JavaScript (a SQLite model too, when it cannot be staged inside SQLite).
    const streamed: ModelReader = reader;
    ctx.rowUnit = rowUnitOf(source.kind);
    const staged = await differ.stage(streamed, model.primaryKey, onRead, ctx.options.signal, ctx.rowUnit);
    ctx.numberColumns = withNumbersRead(numberColumns(source.kind, staged.columns), streamed.numbersRead?.());
    // An NDJSON model's columns are those of its first lines: a field of later lines only is no missing column.
    if (!streamed.storedBatches && !ctx.cancelled) requireNamedColumns(ctx, model, staged.columns);
    // Rows staged as their source has them, a model column missing from some (NDJSON): filled when rendered.
    if (streamed.storedBatches) ctx.columns = staged.columns.map((c) => c.name);
    return staged.read;
  } finally {
    unwatch();
    await reader.close();
  }
}

/**
 * Stops the run when its sync names columns the model does not have (`missingColumnsProblem`). A model
 * with no columns at all (a CSV file emptied, header and all) has no rows either: the run goes on and its
 * mass-removal guard says to check the file, rather than this blaming the sync's columns.
 */
function requireNamedColumns(ctx: RunContext, model: Model, columns: readonly Column[]): void {
  if (columns.length === 0) return;
  const problem = missingColumnsProblem(
    ctx.sync.definition,
    model.name,
    columns.map((c) => c.name),
  );
  if (problem) throw new FatalRunError(problem);
}

/** How often a run reading its model asks its reader whether the source is silent (the progress then says so each time). */
const SILENCE_CHECK_MS = 1000;

/** While the model is read, the progress says whether (and for how long) its source is silent (`ModelReader.silence`). Answers the function that stops watching. */
function watchSilence(ctx: RunContext, reader: ModelReader): () => void {
  const silence = reader.silence?.bind(reader);
  if (!silence) return () => undefined;
  const check = setInterval(() => {
    const now = silence();
    if (now === null && ctx.sourceSilent === null) return;
    ctx.sourceSilent = now;
    ctx.progress(true);
  }, SILENCE_CHECK_MS);
  return () => {
    clearInterval(check);
    ctx.sourceSilent = null;
  };
}

/**
 * Stage 2 — diff: classify the staged rows against the snapshot, apply the mass-removal guard before
 * anything is written (a dry run only warns), drop unselected triggers' events, and restrict to the
 * keys of an earlier run when retrying its failures. Answers how many records are to be sent.
 */
export function diffModel(ctx: RunContext, differ: Differ, read: number, warnings: string[]): number {
  const { sync, options } = ctx;
  const def = sync.definition;
  const dryRun = options.dryRun ?? false;
  const baseline = !sync.initialized && def.initialSync === 'baseline';
  const selected = new Set<SyncEvent>(baseline ? [] : def.triggers);
  const guard = (c: DiffCounts & { snapshot: number }) => {
    const stop = removalsConfirmed(options, c.removed) ? null : massRemovalStop(c.removed, c.snapshot, def.maxRemovalPercent, c.added);
    if (stop === null) return;
    Object.assign(ctx.counts, { added: c.added, changed: c.changed, removed: c.removed, unchanged: c.unchanged, rejectedRows: c.rejectedRows });
    if (dryRun) warnings.push(stop);
    else throw new FatalRunError(stop);
  };
  const diff = differ.classify(selected, !dryRun, read, guard);
  Object.assign(ctx.counts, {
    added: diff.added,
    changed: diff.changed,
    removed: diff.removed,
    unchanged: diff.unchanged,
    skippedByTrigger: diff.skippedByTrigger,
    rejectedRows: diff.rejectedRows,
  });
  let toSend = diff.toSend;
  if (options.retryFailedOf !== undefined) {
    const { sql, params } = ctx.deps.ledger.failedKeysOf(options.retryFailedOf);
    toSend = differ.restrictTo(sql, params);
  }
  if (!dryRun && !sync.initialized) ctx.deps.catalog.markInitialized(sync.id);
  ctx.rejects.push(...differ.listedRejects());
  differ.releaseCaches();
  return toSend;
}
