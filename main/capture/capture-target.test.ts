// Capture into an existing SQLite file: only a new or empty file, or one a Sluice capture made, is written;
// any other database (a user's own, Sluice's workspace, a model's source) or a file that is no SQLite
// database is refused, naming it and what to do, and left byte for byte as it was, with nothing beside it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { callChannel } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { tempWorkspace } from '../testing/temp';
import { openCaptureSink, type CapturedRow } from './capture-sink';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function folder(): string {
  const ws = tempWorkspace('sluice-capture-target-');
  cleanups.push(ws.cleanup);
  return ws.dir;
}

/**
 * Every entry of the folder with a hash of its bytes: what "left as it was" compares. A -shm file counts by
 * its presence only: it is SQLite's shared memory, which every reader of a database open elsewhere writes to.
 */
function contents(dir: string): Map<string, string> {
  const digest = (name: string) => {
    const full = path.join(dir, name);
    if (fs.statSync(full).isDirectory()) return 'folder';
    return name.endsWith('-shm') ? 'shared memory' : createHash('sha256').update(fs.readFileSync(full)).digest('hex');
  };
  return new Map(
    fs
      .readdirSync(dir)
      .sort()
      .map((name) => [name, digest(name)]),
  );
}

const row = (sequence: string): CapturedRow => ({
  stream: 's',
  shard: 'shard-0',
  sequence,
  partitionKey: 'k',
  data: `record ${sequence}`,
  dataIsBase64: false,
  arrivalTimestamp: null,
  ingestionTimestamp: new Date().toISOString(),
});

/** Opens the file as a capture, writes one record with its checkpoint, closes it. */
function captureInto(file: string, sequence: string): void {
  const sink = openCaptureSink(file);
  try {
    sink.write('kinesis:s', 'shard-0', [row(sequence)], { last: sequence, since: null, finished: false });
  } finally {
    sink.close();
  }
}

function sequences(file: string): string[] {
  const db = new Sqlite(file, { readonly: true });
  try {
    return (db.prepare('SELECT sequence FROM captured_records ORDER BY id').all() as { sequence: string }[]).map((r) => r.sequence);
  } finally {
    db.close();
  }
}

/** Expects capturing into `file` to be refused with `why`, and the folder's files to be exactly as before. */
function expectRefused(file: string, why: RegExp): void {
  const before = contents(path.dirname(file));
  let error: unknown;
  try {
    openCaptureSink(file).close();
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).toContain(`Cannot capture into ${file}: `);
  expect(message).toMatch(why);
  expect(message).toContain('Choose a new file, or a SQLite file Sluice captured into before.');
  expect(contents(path.dirname(file))).toEqual(before);
}

