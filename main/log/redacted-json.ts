import type { Redactor } from '../secrets/redactor';

/**
 * `value` as JSON text with every string in it (values and keys, at any depth, error messages and
 * stacks) redacted *before* it is escaped, so a secret holding `"`, `\`, a newline or a character
 * JSON escapes is found as the user typed it. A last pass redacts the text as written too.
 * Errors become `{ name, message, stack }`, bigints decimal text, a cycle "[circular]".
 */
export function toRedactedJson(value: unknown, redactor: Redactor, indent?: number): string {
  return redactor.redact(JSON.stringify(redactedCopy(value, redactor, new Set()), null, indent) ?? 'null');
}

function redactedCopy(value: unknown, redactor: Redactor, path: Set<object>): unknown {
  if (typeof value === 'string') return redactor.redact(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (path.has(value)) return '[circular]';
  if (value instanceof Error) {
    return redactedCopy({ name: value.name, message: value.message, ...(value.stack ? { stack: value.stack } : {}) }, redactor, path);
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') {
    const json = withToJson.toJSON();
    if (json !== value) return redactedCopy(json, redactor, path);
  }
  path.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactedCopy(item, redactor, path));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[redactor.redact(key)] = redactedCopy(item, redactor, path);
    return out;
  } finally {
    path.delete(value);
  }
}
