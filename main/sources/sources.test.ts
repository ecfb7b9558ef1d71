import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SluiceError } from '../../shared/ipc/errors';
import { tempWorkspace } from '../testing/temp';
import { createPeopleDb } from '../testing/model-db';
import { CsvReader, NdjsonReader } from './file-readers';
import type { ModelReader } from './reader';
import { SqliteReader } from './sqlite-reader';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir(): string {
  const ws = tempWorkspace();
  cleanups.push(ws.cleanup);
  return ws.dir;
}

async function all(reader: ModelReader) {
  const rows = [];
  for await (const batch of reader.batches(2)) rows.push(...batch);
  await reader.close();
  return rows;
}

describe('SQLite models', () => {
  it('reads typed rows in batches, keeping integers past 2^53 exact', async () => {
    const d = dir();
    const { file, db } = createPeopleDb(d, 3);
    db.exec("CREATE TABLE big (id INTEGER, n INTEGER, t TEXT); INSERT INTO big VALUES (1, 9007199254740993, 'ü ✓')");
    db.close();
    const people = new SqliteReader(file, 'SELECT id, name, score FROM people');
    expect(await people.columns()).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'name', type: 'text' },
      { name: 'score', type: 'real' },
    ]);
    expect((await all(people)).map((r) => r.row)).toEqual([
      { id: 1, name: 'person 1', score: 0.1 },
      { id: 2, name: 'person 2', score: 0.2 },
      { id: 3, name: 'person 3', score: 0.3 },
    ]);
    expect((await all(new SqliteReader(file, 'SELECT * FROM big')))[0]!.row).toEqual({ id: 1, n: '9007199254740993', t: 'ü ✓' });
  });

  it('says where a SQL error is: line and column', () => {
    const d = dir();
    const { file, db } = createPeopleDb(d, 1);
    db.close();
    const attempt = (sql: string) => {
      try {
        new SqliteReader(file, sql);
      } catch (err) {
        return (err as SluiceError).message;
      }
      return 'no error';
    };
    expect(attempt('SELECT id,\n  nme FROM people')).toBe('SQL error at line 2, column 3: no such column: nme');
    // "FORM" reads as an alias of id, so SQLite stumbles on the next word.
    expect(attempt('SELECT id\nFORM people')).toBe('SQL error at line 2, column 6: near "people": syntax error');
    expect(attempt('SELECT * FROM peeple')).toBe('SQL error at line 1, column 15: no such table: peeple');
    expect(attempt("UPDATE people SET name = 'x'")).toBe('The model query must return rows (a SELECT)');
    // It returns rows, and failed only when read: "attempt to write a readonly database".
    expect(attempt('DELETE FROM people WHERE id = 1 RETURNING id, name')).toBe(
      'The model query writes to the database (an INSERT, UPDATE or DELETE … RETURNING): a model only reads its rows; write a SELECT',
    );
  });

  it('names a missing file', () => {
    expect(() => new SqliteReader('/nowhere/x.sqlite', 'SELECT 1')).toThrow('The SQLite file /nowhere/x.sqlite does not exist');
  });

  it('says a path that is a folder is not a file (it said: disk I/O error)', () => {
    const folder = dir();
    expect(() => new SqliteReader(folder, 'SELECT 1')).toThrow(`The SQLite file ${folder} is a folder, not a file: give the path of the database file in it`);
  });

  it('says the file is locked by another writer, not that the SQL is wrong', () => {
    const file = path.join(dir(), 'locked.sqlite');
    const writer = new BetterSqlite3(file);
    cleanups.unshift(() => writer.close());
    writer.exec('PRAGMA journal_mode = DELETE; CREATE TABLE t (id INTEGER PRIMARY KEY); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)');
    let error: unknown;
    try {
      new SqliteReader(file, 'SELECT id FROM t');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SluiceError);
    expect((error as Error).message).toMatch(
      new RegExp(`^The SQLite file ${file} is locked by another process that is writing to it; Sluice waited 5 s\\. Let that program finish`),
    );
    expect((error as Error).message).not.toContain('SQL error');
    writer.exec('COMMIT');
    expect(() => new SqliteReader(file, 'SELECT id FROM t').close()).not.toThrow();
  });
});

