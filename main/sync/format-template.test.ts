import { describe, expect, it } from 'vitest';
import { formatTemplate, sameMeaning } from '../../shared/payload/format-template';
import { defaultTemplate, WHOLE_ROW_TEMPLATE } from '../../shared/payload/default-template';
import { mappingToTemplate } from '../../shared/payload/mapping-template';
import { PayloadRenderer, type RenderContext } from './payload-renderer';

// *Format* in the payload editor may never change what a row is sent as: every template below is
// rendered by the engine's own renderer, before and after Format, for rows that render and rows that
// fail, and the bytes sent (or the failure) must be the same.

type Row = RenderContext['row'];
const ROWS: Row[] = [
  { id: 1, name: 'Ann', email: 'ann@example.com', n: 7, tags: 'a b', active: 1, note: null },
  { id: 2, name: 'Bo "the" Tester', email: null, n: 0, tags: '', active: 0, note: 'line\nbreak' },
  { id: 3, name: '  spaced  ', email: 'x@y', n: -12.5, tags: '{ not json', active: 1, note: '}' },
  { id: 4, name: 'ünïcødé ✓', email: '', n: 123456789.25, tags: 'x', active: 0, note: '{"a": 1}' },
];

function ctx(row: Row, event: RenderContext['event'] = 'added'): RenderContext {
  return {
    key: String(row.id),
    event,
    row,
    previous: event === 'changed' ? { ...row, name: 'Old' } : null,
    run: { id: 9, sync: 's', startedAt: '2026-01-01T00:00:00.000Z' },
  };
}

/** What a run does with each row: the bytes it sends, or the error that rejects the row. */
function sent(template: string): string[] {
  const r = new PayloadRenderer({ mode: 'template', template }, { kind: 'primary-key' });
  const out: string[] = [];
  for (const row of ROWS) {
    for (const event of ['added', 'changed', 'removed'] as const) {
      try {
        out.push(`ok ${r.renderBytes(ctx(row, event)).toString('utf8')}`);
      } catch (err) {
        out.push(`error ${(err as Error).message.replace(/line \d+, column \d+/g, 'line ?, column ?')}`);
      }
    }
  }
  return out;
}

const TEMPLATES = [
  defaultTemplate(['id', 'name', 'email']),
  WHOLE_ROW_TEMPLATE,
  mappingToTemplate([
    { column: 'id', key: 'id' },
    { column: 'email', key: 'contact.email' },
    { column: 'name', key: 'contact.name' },
  ]),
  '{"id":{{row.id}},"name":"{{ row.name }}","tags":[{% for t in (1..2) %}{{t}}{% unless forloop.last %},{% endunless %}{% endfor %}]}',
  '{"id": {{ row.id }},{% if row.email %}"email": {{ row.email | json }},{% endif %}"n":{{row.n}}}',
  // a number glued to a Liquid output: no whitespace may come between them
  '{"n": 1{{ row.active }}, "m": -{{ row.n }}, "e": 1e{{ row.active }}}',
  // text inside strings, across tags, and whitespace control
  '{ "greeting" : "Hello,   {{ row.name }} {% if row.email %}({{ row.email }}){% endif %}" ,\n\n\n "x":{{- row.id -}} }',
  '{"event": {{ event | json }}, {% case event %}{% when "removed" %}"gone": true{% when "changed" %}"was": {{ previous.name | json }}{% else %}"new": true{% endcase %}}',
  // raw, comment and capture stay as they are
  '{"raw": "{% raw %}{{ not liquid }}   {  {% endraw %}", {% comment %} a { comment } {% endcomment %}"c": {% capture who %}{ "{{ row.name }}" ,  x }{% endcapture %}{{ who | json }}}',
  '{% assign full = row.name | append: " " | append: row.email %}{"full": {{ full | json }}, "list": [ {{ row.id }} , {{ row.n }} ], "empty": {}, "none": [ ]}',
  // output that is not JSON for some rows, or at all
  '{"tags": {{ row.tags }}, "note": {{ row.note }}}',
  '{"a": {{ row.id }} {{ row.n }}, "b": true false}',
  '{"a": 1,}',
  '[1, 2, {"deep": [[{"deeper": {"deepest": {{ row.id }}}}]]}]',
  '{"echo": {% echo row.id %}, "inc": {% increment counter %}, "cyc": "{% cycle "a", "b" %}"}',
  '  \n{"trailing": {{ row.id }}}   \n\n',
  '{"key" :{{key|json}},"unicode":"✓ {{ row.name }}","escaped":"a\\"b\\\\{{row.id}}"}',
];

describe('Format for payload templates', () => {
  it.each(TEMPLATES.map((t) => [t]))('sends exactly what it sent before: %s', (template) => {
    const result = formatTemplate(template);
    if (!result.ok) throw new Error(result.reason);
    expect(sent(result.text)).toEqual(sent(template));
    expect(sameMeaning(template, result.text)).toBe(true);
    // Formatting twice changes nothing more.
    const again = formatTemplate(result.text);
    expect(again.ok && again.text).toBe(result.text);
  });

  it('lays out the JSON skeleton one member per line, Liquid blocks on lines of their own', () => {
    const result = formatTemplate('{"id":{{row.id}},{% if row.email %}"email":{{row.email|json}},{% endif %}"tags":[1,2],"empty":{}}');
    expect(result).toEqual({
      ok: true,
      text: [
        '{',
        '  "id": {{row.id}},',
        '  {% if row.email %}',
        '    "email": {{row.email|json}},',
        '  {% endif %}',
        '  "tags": [',
        '    1,',
        '    2',
        '  ],',
        '  "empty": {}',
        '}',
      ].join('\n'),
    });
  });

  it('never puts whitespace inside a string, a tag, or between a number and a Liquid output', () => {
    const result = formatTemplate('{"a":"x , { y }: {{ row.id }}","n":1{{row.active}},"m": 2 {{row.n}}}');
    expect(result.ok && result.text).toBe('{\n  "a": "x , { y }: {{ row.id }}",\n  "n": 1{{row.active}},\n  "m": 2 {{row.n}}\n}');
  });

  it('leaves a template it cannot read as it is, saying why', () => {
    expect(formatTemplate('{"a": "unclosed}')).toEqual({ ok: false, reason: 'Format leaves this template as it is: it has a string that is not closed.' });
    expect(formatTemplate('{"a": {{ row.id }')).toMatchObject({ ok: false, reason: expect.stringContaining('{{ that is not closed') });
    expect(formatTemplate('{"a": {% include "x" %}}')).toMatchObject({ ok: false, reason: expect.stringContaining('{% include %}') });
    expect(formatTemplate('{% raw %}{"a": 1}')).toMatchObject({ ok: false, reason: expect.stringContaining('without its {% endraw %}') });
  });

  it('sameMeaning tells a whitespace change that matters from one that does not', () => {
    expect(sameMeaning('{"a":1}', '{\n  "a": 1\n}')).toBe(true);
    expect(sameMeaning('{"a":"x y"}', '{"a":"x  y"}')).toBe(false);
    expect(sameMeaning('{"a":1{{x}}}', '{"a":1 {{x}}}')).toBe(false);
    expect(sameMeaning('{"a":1 {{x}}}', '{"a":1\n{{x}}}')).toBe(true);
  });
});
