/** Differences between two JSON values, path by path (object key order does not matter). */

import { JsonNumber, parseLossless, sameNumber, stringifyLossless, type LosslessJson } from '../json/lossless';

export interface JsonDifference {
  /** `$.a.b[2]` style. */
  path: string;
  /** The value as JSON text, or null when the path is missing on that side. */
  expected: string | null;
  actual: string | null;
}

const isObject = (v: LosslessJson): v is Map<string, LosslessJson> => v instanceof Map;
const pathOf = (base: string, key: string | number) =>
  typeof key === 'number' ? `${base}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;

function walk(expected: LosslessJson | undefined, actual: LosslessJson | undefined, path: string, out: JsonDifference[]): void {
  if (expected !== undefined && actual !== undefined) {
    if (isObject(expected) && isObject(actual)) {
      const keys = [...expected.keys(), ...[...actual.keys()].filter((k) => !expected.has(k))];
      for (const k of keys) walk(expected.get(k), actual.get(k), pathOf(path, k), out);
      return;
    }
    if (Array.isArray(expected) && Array.isArray(actual)) {
      for (let i = 0; i < Math.max(expected.length, actual.length); i++) walk(expected[i], actual[i], pathOf(path, i), out);
      return;
    }
    if (expected instanceof JsonNumber && actual instanceof JsonNumber) {
      if (sameNumber(expected, actual)) return;
    } else if (stringifyLossless(expected) === stringifyLossless(actual)) return;
  }
  out.push({ path, expected: expected === undefined ? null : stringifyLossless(expected), actual: actual === undefined ? null : stringifyLossless(actual) });
}

/**
 * Compares two JSON texts; answers the differences (empty when equal as JSON). Numbers are compared
 * by their source text (big integers are not rounded), so 9007199254740993 differs from …992.
 */
export function jsonDifferences(expectedText: string, actualText: string): JsonDifference[] {
  const out: JsonDifference[] = [];
  walk(parseLossless(expectedText), parseLossless(actualText), '$', out);
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