describe('CSV models', () => {
  it('reads the header as columns, empty fields as null, with line numbers', async () => {
    const file = path.join(dir(), 'people.csv');
    fs.writeFileSync(file, '\uFEFFid,name,city\n1,Zoë,"Zürich, CH"\n2,,Berlin\n');
    const reader = new CsvReader(file);
    expect(await reader.columns()).toEqual([
      { name: 'id', type: 'text' },
      { name: 'name', type: 'text' },
      { name: 'city', type: 'text' },
    ]);
    expect(await all(new CsvReader(file))).toEqual([
      { rowNumber: 2, row: { id: '1', name: 'Zoë', city: 'Zürich, CH' } },
      { rowNumber: 3, row: { id: '2', name: null, city: 'Berlin' } },
    ]);
  });

  it('takes the columns of a file with a header and no rows yet from its header (an export with nothing in it today)', async () => {
    const file = path.join(dir(), 'none-yet.csv');
    fs.writeFileSync(file, '\uFEFFid,name,city\r\n');
    expect(await new CsvReader(file).columns()).toEqual([
      { name: 'id', type: 'text' },
      { name: 'name', type: 'text' },
      { name: 'city', type: 'text' },
    ]);
    expect(await all(new CsvReader(file))).toEqual([]);
    const empty = path.join(dir(), 'empty.csv');
    fs.writeFileSync(empty, '');
    expect(await new CsvReader(empty).columns()).toEqual([]);
  });

  it('gives each row the line it starts on, past quoted line breaks (CRLF ones too) and empty lines', async () => {
    const file = path.join(dir(), 'notes.csv');
    // Line 1 the header; 2–3 row 1 (a quoted CRLF); 4–5 empty; 6 row 2; 7–9 row 3 (two quoted breaks); 10 row 4.
    fs.writeFileSync(file, '\uFEFFid,note\r\n1,"Zürich\r\nAltstadt"\r\n\r\n\r\n2,Bern\r\n3,"a\nb\r\nc"\r\n4,Chur\r\n');
    expect((await all(new CsvReader(file))).map((r) => [r.row.id, r.rowNumber])).toEqual([
      ['1', 2],
      ['2', 6],
      ['3', 7],
      ['4', 10],
    ]);
    // LF line breaks, a header spanning two lines, a break in the last field, and rows on one line after them.
    fs.writeFileSync(file, 'id,"the\nnote"\n1,"a\nb"\n\n2,c\n3,d\n4,"e\r\nf\rg"\n5,h\n');
    expect((await all(new CsvReader(file))).map((r) => [r.row.id, r.rowNumber])).toEqual([
      ['1', 3],
      ['2', 6],
      ['3', 7],
      ['4', 8],
      ['5', 11],
    ]);
  });

  it("names the file and line of a malformed row, and what is wrong with it in words (not csv-parse's)", async () => {
    const d = dir();
    const csv = (name: string, text: string) => {
      const file = path.join(d, name);
      fs.writeFileSync(file, text);
      return file;
    };
    const extra = csv('extra.csv', 'id,name\n1,a\n2,b,extra\n');
    await expect(all(new CsvReader(extra))).rejects.toThrow(
      `${extra}, line 3: this row has 3 values but the header (line 1) has 2 columns (id, name): a value that holds a comma must be in double quotes ("…"), or the row has a value too many`,
    );
    const fewer = csv('fewer.csv', 'id;name;city\r\n1;a;x\r\n2\r\n');
    await expect(all(new CsvReader(fewer, ';'))).rejects.toThrow(
      `${fewer}, line 3: this row has 1 value but the header (line 1) has 3 columns (id, name, city): give every column a value (an empty one is null)`,
    );
    // Far into the file, after empty lines and values spanning lines (a quoted CRLF, which csv-parse counts
    // as two lines): the row's own line, though the parser stops thousands of rows ahead of what was read.
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},n${i}`).join('\n');
    const far = csv('far.csv', `id,name\n1,"a\r\nb"\n\n${rows}\n2,"x\ny",z\n`);
    await expect(all(new CsvReader(far))).rejects.toThrow(`${far}, line 5005: this row has 3 values but the header (line 1) has 2 columns`);
    const open = csv('open.csv', 'id,name\n1,a\n2,"b\nc\n3,d\n');
    await expect(all(new CsvReader(open))).rejects.toThrow(
      `${open}, line 3: a quoted value (in the column "name") starts on this row and is never closed, so the rest of the file is read as that value; end it with a quote (") and write each quote inside it twice ("")`,
    );
    const closing = csv('closing.csv', 'id,name\n1,a\n2,"b"x\n');
    await expect(all(new CsvReader(closing))).rejects.toThrow(
      `${closing}, line 3: in the column "name", a quoted value's closing quote is followed by "x" instead of the delimiter or the end of the line; write each quote inside a quoted value twice ("")`,
    );
    const inside = csv('inside.csv', 'id,name\n1,a\n2,b"x"\n');
    await expect(all(new CsvReader(inside))).rejects.toThrow(
      `${inside}, line 3: in the column "name", a quote (") comes after the value's start ("b…"); put the whole value in quotes and write each quote inside it twice ("")`,
    );
  });

  it('refuses a header that names a column twice, or leaves one unnamed (a row could keep only one value)', async () => {
    const d = dir();
    const twice = path.join(d, 'twice.csv');
    fs.writeFileSync(twice, 'id,email,name,email\n1,a@x,A,b@x\n');
    await expect(all(new CsvReader(twice))).rejects.toThrow('twice.csv, line 1: the header names "email" twice (columns 2 and 4); rename one of them');
    const unnamed = path.join(d, 'unnamed.csv');
    fs.writeFileSync(unnamed, 'id,,name\n1,x,A\n');
    await expect(all(new CsvReader(unnamed))).rejects.toThrow('unnamed.csv, line 1: column 2 of the header has no name; name every column');
  });

  it('keeps a column named __proto__ as a column', async () => {
    const file = path.join(dir(), 'proto.csv');
    fs.writeFileSync(file, 'id,__proto__\n1,x\n');
    const [row] = await all(new CsvReader(file));
    expect(Object.keys(row!.row)).toEqual(['id', '__proto__']);
    expect(row!.row['__proto__']).toBe('x');
  });
});

