import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { closestName, diagnoseTemplate, editDistance, locateOutputError, outputProbe, probeParts, type TemplateDiagnostic } from './template-diagnostics';

// The engine's options (main/sync/payload-renderer.ts): rendering the probe here stands in for the engine's preview.
const liquid = new Liquid({ strictFilters: true, ownPropertyOnly: true, greedy: false });
const COLUMNS = ['id', 'email', 'full_name', 'first_name', 'city'];

const syntax = (template: string): TemplateDiagnostic => {
  const { syntax: error } = diagnoseTemplate(template, COLUMNS);
  if (!error) throw new Error('expected a syntax error');
  return error;
};
const warnings = (template: string) => diagnoseTemplate(template, COLUMNS).warnings;

/** Renders a template through its probe, as the editor asks the engine to, and locates the JSON error. */
function locate(template: string, row: Record<string, unknown>, key = '1'): TemplateDiagnostic | undefined {
  const probe = outputProbe(template)!;
  const data = liquid.parseAndRenderSync(probe.probe, { row, previous: null, event: 'added', key, run: { id: 0 } }) as string;
  const parts = probeParts(data, probe.segments.length)!;
  expect(parts.join('')).toBe(liquid.parseAndRenderSync(template, { row, previous: null, event: 'added', key, run: { id: 0 } }));
  return locateOutputError(template, probe.segments, parts, key);
}

describe('names', () => {
  it('measures edits with transpositions and suggests the closest name', () => {
    expect(editDistance('email', 'email')).toBe(0);
    expect(editDistance('emial', 'email')).toBe(1);
    expect(editDistance('fullname', 'full_name')).toBe(1);
    expect(closestName('fullname', COLUMNS)).toBe('full_name');
    expect(closestName('FullName', COLUMNS)).toBe('full_name');
    expect(closestName('emial', COLUMNS)).toBe('email');
    expect(closestName('zzzzzz', COLUMNS)).toBeUndefined();
  });
});

describe('syntax errors in words a person understands', () => {
  it('an output missing one } says where to add }}, at the output tag (not where liquidjs noticed)', () => {
    const error = syntax('{\n  "email": {{row.email_address},\n  "id": {{ row.id }}\n}');
    expect(error.message).toBe('This output tag is not closed: add }} after row.email_address');
    expect(error).toMatchObject({ severity: 'error', line: 2, column: 12, endLine: 2 });
  });

  it('an output never closed at all, and a tag never closed', () => {
    expect(syntax('{"a": {{ row.id }')).toMatchObject({ message: 'This output tag is not closed: add }} after row.id', line: 1, column: 7 });
    expect(syntax('{"a": {% if row.id }1{% endif %}}').message).toBe('This tag is not closed: add %} after if row.id');
  });

  it('a block without its end tag names the end tag to add', () => {
    const error = syntax('{\n  "id": {{ row.id }},\n  "x": {% if row.id %}1\n}');
    expect(error).toMatchObject({ message: 'This {% if %} block is not closed: add {% endif %} where the block ends', line: 3, column: 8 });
    expect(syntax('{% for x in row.list %}{{ x }}').message).toContain('add {% endfor %}');
  });

  it('unknown filters and tags get a suggestion; stray end tags say what they lack', () => {
    const filter = syntax('{"a": {{ row.id | jsn }}}');
    expect(filter.message).toBe('There is no filter called “jsn”: did you mean json?');
    expect(filter).toMatchObject({ line: 1, column: 19, endColumn: 22 });
    expect(syntax('{% iff row.id %}1{% endif %}').message).toBe('There is no Liquid tag called “iff”: did you mean {% if %}?');
    expect(syntax('{"a": 1}{% endif %}').message).toBe('{% endif %} closes nothing: there is no open {% if %} before it');
    expect(syntax('{% else %}').message).toBe('{% else %} is outside an {% if %} block');
  });

  it('an empty output and a single = say what to write', () => {
    expect(syntax('{"a": {{ }}}').message).toBe('This output tag is empty: put a value in it, as in {{ row.id }}');
    expect(syntax('{% if row.id = 1 %}1{% endif %}').message).toBe('Compare with == (a single = is not an operator here)');
  });

  it('a valid template has no syntax error', () => {
    expect(diagnoseTemplate('{"id": {{ row.id }}, "email": {{ row.email | json }}}', COLUMNS).syntax).toBeNull();
  });
});

