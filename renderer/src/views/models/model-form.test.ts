import { describe, expect, it } from 'vitest';
import { keptKey, saveHint, toggledKey, wholeFileText } from './model-form';

describe('the model form', () => {
  it('adds a ticked key column last and drops a cleared one', () => {
    expect(toggledKey(['a'], 'b', true)).toEqual(['a', 'b']);
    expect(toggledKey(['b', 'a'], 'b', true)).toEqual(['a', 'b']);
    expect(toggledKey(['a', 'b'], 'a', false)).toEqual(['b']);
  });

  it('keeps only the key columns the new preview has', () => {
    expect(keptKey(['id', 'gone'], [{ name: 'id' }, { name: 'email' }])).toEqual(['id']);
  });

  it('says what a file model reads and what Save still needs', () => {
    expect(wholeFileText('csv')).toBe('The whole file is the model: every row of the CSV file.');
    expect(wholeFileText('ndjson')).toBe('The whole file is the model: every row of the NDJSON file.');
    expect(saveHint(false, 0)).toBe('Preview the model, then pick its primary key.');
    expect(saveHint(true, 0)).toBe('Pick the primary key from the preview’s columns.');
    expect(saveHint(true, 1)).toBeNull();
  });
});
