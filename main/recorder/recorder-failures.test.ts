import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine';
import { openTestEngine } from '../testing/engine';
import { ApiCallRecorder } from './api-call-recorder';
import type { RecordedCall } from './types';

// Recording must never break the call it records, nor a run: a write to api_calls that fails (a real
// SQLite error, raised by a trigger — the same path as SQLITE_BUSY when the CLI and the app share a
// workspace) or a listener that throws is logged, and the calls are kept for the next flush.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function engine(seedDemo = false): Promise<Engine> {
  const t = await openTestEngine({ seedDemo });
  closers.push(t.close);
  return t.engine;
}

function call(i: number): RecordedCall {
  return {
    service: 'kinesis',
    operation: 'PutRecords',
    target: 'eu-west-1 http://x',
    status: '200',
    startedMs: Date.now(),
    durationMs: 1,
    request: { i },
    response: null,
  };
}

const failInserts = (e: Engine) => e.db.exec(`CREATE TEMP TRIGGER no_calls BEFORE INSERT ON api_calls BEGIN SELECT RAISE(ABORT, 'database is locked'); END`);
const allowInserts = (e: Engine) => e.db.exec('DROP TRIGGER no_calls');
const stored = (e: Engine) => (e.db.prepare('SELECT COUNT(*) AS n FROM api_calls').get() as { n: number }).n;

describe('recording failures', () => {
  it('a failing write does not throw into the caller; the calls are written on the next flush', async () => {
    const e = await engine();
    failInserts(e);
    const sink = e.recorder.scope({ runId: null, context: 'connection-test', destination: 'd' });
    // 500 waiting calls flush synchronously inside record().
    expect(() => {
      for (let i = 0; i < 600; i++) sink.record(call(i));
    }).not.toThrow();
    expect(() => e.recorder.flush()).not.toThrow();
    expect(stored(e)).toBe(0);
    expect(e.log.tail(50).join('\n')).toContain('api-calls.record-failed');
    allowInserts(e);
    e.recorder.flush();
    expect(stored(e)).toBe(600);
  });

  it("the workspace locked by another writer (a run's ledger thread) does not hold a full batch's flush: its calls wait for the next flush, unlogged, and none is lost", async () => {
    const e = await engine();
    const other = new BetterSqlite3(e.db.name);
    other.exec('BEGIN IMMEDIATE'); // another connection holds the write lock, as a ledger thread's transaction does
    e.db.pragma('busy_timeout = 5000');
    const sink = e.recorder.scope({ runId: null, context: 'connection-test', destination: 'd' });
    const started = performance.now();
    for (let i = 0; i < 600; i++) sink.record(call(i)); // the 500th flushes inside record()
    // It did not wait out the 5 s busy timeout (the thread that sends a run's records waited 4 s a run so).
    expect(performance.now() - started).toBeLessThan(2500);
    expect(e.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(e.log.tail(50).join('\n')).not.toContain('api-calls.record-failed');
    other.exec('COMMIT');
    other.close();
    e.recorder.flush();
    expect(stored(e)).toBe(600);
  });

  it('a listener that throws does not throw out of flush (or the 250 ms timer); the calls are stored', async () => {
    const e = await engine();
    const recorder = new ApiCallRecorder(
      e.db,
      e.redactor,
      () => {
        throw new Error('renderer gone');
      },
      e.log,
    );
    const sink = recorder.scope({ runId: null, context: 'connection-test', destination: 'd' });
    sink.record(call(1));
    // The timer flush: an exception here would be uncaught and fail this test file.
    await new Promise((r) => setTimeout(r, 400));
    expect(stored(e)).toBe(1);
    expect(e.log.tail(50).join('\n')).toContain('api-calls.announce-failed');
    for (let i = 0; i < 500; i++) sink.record(call(i));
    expect(stored(e)).toBe(501);
    recorder.close();
  });

  it('a sync whose calls cannot be recorded still succeeds and sends every row', async () => {
    const e = await engine(true);
    failInserts(e);
    const summary = await e.runSync('Customers to sandbox');
    expect(summary.status).toBe('succeeded');
    expect(summary.counts.sent).toBe(summary.toSend);
    expect(summary.counts.sent).toBeGreaterThan(0);
    expect(stored(e)).toBe(0);
    allowInserts(e);
    e.recorder.flush();
    expect(stored(e)).toBeGreaterThan(0);
  });

  it('a failing clean-up after a background run is logged, not an unhandled rejection', async () => {
    const e = await engine(true);
    // A call older than any retention, and a DELETE that fails.
    e.recorder.scope({ runId: null, context: 'connection-test', destination: 'd' }).record({ ...call(0), startedMs: 0 });
    e.recorder.flush();
    e.db.exec(`CREATE TEMP TRIGGER no_delete BEFORE DELETE ON api_calls BEGIN SELECT RAISE(ABORT, 'database is locked'); END`);
    const failed = await e.runSync('Customers to sandbox');
    expect(failed.status).toBe('succeeded');
    e.startRun('Customers to sandbox');
    await e.idle();
    expect(e.log.tail(50).join('\n')).toContain('api-calls.after-run-failed');
    e.db.exec('DROP TRIGGER no_delete');
  });
});
