import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../shared/config/source';
import { openTestEngine } from '../testing/engine';
import Database from 'better-sqlite3';
import { CsvReader, NdjsonReader } from '../sources/file-readers';
import { SqliteReader } from '../sources/sqlite-reader';
import { checkKeys } from './model-key-check';
import type { ModelReader } from '../sources/reader';
import { putCsvModel } from '../testing/sandbox-sync';

function reader(rows: Row[]): ModelReader {
  return {
    columns: async () => Object.keys(rows[0] ?? {}).map((name) => ({ name, type: 'any' })),
    async *batches() {
      yield rows.map((row, i) => ({ rowNumber: i + 1, row }));
    },
    close: async () => undefined,
  };
}

let workspace: Awaited<ReturnType<typeof openTestEngine>>;
beforeAll(async () => {
  workspace = await openTestEngine({ seedDemo: false });
});
afterAll(() => workspace.close());
const at = () => ({ stateFile: workspace.engine.db.name, model: 'm' });

describe('the key check', () => {
  it('counts a composite key per pair, and names a null part', async () => {
    const check = await checkKeys(
      reader([
        { tenant: 1, order: 'A' },
        { tenant: 1, order: 'B' },
        { tenant: 1, order: 'A' },
        { tenant: 2, order: null },
      ]),
      ['tenant', 'order'],
      at(),
    );
    expect(check).toMatchObject({
      rows: 4,
      unique: false,
      duplicateKeys: 1,
      duplicateRows: 2,
      nullRows: 1,
      examples: ['2 rows have tenant 1 and order A', '1 row has a null order'],
    });
    expect(check.message).toBe(
      '1 tenant + order value is shared by 2 rows; 1 row has a null tenant or order (of 4 rows): a run would reject those rows. Choose a key that is unique and never null, or fix the data.',
    );
  });

  it("keeps at most five duplicate examples; 1 and '1' are one key, as a run's text key sees them", async () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ id: i % 8 }));
    const check = await checkKeys(reader(rows), ['id'], at());
    expect(check.duplicateKeys).toBe(8);
    expect(check.examples).toHaveLength(5);
    expect((await checkKeys(reader([{ id: 1 }, { id: '1' }]), ['id'], at())).unique).toBe(false);
  });

  it('a SQLite model is staged as a run stages it: its duplicates and null parts counted, with examples', async () => {
    const file = path.join(workspace.dir, 'orders.sqlite');
    const db = new Database(file);
    db.exec(`CREATE TABLE orders (tenant INTEGER, code TEXT, total REAL);
      INSERT INTO orders VALUES (1, 'A', 1.5), (1, 'B', 2), (1, 'A', 3), (2, NULL, 4), (NULL, 'C', 5), (1, 'A', 6), (3, 'x', 7), (3, 'x', 8);`);
    db.close();
    const reader = new SqliteReader(file, 'SELECT tenant, code, total FROM orders ORDER BY total');
    expect(reader.stagesInSqlite()).toBe(true);
    const check = await checkKeys(reader, ['tenant', 'code'], at());
    expect(check).toMatchObject({
      rows: 8,
      unique: false,
      duplicateKeys: 2,
      duplicateRows: 5,
      nullRows: 2,
      examples: ['3 rows have tenant 1 and code A', '2 rows have tenant 3 and code x', '2 rows have a null tenant or code'],
    });
    await reader.close();
    const after = new Database(file, { readonly: true });
    expect(after.prepare('SELECT COUNT(*) AS n FROM orders').get()).toEqual({ n: 8 }); // the model's file as it was
    after.close();
  });

  it('writes its counts with thousands separators, as the app and the CLI write numbers', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => ({ id: i }));
    expect((await checkKeys(reader(rows), ['id'], at())).message).toBe('1,200 rows, each with its own id: the key is unique');
    const shared = Array.from({ length: 2400 }, (_, i) => ({ id: i % 1200 }));
    expect((await checkKeys(reader(shared), ['id'], at())).message).toMatch(/^1,200 id values are shared by 2,400 rows \(of 2,400 rows\)/);
  });

  it('an empty model has a unique key', async () => {
    expect(await checkKeys({ ...reader([]), columns: async () => [{ name: 'id', type: 'integer' }] }, ['id'], at())).toMatchObject({
      rows: 0,
      unique: true,
      message: '0 rows, each with its own id: the key is unique',
    });
  });
});

