/**
 * *Format* for a Liquid template that makes JSON: the JSON skeleton laid out one member per line,
 * indented by its depth (and by the Liquid blocks it sits in), Liquid block tags on lines of their own.
 *
 * It must never change what a row is sent as. A run sends the template's output minified (whitespace
 * outside JSON strings does not reach the destination; output that is not JSON fails the row), so
 * Format changes only whitespace, and only where whitespace cannot matter:
 * - never inside a JSON string of the skeleton (`"…{{ row.name }}…"` stays byte for byte) nor inside a
 *   Liquid tag, and never inside `{% raw %}`, `{% comment %}` or `{% capture %}` (a captured value
 *   may be printed inside a string later);
 * - whitespace is added or removed only next to a JSON structural character (`{ } [ ] , :`) or a
 *   skeleton string's quote, where it is insignificant in JSON; between two other pieces (a number
 *   and a `{{ … }}`, say: `1{{ row.n }}` prints `12`) there is whitespace afterwards exactly where
 *   there was before;
 * - a template it cannot read that way (a tag it does not know, an unclosed string or tag) is left as
 *   it is, saying why.
 * The result is checked against those rules before it is offered (`sameMeaning`).
 */

type Kind = 'punct' | 'string' | 'output' | 'tag' | 'atom';

interface Token {
  kind: Kind;
  text: string;
  /** The original had whitespace between this token and the one before. */
  spaceBefore: boolean;
  /** For tags: the tag's name (`if`, `endfor`, …). */
  name?: string;
}

export type FormatResult = { ok: true; text: string } | { ok: false; reason: string };

/** Tags that print nothing themselves: they may sit on lines of their own. */
const SILENT_TAGS = new Set([
  'if',
  'elsif',
  'else',
  'endif',
  'unless',
  'endunless',
  'for',
  'endfor',
  'break',
  'continue',
  'case',
  'when',
  'endcase',
  'assign',
  'comment',
  '#',
  'capture',
]);
/** Tags that print something (unknown text): treated like `{{ … }}`. */
const PRINTING_TAGS = new Set(['echo', 'liquid', 'cycle', 'increment', 'decrement']);
/** Tags whose body is kept as it is, with the tag, as one piece. */
const OPAQUE_BLOCKS = new Set(['raw', 'comment', 'capture']);
const OPENERS = new Set(['if', 'unless', 'for', 'case']);
const MIDDLES = new Set(['elsif', 'else', 'when']);
const INDENT = '  ';

class Unreadable extends Error {}

/** The end (exclusive) of a Liquid tag or output starting at `start` (`{{` or `{%`), quotes inside respected. */
function liquidEnd(text: string, start: number): number {
  const close = text[start + 1] === '{' ? '}}' : '%}';
  let i = start + 2;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    if (text.startsWith(close, i)) return i + 2;
    i++;
  }
  throw new Unreadable(`a ${close === '}}' ? '{{' : '{%'} that is not closed`);
}

function tagName(tag: string): string {
  return /^\{%-?\s*(#|\w+)/.exec(tag)?.[1] ?? '';
}

/** The end of an opaque block (`{% raw %}…{% endraw %}`) whose opening tag ends at `from`; nested blocks of the same name counted. */
function blockEnd(text: string, from: number, name: string): number {
  let depth = 1;
  let i = from;
  for (;;) {
    const next = text.indexOf('{%', i);
    if (next < 0) throw new Unreadable(`a {% ${name} %} without its {% end${name} %}`);
    const end = liquidEnd(text, next);
    const inner = tagName(text.slice(next, end));
    if (inner === name && name !== 'raw') depth++;
    else if (inner === `end${name}` && --depth === 0) return end;
    i = end;
  }
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/** A `{% … %}` tag at `i`: how far it reaches (an opaque block to its end tag) and what kind of piece it is. */
function tagPiece(text: string, i: number): { kind: Kind; end: number; name: string } {
  const end = liquidEnd(text, i);
  const name = tagName(text.slice(i, end));
  if (OPAQUE_BLOCKS.has(name)) return { kind: name === 'raw' ? 'atom' : 'tag', end: blockEnd(text, end, name), name };
  if (SILENT_TAGS.has(name) || (name.startsWith('end') && SILENT_TAGS.has(name.slice(3)))) return { kind: 'tag', end, name };
  if (PRINTING_TAGS.has(name)) return { kind: 'output', end, name };
  throw new Unreadable(`the tag {% ${name} %}, which Format does not know`);
}

/** The end of a JSON string starting at `i` (Liquid inside it is skipped whole). */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    if (j >= text.length) throw new Unreadable('a string that is not closed');
    if (text.startsWith('{{', j) || text.startsWith('{%', j)) j = liquidEnd(text, j);
    else if (text[j] === '\\') j += 2;
    else if (text[j] === '"') return j + 1;
    else j++;
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let space = false;
  const push = (kind: Kind, end: number, name?: string) => {
    tokens.push({ kind, text: text.slice(i, end), spaceBefore: space, ...(name !== undefined ? { name } : {}) });
    space = false;
    i = end;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c)) {
      space = true;
      i++;
    } else if (text.startsWith('{{', i)) push('output', liquidEnd(text, i));
    else if (text.startsWith('{%', i)) {
      const tag = tagPiece(text, i);
      push(tag.kind, tag.end, tag.name);
    } else if (c === '"') push('string', stringEnd(text, i));
    else if ('{}[],:'.includes(c)) push('punct', i + 1);
    else {
      let j = i + 1;
      while (j < text.length && !isSpace(text[j]!) && !'{}[],:"'.includes(text[j]!)) j++;
      // `{` of a `{{` or `{%` ends the piece (it was stopped there by the check above).
      push('atom', j);
    }
  }
  return tokens;
}

