import { INSPECT_SHOWN_BYTES, type RecordData } from '../../shared/config/inspector';
import { minifyJson, prettyJson as indentJson } from '../../shared/json/minify';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const looseUtf8 = new TextDecoder('utf-8');

/** The bytes as UTF-8 text, or null when they are not valid UTF-8. */
export function utf8OrNull(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * A record's bytes for a person: text (pretty JSON when it parses) or, when not UTF-8, base64. Only the
 * first `shownBytes` (default INSPECT_SHOWN_BYTES) are shown: a longer record is `truncated`, keeps its
 * full byte count, and has no pretty JSON. Comparisons (ledger read-back) use the bytes, never this.
 */
export function describeData(bytes: Uint8Array, shownBytes: number = INSPECT_SHOWN_BYTES): RecordData {
  const truncated = bytes.length > shownBytes;
  const shown = truncated ? bytes.subarray(0, shownBytes) : bytes;
  let text = utf8OrNull(bytes);
  // The cut may split a character: drop the partial one rather than show a replacement character.
  if (text !== null && truncated) text = looseUtf8.decode(shown).replace(/\uFFFD$/, '');
  let prettyJson: string | null = null;
  if (text !== null && !truncated && text.trim() !== '') {
    try {
      JSON.parse(text); // valid JSON only; shown with its numbers and strings as written (a parse would round them)
      prettyJson = indentJson(minifyJson(text.trim()));
    } catch {
      prettyJson = null;
    }
  }
  return { bytes: bytes.length, truncated, text, prettyJson, base64: text === null ? Buffer.from(shown).toString('base64') : null };
}

/** A key or header value as text; `base64:…` when it is not UTF-8. */
export function textOf(bytes: Uint8Array): string {
  return utf8OrNull(bytes) ?? `base64:${Buffer.from(bytes).toString('base64')}`;
}

const hex = (b: number | undefined) => (b === undefined ? 'end of data' : `0x${b.toString(16).padStart(2, '0')}`);

/** Compares what was sent with what was read: "bytes match (N bytes)" or where they first differ. */
export function compareBytes(sent: Uint8Array | null, read: Uint8Array | null): { match: boolean; detail: string } {
  if (sent === null || read === null) {
    if (sent === null && read === null) return { match: true, detail: 'bytes match (both are tombstones: no value)' };
    return { match: false, detail: sent === null ? 'sent a tombstone (no value), read back a value' : 'sent a value, read back a tombstone (no value)' };
  }
  const n = Math.min(sent.length, read.length);
  for (let i = 0; i < n; i++) {
    if (sent[i] !== read[i])
      return { match: false, detail: `bytes differ at byte ${i}: sent ${hex(sent[i])}, read ${hex(read[i])} (sent ${sent.length} bytes, read ${read.length})` };
  }
  if (sent.length !== read.length) {
    return { match: false, detail: `bytes differ at byte ${n}: sent ${hex(sent[n])}, read ${hex(read[n])} (sent ${sent.length} bytes, read ${read.length})` };
  }
  return { match: true, detail: `bytes match (${sent.length} bytes)` };
}
