import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../shared/ipc/errors';
import { readBackOf, retryingRetriable } from './read-at';

// A read-back (the inspector's Open in stream, a test record's) tries a retriable refusal again; one Sluice
// has put in words (a broker or endpoint out of reach, main/destinations/kinds/*/unreachable.ts) keeps the
// client's error as its cause, and is tried again as the bare error was.

const loading = () => Object.assign(new Error("The coordinator is loading and hence can't process requests"), { retriable: true });

describe('readBackOf', () => {
  it('tries a retriable refusal again, bare or put in words, and gives up at once on one that is not', async () => {
    for (const refusal of [loading(), new SluiceError('unavailable', 'Could not read back orders-0@3 on b1:9092: loading', [], { cause: loading() })]) {
      let calls = 0;
      const read = () => (++calls === 1 ? Promise.reject(refusal) : Promise.resolve('read'));
      expect(await readBackOf(read), refusal.message).toBe('read');
      expect(calls).toBe(2);
    }
    let calls = 0;
    const refused = new SluiceError('unavailable', 'Could not read back orders-0@3 on 127.0.0.1:1: connect ECONNREFUSED', [], {
      cause: new Error('ECONNREFUSED'),
    });
    expect(await readBackOf(() => (++calls, Promise.reject(refused)))).toEqual({ failed: refused.message });
    expect(calls).toBe(1);
  });

  it("stops waiting when the test record is given up (its signal), with the signal's words, and tries nothing again", async () => {
    const controller = new AbortController();
    let calls = 0;
    const reading = readBackOf(() => (++calls, new Promise<string>(() => undefined)), controller.signal); // a read that never ends
    controller.abort(new Error('the test record was cancelled'));
    expect(await reading).toEqual({ failed: 'the test record was cancelled' });
    expect(calls).toBe(1);
    const retriableThenAborted = readBackOf(() => (++calls, Promise.reject(loading())), controller.signal);
    expect(await retriableThenAborted).toEqual({ failed: 'the test record was cancelled' });
    expect(calls).toBe(1); // given up already: not even asked
  });
});

describe('retryingRetriable', () => {
  it('an inspector read a coordinator still loading refuses is tried again until it answers; other refusals, and the fourth, are thrown as they are', async () => {
    let calls = 0;
    expect(await retryingRetriable(() => (++calls < 3 ? Promise.reject(loading()) : Promise.resolve('records')))).toBe('records');
    expect(calls).toBe(3);
    calls = 0;
    const refused = new Error('SASL authentication failed');
    await expect(retryingRetriable(() => (++calls, Promise.reject(refused)))).rejects.toBe(refused);
    expect(calls).toBe(1);
    calls = 0;
    await expect(retryingRetriable(() => (++calls, Promise.reject(loading())))).rejects.toThrow(/coordinator is loading/);
    expect(calls).toBe(4);
  }, 20_000);
});
