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
