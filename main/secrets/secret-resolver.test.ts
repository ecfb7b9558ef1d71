import { describe, expect, it } from 'vitest';
import { Redactor } from './redactor';
import { SecretResolver } from './secret-resolver';
import type { SecretStore } from './secret-store';

// A secret from an environment variable: what a user is told when it is missing, and that its value
// is redacted from then on. (No keychain entry is read here: the store is never asked.)
const noKeychain = {} as SecretStore;

describe('a secret from an environment variable', () => {
  it('says whether the variable is not set or set but empty', async () => {
    const resolver = new SecretResolver(noKeychain, new Redactor(), { EMPTY: '' });
    await expect(resolver.resolve({ env: 'MISSING' })).rejects.toThrow('The environment variable MISSING is not set (a secret comes from it)');
    await expect(resolver.resolve({ env: 'EMPTY' })).rejects.toThrow('The environment variable EMPTY is empty (a secret comes from it)');
  });

  it('answers the value and redacts it from then on', async () => {
    const redactor = new Redactor();
    const resolver = new SecretResolver(noKeychain, redactor, { PG_PASSWORD: 'hunter2-long-secret' });
    expect(await resolver.resolve({ env: 'PG_PASSWORD' })).toBe('hunter2-long-secret');
    expect(redactor.redact('auth failed for hunter2-long-secret')).not.toContain('hunter2-long-secret');
  });
});
