import { afterEach, describe, expect, it } from 'vitest';
import { askFirst, holdLeaving } from './leave-guard';

/** A draft that records each question it is asked; `discard()` answers Discard changes (releasing itself, then going on). */
function draft(holds: () => boolean = () => true) {
  const asked: Array<() => void> = [];
  const ask = (go: () => void) => void asked.push(go);
  const release = holdLeaving(ask, holds);
  return {
    ask,
    asked,
    release,
    discard() {
      release();
      asked.at(-1)!();
    },
  };
}

const releases: Array<() => void> = [];
const held = (holds?: () => boolean) => {
  const d = draft(holds);
  releases.push(d.release);
  return d;
};
afterEach(() => releases.splice(0).forEach((release) => release()));

describe('a move while drafts hold', () => {
  it('goes at once without a draft, or while a draft has no changes at the moment', () => {
    let changed = false;
    const d = held(() => changed);
    const moves: string[] = [];
    askFirst(() => moves.push('went'));
    expect(moves).toEqual(['went']);
    expect(d.asked).toHaveLength(0);
    changed = true; // a keystroke not rendered yet: the draft says so when asked
    askFirst(() => moves.push('again'));
    expect(moves).toEqual(['went']);
    expect(d.asked).toHaveLength(1);
  });

  it('asks each draft with changes in turn, the latest first, and goes once every one is discarded', () => {
    const [settings, name] = [held(), held()];
    const moves: string[] = [];
    askFirst(() => moves.push('went'));
    expect([settings.asked.length, name.asked.length]).toEqual([0, 1]);
    name.discard();
    expect([settings.asked.length, moves]).toEqual([1, []]);
    settings.discard();
    expect(moves).toEqual(['went']);
  });

  it('until the first draft answers Discard (never, on Keep editing), no other is asked and nothing goes', () => {
    const [settings, name] = [held(), held()];
    const moves: string[] = [];
    askFirst(() => moves.push('went'));
    expect([settings.asked.length, name.asked.length, moves]).toEqual([0, 1, []]);
  });

  it('leaves out the draft making the move itself (its own Rename)', () => {
    const [settings, name] = [held(), held()];
    const moves: string[] = [];
    askFirst(() => moves.push('renamed'), name.ask);
    expect([settings.asked.length, name.asked.length]).toEqual([1, 0]);
    settings.discard();
    expect(moves).toEqual(['renamed']);
    name.release();
    settings.release();
    askFirst(() => moves.push('free'));
    expect(moves).toEqual(['renamed', 'free']);
  });
});
