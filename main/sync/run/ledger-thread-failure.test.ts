import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../engine/engine';
import type { StoredSync } from '../../catalog/catalog-store';
import { nativeBindingPath } from '../../state/native-binding';
import { openTestEngine } from '../../testing/engine';
import { createPeopleDb } from '../../testing/model-db';
import { parseSyncTemplates } from '../sync-templates';
import { startThread } from '../thread-script';
import type { RunnerDeps } from './context';
import { BatchPacker, type LedgerOp } from './ledger-statements';
import type { LedgerThreadAnswer } from './ledger-thread';
import { LedgerThread } from './ledger-thread-client';
import { LedgerWriter } from './ledger-writer';
import { RecordMaker } from './record-maker';
import { RunState } from './run-state';

// A ledger thread whose batch fails (another process holds the workspace's write lock past the busy
// timeout) stops the run. What the run then reports must be what its ledger holds: a batch sent to the
// thread behind the failed one commits once the lock is let go, and was counted by no one (the run
// said thousands of records fewer than its ledger held).

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

interface Workspace {
  engine: Engine;
  file: string;
  syncId: number;
  runId: number;
  /** Another connection to the workspace: its write lock holds the ledger thread's writes as another process's (a `sluice` command's) does. */
  other: BetterSqlite3.Database;
}

async function workspace(): Promise<Workspace> {
  const t = await openTestEngine();
  closers.push(t.close);
  const model = createPeopleDb(t.dir, 1);
  closers.push(() => void model.db.close());
  const { engine } = t;
  engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: model.file });
  engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 'out', shards: 1 });
  // An even id does not render (not JSON): its record is rejected.
  const template = '{% assign half = row.id | modulo: 2 %}{% if half == 0 %}oops{% else %}{}{% endif %}';
  engine.catalog.putSync({ name: 'out', model: 'people', destination: 'sandbox', triggers: ['added'], payload: { mode: 'template', template } });
  const syncId = engine.catalog.getSync('out').id;
  // A Firehose sync whose one route takes no row's event (the person's name): every record is skipped.
  engine.catalog.putDestination({ kind: 'firehose', name: 'hose', deliveryStream: 'events', region: 'us-east-1', auth: { kind: 'default-chain' } });
  engine.catalog.putSync({
    name: 'routed',
    model: 'people',
    destination: 'hose',
    triggers: ['added'],
    payload: { mode: 'mapping', fields: [{ column: 'id', key: 'id' }] },
    firehose: { eventName: { kind: 'column', column: 'name' }, routes: [{ match: 'nobody', stream: 'events' }], unmatched: 'skip' },
  });
  const other = new BetterSqlite3(engine.db.name);
  closers.push(() => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
  });
  return { engine, file: engine.db.name, syncId, runId: engine.runs.create(syncId, false), other };
}

/** An acknowledged record's writes, as a run makes them: its ledger row and its snapshot move. */
function acknowledged(w: Workspace, key: string): LedgerOp[] {
  const at = new Date().toISOString();
  const data = Buffer.from(`{"id":${key}}`);
  return [
    [
      'ledger',
      [w.runId, w.syncId, key, 'added', 'acknowledged', 1, key, 'shardId-000000000000', '1', null, null, null, null, null, null, data, data.length, at, at],
    ],
    ['upsert', [w.syncId, key, `{"id":${key}}`, at]],
  ];
}

/** Records of `from` … `from + count - 1`. */
function records(w: Workspace, from: number, count: number): LedgerOp[] {
  return Array.from({ length: count }, (_, i) => acknowledged(w, String(from + i))).flat();
}

/** What the workspace holds of the run: acknowledged ledger rows, and the sync's snapshot rows. */
function held(w: Workspace): { ledger: number; snapshot: number } {
  return { ledger: inLedger(w, 'acknowledged'), snapshot: inSnapshot(w, w.syncId) };
}

function inSnapshot(w: Workspace, syncId: number): number {
  return w.engine.db.prepare('SELECT count(*) FROM snapshot WHERE sync_id = ?').pluck().get(syncId) as number;
}

function inLedger(w: Workspace, status: 'acknowledged' | 'rejected'): number {
  return w.engine.db.prepare('SELECT count(*) FROM ledger WHERE run_id = ? AND status = ?').pluck().get(w.runId, status) as number;
}

/** The run's stages as a run of the sync `out` (or `name`) makes them, its ledger writes going to `sink`. */
function runOf(w: Workspace, sink: LedgerThread, name = 'out'): { state: RunState; ledger: LedgerWriter; records: RecordMaker } {
  const { engine } = w;
  const deps: RunnerDeps = {
    db: engine.db,
    catalog: engine.catalog,
    runs: engine.runs,
    ledger: engine.ledger,
    log: engine.log,
    redactor: engine.redactor,
    secrets: engine.secretResolver,
    publisherFor: () => Promise.reject(new Error('nothing is sent here')),
    onProgress: () => undefined,
  };
  const sync: StoredSync = engine.catalog.getSync(name);
  const state = new RunState(w.runId, name, sync, deps, {});
  const { renderer, target } = parseSyncTemplates(engine.catalog.getDestination(sync.definition.destination), sync.definition);
  const ledger = new LedgerWriter(state, sink);
  return { state, ledger, records: new RecordMaker(state, renderer, ledger, target) };
}