describe('a CSV source whose delimiter is not its file’s', () => {
  it('says so where the key is not found, the check and the run alike', async () => {
    const t = await openTestEngine({ seedDemo: false });
    try {
      const csv = path.join(t.dir, 'people.csv');
      fs.writeFileSync(csv, 'id,name,city\n1,Ada,Bern\n');
      const hint = "The model has one column, its header's whole line: if it reads a CSV file, set its source's delimiter to the file's (Comma ,)";
      await expect(checkKeys(new CsvReader(csv, ';'), ['id'], at())).rejects.toThrow(`The model has no column "id" (its columns: id,name,city). ${hint}`);

      const { engine } = t;
      putCsvModel(engine, t.dir, { model: 'people', text: 'id,name,city\n1,Ada,Bern\n', stream: 'key-check-delimiter', delimiter: ';' });
      engine.catalog.putSync({
        name: 'p',
        model: 'people',
        destination: 'sb',
        triggers: ['added'],
        payload: { mode: 'mapping', fields: [{ column: 'id', key: 'id' }] },
      });
      const run = await engine.runSync('p');
      expect(run.error).toContain(`not in model "people" (its columns: id,name,city). ${hint}`);
    } finally {
      await t.close();
    }
  });
});

describe('a key column that reads as a column of the model but is not', () => {
  it('the check and the run say which column and what it holds (a zero-width space pasted in)', async () => {
    const t = await openTestEngine({ seedDemo: false });
    try {
      const csv = path.join(t.dir, 'sheet.csv');
      fs.writeFileSync(csv, '\u200Bid,name\n1,Ada\n');
      // It listed "(its columns: \u200Bid, name)": the key's very name to the eye.
      await expect(checkKeys(new CsvReader(csv, ','), ['id'], at())).rejects.toThrow(
        'The model has no column "id" (its columns: \u200Bid, name). The column "<U+200B>id" reads as "id" but holds a character no one sees: rename it',
      );
      const { engine } = t;
      putCsvModel(engine, t.dir, { model: 'people', text: '\u200Bid,name\n1,Ada\n', stream: 'key-check-lookalike' });
      engine.catalog.putSync({
        name: 'p',
        model: 'people',
        destination: 'sb',
        triggers: ['added'],
        payload: { mode: 'mapping', fields: [{ column: 'name', key: 'name' }] },
      });
      const run = await engine.runSync('p');
      expect(run.error).toContain('. The column "<U+200B>id" reads as "id" but holds a character no one sees: rename it');
    } finally {
      await t.close();
    }
  });
});

describe('a model whose key column the source no longer has', () => {
  it('a run names the model and says what to do', async () => {
    const t = await openTestEngine({ seedDemo: false });
    try {
      const { engine } = t;
      const csv = putCsvModel(engine, t.dir, { model: 'people', text: 'id,name\n1,Ada\n', stream: 'key-gone' });
      engine.catalog.putSync({
        name: 'p',
        model: 'people',
        destination: 'sb',
        triggers: ['added'],
        payload: { mode: 'mapping', fields: [{ column: 'name', key: 'name' }] },
      });
      // The file exported again, its header renamed.
      fs.writeFileSync(csv, 'ID,name\n1,Ada\n');
      const run = await engine.runSync('p');
      // Before: 'The primary-key column "id" is not in the model (its columns: ID, name)', naming no model and no way out.
      expect(run.error).toBe(
        'The primary-key column "id" is not in model "people" (its columns: ID, name). Choose its primary key again among them (Models → people → Edit), or give the source its column back',
      );
    } finally {
      await t.close();
    }
  });
});

describe('an NDJSON file the reader refuses past the lines the columns are read from', () => {
  it('refuses the key check too: a lone surrogate escape, a field given twice (each was checked and sent as another key, without a word)', async () => {
    const dir = fs.mkdtempSync(path.join(path.dirname(workspace.engine.db.name), 'nd-'));
    const lines = Array.from({ length: 1500 }, (_, i) => `{"id":"k${i + 1}","v":${i}}`);
    const cases: [string, string, RegExp][] = [
      ['lone.ndjson', '{"id":"\\ud800","v":0}', /lone\.ndjson, line 1501 is not UTF-8 text \(the escape \\ud800 /],
      ['dup.ndjson', '{"id":"k1","id":"k2"}', /dup\.ndjson, line 1501 gives the field "id" twice/],
    ];
    for (const [name, bad, words] of cases) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, [...lines, bad, ''].join('\n'));
      await expect(checkKeys(new NdjsonReader(file), ['id'], at())).rejects.toThrow(words);
    }
  });
});
