/**
 * A fast path for the templates most payloads are: literal text and outputs of a variable, with or
 * without `| json`, e.g. `{"id": {{ row.id }}, "name": {{ row.name | json }}}`. Such a template is
 * compiled once into its parts and rendered by string concatenation, with the same output as
 * liquidjs (same property lookup with ownPropertyOnly, same stringification, same json filter); a test
 * holds the two to each other on generated templates and rows. Anything else (tags, other filters,
 * filter arguments, whitespace control, indexes, the special `size`/`first`/`last`) is not compiled,
 * and liquidjs renders it as before.
 */

import type { Liquid } from 'liquidjs';

type Part = { literal: string } | { root: string; path: string[]; json: boolean };

/** The names a payload template's variables start from (RenderContext's own properties). */
const ROOTS = new Set(['row', 'previous', 'event', 'run', 'key']);
/** Property names liquidjs treats specially (sizes, first and last elements). */
const SPECIAL = new Set(['size', 'first', 'last']);

const OUTPUT = /\{\{([\s\S]*?)\}\}/g;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SEGMENT = /\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*(?:"([^"'\\{}[\]]*)"|'([^"'\\{}[\]]*)')\s*\]/y;

export type SimpleTemplate = (scope: object) => string;

/** A template ready to render many times: compiled when it is of the simple kind, else liquidjs'. */
export interface PreparedTemplate {
  render: SimpleTemplate;
  /** Whether it renders without liquidjs (string concatenation). */
  compiled: boolean;
}

/** Parses a template once (a syntax error throws liquidjs' own error, with its position). */
export function prepareTemplate(liquid: Liquid, source: string): PreparedTemplate {
  const parsed = liquid.parse(source);
  const simple = compileSimpleTemplate(source);
  return simple ? { render: simple, compiled: true } : { render: (scope) => liquid.renderSync(parsed, scope) as string, compiled: false };
}

/** The template compiled, or undefined when it is not one of the simple kind. */
export function compileSimpleTemplate(source: string): SimpleTemplate | undefined {
  const parts: Part[] = [];
  let last = 0;
  for (const m of source.matchAll(OUTPUT)) {
    const literal = source.slice(last, m.index);
    if (!plainLiteral(literal)) return undefined;
    if (literal) parts.push({ literal });
    const output = parseOutput(m[1]!);
    if (!output) return undefined;
    parts.push(output);
    last = m.index + m[0].length;
  }
  const tail = source.slice(last);
  if (!plainLiteral(tail)) return undefined;
  if (tail) parts.push({ literal: tail });
  return (scope) => {
    let out = '';
    for (const part of parts) {
      if ('literal' in part) {
        out += part.literal;
        continue;
      }
      const value = lookUp(scope, part.root, part.path);
      out += part.json ? (JSON.stringify(value) ?? '') : stringify(value);
    }
    return out;
  };
}

/** Literal text between outputs: no tags and nothing liquidjs would read as the start of one. */
function plainLiteral(text: string): boolean {
  return !text.includes('{%') && !text.includes('{{');
}

/** `{{ path }}` or `{{ path | json }}` (the braces already stripped), or undefined. */
function parseOutput(inner: string): Part | undefined {
  if (inner.startsWith('-') || inner.endsWith('-')) return undefined; // whitespace control
  const [expression, ...filters] = inner.split('|').map((s) => s.trim());
  if (filters.length > 1 || (filters.length === 1 && filters[0] !== 'json')) return undefined;
  const rootMatch = /^[A-Za-z_][A-Za-z0-9_]*/.exec(expression!);
  if (!rootMatch || !ROOTS.has(rootMatch[0]) || !IDENTIFIER.test(rootMatch[0])) return undefined;
  const path: string[] = [];
  let at = rootMatch[0].length;
  while (at < expression!.length) {
    SEGMENT.lastIndex = at;
    const seg = SEGMENT.exec(expression!);
    if (!seg) return undefined;
    const name = seg[1] ?? seg[2] ?? seg[3]!;
    if (SPECIAL.has(name)) return undefined;
    path.push(name);
    at = SEGMENT.lastIndex;
  }
  return { root: rootMatch[0], path, json: filters.length === 1 };
}

const own = Object.prototype.hasOwnProperty;

/** liquidjs' lookup with ownPropertyOnly: a missing own property is undefined; null and undefined stop the walk. */
function lookUp(scope: object, root: string, path: string[]): unknown {
  let value: unknown = own.call(scope, root) ? (scope as Record<string, unknown>)[root] : undefined;
  for (const name of path) {
    if (value === null || value === undefined) return value;
    value = own.call(value, name) ? (value as Record<string, unknown>)[name] : undefined;
  }
  return value;
}

/** liquidjs' output of a value: strings as they are, nothing for null, arrays joined, the rest String(). */
function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(stringify).join('');
  return String(value);
}
