import type { SecretReference } from '../../shared/config/names';
import { SluiceError } from '../../shared/ipc/errors';
import type { SourceSecretResolver } from './types';
import type { Redactor } from './redactor';
import type { SecretStore } from './secret-store';

/**
 * Resolves a secret reference from a config — a keychain entry saved in Sluice, or an environment
 * variable — and remembers the value for redaction.
 */
export class SecretResolver implements SourceSecretResolver {
  constructor(
    private readonly store: SecretStore,
    private readonly redactor: Redactor,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async resolve(ref: SecretReference): Promise<string> {
    if ('env' in ref) {
      const value = this.env[ref.env];
      if (value === undefined || value === '') throw new SluiceError('not-found', `The environment variable ${ref.env} is not set (a secret comes from it)`);
      this.redactor.remember(value);
      return value;
    }
    return this.store.reveal(ref.keychain);
  }

  remember(value: string): void {
    this.redactor.remember(value);
  }
}
