import { describe, expect, it } from 'vitest';
import { quotedList, retargetWords, runningWords, savedNotice, startOverWords } from './retarget-words';

describe('the words of a destination pointed elsewhere', () => {
  it('lists names in quotes, joined with "and"', () => {
    expect(quotedList([])).toBe('');
    expect(quotedList(['a'])).toBe('“a”');
    expect(quotedList(['a', 'b'])).toBe('“a” and “b”');
    expect(quotedList(['a', 'b', 'c'])).toBe('“a”, “b” and “c”');
  });

  it('says which syncs start over, agreeing with their number', () => {
    expect(startOverWords(['orders-to-x', 'people-to-x'], 'will')).toBe(
      'Its syncs “orders-to-x” and “people-to-x” will start over: their next runs send every row',
    );
    expect(startOverWords(['orders-to-x'], 'will')).toBe('Its sync “orders-to-x” will start over: its next run sends every row');
    expect(startOverWords(['orders-to-x'], 'done')).toBe('Its sync “orders-to-x” starts over: its next run sends every row');
  });

  it('says where the destination now points, a target each row names too', () => {
    expect(retargetWords('events', 'stream', 'second', 'us-east-1')).toBe('Saving points “events” at the stream “second” (us-east-1).');
    expect(retargetWords('events', 'topic', '', '')).toBe('Saving points “events” at the topic each row names.');
  });

  it('says which syncs run now, and nothing when none does', () => {
    expect(runningWords([])).toBe('');
    expect(runningWords(['a'])).toBe('“a” is running now: saving is refused until its run ends (wait for it or cancel it).');
    expect(runningWords(['a', 'b'])).toBe('“a” and “b” are running now: saving is refused until their runs end (wait for them or cancel them).');
  });

  it('confirms the save, with the syncs that started over', () => {
    expect(savedNotice('events', [], 'stream')).toBe('Saved "events".');
    expect(savedNotice('events', ['a', 'b'], 'stream')).toBe(
      'Saved "events". Its syncs “a” and “b” start over: their next runs send every row to its new stream.',
    );
  });
});