/** Whitespace may come and go between these two pieces: one of them is a structural character or a skeleton string. */
function free(before: Token | undefined, after: Token | undefined): boolean {
  if (!before || !after) return true; // the output is trimmed
  return before.kind === 'punct' || before.kind === 'string' || after.kind === 'punct' || after.kind === 'string';
}

/** The template with the whitespace that cannot matter taken out and every other run of whitespace one space. */
function canonical(tokens: readonly Token[]): string {
  return tokens.map((t, i) => (!free(tokens[i - 1], t) && t.spaceBefore ? ' ' : '') + t.text).join('');
}

/** True when `b` differs from `a` only by whitespace that cannot change what a row is sent as. */
export function sameMeaning(a: string, b: string): boolean {
  try {
    return canonical(tokenize(a)) === canonical(tokenize(b));
  } catch {
    return false;
  }
}

/** Lays out a Liquid-in-JSON template; see the top of this file for what it may and may not change. */
export function formatTemplate(template: string): FormatResult {
  let tokens: Token[];
  try {
    tokens = tokenize(template);
  } catch (err) {
    if (err instanceof Unreadable) return { ok: false, reason: `Format leaves this template as it is: it has ${err.message}.` };
    throw err;
  }
  let json = 0;
  let liquid = 0;
  let out = '';
  tokens.forEach((t, i) => {
    const isTag = t.kind === 'tag';
    if (isCloser(t)) json = Math.max(0, json - 1);
    if (isTag && t.name?.startsWith('end')) liquid = Math.max(0, liquid - 1);
    const depth = json + liquid - (isTag && MIDDLES.has(t.name ?? '') ? 1 : 0);
    out += separator(tokens, i, `\n${INDENT.repeat(Math.max(0, depth))}`) + t.text;
    if (isOpener(t)) json++;
    if (isTag && OPENERS.has(t.name ?? '')) liquid++;
  });
  if (!sameMeaning(template, out))
    return { ok: false, reason: 'Format leaves this template as it is: it could not lay it out without changing what it sends.' };
  return { ok: true, text: out };
}

const isPunct = (t: Token | undefined, chars: string) => t?.kind === 'punct' && chars.includes(t.text);
const isOpener = (t: Token | undefined) => isPunct(t, '{[');
const isCloser = (t: Token | undefined) => isPunct(t, '}]');

/** What goes before token `i`: nothing, one space, or a new line at `newline`'s indent. */
function separator(tokens: readonly Token[], i: number, newline: string): string {
  const t = tokens[i]!;
  const prev = tokens[i - 1];
  if (!prev) return '';
  const sep = layoutSeparator(tokens, i, newline);
  return free(prev, t) ? sep : t.spaceBefore ? sep || ' ' : '';
}

function layoutSeparator(tokens: readonly Token[], i: number, newline: string): string {
  const t = tokens[i]!;
  const prev = tokens[i - 1]!;
  const isTag = t.kind === 'tag';
  if (isCloser(t) && isOpener(prev)) return '';
  if (isPunct(t, ',:')) return '';
  // `{% unless forloop.last %},{% endunless %}`: a block of just a comma stays on one line.
  if (isPunct(prev, ',') && tokens[i - 2]?.kind === 'tag' && isTag && (t.name?.startsWith('end') || MIDDLES.has(t.name ?? ''))) return '';
  if (isPunct(prev, '{[,')) return newline;
  if (isCloser(t) || isTag || prev.kind === 'tag') return newline;
  if (isPunct(prev, ':')) return ' ';
  if (t.kind === 'punct') return '';
  return t.spaceBefore ? ' ' : '';
}
