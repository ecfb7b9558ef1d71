import { RECORDED_CHARS } from '../../shared/debugger/recorded-text';
import { REDACTED } from '../secrets/redactor';

/** Items of an array shown in a summary; the rest are counted. */
export const PREVIEW_ITEMS = 3;
/** Characters of decoded record data (a Kafka key, a header value) shown in a preview: what the Debugger's copied commands know of them. */
export const PREVIEW_CHARS = RECORDED_CHARS;

/** Keys whose values are secrets whatever they hold (temporary credentials, passwords, keys). */
const SECRET_KEY = /secret|password|passwd|sessiontoken|securitytoken|privatekey|private_key|^authorization$|^x-amz-security-token$|^credentials$/i;

export interface BinarySummary {
  bytes: number;
  preview: string;
  encoding: 'utf8' | 'base64';
}

/** Bytes as a short preview: UTF-8 text when it decodes cleanly, else base64. */
export function summariseBytes(data: Uint8Array): BinarySummary {
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.byteLength, PREVIEW_CHARS * 4));
  const text = head.toString('utf8');
  // Control characters (other than tab and line breaks) or invalid UTF-8 mean binary data.
  const printable = ![...text].some((ch) => {
    const c = ch.charCodeAt(0);
    return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd;
  });
  const preview = printable ? text.slice(0, PREVIEW_CHARS) : head.subarray(0, PREVIEW_CHARS).toString('base64');
  const truncated = printable ? text.length > PREVIEW_CHARS || head.length < data.byteLength : data.byteLength > PREVIEW_CHARS;
  return { bytes: data.byteLength, preview: truncated ? `${preview}…` : preview, encoding: printable ? 'utf8' : 'base64' };
}

/**
 * A JSON-able summary of SDK input or output: binary data becomes its size and a decoded preview,
 * long arrays keep their first items and a count, secret-named fields are blanked. Never the whole
 * payload of a 500-record batch.
 */
export function summarise(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value !== 'object') return summariseScalar(value);
  if (value instanceof Uint8Array) return summariseBytes(value);
  if (value instanceof Date) return value.toISOString();
  if (depth > 8) return '…';
  if (Array.isArray(value)) {
    const items = value.slice(0, PREVIEW_ITEMS).map((v) => summarise(v, depth + 1));
    return value.length > PREVIEW_ITEMS ? { count: value.length, first: items } : items;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k === '$metadata' || typeof v === 'function') continue;
    out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null ? REDACTED : summarise(v, depth + 1);
  }
  return out;
}

/** A value that is not an object: big integers as text, long strings cut, functions left out. */
function summariseScalar(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return value.length > 2000 ? `${value.slice(0, 2000)}… (${value.length} characters)` : value;
  return typeof value === 'function' ? undefined : value;
}

/** Header names that carry credentials: never recorded. */
const SECRET_HEADERS = new Set(['authorization', 'x-amz-security-token', 'proxy-authorization', 'cookie', 'set-cookie']);

export function safeHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? REDACTED : v;
  }
  return out;
}
