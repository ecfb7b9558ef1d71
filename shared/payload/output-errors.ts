// Output that is not JSON for a previewed row, mapped back from the output to the part of the
// template that wrote it (through `outputProbe`, a template the engine renders part by part).
import { TokenKind, type Template } from 'liquidjs';
import { findJsonError, positionOf } from '../json/errors';
import { BLOCK_END } from './liquid-engine';
import { parseTemplate } from './liquid-syntax-errors';
import { rangeOf, type TemplateDiagnostic } from './template-ranges';

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

/** The joined output of a probe's parts, with where each part starts in it. */
interface ProbeOutput {
  template: string;
  segments: readonly TemplateSegment[];
  parts: readonly string[];
  text: string;
  starts: number[];
  forKey: string;
}

/** Which part wrote the output at `out`. */
const segmentAt = (o: ProbeOutput, out: number) => o.segments.findIndex((_, i) => out >= o.starts[i]! && out < o.starts[i]! + o.parts[i]!.length);

/** The template offset that wrote the output at `out`: the character of literal text, or the start of the tag. */
function templateOffset(o: ProbeOutput, out: number): number | undefined {
  const i = segmentAt(o, out);
  const s = o.segments[i];
  return s?.kind === 'text' ? s.textStart + (out - o.starts[i]!) : s?.start;
}

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
  const starts: number[] = [];
  let total = 0;
  for (const p of parts) {
    starts.push(total);
    total += p.length;
  }
  const o: ProbeOutput = { template, segments, parts, text, starts, forKey: `for key ${key}` };
  if (error.offset >= body.length) return endedEarly(o, body, lead, error.message);
  const offset = lead + error.offset;
  return emptyOutput(o, offset, error.message) ?? atPart(o, offset, error.message);
}

/** The output ended before the JSON did: a closing bracket (or a value) is missing at the end. */
function endedEarly(o: ProbeOutput, body: string, lead: number, error: string): TemplateDiagnostic {
  const { template, segments, parts, forKey } = o;
  let last = -1;
  for (let i = segments.length - 1; i >= 0 && last < 0; i--) if (parts[i]!.trim()) last = i;
  const s = segments[Math.max(0, last)];
  let end = template.trimEnd().length;
  if (s?.kind === 'text') end = s.textStart + s.text.trimEnd().length;
  else if (s) end = s.start + template.slice(s.start, s.end).trimEnd().length;
  const open = openBrackets(body);
  const closers = open
    .map((b) => (b.char === '{' ? '}' : ']'))
    .reverse()
    .join('');
  let message: string;
  if (closers && !/string/.test(error)) {
    const opened = templateOffset(o, lead + open[0]!.at);
    const where = opened !== undefined ? ` opened on line ${positionOf(template, opened).line}` : '';
    message = `The JSON is not finished ${forKey}: add ${closers} at the end to close the ${open[0]!.char === '{' ? 'object' : 'array'}${where}`;
  } else
    message = `The JSON ends too early ${forKey}: ${error === 'a string that is never closed' ? 'a string is never closed' : 'a value is missing at the end'}`;
  return rangeOf(template, Math.max(0, end - 1), end, 'error', message);
}

/** An output that wrote nothing where a value belongs (a null or missing value without | json). */
function emptyOutput(o: ProbeOutput, offset: number, error: string): TemplateDiagnostic | undefined {
  const { template, segments, parts, starts, forKey } = o;
  const empty = segments.findIndex((s, i) => s.kind === 'output' && parts[i] === '' && starts[i] === offset);
  if (empty < 0 || !/^unexpected|^expected a "quoted"/.test(error)) return undefined;
  const s = segments[empty]!;
  const tag = template.slice(s.start, s.end).trim();
  const message = /\|\s*json\b/.test(tag)
    ? `${tag} writes nothing ${forKey}: the value is missing`
    : `${tag} writes nothing ${forKey} (the value is null or missing), so the JSON has no value here: | json writes null`;
  return rangeOf(template, s.start, s.start + tag.length, 'error', message);
}

/** The error inside what one part wrote: literal text, an output tag (quotes, a missing | json), or a block. */
function atPart(o: ProbeOutput, offset: number, error: string): TemplateDiagnostic | undefined {
  const { template, segments, parts, text, starts, forKey } = o;
  const i = segmentAt(o, offset);
  const s = segments[i];
  if (!s) return undefined;
  if (s.kind === 'text') {
    const at = s.textStart + (offset - starts[i]!);
    return rangeOf(template, at, at + 1, 'error', `The output is not JSON here ${forKey}: ${plainJsonError(error)}`);
  }
  const tag = template.slice(s.start, s.end).trim();
  const firstLine = tag.split('\n')[0]!;
  const range = (message: string) => rangeOf(template, s.start, s.start + (s.kind === 'output' ? tag.length : firstLine.length), 'error', message);
  if (s.kind !== 'output') {
    const name = /^\{%-?\s*(\w+)/.exec(tag)?.[1] ?? 'tag';
    return range(`What this {% ${name} %} ${BLOCK_END[name] ? 'block' : 'tag'} writes ${forKey} is not JSON here: ${plainJsonError(error)}`);
  }
  const value = parts[i]!;
  const json = /\|\s*json\b/.test(tag);
  const withJson = tag.replace(/\s*-?\}\}$/, ' | json }}');
  if (insideString(text, starts[i]!)) {
    return range(
      json
        ? `${tag} is inside "quotes", but | json adds its own: remove the quotes around it`
        : `${tag} writes ${snippet(value)} ${forKey}, which breaks the JSON string around it (a quote, backslash or line break): write ${withJson} without the quotes`,
    );
  }
  return range(
    json
      ? `${tag} writes ${snippet(value)} ${forKey}, which is not JSON here: ${plainJsonError(error)}`
      : `${tag} writes ${snippet(value)} ${forKey}, which is not JSON: add | json to write it as a JSON value, as in ${withJson}`,
  );
}