describe('NDJSON models', () => {
  it('reads one object per line, nested values kept, types inferred', async () => {
    const file = path.join(dir(), 'events.ndjson');
    fs.writeFileSync(file, '{"id": 1, "props": {"a": [1, 2]}, "ok": true}\n\n{"id": 2, "props": null, "ok": false}\n');
    const reader = new NdjsonReader(file);
    expect(await reader.columns()).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'props', type: 'json' },
      { name: 'ok', type: 'boolean' },
    ]);
    expect((await all(new NdjsonReader(file))).map((r) => [r.rowNumber, r.row])).toEqual([
      [1, { id: 1, props: { a: [1, 2] }, ok: true }],
      [3, { id: 2, props: null, ok: false }],
    ]);
  });

  it('a field a line leaves out is null in that row as previews and templates see it (batches), and absent as a run stores it (storedBatches)', async () => {
    const file = path.join(dir(), 'sparse.ndjson');
    fs.writeFileSync(file, '{"id": 1, "email": "a@x", "constructor": 1, "__proto__": 2}\n{"id": 2}\n{"id": 3, "extra": true}\n');
    expect((await new NdjsonReader(file).columns()).map((c) => c.name)).toEqual(['id', 'email', 'constructor', '__proto__', 'extra']);
    const filled = (await all(new NdjsonReader(file))).map((r) => r.row);
    expect(filled.map((row) => Object.entries(row))).toEqual([
      [
        ['id', 1],
        ['email', 'a@x'],
        ['constructor', 1],
        ['__proto__', 2],
        ['extra', null],
      ],
      [
        ['id', 2],
        ['email', null],
        ['constructor', null],
        ['__proto__', null],
        ['extra', null],
      ],
      [
        ['id', 3],
        ['extra', true],
        ['email', null],
        ['constructor', null],
        ['__proto__', null],
      ],
    ]);
    const stored: Record<string, unknown>[] = [];
    for await (const batch of new NdjsonReader(file).storedBatches()) stored.push(...batch.map((b) => b.row));
    expect(stored.map((row) => Object.keys(row))).toEqual([['id', 'email', 'constructor', '__proto__'], ['id'], ['id', 'extra']]);
  });

  it('names the line that is not JSON, or not an object', async () => {
    const d = dir();
    const bad = path.join(d, 'bad.ndjson');
    fs.writeFileSync(bad, '{"id": 1}\n{"id": 2,}\n');
    // Where in the line and why, in the template errors' words (not JSON.parse's "Expected double-quoted property name in JSON at position 9").
    await expect(all(new NdjsonReader(bad))).rejects.toThrow(`${bad}, line 2 is not valid JSON: expected a "quoted" key, found "}" at column 10`);
    fs.writeFileSync(bad, '{"id": 1}\n\n{"id": 3, "name": ann}\n');
    await expect(all(new NdjsonReader(bad))).rejects.toThrow(`${bad}, line 3 is not valid JSON: unexpected "ann" at column 19`);
    // Characters no one sees are named (they read 'unexpected "" at column 1'): a byte-order mark where two files were joined, a zero-width space.
    fs.writeFileSync(bad, '{"id": 1}\n\uFEFF{"id": 2}\n');
    await expect(all(new NdjsonReader(bad))).rejects.toThrow(`${bad}, line 2 is not valid JSON: unexpected byte-order mark (U+FEFF) at column 1`);
    fs.writeFileSync(bad, '{"id": 1, "n": \u200B2}\n');
    await expect(all(new NdjsonReader(bad))).rejects.toThrow(`${bad}, line 1 is not valid JSON: unexpected "<U+200B>2" at column 16`);
    const array = path.join(d, 'array.ndjson');
    fs.writeFileSync(array, '[1, 2]\n');
    await expect(all(new NdjsonReader(array))).rejects.toThrow(/array\.ndjson, line 1 is not a JSON object/);
  });

  it('keeps integers past 2^53 exact (as text, like SQL sources), so two such keys never become one', async () => {
    const file = path.join(dir(), 'big.ndjson');
    fs.writeFileSync(
      file,
      '{"id": 9007199254740993, "n": {"deep": [12345678901234567890]}, "f": 0.1234567890123456}\n{"id": 9007199254740991, "__proto__": 1}\n',
    );
    const rows: Record<string, unknown>[] = []; // as the run stores them (batches adds the columns a line leaves out)
    for await (const batch of new NdjsonReader(file).storedBatches()) rows.push(...batch.map((b) => b.row));
    expect(rows[0]).toEqual({ id: '9007199254740993', n: { deep: ['12345678901234567890'] }, f: 0.1234567890123456 });
    expect(rows[1]!.id).toBe(9007199254740991);
    expect(Object.keys(rows[1]!)).toEqual(['id', '__proto__']);
  });

  it('reads values nested 1,000 levels deep and names the line of one nested deeper (a run failed: "Maximum call stack size exceeded")', async () => {
    const file = path.join(dir(), 'deep.ndjson');
    const nested = (levels: number, inner: string) => `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;
    // With a number past 2^53 (read keeping its text) and without (read by JSON.parse).
    for (const inner of ['12345678901234567890', '7']) {
      fs.writeFileSync(file, `{"id": 1, "doc": ${nested(999, inner)}}\n`);
      const { row } = (await all(new NdjsonReader(file)))[0]!;
      expect(JSON.stringify(row.doc)).toBe(nested(999, inner.length > 1 ? `"${inner}"` : inner));
      fs.writeFileSync(file, `{"id": 1, "doc": 1}\n{"id": 2, "doc": ${nested(5000, inner)}}\n`);
      await expect(all(new NdjsonReader(file))).rejects.toThrow(/^\/.*deep\.ndjson, line 2: .*nested deeper than 1,000 levels/);
    }
  });
});
