import { describe, expect, it } from 'vitest';
import { liquidEngine } from './liquid-engine';
import { PayloadRenderer } from './payload-renderer';

const render = (template: string, row: Record<string, unknown> = {}) => liquidEngine().parseAndRenderSync(template, { row });

describe('the json filter', () => {
  it('writes Liquid\'s nil as null and empty and blank as "" (liquidjs wrote the objects they are: {})', () => {
    expect(render('{{ nil | json }}')).toBe('null');
    expect(render('{{ empty | json }}')).toBe('""');
    expect(render('{{ blank | json }}')).toBe('""');
    expect(render('{{ row.v | default: nil | json }}', { v: null })).toBe('null');
    expect(render('{{ row.v | default: nil | json }}', {})).toBe('null');
    // Inside an array or object too.
    expect(render('{{ row.a | push: nil | json }}', { a: [1] })).toBe('[1,null]');
    expect(render('{{ row.s | unshift: nil | json }}', { s: ['x'] })).toBe('[null,"x"]');
    expect(render('{{ row.a | push: empty | json }}', { a: [] })).toBe('[""]');
  });

  it('writes every other value as before', () => {
    expect(render('{{ row.v | json }}', { v: null })).toBe('null');
    expect(render('{{ row.v | default: nil | json }}', { v: 5 })).toBe('5');
    expect(render('{{ row.v | json }}', { v: ['a', null, { b: '' }] })).toBe('["a",null,{"b":""}]');
    expect(render('{{ row.v | json: 2 }}', { v: { a: 1 } })).toBe('{\n  "a": 1\n}');
    expect(render('{{ row.v | json }}', { v: 'x"y' })).toBe('"x\\"y"');
    expect(render('{% for x in (1..1) %}{{ forloop.index | json }}{% endfor %}')).toBe('1');
    expect(render('{% for x in (1..2) %}{{ forloop | json }}{% endfor %}')).toBe('{"i":0,"length":2,"name":"x-(1..2)"}{"i":1,"length":2,"name":"x-(1..2)"}');
  });

  it('a missing NDJSON field sent as null through default: nil, in the record a run sends', () => {
    const renderer = new PayloadRenderer(
      { mode: 'template', template: '{"id": {{ row.id }}, "v": {{ row.v | default: nil | json }}}' },
      { kind: 'primary-key' },
    );
    const ctx = { key: '3', event: 'added' as const, row: { id: 3 }, previous: null, run: { id: 1, sync: 's', startedAt: '2026-12-05T00:00:00.000Z' } };
    expect(renderer.render(ctx).data.toString()).toBe('{"id":3,"v":null}');
  });
});
