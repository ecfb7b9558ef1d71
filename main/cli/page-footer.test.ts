import { describe, expect, it } from 'vitest';
import { pageFooter } from './page-footer';

const LEDGER = ['record in the ledger', 'records in the ledger'] as const;

describe("a listing's footer", () => {
  it('says the count with words that agree with it', () => {
    expect(pageFooter(1, 1, LEDGER, null, 'x')).toBe('1 record in the ledger');
    expect(pageFooter(0, 0, LEDGER, null, 'x')).toBe('0 records in the ledger');
    expect(pageFooter(8, 8, LEDGER, null, 'x')).toBe('8 records in the ledger');
    expect(pageFooter(1, 1, ['failed or rejected record', 'failed or rejected records'], null, 'x')).toBe('1 failed or rejected record');
  });

  it('says how many a page shows, and the command for the next page', () => {
    expect(pageFooter(1000, 2500, LEDGER, 1000, 'sluice ledger 3 --limit 1000')).toBe(
      '1,000 of 2,500 records in the ledger shown. Next page: sluice ledger 3 --limit 1000 --after 1000',
    );
    expect(pageFooter(1, 3, LEDGER, null, 'x')).toBe('3 records in the ledger (1 shown)');
  });
});
