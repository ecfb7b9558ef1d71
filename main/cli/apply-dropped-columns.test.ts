import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { packageRoot } from '../paths';
import { createPeopleDb } from '../testing/model-db';
import { tempWorkspace } from '../testing/temp';
import { runSluice } from '../testing/cli-process';
import { startSilentServer } from '../testing/peers/silent-server';
import { CONNECT_TIMEOUT_MS, SIDE_CONNECT_TIMEOUT_MS } from '../sources/postgres-reader';

// `sluice apply` of a file that changes a model so that its query no longer returns a column a sync on it
// uses: applied all the same (the run stops early, saying so), with a warning naming the sync, the column
// and where it is used, as the app asks before saving (`previewModelSave`). An unchanged model says nothing.

const bin = path.join(packageRoot(), 'bin', 'sluice.cjs');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const config = (db: string, query: string, amount = 'score') => `version: 1
sources:
  - { kind: sqlite, name: db, path: ${JSON.stringify(db)} }
models:
  - { name: people, source: db, query: "${query}", primaryKey: [id] }
destinations:
  - { kind: sandbox-kinesis, name: sb, stream: apply-dropped-columns }
syncs:
  - name: scores
    model: people
    destination: sb
    triggers: [added, changed]
    payload: { mode: mapping, fields: [{ column: id, key: id }, { column: ${amount}, key: amount }] }
`;

it('a model applied without a column its sync maps is applied, with a warning naming the sync, the column and where', () => {
  const ws = tempWorkspace();
  cleanups.push(ws.cleanup);
  const { file, db } = createPeopleDb(ws.dir, 3);
  db.close();
  const apply = (query: string) => {
    const yaml = path.join(ws.dir, 'sluice.yaml');
    fs.writeFileSync(yaml, config(file, query));
    return spawnSync(process.execPath, [bin, '--workspace', ws.dir, 'apply', '-f', yaml], { encoding: 'utf8' });
  };

  const first = apply('SELECT id, name, score FROM people');
  expect(first.status, first.stderr).toBe(0);
  expect(first.stderr).not.toContain('Warning');

  // Only another row filter: the same columns, nothing to say.
  const same = apply('SELECT id, name, score FROM people WHERE id > 0');
  expect(same.status, same.stderr).toBe(0);
  expect(same.stderr).not.toContain('Warning');

  const dropped = apply('SELECT id, name FROM people');
  expect(dropped.status, dropped.stderr).toBe(0);
  expect(dropped.stdout).toContain('Applied');
  expect(dropped.stderr).toBe(
    'Warning: The sync "scores" uses the column "score" (its payload\'s field 2 (amount)), which the model "people" does not have (its columns: id, name): its next run will stop before sending anything; choose another in the sync\'s payload or settings, or add it to the model.\n',
  );
  const exported = spawnSync(process.execPath, [bin, '--workspace', ws.dir, 'export'], { encoding: 'utf8' });
  expect(exported.stdout).toContain('SELECT id, name FROM people');

  // The same file again: the model did not change this time, so nothing is said.
  const again = apply('SELECT id, name FROM people');
  expect(again.stderr).not.toContain('Warning');
});

it('a sync applied naming a column its model does not have is applied, with the same warning (it said nothing)', () => {
  const ws = tempWorkspace();
  cleanups.push(ws.cleanup);
  const { file, db } = createPeopleDb(ws.dir, 3);
  db.close();
  const apply = (amount: string) => {
    const yaml = path.join(ws.dir, 'sluice.yaml');
    fs.writeFileSync(yaml, config(file, 'SELECT id, name, score FROM people', amount));
    return spawnSync(process.execPath, [bin, '--workspace', ws.dir, 'apply', '-f', yaml], { encoding: 'utf8' });
  };
  // A new sync, then the same sync changed: the model is the same each time.
  for (const column of ['amount', 'total']) {
    const applied = apply(column);
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.stderr).toBe(
      `Warning: The sync "scores" uses the column "${column}" (its payload's field 2 (amount)), which the model "people" does not have (its columns: id, name, score): its next run will stop before sending anything; choose another in the sync's payload or settings, or add it to the model.\n`,
    );
  }
  expect(apply('score').stderr).not.toContain('Warning');
});

it("a PostgreSQL server that takes the connection and never answers holds apply for the short check wait, not a run's connect timeout, once for all its models; nothing is said of them", async () => {
  const ws = tempWorkspace();
  cleanups.push(ws.cleanup);
  const silent = await startSilentServer();
  cleanups.push(() => void silent.close());
  const yaml = path.join(ws.dir, 'sluice.yaml');
  const models = ['a', 'b', 'c'].map((m) => `  - { name: ${m}, source: crm, query: "SELECT id FROM ${m}", primaryKey: [id] }`).join('\n');
  const syncs = ['a', 'b', 'c']
    .map((m) => `  - { name: ${m}-out, model: ${m}, destination: sb, triggers: [added], payload: { mode: template, template: '{"id": {{ row.id }}}' } }`)
    .join('\n');
  fs.writeFileSync(
    yaml,
    `version: 1
sources:
  - { kind: postgres, name: crm, host: 127.0.0.1, port: ${silent.port}, database: crm, user: reader }
models:
${models}
destinations:
  - { kind: sandbox-kinesis, name: sb, stream: apply-silent-postgres }
syncs:
${syncs}
`,
  );
  const started = performance.now();
  const applied = await runSluice(['--workspace', ws.dir, 'apply', '-f', yaml]);
  const tookMs = performance.now() - started;
  expect(applied.status, applied.stderr).toBe(0);
  expect(applied.stdout).toContain(`Applied ${yaml}: 1 source, 3 models, 1 destination, 3 syncs.`);
  expect(applied.stderr).toBe('');
  expect(silent.accepted()).toBe(3); // each model was asked for its columns
  // Each model waited SIDE_CONNECT_TIMEOUT_MS, all at once: before, each waited a run's 30 s, one after another.
  expect(tookMs).toBeGreaterThanOrEqual(SIDE_CONNECT_TIMEOUT_MS);
  expect(tookMs).toBeLessThan(CONNECT_TIMEOUT_MS);
}, 60_000);
