import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { nativeBindingPath } from '../../state/native-binding';
import { BatchPacker, LEDGER_STATEMENTS, manyRowsSql, sharedParams, sharedPlacesSql, unpackBatch, type LedgerOp, type SqlParam } from './ledger-statements';

function packBatch(ops: readonly LedgerOp[]) {
  const packer = new BatchPacker();
  for (const op of ops) packer.add(op);
  return packer.finish();
}

// A ledger thread binds many rows per INSERT; what lands must be what one statement per row made:
// every row, in order, payload bytes intact, a key upserted twice in one statement left at its last row.

function ledgerOp(i: number, key: string): LedgerOp {
  const data = Buffer.from(`{"id": ${i}}`);
  return ['ledger', [1, 1, key, 'added', 'acknowledged', 1, key, null, null, null, 't', i % 3, String(i), null, null, data, data.length, 'a', 'b']];
}

function commit(ops: LedgerOp[], rowsAtOnce: number, shareRows = false): { ledger: unknown[]; snapshot: unknown[]; runs: number[] } {
  const db = new BetterSqlite3(':memory:', { nativeBinding: nativeBindingPath() });
  db.exec(`CREATE TABLE ledger (id INTEGER PRIMARY KEY, run_id, sync_id, key, event, status, attempts, partition_key, shard_id, sequence_number,
    record_id, topic, kafka_partition, kafka_offset, error_code, error_message, data, bytes, first_attempt_at, last_attempt_at);
    CREATE TABLE snapshot (sync_id, key, row, delivered_at, PRIMARY KEY (sync_id, key)) WITHOUT ROWID;`);
  const runs: number[] = [];
  unpackBatch(
    packBatch(ops),
    (name, params: SqlParam[], rows) => {
      runs.push(rows);
      if (rows > 1 && shareRows) {
        const { shared, args } = sharedParams(params, params.length / rows, rows);
        db.prepare(sharedPlacesSql(LEDGER_STATEMENTS[name], rows, shared)!).run(args);
        return;
      }
      const sql = rows === 1 ? LEDGER_STATEMENTS[name] : manyRowsSql(LEDGER_STATEMENTS[name], rows)!;
      db.prepare(sql).run(params);
    },
    (name) => (name === 'progress' || name === 'remove' ? 1 : rowsAtOnce),
  );
  const out = {
    ledger: db.prepare('SELECT id, key, kafka_offset, data, bytes FROM ledger ORDER BY id').all(),
    snapshot: db.prepare('SELECT key, row FROM snapshot ORDER BY key').all(),
    runs,
  };
  db.close();
  return out;
}

