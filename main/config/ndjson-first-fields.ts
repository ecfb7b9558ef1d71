// The fields of an NDJSON file's first lines, for `sluice apply`'s check of a model's primary key
// (`model-query-check.ts`): read by the model's own reader, as many lines as its columns are taken from.
import { NdjsonReader } from '../sources/file-readers';

/** At most this many lines are read: those the model's columns are taken from (`NdjsonReader.columns`). */
export const FIRST_LINES = 1000;

export interface FirstFields {
  /** The top-level field names the lines read have, in the order first met. */
  fields: string[];
  /** How many lines (with a row) were read. */
  lines: number;
}

/**
 * The fields of the file's first lines (at most FIRST_LINES); null when they cannot be judged here: the file is
 * not there, not a regular file or not readable, or a line read is refused (the model's preview and runs say
 * what is wrong, as they did). An empty file has no lines and no fields.
 */
export async function ndjsonFirstFields(file: string): Promise<FirstFields | null> {
  let reader: NdjsonReader | undefined;
  try {
    reader = new NdjsonReader(file);
    const fields = new Set<string>();
    let lines = 0;
    for await (const batch of reader.storedBatches(FIRST_LINES)) {
      for (const { row } of batch) for (const name of Object.keys(row)) fields.add(name);
      lines = batch.length;
      break;
    }
    return { fields: [...fields], lines };
  } catch {
    return null;
  } finally {
    await reader?.close();
  }
}
