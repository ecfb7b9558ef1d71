import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../shared/config/sync';
import { progressLine } from '../cli/sync-command';
import { closeAfterEach, kafkaForFile } from '../testing/lifecycle';
import { freezeOnFirstProduceAnswer } from '../testing/freeze-on-produce';
import { openTestEngine } from '../testing/engine';

// The fault suite, Kafka: what a run's progress says while its broker is down. A real broker (Apache
// Kafka 4, KRaft) is killed mid-run and kept down while its records are retried, then started again.
// The progress line must count records delivered, never sends (each retry sends a record again), and
// say that records are being retried and why nothing is delivered.

const broker = kafkaForFile();
const closers = closeAfterEach();

/** The last progress event a test saw, told when a wait times out. */
let latest: RunSummary | undefined;
const lastSeen = () =>
  latest ? ` (last progress: ${JSON.stringify({ status: latest.status, toSend: latest.toSend, counts: latest.counts, retrying: latest.retrying })})` : '';

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Not seen in time: ${what}${lastSeen()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A workspace whose sync "to-kafka" sends `rows` rows of a SQLite model to `topic` (3 partitions) on the broker. */
async function syncToKafka(rows: number, topic: string) {
  const t = await openTestEngine();
  closers.push(t.close);
  const file = path.join(t.dir, 'rows.sqlite');
  const db = new BetterSqlite3(file);
  db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, pad TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows}) INSERT INTO items SELECT i, 'row ' || i FROM n`);
  db.close();
  await broker.peer.createTopic(topic, 3);
  const { engine } = t;
  engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  engine.catalog.putModel({ name: 'items', source: 'db', query: 'SELECT id, pad FROM items', primaryKey: ['id'] });
  engine.catalog.putDestination({ kind: 'kafka', name: 'kafka', brokers: [broker.peer.listeners.plaintext], topic });
  engine.catalog.putSync({
    name: 'to-kafka',
    model: 'items',
    destination: 'kafka',
    triggers: ['added', 'changed', 'removed'],
    payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
  });
  return engine;
}

describe('fault suite: a run’s progress while its Kafka broker is down', () => {
  it('says records delivered (as the ledger has them), failed and being retried, and that the broker is unreachable — never the sends, which pass the records to send; once the broker is back every record is delivered', async () => {
    const rows = 30_000;
    const engine = await syncToKafka(rows, 'progress');
    const events: RunSummary[] = [];
    closers.push(engine.onEvent((event, payload) => void (event === 'runProgress' && events.push((latest = payload as RunSummary)))));

    // Quick retries, and a budget for an unreachable broker that outlasts the outage.
    const backoff = { baseMs: 100, maxMs: 1000, maxAttempts: 6, unreachableMs: 120_000 };
    // The broker hangs once part of the run is acknowledged (its first Produce answered), and is killed:
    // polling the run's progress to kill it lost the race on a loaded machine, every record delivered first.
    const freeze = freezeOnFirstProduceAnswer(broker.peer);
    closers.push(freeze.dispose);
    const { runId, done } = engine.runner.start('to-kafka', { backoff });
    await waitFor(() => freeze.frozen, 60_000, 'part of the run acknowledged');
    await broker.peer.kill();
    let restarted = false;
    try {
      // Records keep being sent to the dead broker: more sends than records to send, none delivered for a while.
      const down = () => events.at(-1);
      await waitFor(
        () => {
          const e = down();
          return e?.status === 'running' && e.retrying?.stalled?.unreachable === true && e.counts.sent > e.toSend;
        },
        60_000,
        'a progress event of the broker unreachable, after more sends than records',
      );
      const e = down()!;
      const line = progressLine(e);
      const m = /^sending: ([\d,]+)\/30,000 delivered \((\d+)%\), 0 failed, ([\d,]+) retrying — broker unreachable for \d+(\.\d+)? s$/.exec(line);
      expect(m, line).not.toBeNull();
      const count = (i: number) => Number(m![i]!.replaceAll(',', ''));
      const [delivered, percent, retrying] = [count(1), count(2), count(3)];
      // What the line says delivered is what the ledger holds as acknowledged (nothing is, while the broker is down).
      const acknowledged = engine.ledger.search({ runId, status: 'acknowledged', limit: 1 }).total;
      expect({ delivered, percent }).toEqual({ delivered: acknowledged, percent: Math.floor((acknowledged / rows) * 100) });
      expect(delivered).toBeLessThan(rows);
      // Records being retried are records sent and not settled: never more than are left, and none counted twice.
      expect(retrying).toBeGreaterThan(0);
      expect(retrying).toBeLessThanOrEqual(rows - delivered);
      // The sends pass the records to send; the line does not show them, nor a time left it cannot know.
      expect(e.counts.sent).toBeGreaterThan(rows);
      expect(line).not.toContain(e.counts.sent.toLocaleString('en-US'));
      expect(e.etaSeconds).toBeNull();

      await broker.peer.restart();
      restarted = true;
      // Back: records are delivered again, and the line no longer says the broker is unreachable.
      await waitFor(
        () => {
          const last = down();
          return last !== undefined && last.counts.acknowledged > acknowledged && (last.status !== 'running' || last.retrying?.stalled === null);
        },
        120_000,
        'records delivered again after the restart',
      );
      expect(progressLine(down()!)).not.toContain('unreachable');
    } finally {
      if (!restarted) await broker.peer.restart();
    }
    const run = await done;
    expect({ status: run.status, error: run.error, acknowledged: run.counts.acknowledged }).toEqual({ status: 'succeeded', error: null, acknowledged: rows });
    expect(progressLine(run)).toMatch(/^sending: 30,000\/30,000 delivered \(100%\), 0 failed, /);
  }, 300_000);
  it('says so while a hung broker answers nothing (paused: its connections open, no reply), progress going on without answers; once it answers again every record is delivered', async () => {
    const rows = 100_000;
    const engine = await syncToKafka(rows, 'hung');
    const events: RunSummary[] = [];
    closers.push(engine.onEvent((event, payload) => void (event === 'runProgress' && events.push((latest = payload as RunSummary)))));
    // The broker hangs (paused) once part of the run is acknowledged: its first Produce answered.
    const freeze = freezeOnFirstProduceAnswer(broker.peer);
    closers.push(freeze.dispose);
    const { done } = engine.runner.start('to-kafka', { backoff: { baseMs: 100, maxMs: 1000, maxAttempts: 6, unreachableMs: 120_000 } });
    await waitFor(() => freeze.frozen, 60_000, 'part of the run acknowledged');
    let resumed = false;
    try {
      // No answer comes, so none settles a record: the progress still goes on, and says the broker is not answering.
      await waitFor(() => events.at(-1)?.retrying?.stalled?.silent === true, 30_000, 'a progress event of the broker not answering');
      const e = events.at(-1)!;
      expect(progressLine(e)).toMatch(/^sending: [\d,]+\/100,000 delivered \(\d+%\), 0 failed(, [\d,]+ retrying)? — broker not answering for \d+(\.\d+)? s$/);
      expect(e.etaSeconds).toBeNull();
      // And again a second later (before, no event came at all until a request timed out, 30 s on).
      const seconds = e.retrying!.stalled!.seconds;
      await waitFor(() => (events.at(-1)?.retrying?.stalled?.seconds ?? 0) > seconds, 10_000, 'a later progress event of the broker not answering');
      broker.peer.resume();
      resumed = true;
    } finally {
      if (!resumed) broker.peer.resume();
    }
    const run = await done;
    expect({ status: run.status, error: run.error, acknowledged: run.counts.acknowledged }).toEqual({ status: 'succeeded', error: null, acknowledged: rows });
  }, 300_000);
});
