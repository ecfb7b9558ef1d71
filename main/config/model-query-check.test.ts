import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { runSluice } from '../testing/cli-process';
import { tempWorkspace } from '../testing/temp';

// `sluice apply` took a SQL model the app's Save refuses — a query with a syntax error, a primary key naming a
// column the query does not return — exit 0; each run of it then failed (the syntax error's message naming
// neither the model nor the file). Refused now before anything is written, naming the file's line and the model.

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A workspace with a real SQLite file (table m: n 1, 2) and `apply(models)`, which applies a file with that source and `models`. */
function setup() {
  const t = tempWorkspace();
  cleanups.push(t.cleanup);
  const db = path.join(t.dir, 'calc.sqlite');
  const sqlite = new BetterSqlite3(db);
  sqlite.exec('CREATE TABLE m (n INTEGER); INSERT INTO m VALUES (1), (2);');
  sqlite.close();
  const yaml = path.join(t.dir, 'w.yaml');
  const state = path.join(t.dir, 'state');
  const apply = (models: string, sourcePath = db) => {
    fs.writeFileSync(yaml, `version: 1\nsources:\n  - { kind: sqlite, name: a, path: ${JSON.stringify(sourcePath)} }\nmodels:\n${models}\n`);
    return runSluice(['--workspace', state, '--no-demo', 'apply', '-f', yaml]);
  };
  const exported = async () => (await runSluice(['--workspace', state, '--no-demo', 'export'])).stdout;
  return { dir: t.dir, yaml, apply, exported };
}

it('refuses a query with a SQL error, naming the file, the line, the model and where in the query; nothing is applied', async () => {
  const { yaml, apply, exported } = setup();
  const refused = await apply(
    '  - { name: fine, source: a, query: "SELECT n FROM m", primaryKey: [n] }\n  - { name: typo, source: a, query: "SELEC n FROM m", primaryKey: [n] }',
  );
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toContain(`${yaml}, models[1] (line 6): The query of model "typo": SQL error at line 1, column 1: near "SELEC": syntax error`);
  expect(await exported()).not.toMatch(/name: (a|fine|typo)\b/);
});

// A SQLite source that is a named pipe blocked the open until something wrote to it: `sluice apply` (and
// the app's engine, on its one thread) hung. Not a file to judge here (as one not there yet), its runs say so.
it('takes a SQLite source that is a named pipe (or a device) at once, and its run says in words it is not a file', async () => {
  const { dir, yaml } = setup();
  const pipe = path.join(dir, 'rows.fifo');
  execFileSync('mkfifo', [pipe]);
  for (const file of [pipe, '/dev/zero']) {
    const state = path.join(dir, `state-${path.basename(file)}`);
    fs.writeFileSync(
      yaml,
      `version: 1
sources: [{ kind: sqlite, name: a, path: ${JSON.stringify(file)} }]
models: [{ name: m, source: a, query: "SELECT 1 AS id", primaryKey: [id] }]
destinations: [{ kind: sandbox-kinesis, name: sb, stream: s }]
syncs: [{ name: s, model: m, destination: sb, triggers: [added], payload: { mode: template, template: '{"id": {{ row.id }}}' } }]
`,
    );
    expect((await runSluice(['--workspace', state, '--no-demo', 'apply', '-f', yaml])).status).toBe(0);
    const run = await runSluice(['--workspace', state, 'sync', 'run', 's']);
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain(
      `The SQLite file ${file} is not a regular file (a named pipe, socket or device): give the path of the database file`,
    );
  }
}, 120_000);

it('refuses a primary key naming a column the query does not return, naming the model and its columns', async () => {
  const { yaml, apply, exported } = setup();
  const refused = await apply('  - { name: nokey, source: a, query: "SELECT n FROM m", primaryKey: [id] }');
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toContain(
    `${yaml}, models[0] (line 5): The primary key of model "nokey" names "id", which its query does not return (its columns: n)`,
  );
  expect(await exported()).not.toMatch(/name: (a|nokey)\b/);
  // The key mended, the same file applies.
  const applied = await apply('  - { name: nokey, source: a, query: "SELECT n FROM m", primaryKey: [n] }');
  expect(applied.stderr).toBe('');
  expect(applied.status).toBe(0);
  // A key changed alone, on a model saved before, is checked again.
  const changed = await apply('  - { name: nokey, source: a, query: "SELECT n FROM m", primaryKey: [x] }');
  expect(changed.stderr).toContain('The primary key of model "nokey" names "x"');
  expect(await exported()).toContain('- n');
});

it('applies a model whose source file is not there yet, as before (its run says what is wrong)', async () => {
  const { dir, apply, exported } = setup();
  const applied = await apply('  - { name: later, source: a, query: "SELEC broken", primaryKey: [id] }', path.join(dir, 'not-yet.sqlite'));
  expect(applied.stderr).toBe('');
  expect(applied.status).toBe(0);
  expect(await exported()).toContain('name: later');
});

