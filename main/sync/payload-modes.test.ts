import { describe, expect, it } from 'vitest';
import { mappingToTemplate } from '../../shared/payload/mapping-template';
import { PayloadRenderer } from './payload-renderer';

const ctx = (row: Record<string, unknown>) => ({
  key: '1',
  event: 'added' as const,
  row: row as never,
  previous: null,
  run: { id: 1, sync: 's', startedAt: '' },
});
const ROWS = [
  { id: 1, email: 'zoë@example.com', score: 0.1, big: '9007199254740993', attrs: { vip: true, tags: ['a'] }, note: null, 'odd "name"': 'x' },
  { id: 2, email: 'quote"and\\backslash', score: -3, big: '1', attrs: null, note: 'line\nbreak', 'odd "name"': '' },
];

describe('payload modes', () => {
  it('a mapping and the template made from it produce identical JSON', () => {
    const fields = [
      { column: 'id', key: 'customer.id' },
      { column: 'email', key: 'customer.contact.email' },
      { column: 'score', key: 'score' },
      { column: 'big', key: 'ids.external' },
      { column: 'attrs', key: 'customer.attributes' },
      { column: 'note', key: 'note' },
      { column: 'odd "name"', key: 'odd' },
    ];
    const mapping = new PayloadRenderer({ mode: 'mapping', fields }, { kind: 'primary-key' });
    const template = new PayloadRenderer({ mode: 'template', template: mappingToTemplate(fields) }, { kind: 'primary-key' });
    for (const row of ROWS) expect(template.renderJson(ctx(row))).toBe(mapping.renderJson(ctx(row)));
    expect(mappingToTemplate(fields)).toContain('"contact": {\n      "email": {{ row["email"] | json }}');
  });

  it("a mapping sends a number column's value carried as text (past 2^53, past a double) as the number, every digit; a text column's digits stay a string", () => {
    const fields = [
      { column: 'id', key: 'id' },
      { column: 'n', key: 'deep.n' },
      { column: 'x', key: 'x' },
      { column: 'ext', key: 'ext' },
      { column: 'small', key: 'small' },
    ];
    const numbers = ['id', 'n', 'x', 'small'];
    const mapping = new PayloadRenderer({ mode: 'mapping', fields }, { kind: 'primary-key' }, undefined, numbers);
    const row = { id: '12345678901234567890', n: '-9007199254740993', x: '1e400', ext: '12345678901234567890', small: 7 };
    const sent = '{"id":12345678901234567890,"deep":{"n":-9007199254740993},"x":1e400,"ext":"12345678901234567890","small":7}';
    expect(mapping.renderJson(ctx(row))).toBe(sent);
    expect(mapping.renderBytes(ctx(row)).toString('utf8')).toBe(sent);
    // What is not a number a double cannot hold stays as it is carried, in a number column too.
    const other = { id: 'abc', n: '123', x: 'NaN', ext: '1', small: null };
    expect(mapping.renderJson(ctx(other))).toBe('{"id":"abc","deep":{"n":"123"},"x":"NaN","ext":"1","small":null}');
    // Without the model's column types (a source that cannot say): as before, a string.
    expect(new PayloadRenderer({ mode: 'mapping', fields }, { kind: 'primary-key' }).renderJson(ctx(row))).toBe(
      '{"id":"12345678901234567890","deep":{"n":"-9007199254740993"},"x":"1e400","ext":"12345678901234567890","small":7}',
    );
    // The template made from the mapping with the same columns sends the same bytes.
    const template = new PayloadRenderer({ mode: 'template', template: mappingToTemplate(fields, numbers) }, { kind: 'primary-key' });
    expect(template.renderBytes(ctx(row)).toString('utf8')).toBe(sent);
    expect(template.renderJson(ctx({ ...row, id: 0, small: null }))).toBe(mapping.renderJson(ctx({ ...row, id: 0, small: null })));
  });

  it('a JSON column is sent minified with its numbers exactly as written', () => {
    const r = new PayloadRenderer({ mode: 'json-column', column: 'doc' }, { kind: 'primary-key' });
    expect(r.renderJson(ctx({ doc: '{ "id": 12345678901234567890, "a": [1, 2] }' }))).toBe('{"id":12345678901234567890,"a":[1,2]}');
    // A JSON column gets no template hints: it has no template.
    expect(() => r.renderJson(ctx({ doc: '{"a": }' }))).toThrow(/^The column "doc" is not valid JSON: unexpected "}" at line 1, column 7$/);
  });

  it('a run sends exactly the bytes the preview shows, and names the same error', () => {
    const templates = [
      '{ "id": {{ row.id }}, "email": {{ row.email | json }}, "big": {{ row.big }}, "attrs": {{ row.attrs | json }} }',
      '\u00a0 [ {{ row.score }} , "{{ row.id }}" ]\n', // Unicode space around the output: trimmed, as the preview does
      '"{{ row.note }}"', // a raw newline inside a string: not JSON
      '{"email": {{ row.email }}}', // a string without quotes
    ];
    for (const template of templates) {
      const r = new PayloadRenderer({ mode: 'template', template }, { kind: 'primary-key' });
      for (const row of ROWS) {
        let preview: string | Error;
        try {
          preview = r.renderJson(ctx(row));
        } catch (err) {
          preview = err as Error;
        }
        if (preview instanceof Error) expect(() => r.renderBytes(ctx(row))).toThrow(preview.message);
        else expect(r.renderBytes(ctx(row)).toString('utf8')).toBe(preview);
      }
    }
    const big = new PayloadRenderer({ mode: 'template', template: '{"text": {{ row.text | json }}}' }, { kind: 'primary-key' });
    const text = 'é '.repeat(40_000); // past the scratch buffer
    expect(big.renderBytes(ctx({ text })).toString('utf8')).toBe(JSON.stringify({ text }));
    expect(big.renderBytes(ctx({ text: 'short' })).toString('utf8')).toBe('{"text":"short"}'); // the scratch's old bytes do not leak
  });

  it('a NULL output plainly breaks the JSON: the error says which column was null in this row, and what writes null', () => {
    const r = new PayloadRenderer(
      { mode: 'template', template: '{"id": {{ row.id }}, "score": {{row.score}}, "n": {{ row.note | json }}}' },
      { kind: 'primary-key' },
    );
    expect(r.renderJson(ctx({ id: 1, score: 2, note: null }))).toBe('{"id":1,"score":2,"n":null}');
    expect(() => r.renderBytes(ctx({ id: 1, score: null, note: null }))).toThrow(
      'The template output is not valid JSON: unexpected "," at line 1, column 20 (strings need "quotes"; the json filter adds them: {{ row.name | json }}). row.score is null in this row, which renders as nothing: {{ row.score | json }} writes null',
    );
    // Inside a JSON string a null is valid (it renders ""): the unquoted text broke it, not the null.
    const quoted = new PayloadRenderer({ mode: 'template', template: '{"note": "{{ row.note }}", "name": {{ row.name }}}' }, { kind: 'primary-key' });
    expect(() => quoted.renderBytes(ctx({ note: null, name: 'bob' }))).toThrow(
      /not valid JSON: unexpected "bob" at line 1, column 22 \(strings need "quotes"; the json filter adds them: \{\{ row\.name \| json \}\}\)$/,
    );
  });

  it('refuses mapping keys that would lose a value (apply and a run construct the renderer first), naming the field', () => {
    const mapping = (keys: string[]) => () =>
      new PayloadRenderer({ mode: 'mapping', fields: keys.map((key, i) => ({ column: `c${i}`, key })) }, { kind: 'primary-key' });
    expect(mapping(['x', 'x.y'])).toThrow('The mapping\'s key "x" (field 1) and "x.y" (field 2) overlap: one value would replace the other');
    expect(mapping(['x.y', 'x'])).toThrow('The mapping\'s key "x.y" (field 1) and "x" (field 2) overlap');
    expect(mapping(['a', 'b', 'a'])).toThrow('The mapping\'s key "a" (field 1) is the key of field 3 too: one value would be lost');
    expect(mapping(['a..b'])).toThrow('The mapping\'s key "a..b" (field 1) has an empty part: write names between the dots');
    expect(mapping(['customer.id', 'customer.email', 'id', 'xy', 'x.z'])).not.toThrow();
    // A part naming an object's machinery lost its value, or set a field on every object of the process.
    expect(mapping(['id', '__proto__.polluted'])).toThrow(
      'The mapping\'s key "__proto__.polluted" (field 2) has the part "__proto__", which cannot be a field\'s name here',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // "constructor" and "prototype" are field names like any other (an event's schema may have them): kept, with their values.
    const machinery = new PayloadRenderer(
      { mode: 'mapping', fields: ['constructor', 'a.prototype', 'toString'].map((key, i) => ({ column: `c${i}`, key })) },
      { kind: 'primary-key' },
    );
    expect(machinery.renderBytes(ctx({ c0: 1, c1: 'x', c2: null })).toString()).toBe('{"constructor":1,"a":{"prototype":"x"},"toString":null}');
  });
});
