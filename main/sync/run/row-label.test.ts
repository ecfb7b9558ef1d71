import { describe, expect, it } from 'vitest';
import { rowLabel } from './record-maker';

describe('rowLabel', () => {
  it('names a row by its number, key and event, and a removal (no row in the model) as a removed row', () => {
    expect(rowLabel({ rowNumber: 7, key: '7', event: 'added' })).toBe('Row 7 (key 7, added)');
    // It read "Row (removed) (key 1, removed)".
    expect(rowLabel({ rowNumber: null, key: '1', event: 'removed' })).toBe('Removed row (key 1)');
  });
});
