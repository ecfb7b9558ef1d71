/**
 * Template problems found while editing, in words a person understands, at the template's line and
 * column: Liquid syntax errors (liquidjs' messages rewritten), variables the model does not have
 * (with the closest column as a suggestion), and output that is not JSON for a previewed row, mapped
 * back from the output to the part of the template that wrote it.
 *
 * Pure: liquidjs only parses and analyses here (no rendering, no file system); the rows are rendered
 * by the engine, which renders `outputProbe`'s template so the output of each part can be told apart.
 */
import { LIQUID_OPTIONS } from './liquid-options';
import { Liquid, TokenKind, type Template } from 'liquidjs';
import { findJsonError, positionOf } from '../json/errors';

export type DiagnosticSeverity = 'error' | 'warning';

/** A problem at a range of the template (1-based lines and columns; the end column is exclusive). */
export interface TemplateDiagnostic {
  severity: DiagnosticSeverity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** The engine's options (main/sync/payload-renderer.ts `liquidEngine`): the same template parses the same way. */
function engine(): Liquid {
  return new Liquid({ ...LIQUID_OPTIONS, templates: {} });
}

let shared: Liquid | undefined;
const liquid = (): Liquid => (shared ??= engine());

/** The names a payload template starts from (the engine's RenderContext). */
export const TEMPLATE_ROOTS = ['row', 'previous', 'event', 'key', 'run'] as const;
const RUN_FIELDS = ['id', 'sync', 'startedAt'];
/** Properties liquidjs answers on any object (sizes, first and last elements). */
const SPECIAL = new Set(['size', 'first', 'last']);

const BLOCK_END: Record<string, string> = {
  if: 'endif',
  unless: 'endunless',
  for: 'endfor',
  case: 'endcase',
  capture: 'endcapture',
  comment: 'endcomment',
  raw: 'endraw',
  tablerow: 'endtablerow',
};
const OPENER_OF: Record<string, string> = {
  else: 'if',
  elsif: 'if',
  when: 'case',
  ...Object.fromEntries(Object.entries(BLOCK_END).map(([open, end]) => [end, open])),
};

// ---------------------------------------------------------------------------------------------
// Suggestions

/** Edit distance with adjacent transpositions (optimal string alignment): "emial" is 1 from "email". */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

const squash = (s: string) => s.toLowerCase().replace(/[\s_-]/g, '');

/**
 * The candidate a mistyped name most likely meant, or undefined when none is close: the same name
 * but for case, underscores, dashes and spaces first, else the nearest within a third of its length.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const same = candidates.find((c) => squash(c) === squash(name));
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

// ---------------------------------------------------------------------------------------------
// Ranges

function rangeOf(template: string, start: number, end: number, severity: DiagnosticSeverity, message: string): TemplateDiagnostic {
  const from = positionOf(template, start);
  const to = positionOf(template, Math.max(end, start + 1));
  return { severity, message, line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
}

/** Offset of a 1-based line and column. */
export function offsetOf(template: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = template.indexOf('\n', offset);
    if (next < 0) return template.length;
    offset = next + 1;
  }
  return Math.min(template.length, offset + column - 1);
}

/** The end of the rest of the line from `start` (or of the text). */
function lineEnd(template: string, start: number): number {
  const nl = template.indexOf('\n', start);
  return nl < 0 ? template.length : nl;
}

// ---------------------------------------------------------------------------------------------
// Syntax errors

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

const quote = (s: string) => `“${s}”`;

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

