import type { DestinationDraft } from '../../shared/config/destination';
import type { SecretReference } from '../../shared/config/names';
import { SluiceError } from '../../shared/ipc/errors';
import { credentialsOf, credentialKey, refKey } from './endpoint-identity';
import { assertSecretScope } from './secret-scope';
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

  /**
   * The destination's own secrets, and only those: a keychain secret bound to another destination's
   * endpoints is refused here, before its value is read. (Drafts are checked further, against the
   * catalog, by `main/destinations/secret-scope.ts` before they get here.)
   */
  forDestination(destination: DestinationDraft): SourceSecretResolver {
    assertSecretScope(destination, (source) => {
      if (source.kind !== 'keychain') return [];
      const binding = this.store.bindings.get(source.name);
      return binding ? [{ kind: 'destination', name: binding.destination, identity: binding.identity }] : [];
    }, 'saved');
    const allowed = new Set(credentialsOf(destination).map((c) => credentialKey(c.source)));
    return {
      resolve: (ref) => {
        if (!allowed.has(refKey(ref))) throw new SluiceError('internal', `The destination "${destination.name}" asked for a secret it does not name`);
        return this.resolve(ref);
      },
      remember: (value) => this.remember(value),
    };
  }
}