it('a DuckDB model: a syntax error is refused; a query of a file not there yet is applied as before', async () => {
  const { dir, yaml } = setup();
  const state = path.join(dir, 'duck-state');
  const apply = (query: string) => {
    fs.writeFileSync(
      yaml,
      `version: 1\nsources:\n  - { kind: duckdb, name: d }\nmodels:\n  - { name: q, source: d, query: ${JSON.stringify(query)}, primaryKey: [id] }\n`,
    );
    return runSluice(['--workspace', state, '--no-demo', 'apply', '-f', yaml]);
  };
  const refused = await apply('SELEC 1 AS id');
  expect(refused.stderr).toContain(`${yaml}, models[0] (line 5): The query of model "q": SQL error at line 1, column 7: DuckDB: Parser Error`);
  expect(refused.status).not.toBe(0);
  const later = await apply(`SELECT * FROM read_csv(${"'"}${path.join(dir, 'not-yet.csv')}')`);
  expect(later.stderr).toBe('');
  expect(later.status).toBe(0);
});

it("refuses a CSV model whose primary key names a column its file's header does not have; a file with no header yet is applied", async () => {
  const { dir, yaml } = setup();
  const csv = path.join(dir, 'people.csv');
  fs.writeFileSync(csv, 'id,name\n1,Ada\n');
  const state = path.join(dir, 'csv-state');
  const apply = (file: string, key: string) => {
    fs.writeFileSync(
      yaml,
      `version: 1\nsources:\n  - { kind: csv, name: f, path: ${JSON.stringify(file)} }\nmodels:\n  - { name: people, source: f, primaryKey: [${key}] }\n`,
    );
    return runSluice(['--workspace', state, '--no-demo', 'apply', '-f', yaml]);
  };
  const refused = await apply(csv, 'email');
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toContain(
    `${yaml}, models[0] (line 5): The primary key of model "people" names "email", which its file's header does not have (its columns: id, name): name columns of the file's header, or add it to the file`,
  );
  expect((await apply(csv, 'id')).status).toBe(0);
  // A header that reads as the key but holds a character no one sees (a zero-width space pasted in): said so, with
  // the character shown (it listed "(its columns: \u200Bid, name)", the key's very name to the eye).
  const pasted = path.join(dir, 'pasted.csv');
  fs.writeFileSync(pasted, '\u200Bid,name\n1,Ada\n');
  const lookalike = await apply(pasted, 'id');
  expect(lookalike.status).not.toBe(0);
  expect(lookalike.stderr).toContain(
    `or add it to the file. The column "<U+200B>id" reads as "id" but holds a character no one sees: rename it where the model's columns are named (the file's header, the query)`,
  );
  // A header the parser refuses (a stray quote in a name): every run failed on it, while apply took it.
  const quoted = path.join(dir, 'quoted.csv');
  fs.writeFileSync(quoted, 'id,na"me\n1,Ada\n');
  const header = await apply(quoted, 'id');
  expect(header.status).not.toBe(0);
  expect(header.stderr).toContain(
    `${yaml}, models[0] (line 5): Model "people" reads ${quoted}, line 1: in column 2, a quote (") comes after the value's start ("na…"); put the whole value in quotes and write each quote inside it twice ("")`,
  );
  const empty = path.join(dir, 'empty.csv');
  fs.writeFileSync(empty, '');
  expect((await apply(empty, 'email')).status).toBe(0);
});

it('refuses an NDJSON model whose primary key names a field no line of its file has, naming the model, the key and the file; an empty or missing file is applied', async () => {
  const { dir, yaml } = setup();
  const ndjson = path.join(dir, 'people.ndjson');
  fs.writeFileSync(ndjson, '{"id":1,"name":"Ada"}\n{"id":2,"name":"Grace","email":"g@example.com"}\n');
  const state = path.join(dir, 'ndjson-state');
  const apply = (file: string, key: string) => {
    fs.writeFileSync(
      yaml,
      `version: 1\nsources:\n  - { kind: ndjson, name: f, path: ${JSON.stringify(file)} }\nmodels:\n  - { name: people, source: f, primaryKey: [${key}] }\n`,
    );
    return runSluice(['--workspace', state, '--no-demo', 'apply', '-f', yaml]);
  };
  const refused = await apply(ndjson, 'uid');
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toContain(
    `${yaml}, models[0] (line 5): The primary key of model "people" names "uid", which no line of its file ${ndjson} has (the fields of any of its first 2 lines: id, name, email): name fields of the file's lines, or add it to them`,
  );
  expect((await runSluice(['--workspace', state, '--no-demo', 'export'])).stdout).not.toMatch(/name: people\b/);
  // A field some line has (a line leaving it out has it null) is a key the file can have.
  expect((await apply(ndjson, 'id')).status).toBe(0);
  expect((await apply(ndjson, 'email')).status).toBe(0);
  // Only the first lines are read (as the model's columns are): a key first given past them is refused.
  const long = path.join(dir, 'long.ndjson');
  fs.writeFileSync(long, `${'{"id":1}\n'.repeat(1000)}{"id":2,"late":1}\n`);
  expect((await apply(long, 'late')).stderr).toContain('names "late", which no line of its file');
  const empty = path.join(dir, 'empty.ndjson');
  fs.writeFileSync(empty, '');
  expect((await apply(empty, 'uid')).status).toBe(0);
  const missing = await apply(path.join(dir, 'not-yet.ndjson'), 'uid');
  expect(missing.stderr).toBe('');
  expect(missing.status).toBe(0);
});
