import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../testing/temp';
import { CsvReader, NdjsonReader } from './file-readers';
import { MAX_LINE_BYTES } from './line-length';

// An NDJSON model whose line is longer than any row can be (a JSON array exported on one line, 600 MB):
// read whole, the line passed a string's length and the read failed with "Invalid string length", said
// as an unexpected error (the run, the preview, `sluice sync run`).

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function file(name: string, ...parts: (Buffer | string)[]): string {
  const ws = tempWorkspace();
  cleanups.push(ws.cleanup);
  const f = path.join(ws.dir, name);
  for (const part of parts) fs.appendFileSync(f, part);
  return f;
}

async function keys(reader: NdjsonReader | CsvReader): Promise<unknown[]> {
  const ids = [];
  try {
    for await (const batch of reader.batches(1000)) ids.push(...batch.map((b) => b.row.id));
  } finally {
    await reader.close();
  }
  return ids;
}

const longer = Buffer.alloc(MAX_LINE_BYTES + 1, 'a');

describe('an NDJSON line longer than 64 MiB', () => {
  it('is refused naming its line and saying a line is one row, in the preview and every read', async () => {
    const f = file('wide.ndjson', '{"id":1}\n{"id":2,"x":"', longer, '"}\n{"id":3}\n');
    const words =
      /wide\.ndjson, line 2 is longer than 64 MiB: each line of an NDJSON file is one row, a JSON object \(a JSON array or an indented document is not NDJSON; a DuckDB source reads those\)$/;
    await expect(keys(new NdjsonReader(f))).rejects.toThrow(words);
    await expect(new NdjsonReader(f).columns()).rejects.toThrow(words);
  });

  it('is refused as the last line with no line break after it, or as the first', async () => {
    await expect(keys(new NdjsonReader(file('tail.ndjson', '{"id":1}\n{"id":2}\n[', longer)))).rejects.toThrow(/tail\.ndjson, line 3 is longer than 64 MiB/);
    await expect(keys(new NdjsonReader(file('array.ndjson', '[', longer, ']')))).rejects.toThrow(/array\.ndjson, line 1 is longer than 64 MiB/);
  });

  it('is the only limit: a file far larger than 64 MiB in lines of its rows is read whole', async () => {
    const line = `{"id":0,"x":"${'b'.repeat(4096)}"}\n`;
    const count = Math.ceil((MAX_LINE_BYTES * 1.2) / line.length);
    const f = file('long.ndjson', Buffer.from(Array.from({ length: count }, (_, i) => line.replace('0', String(i + 1))).join('')));
    const ids = await keys(new NdjsonReader(f));
    expect(ids).toHaveLength(count);
    expect(ids.at(-1)).toBe(count);
  });
});

// A CSV value past a string's length failed as "not readable as CSV (Cannot create a string longer than
// 0x1fffffe8 characters)" after 15 s and 850 MB; a quote never closed was said only at the file's end.
describe('a CSV row longer than 64 MiB', () => {
  const words = (name: string) =>
    new RegExp(
      `${name}\\.csv, line 3: the row runs on past 64 MiB \\(in the column "x"\\): is a quoted value left open \\(end it with a quote ", and write each quote inside it twice ""\\)\\? A CSV file has a line break after each row and a comma between its values$`,
    );

  it('is refused naming the line its row starts on, a value with no line break or a quote left open alike', async () => {
    await expect(keys(new CsvReader(file('wide.csv', 'id,x\n1,ok\n2,', longer, '\n3,ok\n')))).rejects.toThrow(words('wide'));
    const lines = Buffer.from('a\n'.repeat(MAX_LINE_BYTES / 2 + 1));
    await expect(keys(new CsvReader(file('open.csv', 'id,x\n1,ok\n2,"', lines, '3,ok\n')))).rejects.toThrow(words('open'));
  });
});
