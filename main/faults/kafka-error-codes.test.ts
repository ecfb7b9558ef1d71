import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { expect, it } from 'vitest';
import { failureReasonWhy, stalledWords } from '../../shared/config/sync';
import { callErrorLabel, callErrorText } from '../../shared/debugger/call-error';
import { createFormat } from '../../shared/format/format';
import { formatRunReport, runReport } from '../cli/run-report';
import { runSluice } from '../testing/cli-process';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';
import { freePort } from '../testing/peers/ports';

// A Kafka destination's failure with no code of Kafka's own was shown with the Kafka client library's class
// name as its code ("… could not be reached for 2 s: KafkaJSConnectionError: Connection error: connect
// ECONNREFUSED …", "KafkaJSNumberOfRetriesExceeded: …"): the run's error, its report, `sluice runs` and the
// app's run records now say the message alone; a broker's own code (NOT_LEADER_OR_FOLLOWER) stays.

const closers = closeAfterEach();
const POLICY = { baseMs: 20, maxMs: 100, maxAttempts: 3, unreachableMs: 2000 };

it("a run to a Kafka port nobody listens on says why without kafkajs' class names: its error, its report, sluice runs and the run records", async () => {
  const t = await openTestEngine();
  closers.push(t.close);
  const { engine } = t;
  const file = path.join(t.dir, 'rows.sqlite');
  const db = new BetterSqlite3(file);
  db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY); INSERT INTO items VALUES (1), (2), (3)`);
  db.close();
  engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  engine.catalog.putModel({ name: 'items', source: 'db', query: 'SELECT id FROM items', primaryKey: ['id'] });
  const port = await freePort();
  engine.catalog.putDestination({ kind: 'kafka', name: 'kafka', brokers: [`127.0.0.1:${port}`], topic: 'nowhere' });
  engine.catalog.putSync({
    name: 'out',
    model: 'items',
    destination: 'kafka',
    triggers: ['added'],
    payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
  });
  const run = await engine.runSync('out', { backoff: POLICY });
  expect(run.status).toBe('failed');
  // It said "…for 2 s: KafkaJSConnectionError: Connection error: connect ECONNREFUSED …".
  expect(run.error).toMatch(new RegExp(`^Kafka \\(127\\.0\\.0\\.1:${port}\\) could not be reached for [23] s: Connection error: connect ECONNREFUSED`));
  const failed = engine.ledger.search({ runId: run.id, status: 'failed', limit: 100 }).entries;
  expect(failed.length).toBeGreaterThan(0);
  expect(failed.every((e) => e.errorCode?.startsWith('KafkaJS'))).toBe(true); // as recorded (`--json` keeps it)
  for (const e of failed) expect(failureReasonWhy(e)).toMatch(/^Connection error: connect ECONNREFUSED/);
  const shown = [run.error ?? '', formatRunReport(runReport(engine, run)), ...failed.map(failureReasonWhy)];
  const listed = await runSluice(['--workspace', t.dir, 'runs', 'out', '--failures', '--run', String(run.id)]);
  shown.push(listed.stdout, listed.stderr);
  expect(listed.stdout).toMatch(/\tfailed\t-\tConnection error: connect ECONNREFUSED/);
  // The Debugger: the run's Connect calls, recorded with kafkajs' class name as their code, show their message.
  engine.recorder.flush();
  const calls = engine.apiCalls.list({ runId: run.id, status: 'error' }, 0, 100).calls;
  expect(calls.length).toBeGreaterThan(0);
  expect(calls.some((c) => c.errorCode?.startsWith('KafkaJS'))).toBe(true); // as recorded (its export keeps it)
  for (const c of calls) {
    expect(callErrorLabel(c)).toMatch(/^Connection error: connect ECONNREFUSED/);
    expect(callErrorText(c)).toBe(c.errorMessage);
  }
  for (const text of shown) expect(text).not.toMatch(/KafkaJS/);
}, 60_000);

it("the progress of a run whose broker answers errors says a broker's code, not the client's class name", () => {
  const f = createFormat();
  expect(stalledWords({ unreachable: false, server: 'broker', code: 'NOT_LEADER_OR_FOLLOWER', seconds: 3 }, f)).toBe(
    'broker answering NOT_LEADER_OR_FOLLOWER for 3 s',
  );
  // It said "broker answering KafkaJSNumberOfRetriesExceeded for 3 s".
  expect(stalledWords({ unreachable: false, server: 'broker', code: 'KafkaJSNumberOfRetriesExceeded', seconds: 3 }, f)).toBe(
    'broker answering with errors for 3 s',
  );
  expect(failureReasonWhy({ errorCode: 'NOT_LEADER_OR_FOLLOWER', errorMessage: 'not leader' })).toBe('NOT_LEADER_OR_FOLLOWER: not leader');
});