describe('capturing into an existing SQLite file', () => {
  it("refuses a user's own database, in rollback or WAL mode, naming its tables, and leaves it byte for byte (no WAL switch, no table, no -wal or -shm)", () => {
    const dir = folder();
    const rollback = path.join(dir, 'analytics.db');
    const db = new Sqlite(rollback);
    db.exec("CREATE TABLE visits (day TEXT, n INTEGER); INSERT INTO visits VALUES ('2024-01-01', 3); CREATE VIEW busy AS SELECT * FROM visits WHERE n > 2");
    db.close();
    expectRefused(rollback, /it is a SQLite database that holds table "visits" and view "busy", which no Sluice capture makes/);
    expect(fs.readFileSync(rollback).readUInt16BE(18)).toBe(0x0101); // still a rollback-journal database

    // A WAL database closed cleanly: SQLite, even read-only, would leave -wal and -shm beside it.
    const walDir = folder();
    const wal = path.join(walDir, 'events.sqlite');
    const w = new Sqlite(wal);
    w.pragma('journal_mode = WAL');
    w.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT)');
    w.close();
    expect(fs.readdirSync(walDir)).toEqual(['events.sqlite']);
    expectRefused(wal, /holds table "events"/);

    // A model's source file, and one whose schema fills more than its first page.
    const people = createPeopleDb(dir, 3, 'people.sqlite');
    people.db.close();
    expectRefused(people.file, /holds table "people"/);
    const big = new Sqlite(path.join(dir, 'big.sqlite'));
    for (let i = 0; i < 200; i++) big.exec(`CREATE TABLE a_table_with_a_long_name_${i} (alpha TEXT, beta TEXT, gamma TEXT, delta INTEGER PRIMARY KEY)`);
    big.close();
    expectRefused(path.join(dir, 'big.sqlite'), /it is a SQLite database with more in it than a Sluice capture makes/);
  });

  it('refuses a database another connection has open (read through its log), and leaves the file and its log as they were', () => {
    const dir = folder();
    const file = path.join(dir, 'live.sqlite');
    const other = new Sqlite(file);
    cleanups.push(() => void other.close());
    other.pragma('journal_mode = WAL');
    other.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY); INSERT INTO orders VALUES (1)'); // in the log, not yet in the file
    expectRefused(file, /holds table "orders"/);
    expect(other.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all()).toEqual([{ name: 'orders' }]);
  });

  it('looks through a symlink at the file it names, with the log beside that file: a database open elsewhere is refused naming its tables, and left as it was', () => {
    const dir = folder();
    const file = path.join(dir, 'live.sqlite');
    const other = new Sqlite(file);
    cleanups.push(() => void other.close());
    other.pragma('journal_mode = WAL');
    other.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY); INSERT INTO orders VALUES (1)'); // in the log beside the real file only
    const links = folder();
    const link = path.join(links, 'link.sqlite');
    fs.symlinkSync(file, link);
    const before = contents(dir);
    // Read from its first page alone, the file looked like a SQLite file without tables: refused for the wrong reason, or (empty) taken.
    expectRefused(link, /holds table "orders"/);
    expect(contents(dir)).toEqual(before);
    expect(other.prepare('SELECT COUNT(*) AS n FROM orders').get()).toEqual({ n: 1 });
  });

  it('refuses a file that is not SQLite, a SQLite file with no capture tables or with a captured_records table of its own, and a folder', () => {
    const dir = folder();
    const text = path.join(dir, 'notes.sqlite');
    fs.writeFileSync(text, 'this is not a database, it is plain text and long enough to look like a header of something');
    expectRefused(text, /it is not a SQLite database/);
    fs.writeFileSync(path.join(dir, 'short.db'), 'tiny');
    expectRefused(path.join(dir, 'short.db'), /it is not a SQLite database/);

    const empty = path.join(dir, 'settings.db');
    const e = new Sqlite(empty);
    e.pragma('user_version = 7');
    e.close();
    expectRefused(empty, /it is a SQLite database without the tables of a Sluice capture/);

    const lookalike = path.join(dir, 'lookalike.sqlite');
    const l = new Sqlite(lookalike);
    l.exec('CREATE TABLE captured_records (id INTEGER PRIMARY KEY, stream TEXT)');
    l.close();
    expectRefused(lookalike, /its table captured_records has no column shard, so no Sluice capture made it/);

    fs.mkdirSync(path.join(dir, 'folder.sqlite'));
    expectRefused(path.join(dir, 'folder.sqlite'), /it is a folder/);
  });

  it('captures into a new file and an empty one, and again into a file it captured into (resuming from its checkpoint), also with an index added by hand or while another capture has it open', () => {
    const dir = folder();
    const fresh = path.join(dir, 'fresh.sqlite');
    captureInto(fresh, '1');
    captureInto(fresh, '2');
    expect(sequences(fresh)).toEqual(['1', '2']);
    const sink = openCaptureSink(fresh);
    expect(sink.checkpoints('kinesis:s').get('shard-0')).toEqual({ last: '2', since: null, finished: false });
    // Another capture into the same file while this one has it open (its -wal and -shm are there).
    captureInto(fresh, '3');
    sink.close();
    expect(sequences(fresh)).toEqual(['1', '2', '3']);

    const byHand = new Sqlite(fresh);
    byHand.exec('CREATE INDEX by_stream ON captured_records (stream)');
    byHand.close();
    captureInto(fresh, '4');
    expect(sequences(fresh)).toEqual(['1', '2', '3', '4']);

    const empty = path.join(dir, 'empty.sqlite');
    fs.writeFileSync(empty, '');
    captureInto(empty, '1');
    expect(sequences(empty)).toEqual(['1']);
  });

  it("the app's capture refuses Sluice's own workspace database and a model's source file, and captures into a new file", async () => {
    const t = await openTestEngine();
    cleanups.push(t.close);
    const people = createPeopleDb(t.dir, 3, 'people.sqlite');
    people.db.close();
    t.engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 'target-test', shards: 1 });
    const workspaceDb = t.engine.db.name;
    expect(path.basename(workspaceDb)).toBe('sluice.db');
    const start = (file: string) => callChannel(t.engine, 'startCapture', { destination: 'sandbox', file, mode: 'until-caught-up' });

    await expect(start(workspaceDb)).rejects.toThrow(`Cannot capture into ${workspaceDb}: it is a SQLite database`);
    expect(t.engine.db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name LIKE '%capture%'").get()).toEqual({ n: 0 });

    const before = fs.readFileSync(people.file);
    await expect(start(people.file)).rejects.toThrow(/Cannot capture into .*people\.sqlite: it is a SQLite database that holds table "people"/);
    expect(fs.readFileSync(people.file).equals(before)).toBe(true);
    expect(fs.existsSync(`${people.file}-wal`) || fs.existsSync(`${people.file}-shm`)).toBe(false);

    const fresh = path.join(t.dir, 'capture.sqlite');
    const s = await start(fresh);
    const deadline = Date.now() + 30_000;
    let state = s.state;
    while (state === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      state = (await callChannel(t.engine, 'listCaptures', {})).find((c) => c.id === s.id)!.state;
    }
    expect(state).toBe('done');
    expect(sequences(fresh)).toEqual([]);
  }, 60_000);
});
