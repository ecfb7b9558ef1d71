import { afterEach, describe, expect, it } from 'vitest';
import { openTestEngine, trusted } from '../testing/engine';

// Inputs from the renderer or the CLI are bounded: an oversized value is refused with a message saying
// which field and why, before any handler reads it.

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});
async function engine() {
  const t = await openTestEngine();
  closers.push(t.close);
  return t.engine;
}

const long = (n: number) => 'x'.repeat(n);

describe('input bounds', () => {
  it.each([
    ['saveTemplateTest', { sync: 's', key: '1', expected: long(262_145) }, 'expected', 'at most 262144 characters'],
    ['saveTemplateTest', { sync: 's', key: long(1025), expected: '{}' }, 'key', 'at most 1024 characters'],
    ['saveTemplateTest', { sync: long(101), key: '1', expected: '{}' }, 'sync', 'at most 100 characters'],
    ['listTemplateTests', { sync: long(101) }, 'sync', 'at most 100 characters'],
    ['inspectTargets', { destination: long(101) }, 'destination', 'at most 100 characters'],
    ['deleteDestination', { name: long(101) }, 'name', 'at most 100 characters'],
    ['destinationPolicy', { destination: long(101) }, 'destination', 'at most 100 characters'],
    ['inspectRead', { destination: 'd', shards: [long(129)] }, 'shards.0', 'at most 128 characters'],
    ['previewRouting', { sync: 's', ratePerSecond: 1e12 }, 'ratePerSecond', 'at most 10,000,000'],
    [
      'previewRouting',
      { sync: 's', firehose: { routes: Array.from({ length: 101 }, (_, i) => ({ match: `e${i}`, stream: 's' })) } },
      'firehose.routes',
      'At most 100',
    ],
  ] as const)('%s refuses an oversized %s', async (channel, input, path, message) => {
    const e = await engine();
    const result = await e.dispatcher.dispatch(channel, input, trusted);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-input');
    expect(result.error.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringContaining(message) as unknown })]));
  });
});
