import { describe, expect, it } from 'vitest';
import { hasKeychainSecret, inUseWords } from './in-use';

describe('inUseWords', () => {
  it('says what uses a source, model or destination and what to do, in one sentence each', () => {
    expect(inUseWords({ kind: 'source', name: 'warehouse' }, { kind: 'model', names: ['big', 'orders'] })).toBe(
      'The source "warehouse" cannot be deleted: the models "big", "orders" read it. Delete them or point them at another source first.',
    );
    expect(inUseWords({ kind: 'model', name: 'orders' }, { kind: 'sync', names: ['out'] })).toBe(
      'The model "orders" cannot be deleted: the sync "out" sends it. Delete it or point it at another model first.',
    );
    expect(inUseWords({ kind: 'destination', name: 'sb' }, { kind: 'sync', names: ['a', 'b'] })).toBe(
      'The destination "sb" cannot be deleted: the syncs "a", "b" send to it. Delete or change them first.',
    );
  });
});

describe('hasKeychainSecret', () => {
  it('finds a keychain reference anywhere in a definition, and none in the sandbox’s', () => {
    expect(hasKeychainSecret({ kind: 'sandbox-kinesis', name: 'sb', stream: 's', shards: 2 })).toBe(false);
    expect(hasKeychainSecret({ kind: 'kafka', sasl: { password: { keychain: 'kafka/pw' } } })).toBe(true);
    expect(hasKeychainSecret({ kind: 'kafka', headers: [{ env: 'X' }] })).toBe(false);
    expect(hasKeychainSecret({ auth: { mode: 'keys', secretAccessKey: [{ keychain: 'aws' }] } })).toBe(true);
  });
});