describe('unknown variables', () => {
  it('warns of a column the model does not have, with the closest one, for row. and previous.', () => {
    const found = warnings('{\n  "name": {{ row.fullname | json }},\n  "was": {{ previous.emial | json }}\n}');
    expect(found.map((w) => w.message)).toEqual([
      'row.fullname is not a column of this model: did you mean row.full_name?',
      'previous.emial: did you mean previous.email? (previous is the row as last delivered: it may also hold columns this model no longer has)',
    ]);
    expect(found[0]).toMatchObject({ severity: 'warning', line: 2, column: 14, endLine: 2, endColumn: 26 });
    expect(found[1]).toMatchObject({ line: 3, column: 13 });
  });

  it('never says previous.x is not a column: previous is the row as last delivered, with the columns it had then', () => {
    // The editor: a column the model no longer has may well be in the last delivered row.
    expect(warnings('{"prev_amount": {{ previous.amount | json }}}')).toEqual([]);
    // A run's row: judged by the columns its previous has.
    const run = (previous: string[] | null) =>
      diagnoseTemplate('{"prev_amount": {{ previous.amount }}}', ['id'], 'row', previous).warnings.map((w) => w.message);
    expect(run(['id', 'amount'])).toEqual([]);
    expect(run(['id', 'amout'])).toEqual(['previous.amount is not in the row as last delivered: did you mean previous.amout?']);
    expect(run(['id'])).toEqual(['previous.amount is not in the row as last delivered, so it renders as nothing']);
    expect(run(null)).toEqual(['previous.amount renders as nothing: this row has no previous (it was not delivered before)']);
  });

  it('reads bracket names, names nothing close, and knows the template roots', () => {
    expect(warnings('{{ row["fulname"] }}')[0]!.message).toBe('row.fulname is not a column of this model: did you mean row.full_name?');
    expect(warnings('{{ row.nothing_like_it }}')[0]!.message).toBe('row.nothing_like_it is not a column of this model, so it renders as nothing');
    expect(warnings('{{ rows.id }}')[0]!.message).toBe('rows is not defined, so it renders as nothing: did you mean row?');
    expect(warnings('{{ run.startedat }}')[0]!.message).toContain('did you mean run.startedAt?');
  });

  it('says nothing of columns that exist, local names, or when the columns are not known yet', () => {
    expect(
      warnings(
        '{% assign n = row.first_name %}{% for c in row.city %}{{ c }}{% endfor %}{{ n }}{{ row.id }}{{ event }}{{ key }}{{ run.id }}{{ row.email.size }}',
      ),
    ).toEqual([]);
    expect(diagnoseTemplate('{{ row.whatever }}', []).warnings).toEqual([]);
  });
});

describe('output that is not JSON, traced back to the template', () => {
  const row = { id: 1, email: 'ada@example.com', full_name: 'Ada Lovelace', first_name: 'Ada', city: null, quote: 'say "hi"' };

  it('a template missing its final } is marked on its last line, naming what to add', () => {
    const template = '{\n  "id": {{ row.id }},\n  "email": {{ row.email | json }}\n';
    expect(locate(template, row)).toMatchObject({
      message: 'The JSON is not finished for key 1: add } at the end to close the object opened on line 1',
      line: 3,
      column: 33,
    });
    expect(locate('{"a": [1, {{ row.id }}', row)!.message).toContain('add ]}');
  });

  it('text without quotes is blamed on the output tag that wrote it', () => {
    const found = locate('{\n  "id": {{ row.id }},\n  "name": {{ row.first_name }}\n}', row)!;
    expect(found).toMatchObject({ line: 3, column: 11, endLine: 3, endColumn: 31 });
    expect(found.message).toBe(
      '{{ row.first_name }} writes "Ada" for key 1, which is not JSON: add | json to write it as a JSON value, as in {{ row.first_name | json }}',
    );
  });

  it('a null value without | json writes nothing where a value belongs', () => {
    const found = locate('{"id": {{ row.id }}, "city": {{ row.city }}}', row)!;
    expect(found.message).toBe('{{ row.city }} writes nothing for key 1 (the value is null or missing), so the JSON has no value here: | json writes null');
    expect(found).toMatchObject({ line: 1, column: 30 });
  });

  it('a quote inside a quoted output breaks the string; | json inside quotes is doubled', () => {
    expect(locate('{"q": "{{ row.quote }}"}', row)!.message).toContain('which breaks the JSON string around it');
    expect(locate('{"q": "{{ row.quote | json }}"}', row)!.message).toBe(
      '{{ row.quote | json }} is inside "quotes", but | json adds its own: remove the quotes around it',
    );
  });

  it('a mistake in the literal text is marked where it is, also after whitespace control', () => {
    expect(locate('{\n  "id": {{ row.id }}\n  "email": {{ row.email | json }}\n}', row)).toMatchObject({
      message: 'The output is not JSON here for key 1: a , or } is missing before a "…" string',
      line: 3,
      column: 3,
    });
    expect(locate('{\n  "id": {{- row.id -}}\n  x\n}', row)).toMatchObject({ line: 3, column: 3 });
  });

  it('a block that writes bad JSON is marked at its opening tag', () => {
    const found = locate('{\n  "plan": {% if row.id == 1 %}free{% else %}"paid"{% endif %}\n}', row)!;
    expect(found).toMatchObject({ line: 2, column: 11 });
    expect(found.message).toContain('What this {% if %} block writes for key 1 is not JSON here');
  });

  it('output that is JSON has nothing to report, and a template that does not parse has no probe', () => {
    expect(locate('{"id": {{ row.id }}, "name": {{ row.full_name | json }}}', row)).toBeUndefined();
    expect(outputProbe('{{ row.id ')).toBeUndefined();
    expect(probeParts('not json', 1)).toBeUndefined();
  });
});
