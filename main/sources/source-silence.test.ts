import { describe, expect, it } from 'vitest';
import { PROBE_AFTER_MS, SILENCE_LIMIT_ENV, SILENCE_LIMIT_MS, SILENCE_SHOWN_MS, SilenceWatch, silenceLimitMs } from './source-silence';

describe('the silence of a source a read waits on', () => {
  it('nothing waiting is no silence: no probe, no give-up, nothing shown', () => {
    const watch = new SilenceWatch();
    expect(watch.step(1_000_000, 1000)).toBe('wait');
    expect(watch.silentMs(1_000_000)).toBe(0);
    watch.asked(0);
    watch.answered();
    expect(watch.step(1_000_000, 1000)).toBe('wait');
    expect(watch.shown(1_000_000)).toBeNull();
  });

  it('a request with no answer is probed after PROBE_AFTER_MS, one probe at a time, and again PROBE_AFTER_MS after the last', () => {
    const watch = new SilenceWatch();
    watch.asked(10_000);
    expect(watch.step(10_000 + PROBE_AFTER_MS - 1, SILENCE_LIMIT_MS)).toBe('wait');
    expect(watch.step(10_000 + PROBE_AFTER_MS, SILENCE_LIMIT_MS)).toBe('probe');
    // The probe is out: no second one.
    expect(watch.step(10_000 + 4 * PROBE_AFTER_MS, SILENCE_LIMIT_MS)).toBe('wait');
    watch.probed(false, 20_000);
    expect(watch.step(20_000 + PROBE_AFTER_MS - 1, SILENCE_LIMIT_MS)).toBe('wait');
    expect(watch.step(20_000 + PROBE_AFTER_MS, SILENCE_LIMIT_MS)).toBe('probe');
  });

  it('a server that says nothing is shown from SILENCE_SHOWN_MS in whole seconds, and given up at the limit', () => {
    const watch = new SilenceWatch();
    watch.asked(0);
    expect(watch.shown(SILENCE_SHOWN_MS - 1)).toBeNull();
    expect(watch.shown(SILENCE_SHOWN_MS)).toBe(SILENCE_SHOWN_MS / 1000);
    expect(watch.shown(12_999)).toBe(12);
    watch.step(PROBE_AFTER_MS, 60_000);
    watch.probed(false, PROBE_AFTER_MS + 3000); // unanswered probes do not count as a word
    expect(watch.silentMs(59_999)).toBe(59_999);
    expect(watch.step(59_999, 60_000)).not.toBe('give-up');
    expect(watch.step(60_000, 60_000)).toBe('give-up');
  });

  it('an answered probe (a server busy with a slow query) is a word: the silence starts again from it', () => {
    const watch = new SilenceWatch();
    watch.asked(0);
    expect(watch.step(PROBE_AFTER_MS, 10_000)).toBe('probe');
    watch.probed(true, 9_000);
    expect(watch.silentMs(15_000)).toBe(6_000);
    expect(watch.shown(15_000)).toBe(6);
    expect(watch.step(18_999, 10_000)).not.toBe('give-up');
    // A new request starts its own silence; a probe of the last one answered late does not shorten it.
    watch.answered();
    watch.asked(50_000);
    expect(watch.silentMs(51_000)).toBe(1_000);
  });

  it('the limit is five minutes unless a test sets it', () => {
    expect(SILENCE_LIMIT_MS).toBe(300_000);
    expect(silenceLimitMs({})).toBe(300_000);
    expect(silenceLimitMs({ [SILENCE_LIMIT_ENV]: '1500' })).toBe(1500);
    expect(silenceLimitMs({ [SILENCE_LIMIT_ENV]: 'soon' })).toBe(300_000);
    expect(silenceLimitMs({ [SILENCE_LIMIT_ENV]: '0' })).toBe(300_000);
  });
});
