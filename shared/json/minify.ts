/**
 * Removes insignificant whitespace from JSON text without re-encoding anything: numbers keep their
 * exact digits (a 20-digit id stays 20 digits, which JSON.parse → stringify would round), strings
 * keep their escapes. The input must already be valid JSON.
 */
export function minifyJson(text: string): string {
  let out = '';
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 32 || c === 10 || c === 13 || c === 9) {
      out += text.slice(start, i);
      start = i + 1;
    }
  }
  return start === 0 ? text : out + text.slice(start);
}

/** Nesting past which a value is not indented (each level indents every line inside it again). */
export const PRETTY_MAX_DEPTH = 100;

/**
 * Indents minified JSON text by two spaces as JSON.stringify(value, null, 2) lays it out, without
 * re-encoding anything (`minifyJson`'s rule): the editor's preview shows 9007199254740995 and
 * 1.000000000000000000001 as they are sent, where JSON.parse → stringify showed 9007199254740996 and 1.
 * Null when the value nests deeper than PRETTY_MAX_DEPTH: 16,000 nested arrays (a 32 KB record) made
 * half a billion characters of indentation.
 */
export function prettyJson(minified: string): string | null {
  let out = '';
  let depth = 0;
  let start = 0;
  const newline = () => '\n' + '  '.repeat(depth);
  for (let i = 0; i < minified.length; i++) {
    const c = minified[i]!;
    if (c === '"') {
      for (i++; minified[i] !== '"'; i++) if (minified[i] === '\\') i++;
      continue;
    }
    let put: string;
    if (c === '{' || c === '[') {
      const close = minified[i + 1];
      if (close === '}' || close === ']') {
        i++;
        continue; // {} and [] stay on one line
      }
      if (++depth > PRETTY_MAX_DEPTH) return null;
      put = c + newline();
    } else if (c === '}' || c === ']') {
      depth--;
      put = newline() + c;
    } else if (c === ',') put = ',' + newline();
    else if (c === ':') put = ': ';
    else continue;
    out += minified.slice(start, i) + put;
    start = i + 1;
  }
  return out + minified.slice(start);
}
