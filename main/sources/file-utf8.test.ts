import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../testing/temp';
import { CsvReader, NdjsonReader } from './file-readers';
import type { ModelReader } from './reader';

// A model file that is not UTF-8 (Latin-1 bytes an old export wrote) is refused naming its line: decoded
// as it was, each such byte became U+FFFD and the rows were previewed, key-checked and sent so, without a word.

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function file(name: string, bytes: Buffer | string): string {
  const ws = tempWorkspace();
  cleanups.push(ws.cleanup);
  const f = path.join(ws.dir, name);
  fs.writeFileSync(f, bytes);
  return f;
}

async function all(reader: ModelReader) {
  const rows = [];
  try {
    for await (const batch of reader.batches(1000)) rows.push(...batch);
  } finally {
    await reader.close();
  }
  return rows;
}

const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('a model file that is not UTF-8', () => {
  it('CSV: refused naming the line and the byte, and saying to re-save it as UTF-8 (preview columns, and every read)', async () => {
    const csv = file('people.csv', latin1('id,name\n1,été\n'));
    const words = /people\.csv, line 2 is not UTF-8 text \(byte 0xE9; .*\): re-save it as UTF-8/;
    await expect(all(new CsvReader(csv))).rejects.toThrow(words);
    await expect(new CsvReader(csv).columns()).rejects.toThrow(words);
  });

  it('NDJSON: refused the same way', async () => {
    const nd = file('people.ndjson', Buffer.concat([Buffer.from('{"id": 1, "name": "a"}\n'), latin1('{"id": 2, "name": "café"}\n')]));
    await expect(all(new NdjsonReader(nd))).rejects.toThrow(/people\.ndjson, line 2 is not UTF-8 text \(byte 0xE9; .*\): re-save it as UTF-8/);
  });

  it('names the line far into a large file, and a byte cut short at its very end', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i + 1},name ${i + 1}\n`).join('');
    const far = file('far.csv', Buffer.concat([Buffer.from(`id,name\n${rows}`), latin1('20001,Müller\n')]));
    await expect(all(new CsvReader(far))).rejects.toThrow(/far\.csv, line 20002 is not UTF-8 text \(byte 0xFC;/);
    const cut = file('cut.csv', Buffer.concat([Buffer.from('id,name\n1,caf'), latin1('é')]));
    await expect(all(new CsvReader(cut))).rejects.toThrow(/cut\.csv, line 2 is not UTF-8 text \(byte 0xE9;/);
  });

  it('takes UTF-8 whole, characters split between the chunks it is read in included (and its byte-order mark)', async () => {
    // 4-, 3- and 2-byte characters on every line: many fall across the 64 KiB chunks a file is read in.
    const names = Array.from({ length: 20_000 }, (_, i) => `${i + 1},😀€é ${i}\n`).join('');
    const csv = file('utf8.csv', `\uFEFFid,name\n${names}`);
    const read = await all(new CsvReader(csv));
    expect(read).toHaveLength(20_000);
    expect(read[19_999]!.row).toEqual({ id: '20000', name: '😀€é 19999' });
    expect(read.every((r, i) => r.row['name'] === `😀€é ${i}`)).toBe(true);
  });
});

// A lone UTF-16 surrogate escape ("\ud800") parses, but no UTF-8 holds it: sent, it became EF BF BD, so the
// key sent was not the key staged and the row was sent again (added and removed) on every run.
describe('an NDJSON line holding a lone surrogate escape', () => {
  it('is refused naming the file, the line and the escape, as a name or a value at any depth (preview columns, and every read)', async () => {
    const lone = file('lone.ndjson', '{"id":"ok","v":1}\n{"id":"\\ud800","v":3}\n');
    const words = /lone\.ndjson, line 2 is not UTF-8 text \(the escape \\ud800 is half of a UTF-16 surrogate pair, alone.*\): write the whole pair/;
    await expect(all(new NdjsonReader(lone))).rejects.toThrow(words);
    await expect(new NdjsonReader(lone).columns()).rejects.toThrow(words);
    const nested = file('nested.ndjson', '{"id":1,"tags":[{"\\uDC01x":"a"}]}\n');
    await expect(all(new NdjsonReader(nested))).rejects.toThrow(/nested\.ndjson, line 1 is not UTF-8 text \(the escape \\udc01 /);
    const big = file('big.ndjson', '{"id":"a\\uDBFF","n":12345678901234567890}\n');
    await expect(all(new NdjsonReader(big))).rejects.toThrow(/big\.ndjson, line 1 is not UTF-8 text \(the escape \\udbff /);
  });

  it('takes a whole pair, written as escapes or as the character, and an escaped backslash before "ud800"', async () => {
    const pairs = file('pairs.ndjson', '{"id":"\\ud83d\\ude00","v":1}\n{"id":"😀","v":2}\n{"id":"\\\\ud800","v":3}\n');
    const read = await all(new NdjsonReader(pairs));
    expect(read.map((r) => r.row['id'])).toEqual(['😀', '😀', '\\ud800']);
  });
});
