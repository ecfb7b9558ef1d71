// liquidjs' parse errors, rewritten for a person: what is wrong and what to write, at the place to fix.
import type { Template } from 'liquidjs';
import { BLOCK_END, liquid, OPENER_OF } from './liquid-engine';
import { closestName } from './name-suggestions';
import { lineEnd, offsetOf, rangeOf, type TemplateDiagnostic } from './template-ranges';

interface Explained {
  message: string;
  start: number;
  end: number;
}

/** The tag or output opened last at or before `offset`: `{{` or `{%`. */
function openerBefore(template: string, offset: number): { at: number; output: boolean } | undefined {
  const output = template.lastIndexOf('{{', offset);
  const tag = template.lastIndexOf('{%', offset);
  if (output < 0 && tag < 0) return undefined;
  return output > tag ? { at: output, output: true } : { at: tag, output: false };
}

/** What a user wrote after `{{` or `{%`, up to where it obviously stops (a brace, a line break). */
function writtenAfter(template: string, opener: number): { text: string; end: number } {
  let i = opener + 2;
  if (template[i] === '-') i++;
  while (template[i] === ' ' || template[i] === '\t') i++;
  const start = i;
  while (i < template.length && !'}%{\n'.includes(template[i]!)) i++;
  let end = i;
  while (end > start && /\s/.test(template[end - 1]!)) end--;
  return { text: template.slice(start, end), end };
}

/** "This output tag is not closed: add }} after row.email_address", at the tag. */
function notClosed(template: string, opener: { at: number; output: boolean }): Explained {
  const { text, end } = writtenAfter(template, opener.at);
  const close = opener.output ? '}}' : '%}';
  const kind = opener.output ? 'output tag' : 'tag';
  const after = text ? ` after ${text}` : '';
  // A lone "}" right after what was written is part of the mistake: mark it too.
  const stray = template[end] === '}' && template[end + 1] !== '}' ? 1 : 0;
  return { message: `This ${kind} is not closed: add ${close}${after}`, start: opener.at, end: Math.min(end + stray, lineEnd(template, opener.at)) };
}

/** Whether the tag opened at `opener` ran on into text that is not its own (its closing was forgotten). */
function ranOn(template: string, opener: { at: number; output: boolean }): boolean {
  const close = template.indexOf(opener.output ? '}}' : '%}', opener.at + 2);
  const inner = template.slice(opener.at + 2, close < 0 ? template.length : close);
  return close < 0 || /[\n{]|\}(?!\})/.test(inner);
}

