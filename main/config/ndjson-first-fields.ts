// The fields of an NDJSON file's first lines, for `sluice apply`'s check of a model's primary key
// (`model-query-check.ts`): a bounded read, whatever the file's size.
import fs from 'node:fs';

/** At most this many lines are read: those the model's columns are taken from (`NdjsonReader.columns`). */
export const FIRST_LINES = 1000;
/** …and at most this many bytes (a line cut by it is not read). */
export const FIRST_BYTES = 1024 * 1024;

export interface FirstFields {
  /** The top-level field names the lines read have, in the order first met. */
  fields: string[];
  /** How many lines (with a row) were read. */
  lines: number;
}

/** The file's first bytes, up to FIRST_BYTES, and whether they are the whole file; null when it is no regular file or cannot be read. */
async function firstBytes(file: string): Promise<{ text: string; whole: boolean } | null> {
  try {
    // (a named pipe or a device: opening it could wait for a writer for ever)
    if (!(await fs.promises.stat(file)).isFile()) return null;
    const handle = await fs.promises.open(file, 'r');
    try {
      const buffer = Buffer.alloc(FIRST_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      const whole = bytesRead <= FIRST_BYTES;
      return { text: buffer.subarray(0, Math.min(bytesRead, FIRST_BYTES)).toString('utf8'), whole };
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

/**
 * The fields of the file's first lines (at most FIRST_LINES lines and FIRST_BYTES bytes); null when they cannot be
 * judged here: the file is not there or not readable, or a line read is no JSON object (the model's preview and
 * runs say what is wrong, as they did). An empty file has no lines and no fields.
 */
export async function ndjsonFirstFields(file: string): Promise<FirstFields | null> {
  const read = await firstBytes(file);
  if (!read) return null;
  const lines = read.text.replace(/^\uFEFF/, '').split('\n');
  if (!read.whole) lines.pop(); // (cut by the byte limit)
  const fields = new Set<string>();
  let count = 0;
  for (const line of lines) {
    if (count >= FIRST_LINES) break;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return null;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    for (const name of Object.keys(value)) fields.add(name);
    count++;
  }
  return { fields: [...fields], lines: count };
}
