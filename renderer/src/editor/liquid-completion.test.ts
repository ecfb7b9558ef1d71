import { describe, expect, it } from 'vitest';
import { completionWanted, insideTag } from './liquid-completion';

describe('Liquid completions', () => {
  it('knows when the cursor is inside a tag', () => {
    expect(insideTag('{"a": {{ row.')).toBe(true);
    expect(insideTag('{"a": {{ row.id }}, "b": ')).toBe(false);
    expect(insideTag('{% if row.x %}')).toBe(false);
    expect(insideTag('{% if ')).toBe(true);
  });

  it('offers nothing for a character typed in the JSON between tags, except %', () => {
    expect(completionWanted('{"a": ', '{"a": ', ' ')).toBe('none');
    expect(completionWanted('{"a": {%', '{"a": {%', '%')).toBe('tags');
    expect(completionWanted('{"a": ', '{"a": ', null)).toBe('variables');
  });

  it('offers columns, filters, tags or variables by what comes before the cursor', () => {
    expect(completionWanted('{{ row.', '{{ row.', '.')).toBe('columns');
    expect(completionWanted('{{ previous.na', '{{ previous.na', null)).toBe('columns');
    expect(completionWanted('{{ row.id | ', '{{ row.id | ', ' ')).toBe('filters');
    expect(completionWanted('{%- ', '{%- ', ' ')).toBe('tags');
    expect(completionWanted('{{ ', '{{ ', ' ')).toBe('variables');
  });
});
