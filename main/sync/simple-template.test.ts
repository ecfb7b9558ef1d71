import { describe, expect, it } from 'vitest';
import { liquidEngine } from './liquid-engine';
import { compileSimpleTemplate, prepareTemplate } from './simple-template';

// The fast path must render exactly what liquidjs renders, with the engine options runs use.
const liquid = liquidEngine();
const viaLiquid = (template: string, scope: object) => liquid.renderSync(liquid.parse(template), scope) as string;

describe('simple templates', () => {
  it('compiles literal text and variable outputs, with or without | json, and nothing else', () => {
    for (const t of [
      '{"id": {{ row.id }}}',
      '{{row.name|json}}',
      'plain text',
      '',
      '{{ previous["odd name"] | json }} {{ run.id }}{{ key }}{{ event }}',
      "{{ row['a'].b }}",
      '} %} {',
    ])
      expect([t, typeof compileSimpleTemplate(t)]).toEqual([t, 'function']);
    for (const t of [
      '{% if row.id %}1{% endif %}', // tags
      '{{ row.name | upcase }}', // another filter
      '{{ row.name | json: 2 }}', // a filter argument
      '{{ row.name | json | upcase }}',
      '{{- row.name }}', // whitespace control
      '{{ row.name -}}',
      '{{ row.tags.size }}', // liquid's special properties
      '{{ row.tags.first }}',
      '{{ row.tags.last | json }}',
      '{{ row.tags[0] }}', // indexes
      '{{ row.first-name }}', // hyphens (liquid identifiers allow them)
      '{{ other.x }}', // not one of the scope's names
      '{{ "text" }}', // literals
      '{{ row.a }', // unclosed
      '{{ row.a }}{{',
      'a {%raw%}',
    ])
      expect([t, compileSimpleTemplate(t)]).toEqual([t, undefined]);
  });

  it('prepares a template once: compiled when simple, liquidjs otherwise, and a syntax error is liquidjs’ own', () => {
    expect(prepareTemplate(liquid, '{"id": {{ row.id }}}').compiled).toBe(true);
    const tagged = prepareTemplate(liquid, '{% if row.ok %}1{% else %}0{% endif %}');
    expect(tagged.compiled).toBe(false);
    expect(tagged.render({ row: { ok: true } })).toBe('1');
    expect(() => prepareTemplate(liquid, '{{ row.id ')).toThrow(/line:1, col:1/);
  });

  it('renders exactly what liquidjs renders on thousands of generated templates and rows', () => {
    let seed = 20261122;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const names = ['id', 'name', 'email', 'score', 'attrs', 'tags', 'note', 'odd name', 'size_', 'constructor', 'toLiquid', 'length', 'missing', 'n'];
    const scalar = () =>
      pick<unknown>(['', 'zoë "q" \\ {{x}} \n', '🎉', 'a b', 0, -0, 1, -3.5, 0.1 + 0.2, 1e21, 1e-7, Number.MAX_SAFE_INTEGER, true, false, null]);
    const value = (depth: number): unknown => {
      const kind = Math.floor(random() * (depth > 2 ? 1 : 4));
      if (kind === 0) return scalar();
      if (kind === 1) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [pick(names), value(depth + 1)]));
    };
    const row = () => Object.fromEntries(names.filter(() => random() < 0.7).map((n) => [n, value(0)]));
    const segment = () => {
      const name = pick(names);
      return /^[A-Za-z_]\w*$/.test(name) && random() < 0.7 ? `.${name}` : random() < 0.5 ? `["${name}"]` : `[ '${name}' ]`;
    };
    const output = () => {
      const root = pick(['row', 'row', 'row', 'previous', 'event', 'run', 'key']);
      const path = Array.from({ length: root === 'row' || root === 'previous' ? 1 + Math.floor(random() * 3) : Math.floor(random() * 2) }, segment).join('');
      return `{{${pick(['', ' ', '  '])}${root}${path}${pick(['', ' | json', '|json', ' |  json '])}${pick(['', ' '])}}}`;
    };
    const literal = () => pick(['', '{"a": ', ', ', ' }', '[', ']', '\n  "x y": ', '} {', '"', '%', ' ']);
    let compiled = 0;
    for (let k = 0; k < 3000; k++) {
      const template = Array.from({ length: 1 + Math.floor(random() * 6) }, () => literal() + output()).join('') + literal();
      const render = compileSimpleTemplate(template);
      if (!render) continue;
      compiled++;
      const scope = {
        key: String(k),
        event: pick(['added', 'changed', 'removed']),
        row: row(),
        previous: random() < 0.5 ? null : row(),
        run: { id: k, sync: 's', startedAt: '2026-11-22T00:00:00.000Z' },
      };
      expect([template, scope, render(scope)]).toEqual([template, scope, viaLiquid(template, scope)]);
    }
    expect(compiled).toBeGreaterThan(1500); // the rest hold a `{{{` or `{%` and are left to liquidjs
  });
});
