import { KinesisClient } from '@aws-sdk/client-kinesis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { awsClientConfig } from '../../aws/client-config';
import type { Engine } from '../../engine/engine';
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from '../../sandbox/sandbox-kinesis';
import { openTestEngine } from '../../testing/engine';
import { readAllRecords } from '../../testing/kinesis-read';
import { createPeopleDb } from '../../testing/model-db';
import { LedgerThread } from './ledger-thread-client';

// Long work lists commit on a ledger thread (its own connection to the workspace) instead of the
// run's main thread. What a run records must not depend on where it was committed: the same ledger
// rows (statuses, bytes, where each record landed), the same snapshot, the same next run.

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const ROWS = 3000;
const TEMPLATE = '{% if row.id == 1234 %}oops{% else %}{"id": {{ row.id }}, "name": {{ row.name | json }}}{% endif %}';

async function setUp(): Promise<{ engine: Engine; change(sql: string): void }> {
  const t = await openTestEngine();
  closers.push(t.close);
  const { file, db } = createPeopleDb(t.dir, ROWS);
  closers.push(() => void db.close());
  const { engine } = t;
  engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  for (const name of ['inline', 'threaded']) {
    engine.catalog.putDestination({ kind: 'sandbox-kinesis', name, stream: name, shards: 2 });
    engine.catalog.putSync({
      name,
      model: 'people',
      destination: name,
      triggers: ['added', 'changed', 'removed'],
      payload: { mode: 'template', template: TEMPLATE },
    });
  }
  return { engine, change: (sql) => void db.exec(sql) };
}

/** A sync's ledger rows of one run, in key order, with what a user sees of each. */
function ledgerOf(engine: Engine, runId: number): unknown[] {
  return engine.db
    .prepare(
      `SELECT key, event, status, attempts, partition_key, error_code, error_message, hex(data) AS data, bytes, shard_id IS NOT NULL AS placed
         FROM ledger WHERE run_id = ? ORDER BY CAST(key AS INTEGER)`,
    )
    .all(runId);
}

function snapshotOf(engine: Engine, sync: string): unknown[] {
  const id = engine.catalog.getSync(sync).id;
  return engine.db.prepare('SELECT key, row FROM snapshot WHERE sync_id = ? ORDER BY CAST(key AS INTEGER)').all(id);
}

describe('committing on the ledger thread', () => {
  it('records the same ledger, snapshot and next run as committing inline, and every record it acknowledged is in the stream with those bytes', async () => {
    const { engine, change } = await setUp();
    const inline = await engine.runSync('inline', { ledgerThreadThreshold: Number.POSITIVE_INFINITY });
    const onThread = vi.spyOn(LedgerThread.prototype, 'commit');
    closers.push(() => onThread.mockRestore());
    const threaded = await engine.runSync('threaded', { ledgerThreadThreshold: 0 });
    expect(onThread).toHaveBeenCalled();
    expect(threaded.status).toBe('partial'); // row 1234 does not render
    expect(threaded.counts).toMatchObject({ acknowledged: ROWS - 1, failed: 1 });
    expect(threaded.counts).toEqual({ ...inline.counts });
    const ledger = ledgerOf(engine, threaded.id);
    expect(ledger).toHaveLength(ROWS);
    expect(ledger).toEqual(ledgerOf(engine, inline.id));
    expect(snapshotOf(engine, 'threaded')).toEqual(snapshotOf(engine, 'inline'));
    expect(snapshotOf(engine, 'threaded')).toHaveLength(ROWS - 1);

    const client = new KinesisClient(awsClientConfig({ region: SANDBOX_REGION, endpoint: await engine.sandbox.endpoint(), credentials: SANDBOX_CREDENTIALS }));
    closers.push(() => client.destroy());
    const records = await readAllRecords(client, 'threaded');
    expect(records).toHaveLength(ROWS - 1);
    const sent = new Map(
      (engine.db.prepare("SELECT key, data FROM ledger WHERE run_id = ? AND status = 'acknowledged'").all(threaded.id) as { key: string; data: Buffer }[]).map(
        (r) => [r.key, r.data.toString('utf8')],
      ),
    );
    for (const r of records) expect(r.data.toString('utf8')).toBe(sent.get(r.partitionKey));

    change("UPDATE people SET name = 'renamed ' || id WHERE id <= 10; DELETE FROM people WHERE id > 2995; INSERT INTO people VALUES (9001, 'new', 0, '{}');");
    const again = { inline: await engine.runSync('inline'), threaded: await engine.runSync('threaded', { ledgerThreadThreshold: 0 }) };
    expect(again.threaded.counts).toMatchObject({ added: 2, changed: 10, removed: 5, acknowledged: 16, failed: 1 }); // 1234 again, and 9001
    expect(again.threaded.counts).toEqual(again.inline.counts);
    expect(ledgerOf(engine, again.threaded.id)).toEqual(ledgerOf(engine, again.inline.id));
    expect(snapshotOf(engine, 'threaded')).toEqual(snapshotOf(engine, 'inline'));
  }, 120_000);
});
