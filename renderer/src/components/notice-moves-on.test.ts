import { describe, expect, it } from 'vitest';
import { movesOn } from './notice-moves-on';

/** An element that answers `closest` for the selectors it matches. */
const el = (matches: boolean) => ({ closest: (selector: string) => (matches && selector.includes('button') ? {} : null) });
const outside = () => false;

describe('a notice goes when the user moves on', () => {
  it('goes on an edit anywhere else: typing, choosing', () => {
    expect(movesOn('input', el(false), outside)).toBe(true);
    expect(movesOn('change', el(false), outside)).toBe(true);
  });

  it('goes on a click on something that acts (a button, a link, a tab), not on plain text', () => {
    expect(movesOn('click', el(true), outside)).toBe(true);
    expect(movesOn('click', el(false), outside)).toBe(false);
  });

  it('stays for what happens in the notice itself, and for targets that are no element', () => {
    expect(movesOn('click', el(true), () => true)).toBe(false);
    expect(movesOn('input', el(false), () => true)).toBe(false);
    expect(movesOn('click', null, outside)).toBe(false);
    expect(movesOn('input', { nodeType: 3 }, outside)).toBe(false);
  });
});