describe('a ledger batch that fails', () => {
  it('does not stop the thread: a batch sent after it commits once the write lock is free again (its records are not sent again)', async () => {
    const w = await workspace();
    const thread = startThread(__dirname, 'ledger-thread', {
      file: w.file,
      nativeBinding: nativeBindingPath(),
      busyTimeoutMs: 50,
      sqliteModule: require.resolve('better-sqlite3'),
    });
    closers.push(async () => void (await thread.terminate()));
    const answers: LedgerThreadAnswer[] = [];
    thread.on('message', (a: LedgerThreadAnswer) => answers.push(a));
    const answered = (n: number) => vi.waitFor(() => expect(answers).toHaveLength(n), { timeout: 30_000, interval: 10 });
    const send = (ops: LedgerOp[]) => {
      const packer = new BatchPacker();
      ops.forEach((op) => packer.add(op));
      const batch = packer.finish();
      thread.postMessage(batch, [batch.blob]);
    };

    send(records(w, 1, 10));
    await answered(1);
    expect(answers[0]).toEqual({});
    w.other.exec('BEGIN IMMEDIATE');
    send(records(w, 11, 10));
    await answered(2);
    expect(answers[1]!.error).toMatchObject({ code: 'SQLITE_BUSY' });
    w.other.exec('COMMIT');
    send(records(w, 21, 10));
    await answered(3);
    expect(answers[2]).toEqual({});
    expect(held(w)).toEqual({ ledger: 20, snapshot: 20 });
  }, 60_000);

  it('leaves the run counting exactly the records its ledger holds, with batches waiting behind it on the thread', async () => {
    const w = await workspace();
    let counted = 0;
    const errors: Error[] = [];
    // The lock is let go as the run hears of the failure, while the batch behind it waits for the lock.
    const sink = new LedgerThread(w.file, (err) => {
      errors.push(err);
      w.other.exec('COMMIT');
    });
    const unit = (ops: LedgerOp[]) => {
      ops.forEach((op) => sink.add(op));
      sink.commit(() => (counted += ops.length / 2));
    };
    const answered = vi.spyOn(LedgerThread.prototype as unknown as { answered(a: LedgerThreadAnswer): void }, 'answered');
    closers.push(() => answered.mockRestore());

    unit(records(w, 1, 10));
    await sink.below(0);
    expect(counted).toBe(10);
    w.other.exec('BEGIN IMMEDIATE');
    unit(records(w, 11, 10)); // on the thread, waiting for the lock (5 s)
    unit(records(w, 21, 2000)); // 4,000 writes: sent behind it
    unit(records(w, 2021, 10)); // held
    // Every batch sent is answered before the sink closes (closing early could hide a late commit).
    await vi.waitFor(() => expect(answered).toHaveBeenCalledTimes(3), { timeout: 60_000, interval: 10 });
    await expect(sink.close()).rejects.toThrow(/locked/);
    expect(errors).toHaveLength(1);
    // The batch behind the failed one committed once the lock was let go: counted (it was not).
    expect(held(w)).toEqual({ ledger: counted, snapshot: counted });
    expect(counted).toBe(2010);
  }, 90_000);

  const row = (id: number) => ({
    seq: id,
    key: String(id),
    event: 'added' as const,
    row: JSON.stringify({ id, name: `person ${id}` }),
    previous: null,
    rowNumber: id,
  });

  it('leaves the run counting failed, and listing in its rows not sent, exactly the records its ledger holds as rejected (a template that does not render)', async () => {
    const w = await workspace();
    const sink = new LedgerThread(w.file, () => w.other.exec('COMMIT'));
    const { state, ledger, records } = runOf(w, sink);

    expect(records.render(row(1))).toBeDefined();
    expect(records.render(row(2))).toBeUndefined(); // rejected: committed
    await ledger.below(0);
    expect(state.counts).toMatchObject({ failed: 1, refused: 1 });
    w.other.exec('BEGIN IMMEDIATE');
    expect(records.render(row(4))).toBeUndefined(); // rejected: its commit waits for the lock (5 s), then fails
    await expect(ledger.close()).rejects.toThrow(/locked/);
    expect(inLedger(w, 'rejected')).toBe(1);
    expect(state.counts).toMatchObject({ failed: 1, refused: 1 });
    // The run's report lists the rows not sent: the one its ledger holds, not the one whose row was never written.
    expect(state.rejects.map((r) => [r.reason, r.key])).toEqual([['render-error', '2']]);
  }, 60_000);

  it('leaves the run counting and listing as skipped exactly the Firehose records whose snapshot move committed (an event no route takes)', async () => {
    const w = await workspace();
    const sink = new LedgerThread(w.file, () => w.other.exec('COMMIT'));
    const { state, ledger, records } = runOf(w, sink, 'routed');
    const routed = w.engine.catalog.getSync('routed').id;

    expect(records.render(row(1))).toBeUndefined(); // skipped
    ledger.flushSkips();
    await ledger.below(0);
    expect(inSnapshot(w, routed)).toBe(1);
    expect(state.counts.skippedUnmatched).toBe(1);
    w.other.exec('BEGIN IMMEDIATE');
    expect(records.render(row(3))).toBeUndefined(); // skipped: its snapshot move waits for the lock (5 s), then fails
    await expect(ledger.close()).rejects.toThrow(/locked/);
    // Not recorded, so the next run looks at row 3 again (and skips it then): this run did not skip it.
    expect(inSnapshot(w, routed)).toBe(1);
    expect(state.counts.skippedUnmatched).toBe(1);
    expect(state.rejects.map((r) => [r.reason, r.key])).toEqual([['unmatched', '1']]);
  }, 60_000);
});
