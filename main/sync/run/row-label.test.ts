import { describe, expect, it } from 'vitest';
import { rowLabel } from './record-maker';

describe('rowLabel', () => {
  it('names a row by its number, key and event, and a removal (no row in the model) as a removed row', () => {
    expect(rowLabel({ rowNumber: 7, key: '7', event: 'added' }, 'row')).toBe('Row 7 (key 7, added)');
    // A file's rows are numbered by their lines (a CSV's header is line 1).
    expect(rowLabel({ rowNumber: 7, key: '6', event: 'changed' }, 'line')).toBe('Line 7 (key 6, changed)');
    // It read "Row (removed) (key 1, removed)".
    expect(rowLabel({ rowNumber: null, key: '1', event: 'removed' }, 'line')).toBe('Removed row (key 1)');
  });
});
