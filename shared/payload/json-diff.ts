/** Differences between two JSON values, path by path (object key order does not matter). */

export interface JsonDifference {
  /** `$.a.b[2]` style. */
  path: string;
  /** The value as JSON text, or null when the path is missing on that side. */
  expected: string | null;
  actual: string | null;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: Json): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);
const pathOf = (base: string, key: string | number) => (typeof key === 'number' ? `${base}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`);

function walk(expected: Json | undefined, actual: Json | undefined, path: string, out: JsonDifference[]): void {
  if (expected !== undefined && actual !== undefined) {
    if (isObject(expected) && isObject(actual)) {
      const keys = [...Object.keys(expected), ...Object.keys(actual).filter((k) => !(k in expected))];
      for (const k of keys) walk(expected[k], actual[k], pathOf(path, k), out);
      return;
    }
    if (Array.isArray(expected) && Array.isArray(actual)) {
      for (let i = 0; i < Math.max(expected.length, actual.length); i++) walk(expected[i], actual[i], pathOf(path, i), out);
      return;
    }
    if (JSON.stringify(expected) === JSON.stringify(actual)) return;
  }
  out.push({ path, expected: expected === undefined ? null : JSON.stringify(expected), actual: actual === undefined ? null : JSON.stringify(actual) });
}

/** Compares two JSON texts; answers the differences (empty when equal as JSON). */
export function jsonDifferences(expectedText: string, actualText: string): JsonDifference[] {
  const out: JsonDifference[] = [];
  walk(JSON.parse(expectedText) as Json, JSON.parse(actualText) as Json, '$', out);
  return out;
}

/** The differences as diff lines: `- path: expected` / `+ path: actual`. */
export function formatDifferences(diffs: readonly JsonDifference[]): string[] {
  const lines: string[] = [];
  for (const d of diffs) {
    lines.push(d.expected === null ? `- ${d.path}: (missing)` : `- ${d.path}: ${d.expected}`);
    lines.push(d.actual === null ? `+ ${d.path}: (missing)` : `+ ${d.path}: ${d.actual}`);
  }
  return lines;
}
