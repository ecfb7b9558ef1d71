/**
 * JSON as UTF-8 bytes, for the render path of a run: checking and minifying a record's bytes in two
 * tight loops costs a fraction of JSON.parse plus minifying the text. Byte-wise is safe because every
 * byte of a multi-byte UTF-8 sequence is ≥ 0x80, so none can be mistaken for JSON's structural
 * characters, quotes, backslashes or whitespace.
 */

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

const IN_OBJECT = 1;
const IN_ARRAY = 2;

function skipSpace(b: Uint8Array, i: number, n: number): number {
  while (i < n) {
    const c = b[i]!;
    if (c !== SPACE && c !== LF && c !== CR && c !== TAB) break;
    i++;
  }
  return i;
}

/** The byte at i, or -1 past the end (only the first n bytes are the text). */
function at(b: Uint8Array, i: number, n: number): number {
  return i < n ? b[i]! : -1;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function isHex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** The index after the string that opens at i (a quote), or -1 when it is not a valid JSON string. */
function endOfString(b: Uint8Array, i: number, n: number): number {
  for (i++; i < n; i++) {
    const c = b[i]!;
    if (c === QUOTE) return i + 1;
    if (c < SPACE) return -1;
    if (c === BACKSLASH) {
      const e = at(b, ++i, n);
      if (e === 117 /* u */) {
        if (!(isHex(at(b, i + 1, n)) && isHex(at(b, i + 2, n)) && isHex(at(b, i + 3, n)) && isHex(at(b, i + 4, n)))) return -1;
        i += 4;
      } else if (!(e === QUOTE || e === BACKSLASH || e === 47 /* / */ || e === 98 || e === 102 || e === 110 || e === 114 || e === 116)) return -1;
    }
  }
  return -1;
}

/** The index after the number that starts at i, or -1 when it is not a valid JSON number. */
function endOfNumber(b: Uint8Array, i: number, n: number): number {
  if (at(b, i, n) === MINUS) i++;
  if (at(b, i, n) === ZERO) i++;
  else if (isDigit(at(b, i, n))) while (isDigit(at(b, ++i, n)));
  else return -1;
  if (at(b, i, n) === DOT) {
    if (!isDigit(at(b, ++i, n))) return -1;
    while (isDigit(at(b, ++i, n)));
  }
  const e = at(b, i, n);
  if (e === 101 /* e */ || e === 69 /* E */) {
    const sign = at(b, ++i, n);
    if (sign === PLUS || sign === MINUS) i++;
    if (!isDigit(at(b, i, n))) return -1;
    while (isDigit(at(b, ++i, n)));
  }
  return i;
}

const TRUE = [116, 114, 117, 101];
const FALSE = [102, 97, 108, 115, 101];
const NULL = [110, 117, 108, 108];

function endOfWord(b: Uint8Array, i: number, n: number, word: number[]): number {
  if (i + word.length > n) return -1;
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word[k]) return -1;
  return i + word.length;
}

/** The index after the scalar (string, number, true, false, null) that starts at i, or -1. */
function endOfScalar(b: Uint8Array, i: number, n: number): number {
  const c = at(b, i, n);
  if (c === QUOTE) return endOfString(b, i, n);
  if (c === 116) return endOfWord(b, i, n, TRUE);
  if (c === 102) return endOfWord(b, i, n, FALSE);
  if (c === 110) return endOfWord(b, i, n, NULL);
  return endOfNumber(b, i, n);
}

/** Moves b[from, to) down to w (w ≤ from); returns the new write position. */
function moveDown(b: Uint8Array, from: number, to: number, w: number): number {
  if (w === from) return to;
  for (let k = from; k < to; k++) b[w++] = b[k]!;
  return w;
}

/**
 * Checks that the first n bytes are one JSON text, exactly as JSON.parse would accept its UTF-8 decoding
 * (whitespace around it allowed), and minifies it in place in the same pass: whitespace outside
 * strings is dropped and the rest moved forward, numbers and escapes exactly as written. Returns the
 * minified length, or -1 when the bytes are not JSON (they are then partly rewritten). Nesting is
 * tracked on a stack, not by recursion, so deep input cannot overflow the call stack.
 */
export function minifyJsonBytesIfValid(b: Uint8Array, n = b.length): number {
  const stack: number[] = [];
  let i = 0;
  let w = 0;
  let memberName = false;
  for (;;) {
    i = skipSpace(b, i, n);
    if (memberName) {
      // `"name":` before an object member's value.
      if (at(b, i, n) !== QUOTE) return -1;
      const e = endOfString(b, i, n);
      if (e < 0) return -1;
      w = moveDown(b, i, e, w);
      i = skipSpace(b, e, n);
      if (at(b, i, n) !== COLON) return -1;
      b[w++] = COLON;
      i = skipSpace(b, i + 1, n);
      memberName = false;
    }
    // A value is expected at i.
    const c = at(b, i, n);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      b[w++] = c;
      i = skipSpace(b, i + 1, n);
      const close = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
      if (at(b, i, n) !== close) {
        stack.push(c === OPEN_BRACE ? IN_OBJECT : IN_ARRAY);
        memberName = c === OPEN_BRACE;
        continue;
      }
      b[w++] = close;
      i++;
    } else {
      const e = endOfScalar(b, i, n);
      if (e < 0) return -1;
      w = moveDown(b, i, e, w);
      i = e;
    }
    // After a value: close containers, or a comma for the next value.
    for (;;) {
      i = skipSpace(b, i, n);
      if (stack.length === 0) return i >= n ? w : -1;
      const inside = stack[stack.length - 1];
      const d = at(b, i, n);
      if (d === COMMA) {
        b[w++] = COMMA;
        i++;
        memberName = inside === IN_OBJECT;
        break;
      }
      if (d !== (inside === IN_OBJECT ? CLOSE_BRACE : CLOSE_BRACKET)) return -1;
      b[w++] = d;
      stack.pop();
      i++;
    }
  }
}