describe('ledger statements', () => {
  it('packs batch after batch with one packer, each as long as it likes, each unpacking to its own writes', () => {
    // The packer keeps its columns' arrays from batch to batch, growing them: nothing of one batch may
    // leak into the next, and a batch past the arrays' first size keeps every value.
    const packer = new BatchPacker();
    const batches: LedgerOp[][] = [1000, 3, 0, 600].map((n, b) =>
      Array.from({ length: n }, (_, i): LedgerOp => (i % 7 === 3 ? ['remove', [b, `k${i}`]] : ledgerOp(b * 10_000 + i, `k${b}-${i % 5 === 0 ? i : 'same'}`))),
    );
    for (const ops of batches) {
      for (const op of ops) packer.add(op);
      expect(packer.size).toBe(ops.length);
      const out: LedgerOp[] = [];
      unpackBatch(packer.finish(), (name, params) => out.push([name, params.map((v) => (Buffer.isBuffer(v) ? Buffer.from(v) : v))]));
      expect(packer.size).toBe(0);
      expect(out).toEqual([...ops.filter(([name]) => name === 'ledger'), ...ops.filter(([name]) => name === 'remove')]);
    }
  });

  it('packs a batch so that it unpacks to the same writes, a repeated string sent once', () => {
    const ops: LedgerOp[] = [ledgerOp(1, 'a'), ['upsert', [1, 'a', '{"id":1}', 'now']], ledgerOp(2, 'b'), ['upsert', [1, 'b', '{"id":2}', 'now']]];
    const sent = packBatch(ops);
    // Through a real clone, as postMessage sends it, the bytes' blob transferred.
    const packed = structuredClone(sent, { transfer: [sent.blob] });
    // The second ledger row's event, status, topic and times equal the first's: not sent again.
    expect(packed.statements.ledger!.columns.map((c) => c.texts.join(''))).toEqual([
      '',
      '',
      'ab',
      'added',
      'acknowledged',
      '',
      'ab',
      '',
      '',
      '',
      't',
      '',
      '12',
      '',
      '',
      '',
      '',
      'a',
      'b',
    ]);
    const out: [string, SqlParam[]][] = [];
    unpackBatch(packed, (name, params) => out.push([name, params.map((v) => (Buffer.isBuffer(v) ? Buffer.from(v) : v))]));
    expect(out).toEqual([ops[0], ops[2], ops[1], ops[3]]);
  });

  it('unpacks every kind of parameter in its place: null, numbers, empty and repeated strings, bytes, after a repeat a change', () => {
    const ops: LedgerOp[] = [
      ['progress', [null, '{"sent":1}', 0, null, '', 7]],
      ['progress', ['sending', '{"sent":1}', -1.5, '{"retrying":{}}', '', 7]],
      ['progress', ['sending', '', 2 ** 53 - 1, null, 'é𝄞\n', 7]],
      ['outbox', [1, 'pk', 'k', 'fp', '{}', null]],
      ['outbox', [1, 'pk', 'k', 'fp', '{}', 'at']],
    ];
    const ledger = ledgerOp(3, 'c');
    const empty: LedgerOp = ['ledger', [...ledger[1]].map((v, i) => (i === 15 ? Buffer.alloc(0) : v))];
    const all = [...ops, ledger, empty];
    const sent = packBatch(all);
    const out: LedgerOp[] = [];
    unpackBatch(structuredClone(sent, { transfer: [sent.blob] }), (name, params) =>
      out.push([name, params.map((v) => (Buffer.isBuffer(v) ? Buffer.from(v) : v))]),
    );
    // By statement (ledger, upsert, remove, outbox, progress), each in its writes' order.
    expect(out).toEqual([ledger, empty, ops[3], ops[4], ops[0], ops[1], ops[2]]);
  });

  it('makes an INSERT take many rows, and leaves other statements alone', () => {
    expect(manyRowsSql('INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT(a) DO UPDATE SET b = excluded.b', 3)).toBe(
      'INSERT INTO t (a, b) VALUES (?, ?), (?, ?), (?, ?) ON CONFLICT(a) DO UPDATE SET b = excluded.b',
    );
    expect(manyRowsSql(LEDGER_STATEMENTS.remove, 3)).toBeUndefined();
    expect(manyRowsSql(LEDGER_STATEMENTS.progress, 3)).toBeUndefined();
  });

  it('commits the same rows many at a time as one at a time', () => {
    const ops: LedgerOp[] = [];
    for (let i = 0; i < 11; i++) {
      ops.push(ledgerOp(i, `k${i % 9}`));
      ops.push(['upsert', [1, `k${i % 9}`, `{"id":${i}}`, 'now']]);
    }
    ops.push(['remove', [1, 'k0']]);
    const one = commit(ops, 1);
    const many = commit(ops, 4);
    expect(many.ledger).toEqual(one.ledger);
    expect(many.snapshot).toEqual(one.snapshot);
    // Binding the places four rows share once: the same rows again.
    const shared = commit(ops, 4, true);
    expect(shared.ledger).toEqual(one.ledger);
    expect(shared.snapshot).toEqual(one.snapshot);
    // k1 was upserted twice in one four-row statement: its last row stays.
    expect(many.snapshot).toContainEqual({ key: 'k1', row: '{"id":10}' });
    expect(many.ledger).toHaveLength(11);
    expect((many.ledger[7] as { data: Buffer }).data.toString()).toBe('{"id": 7}');
    // 11 ledger rows: two runs of 4 and three single rows; likewise the upserts; one removal.
    expect(many.runs.filter((r) => r === 4)).toHaveLength(4);
  });

  it('binds the places rows share once (bytes only as the very same Buffer), and leaves each row at least one place of its own', () => {
    const [a, b] = [Buffer.from('a'), Buffer.from('a')];
    const { shared, key, args } = sharedParams([1, 'x', a, null, 1, 'y', b, null], 4, 2);
    expect(shared).toEqual([true, false, false, true]);
    expect(key).toBe('1001');
    expect(args).toEqual([1, null, 'x', a, 'y', b]);
    expect(sharedParams([1, 2, 1, 2], 2, 2).shared).toEqual([true, false]);
    expect(sharedPlacesSql(LEDGER_STATEMENTS.upsert, 2, [true, false, false, true])).toBe(
      'INSERT INTO snapshot (sync_id, key, row, delivered_at) SELECT ?, column1, column2, ? FROM (VALUES (?, ?), (?, ?)) WHERE true ON CONFLICT(sync_id, key) DO UPDATE SET row = excluded.row, delivered_at = excluded.delivered_at',
    );
    expect(sharedPlacesSql(LEDGER_STATEMENTS.remove, 2, [true, false])).toBeUndefined();
  });
});