function tagAt(template: string, offset: number): { name: string; start: number; end: number } | undefined {
  const m = /^\{%-?\s*([A-Za-z_#]\w*)/.exec(template.slice(offset, offset + 200));
  if (!m) return undefined;
  const close = template.indexOf('%}', offset);
  const end = close < 0 ? lineEnd(template, offset) : Math.min(close + 2, Math.max(lineEnd(template, offset), offset + m[0].length));
  return { name: m[1]!, start: offset, end };
}

export const quote = (s: string) => `“${s}”`;

/**
 * liquidjs' parse error, rewritten for a person: what is wrong and what to write, at the place to
 * fix (which is not always where liquidjs noticed it: a forgotten `}}` is noticed in the text after).
 */
export function explainSyntaxError(template: string, message: string, line: number | null, column: number | null): TemplateDiagnostic {
  const raw = message.split(', line:')[0]!;
  const offset = line !== null && column !== null ? offsetOf(template, line, column) : 0;
  const explained = explain(template, raw, offset) ?? {
    message: raw.charAt(0).toUpperCase() + raw.slice(1),
    start: offset,
    end: Math.max(offset + 1, Math.min(lineEnd(template, offset), offset + 2)),
  };
  return rangeOf(template, explained.start, explained.end, 'error', explained.message);
}

/** One kind of liquidjs error: its message, and the explanation at the place to fix. */
type Rule = [RegExp, (template: string, offset: number, m: RegExpExecArray) => Explained];

function explain(template: string, raw: string, offset: number): Explained | undefined {
  for (const [pattern, explainIt] of RULES) {
    const m = pattern.exec(raw);
    if (m) return explainIt(template, offset, m);
  }
  return undefined;
}

/** `expected "|" before filter`: a forgotten `}}` (the tag ran on), a single `=`, or text Liquid cannot read. */
function beforeFilter(template: string, offset: number): Explained {
  const opener = openerBefore(template, offset);
  if (opener && ranOn(template, opener)) return notClosed(template, opener);
  const near = template.slice(offset, lineEnd(template, offset)).trim().slice(0, 24);
  const before = opener ? /(?<![=!<>])=\s*$/.exec(template.slice(opener.at, offset)) : null;
  if (opener && !opener.output && before) {
    const at = opener.at + before.index;
    return { message: 'Compare with == (a single = is not an operator here)', start: at, end: at + 1 };
  }
  return {
    message: `Liquid cannot read ${quote(near)} here: filters go after a | (as in {{ row.name | json }})`,
    start: offset,
    end: offset + Math.max(1, near.length),
  };
}

function blockNotClosed(template: string, offset: number, m: RegExpExecArray): Explained {
  const tag = tagAt(template, offset);
  const name = tag?.name ?? /\{%-?\s*(\w+)/.exec(m[1]!)?.[1] ?? 'block';
  const end = BLOCK_END[name];
  const fix = end ? `add {% ${end} %} where the block ends` : 'close the block';
  return { message: `This {% ${name} %} block is not closed: ${fix}`, start: offset, end: tag?.end ?? offset + 2 };
}

/** A tag liquidjs does not know: a closing or middle tag outside its block, or a typo of a tag's name. */
function unknownTag(template: string, offset: number, m: RegExpExecArray): Explained {
  const name = m[1]!;
  const end = tagAt(template, offset)?.end ?? offset + 2;
  const opener = OPENER_OF[name];
  if (opener) {
    const where =
      name === 'else' || name === 'elsif' || name === 'when'
        ? `is outside an {% ${opener} %} block`
        : `closes nothing: there is no open {% ${opener} %} before it`;
    return { message: `{% ${name} %} ${where}`, start: offset, end };
  }
  const guess = closestName(name, [...Object.keys(liquid().tags), ...Object.keys(OPENER_OF)]);
  return { message: `There is no Liquid tag called ${quote(name)}${guess ? `: did you mean {% ${guess} %}?` : ''}`, start: offset, end };
}

function unknownFilter(template: string, offset: number, m: RegExpExecArray): Explained {
  const name = m[1]!;
  const close = template.indexOf('}}', offset);
  const tagText = template.slice(offset, close < 0 ? lineEnd(template, offset) : close);
  const at = new RegExp(`\\|\\s*(${name.replace(/[^\w]/g, '\\$&')})\\b`).exec(tagText);
  const start = at ? offset + at.index + at[0].length - name.length : offset;
  const guess = closestName(name, Object.keys(liquid().filters));
  return { message: `There is no filter called ${quote(name)}${guess ? `: did you mean ${guess}?` : ''}`, start, end: start + name.length };
}

function emptyValue(template: string, offset: number): Explained {
  const opener = openerBefore(template, offset);
  if (opener?.output)
    return {
      message: 'This output tag is empty: put a value in it, as in {{ row.id }}',
      start: opener.at,
      end: Math.min(template.indexOf('}}', opener.at) + 2 || opener.at + 2, lineEnd(template, opener.at)),
    };
  return { message: 'A value is missing here', start: opener?.at ?? offset, end: offset + 1 };
}

function incompleteTag(template: string, offset: number): Explained {
  const tag = tagAt(template, offset);
  const example = tag?.name === 'for' ? ': write it as {% for item in row.items %}' : tag?.name === 'assign' ? ': write it as {% assign name = value %}' : '';
  return { message: `This {% ${tag?.name ?? 'tag'} %} tag is incomplete${example}`, start: offset, end: tag?.end ?? offset + 2 };
}

const at =
  (message: string) =>
  (_t: string, offset: number): Explained => ({ message, start: offset, end: offset + 1 });

/** liquidjs' messages (without their ", line:" part), in the order they are tried. */
const RULES: Rule[] = [
  // An output or tag whose closing delimiter never comes.
  [/^(output|tag) ".*" not closed$/s, (t, offset, m) => notClosed(t, { at: offset, output: m[1] === 'output' })],
  [/^expected "\|" before filter$/, beforeFilter],
  [/^tag (\{%.*%\}) not closed$/s, blockNotClosed],
  [
    /^raw ".*" not closed$/s,
    (t, offset) => ({
      message: 'This {% raw %} block is not closed: add {% endraw %} where the block ends',
      start: Math.max(0, t.lastIndexOf('{%', offset)),
      end: offset,
    }),
  ],
  [/^tag "([^"]+)" not found$/, unknownTag],
  [/^undefined filter: (.+)$/, unknownFilter],
  [/^invalid value expression: ""$/, emptyValue],
  [/^expected filter name$/, (_t, offset) => ({ message: 'A filter name is missing after |', start: Math.max(0, offset - 1), end: offset + 1 })],
  [/^\[ not closed$/, (t, offset) => ({ message: 'This [ is not closed: add ]', start: t.lastIndexOf('[', offset), end: offset })],
  [/^illegal tag: (\{%.*%\})$/s, incompleteTag],
  [/^expected variable name$/, at('A variable name is missing here, as in {% assign name = value %}')],
  [/^invalid capture name$/, at('capture needs a variable name, as in {% capture name %}')],
];

interface LiquidFailure {
  message: string;
  token?: { getPosition?: () => number[] };
}

/** The template parsed by liquidjs, or its syntax error explained. */
export function parseTemplate(template: string): { ok: true; templates: Template[] } | { ok: false; error: TemplateDiagnostic } {
  try {
    return { ok: true, templates: liquid().parse(template) };
  } catch (err) {
    const failure = err as LiquidFailure;
    const pos = failure.token?.getPosition?.();
    return { ok: false, error: explainSyntaxError(template, String(failure.message), pos?.[0] ?? null, pos?.[1] ?? null) };
  }
}
