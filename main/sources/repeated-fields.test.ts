import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../testing/temp';
import { NdjsonReader } from './file-readers';

// An NDJSON line that gives a field twice ({"id":1,"id":2}) was read as its last value without a word: the row
// was previewed, keyed and sent with id 2. A JSON object with a name twice is ambiguous (RFC 8259: names
// SHOULD be unique), so the file is refused naming the line, the field and where.

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function file(name: string, text: string): string {
  const ws = tempWorkspace();
  cleanups.push(ws.cleanup);
  const f = path.join(ws.dir, name);
  fs.writeFileSync(f, text);
  return f;
}

async function all(reader: NdjsonReader) {
  const rows = [];
  try {
    for await (const batch of reader.batches(1000)) rows.push(...batch.map((b) => b.row));
  } finally {
    await reader.close();
  }
  return rows;
}

describe('an NDJSON line that gives a field twice', () => {
  it('is refused naming the file, the line, the field and its column (preview columns, and every read)', async () => {
    const dup = file('dup.ndjson', '{"id":0}\n{"id":1,"id":2}\n{"id":3}\n');
    const words =
      /dup\.ndjson, line 2 gives the field "id" twice \(again at column 9\): a row holds one value per name, so only the last would be sent.*Remove or rename one of them/;
    await expect(all(new NdjsonReader(dup))).rejects.toThrow(words);
    await expect(new NdjsonReader(dup).columns()).rejects.toThrow(words);
  });

  it('is refused when the name is repeated in a nested object, after strings holding colons, in a line read losslessly, or next to a \\u003a escape', async () => {
    const nested = file('nested.ndjson', '{"id":1,"ts":"10:00:00","meta":{"url":"http://x","url":"http://y"}}\n');
    await expect(all(new NdjsonReader(nested))).rejects.toThrow(/nested\.ndjson, line 1 gives the field "url" twice \(again at column 50\)/);
    const big = file('big.ndjson', '{"id":12345678901234567890,"n":1,"n":2}\n');
    await expect(all(new NdjsonReader(big))).rejects.toThrow(/big\.ndjson, line 1 gives the field "n" twice/);
    // The escape is a colon in the string the line's text does not show: counted alone, the colons would balance.
    const escaped = file('escaped.ndjson', '{"id":"\\u003a","id":2}\n');
    await expect(all(new NdjsonReader(escaped))).rejects.toThrow(/escaped\.ndjson, line 1 gives the field "id" twice \(again at column 16\)/);
  });

  it('takes lines whose names are each given once, colons in their strings and names, and escapes, included', async () => {
    const fine = file(
      'fine.ndjson',
      '{"id":1,"ts":"2024-01-01T10:00:00Z","a:b":"c:d","tags":["x:1",{"k":"v"}],"meta":{"id":2}}\n{"id":"\\u003a","e":"\\u003A:"}\n{ "id" : 3 , "n" : { } }\n',
    );
    const rows = await all(new NdjsonReader(fine));
    expect(rows.map((r) => r['id'])).toEqual([1, ':', 3]);
    expect(rows[0]!['a:b']).toBe('c:d');
  });
});
