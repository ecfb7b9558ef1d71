import type { DestinationDraft } from '../../shared/config/destination';
import type { SecretReference } from '../../shared/config/names';
import type { Source } from '../../shared/config/source';
import { SluiceError } from '../../shared/ipc/errors';
import { credentialsOf, credentialKey, refKey, sourceCredentials, type Credential } from './endpoint-identity';
import { assertSecretScope, assertSourceScope } from './secret-scope';
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
      if (value === undefined || value === '')
        throw new SluiceError('not-found', `The environment variable ${ref.env} is ${value === undefined ? 'not set' : 'empty'} (a secret comes from it)`);
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
    assertSecretScope(destination, this.store.bindings.owners, 'saved');
    return this.only(credentialsOf(destination), `The destination "${destination.name}"`);
  }

  /**
   * The source's own secret (a PostgreSQL password), and only that: a keychain secret bound to a
   * destination, or to a source on another server, is refused here before its value is read
   * (`sourceScopeIssues`). Every source read (preview, row picks, sync runs) goes through `openModel`, which asks for this.
   */
  forSource(source: Source): SourceSecretResolver {
    assertSourceScope(source, this.store.bindings.owners);
    return this.only(sourceCredentials(source), `The source "${source.name}"`);
  }

  private only(credentials: Credential[], who: string): SourceSecretResolver {
    const allowed = new Set(credentials.map((c) => credentialKey(c.source)));
    return {
      resolve: (ref) => {
        if (!allowed.has(refKey(ref))) throw new SluiceError('internal', `${who} asked for a secret it does not name`);
        return this.resolve(ref);
      },
      remember: (value) => this.remember(value),
    };
  }
}
