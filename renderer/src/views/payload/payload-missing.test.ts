import { describe, expect, it } from 'vitest';
import { payloadMissing } from './payload-missing';
import type { PayloadDraft } from './drafts';

const draft: PayloadDraft = { mode: 'template', template: '{}', column: '', fields: [{ column: 'id', key: 'id' }] };

describe('what a payload draft still lacks, in words', () => {
  it('a template is complete as it is (its problems are the template checks’)', () => {
    expect(payloadMissing(draft)).toBeNull();
    expect(payloadMissing({ ...draft, column: '', fields: [{ column: '', key: '' }] })).toBeNull();
  });

  it('an empty template, or one of blanks only (it renders nothing, which is not JSON), says so', () => {
    expect(payloadMissing({ ...draft, template: '' })).toBe('The template is empty');
    expect(payloadMissing({ ...draft, template: ' \n\t ' })).toBe('The template is empty');
    expect(payloadMissing({ ...draft, mode: 'mapping', template: '' })).toBeNull();
  });

  it('one JSON column needs its column chosen', () => {
    expect(payloadMissing({ ...draft, mode: 'json-column' })).toBe('Choose the column to send');
    expect(payloadMissing({ ...draft, mode: 'json-column', column: 'doc' })).toBeNull();
  });

  it('the field mapper names the first field without a key or a column', () => {
    const mapping = (fields: PayloadDraft['fields']): PayloadDraft => ({ ...draft, mode: 'mapping', fields });
    expect(payloadMissing(mapping([{ column: 'id', key: 'id' }]))).toBeNull();
    expect(
      payloadMissing(
        mapping([
          { column: 'id', key: 'id' },
          { column: 'score', key: '' },
        ]),
      ),
    ).toBe('Field 2 has no key');
    expect(payloadMissing(mapping([{ column: '', key: 'zzz' }]))).toBe('Field 1 has no column');
    expect(
      payloadMissing(
        mapping([
          { column: 'id', key: 'id' },
          { column: '', key: '' },
          { column: 'x', key: '' },
        ]),
      ),
    ).toBe('Field 2 has no column and no key');
  });
});