function explain(template: string, raw: string, offset: number): Explained | undefined {
  let m: RegExpExecArray | null;
  // An output or tag whose closing delimiter never comes.
  if (/^(output|tag) ".*" not closed$/s.test(raw)) {
    const opener = { at: offset, output: raw.startsWith('output') };
    return notClosed(template, opener);
  }
  if (raw === 'expected "|" before filter') {
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
  if ((m = /^tag (\{%.*%\}) not closed$/s.exec(raw))) {
    const tag = tagAt(template, offset);
    const name = tag?.name ?? /\{%-?\s*(\w+)/.exec(m[1]!)?.[1] ?? 'block';
    const end = BLOCK_END[name];
    const fix = end ? `add {% ${end} %} where the block ends` : 'close the block';
    return { message: `This {% ${name} %} block is not closed: ${fix}`, start: offset, end: tag?.end ?? offset + 2 };
  }
  if ((m = /^raw ".*" not closed$/s.exec(raw))) {
    const at = template.lastIndexOf('{%', offset);
    return { message: 'This {% raw %} block is not closed: add {% endraw %} where the block ends', start: Math.max(0, at), end: offset };
  }
  if ((m = /^tag "([^"]+)" not found$/.exec(raw))) {
    const name = m[1]!;
    const tag = tagAt(template, offset);
    const end = tag?.end ?? offset + 2;
    const opener = OPENER_OF[name];
    if (opener) {
      const where =
        name === 'else' || name === 'elsif' || name === 'when'
          ? `is outside an {% ${opener} %} block`
          : `closes nothing: there is no open {% ${opener} %} before it`;
      return { message: `{% ${name} %} ${where}`, start: offset, end };
    }
    const known = [...Object.keys(liquid().tags), ...Object.keys(OPENER_OF)];
    const guess = closestName(name, known);
    return { message: `There is no Liquid tag called ${quote(name)}${guess ? `: did you mean {% ${guess} %}?` : ''}`, start: offset, end };
  }
  if ((m = /^undefined filter: (.+)$/.exec(raw))) {
    const name = m[1]!;
    const close = template.indexOf('}}', offset);
    const tagText = template.slice(offset, close < 0 ? lineEnd(template, offset) : close);
    const at = new RegExp(`\\|\\s*(${name.replace(/[^\w]/g, '\\$&')})\\b`).exec(tagText);
    const start = at ? offset + at.index + at[0].length - name.length : offset;
    const guess = closestName(name, Object.keys(liquid().filters));
    return { message: `There is no filter called ${quote(name)}${guess ? `: did you mean ${guess}?` : ''}`, start, end: start + name.length };
  }
  if (raw === 'invalid value expression: ""') {
    const opener = openerBefore(template, offset);
    if (opener?.output)
      return {
        message: 'This output tag is empty: put a value in it, as in {{ row.id }}',
        start: opener.at,
        end: Math.min(template.indexOf('}}', opener.at) + 2 || opener.at + 2, lineEnd(template, opener.at)),
      };
    return { message: 'A value is missing here', start: opener?.at ?? offset, end: offset + 1 };
  }
  if (raw === 'expected filter name') return { message: 'A filter name is missing after |', start: Math.max(0, offset - 1), end: offset + 1 };
  if (raw === '[ not closed') return { message: 'This [ is not closed: add ]', start: template.lastIndexOf('[', offset), end: offset };
  if ((m = /^illegal tag: (\{%.*%\})$/s.exec(raw))) {
    const tag = tagAt(template, offset);
    const example = tag?.name === 'for' ? ': write it as {% for item in row.items %}' : tag?.name === 'assign' ? ': write it as {% assign name = value %}' : '';
    return { message: `This {% ${tag?.name ?? 'tag'} %} tag is incomplete${example}`, start: offset, end: tag?.end ?? offset + 2 };
  }
  if (raw === 'expected variable name') return { message: 'A variable name is missing here, as in {% assign name = value %}', start: offset, end: offset + 1 };
  if (raw === 'invalid capture name') return { message: 'capture needs a variable name, as in {% capture name %}', start: offset, end: offset + 1 };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Parsing and variables

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

const PATH = /^[A-Za-z_][\w-]*(?:\s*\.\s*[A-Za-z_][\w-]*|\s*\[[^\]\n]*\])*/;

/**
 * Variables the template reads that the row does not have (`row.fullname` when the model has
 * `full_name`; `previous.` too), and names that are not the template's (`rows.id`), each with a
 * suggestion when one is close. Local names (assign, capture, for) are not warned about.
 */
export function unknownVariables(template: string, templates: Template[], columns: readonly string[]): TemplateDiagnostic[] {
  const analysis = liquid().analyzeSync(templates, { partials: false });
  const out: TemplateDiagnostic[] = [];
  const warn = (line: number, col: number, message: string) => {
    const start = offsetOf(template, line, col);
    const path = PATH.exec(template.slice(start, start + 300))?.[0] ?? 'x';
    out.push(rangeOf(template, start, start + path.length, 'warning', message));
  };
  for (const [root, uses] of Object.entries(analysis.globals)) {
    for (const use of uses) {
      const { row, col } = use.location;
      const field = use.segments[1];
      if (root === 'row' || root === 'previous') {
        if (typeof field !== 'string' || columns.length === 0 || columns.includes(field) || SPECIAL.has(field)) continue;
        const guess = closestName(field, columns);
        warn(
          row,
          col,
          guess
            ? `${root}.${field} is not a column of this model: did you mean ${root}.${guess}?`
            : `${root}.${field} is not a column of this model, so it renders as nothing`,
        );
      } else if (root === 'run') {
        if (typeof field !== 'string' || RUN_FIELDS.includes(field)) continue;
        const guess = closestName(field, RUN_FIELDS);
        warn(row, col, `run has no ${quote(field)} (it has id, sync and startedAt)${guess ? `: did you mean run.${guess}?` : ''}`);
      } else if (!(TEMPLATE_ROOTS as readonly string[]).includes(root)) {
        const guess = closestName(root, TEMPLATE_ROOTS);
        warn(
          row,
          col,
          `${root} is not defined, so it renders as nothing${guess ? `: did you mean ${guess}?` : ' (a template reads row, previous, event, key and run)'}`,
        );
      }
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Everything wrong with a template that can be known without rendering it. */
export function diagnoseTemplate(template: string, columns: readonly string[]): { syntax: TemplateDiagnostic | null; warnings: TemplateDiagnostic[] } {
  const parsed = parseTemplate(template);
  if (!parsed.ok) return { syntax: parsed.error, warnings: [] };
  return { syntax: null, warnings: unknownVariables(template, parsed.templates, columns) };
}

// ---------------------------------------------------------------------------------------------
// Output that is not JSON, mapped back to the template

/** One top-level part of a template: literal text, an output, or a tag with its whole block. */
export interface TemplateSegment {
  kind: 'text' | 'output' | 'tag';
  /** Where the part is in the template. */
  start: number;
  end: number;
  /** The text a literal part writes (after whitespace control); empty for outputs and tags. */
  text: string;
  /** Where that text starts in the template. */
  textStart: number;
}

/** The template's top-level parts, in order (a block, `{% if %}` … `{% endif %}`, is one part). */
export function templateSegments(template: string, templates: Template[]): TemplateSegment[] {
  return templates.map((t, i) => {
    const token = t.token as { begin: number; end: number; kind: TokenKind; trimLeft?: number | boolean; trimRight?: number | boolean };
    const next = templates[i + 1]?.token.begin ?? template.length;
    if (token.kind === TokenKind.HTML) {
      const left = Number(token.trimLeft ?? 0);
      const right = Number(token.trimRight ?? 0);
      return { kind: 'text', start: token.begin, end: token.end, text: template.slice(token.begin + left, token.end - right), textStart: token.begin + left };
    }
    return { kind: token.kind === TokenKind.Output ? 'output' : 'tag', start: token.begin, end: next, text: '', textStart: token.begin };
  });
}

const PROBE_VAR = (i: number) => `sluice_probe_${i}`;

/**
 * A template that renders the given template's parts one by one, as a JSON array of strings: their
 * concatenation is exactly the template's output, and where a JSON error falls tells which part
 * wrote it. Undefined when the template does not parse.
 */
export function outputProbe(template: string): { probe: string; segments: TemplateSegment[] } | undefined {
  const parsed = parseTemplate(template);
  if (!parsed.ok) return undefined;
  const segments = templateSegments(template, parsed.templates);
  const captures = segments.map((s, i) => `{% capture ${PROBE_VAR(i)} %}${s.kind === 'text' ? s.text : template.slice(s.start, s.end)}{% endcapture %}`);
  const list = segments.map((_, i) => `{{ ${PROBE_VAR(i)} | json }}`).join(',');
  return { probe: `${captures.join('')}[${list}]`, segments };
}

/** The output of a probe (the engine's rendered `data`) as the parts' outputs, if it is one. */
export function probeParts(data: string | null, count: number): string[] | undefined {
  if (data === null) return undefined;
  try {
    const parts = JSON.parse(data) as unknown;
    return Array.isArray(parts) && parts.length === count && parts.every((p) => typeof p === 'string') ? (parts as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Open brackets at the end of JSON-ish text (outside strings), with where each was opened. */
function openBrackets(text: string): { char: '{' | '['; at: number }[] {
  const stack: { char: '{' | '['; at: number }[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') stack.push({ char: c, at: i });
    else if ((c === '}' || c === ']') && stack.length) stack.pop();
  }
  return stack;
}

/** Whether `offset` of the text is inside a JSON string (scanning from the start). */
function insideString(text: string, offset: number): boolean {
  let inString = false;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i]!;
    if (inString && c === '\\') i++;
    else if (c === '"') inString = !inString;
  }
  return inString;
}

/** findJsonError's words, for a template author. */
function plainJsonError(message: string): string {
  let m: RegExpExecArray | null;
  message = message.replace(/"""/g, 'a "…" string');
  if ((m = /^expected "," or "([}\]])", found (.+)$/.exec(message))) return `a , or ${m[1]} is missing before ${m[2]}`;
  if ((m = /^expected a "quoted" key, found (.+)$/.exec(message))) return `a key must be "quoted" (found ${m[1]})`;
  if ((m = /^expected ":" after the key, found (.+)$/.exec(message))) return `a : is missing after the key (found ${m[1]})`;
  if ((m = /^unexpected (.+) after the end of the JSON value$/.exec(message))) return `${m[1]} comes after the end of the JSON value`;
  if ((m = /^unexpected (.+)$/.exec(message))) return `${m[1]} is not a JSON value (text needs "quotes")`;
  return message;
}

const snippet = (s: string) => JSON.stringify(s.length > 24 ? `${s.slice(0, 24)}…` : s);

/**
 * Where the template went wrong for one row whose output is not JSON: the parts' outputs (from the
 * probe) are joined, the first JSON error found, and its place traced to the template text, output
 * tag or block that wrote it. Undefined when the output is JSON.
 */
export function locateOutputError(
  template: string,
  segments: readonly TemplateSegment[],
  parts: readonly string[],
  key: string,
): TemplateDiagnostic | undefined {
  const text = parts.join('');
  const body = text.trim();
  const lead = text.length - text.trimStart().length;
  const error = findJsonError(body);
  if (!error) return undefined;
  const offset = lead + error.offset;
  const starts: number[] = [];
  let total = 0;
  for (const p of parts) {
    starts.push(total);
    total += p.length;
  }
  const segmentAt = (out: number) => segments.findIndex((_, i) => out >= starts[i]! && out < starts[i]! + parts[i]!.length);
  const templateOffset = (out: number): number | undefined => {
    const i = segmentAt(out);
    const s = segments[i];
    return s?.kind === 'text' ? s.textStart + (out - starts[i]!) : s?.start;
  };
  const forKey = `for key ${key}`;

  // The output ended before the JSON did: a closing bracket (or a value) is missing at the end.
  if (error.offset >= body.length) {
    let last = -1;
    for (let i = segments.length - 1; i >= 0 && last < 0; i--) if (parts[i]!.trim()) last = i;
    const s = segments[Math.max(0, last)];
    let end = template.trimEnd().length;
    if (s?.kind === 'text') end = s.textStart + s.text.trimEnd().length;
    else if (s) end = s.start + template.slice(s.start, s.end).trimEnd().length;
    const open = openBrackets(body);
    const closers = open
      .map((o) => (o.char === '{' ? '}' : ']'))
      .reverse()
      .join('');
    let message: string;
    if (closers && !/string/.test(error.message)) {
      const opened = templateOffset(lead + open[0]!.at);
      const where = opened !== undefined ? ` opened on line ${positionOf(template, opened).line}` : '';
      message = `The JSON is not finished ${forKey}: add ${closers} at the end to close the ${open[0]!.char === '{' ? 'object' : 'array'}${where}`;
    } else
      message = `The JSON ends too early ${forKey}: ${error.message === 'a string that is never closed' ? 'a string is never closed' : 'a value is missing at the end'}`;
    return rangeOf(template, Math.max(0, end - 1), end, 'error', message);
  }

  // An output that wrote nothing where a value belongs (a null or missing value without | json).
  const empty = segments.findIndex((s, i) => s.kind === 'output' && parts[i] === '' && starts[i] === offset);
  if (empty >= 0 && /^unexpected|^expected a "quoted"/.test(error.message)) {
    const s = segments[empty]!;
    const tag = template.slice(s.start, s.end).trim();
    const json = /\|\s*json\b/.test(tag);
    const message = json
      ? `${tag} writes nothing ${forKey}: the value is missing`
      : `${tag} writes nothing ${forKey} (the value is null or missing), so the JSON has no value here: | json writes null`;
    return rangeOf(template, s.start, s.start + tag.length, 'error', message);
  }

  const i = segmentAt(offset);
  const s = segments[i];
  if (!s) return undefined;
  if (s.kind === 'text') {
    const at = s.textStart + (offset - starts[i]!);
    return rangeOf(template, at, at + 1, 'error', `The output is not JSON here ${forKey}: ${plainJsonError(error.message)}`);
  }
  const tag = template.slice(s.start, s.end).trim();
  const firstLine = tag.split('\n')[0]!;
  const range = (message: string) => rangeOf(template, s.start, s.start + (s.kind === 'output' ? tag.length : firstLine.length), 'error', message);
  if (s.kind === 'output') {
    const value = parts[i]!;
    const json = /\|\s*json\b/.test(tag);
    if (insideString(text, starts[i]!)) {
      return range(
        json
          ? `${tag} is inside "quotes", but | json adds its own: remove the quotes around it`
          : `${tag} writes ${snippet(value)} ${forKey}, which breaks the JSON string around it (a quote, backslash or line break): write ${tag.replace(/\s*-?\}\}$/, ' | json }}')} without the quotes`,
      );
    }
    return range(
      json
        ? `${tag} writes ${snippet(value)} ${forKey}, which is not JSON here: ${plainJsonError(error.message)}`
        : `${tag} writes ${snippet(value)} ${forKey}, which is not JSON: add | json to write it as a JSON value, as in ${tag.replace(/\s*-?\}\}$/, ' | json }}')}`,
    );
  }
  const name = /^\{%-?\s*(\w+)/.exec(tag)?.[1] ?? 'tag';
  return range(`What this {% ${name} %} ${BLOCK_END[name] ? 'block' : 'tag'} writes ${forKey} is not JSON here: ${plainJsonError(error.message)}`);
}
