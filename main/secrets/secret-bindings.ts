import type { Database } from 'better-sqlite3';
import type { DestinationDraft } from '../../shared/config/destination';
import type { Source } from '../../shared/config/source';
import { SluiceError } from '../../shared/ipc/errors';
import { sourceCredentials, sourceIdentity, type CredentialSource, type EndpointIdentity } from './endpoint-identity';
import { scopeIssues, type CredentialOwner } from './secret-scope';

/**
 * A keychain secret bound to the destination (or PostgreSQL source) saved with it, and its endpoint
 * identity. A source's identity is of kind `source`; `destination` then holds the source's name.
 */
export interface SecretBinding {
  secret: string;
  /** The owner's name: a destination's, or a source's when `identity.kind` is `source`. */
  destination: string;
  identity: EndpointIdentity;
  boundAt: string;
}

interface BindingRow {
  secret: string;
  destination: string;
  identity: string;
  bound_at: string;
}

/**
 * Which destination each keychain secret belongs to. A secret is bound when a destination that uses it
 * is saved (or deleted) through the engine, and the binding lasts as long as the secret: replacing the
 * value under the same name keeps it (a rotated password still belongs to its destination); deleting the
 * secret ends it. Holds no value, only names and endpoints.
 */
export class SecretBindings {
  /** The table is made by migration 006 (`main/state/migrations/006-secret-bindings.ts`). */
  constructor(private readonly db: Database) {}

  /**
   * The owner of a credential by its binding alone — the destination a keychain secret is bound to —
   * for a `saved` scope check (`scopeIssues`, `assertSecretScope`): an `OwnersOf`.
   */
  readonly owners = (source: CredentialSource): CredentialOwner[] => {
    if (source.kind !== 'keychain') return [];
    const owner = this.owner(source.name);
    return owner ? [owner] : [];
  };

  /** The destination or source a keychain secret is bound to. */
  owner(secret: string): CredentialOwner | undefined {
    const binding = this.get(secret);
    return binding && { kind: binding.identity.kind === 'source' ? 'source' : 'destination', name: binding.destination, identity: binding.identity };
  }

  get(secret: string): SecretBinding | undefined {
    const row = this.db.prepare('SELECT * FROM secret_bindings WHERE secret = ?').get(secret) as BindingRow | undefined;
    return row
      ? { secret: row.secret, destination: row.destination, identity: JSON.parse(row.identity) as EndpointIdentity, boundAt: row.bound_at }
      : undefined;
  }

  /** Binds a saved secret that is not bound yet; a secret not in the store, or already bound, is left as it is. */
  bindIfUnbound(secret: string, destination: string, identity: EndpointIdentity): boolean {
    const result = this.db
      .prepare(
        `INSERT INTO secret_bindings (secret, destination, identity, bound_at)
         SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM secret_refs WHERE name = ?)
         ON CONFLICT(secret) DO NOTHING`,
      )
      .run(secret, destination, JSON.stringify(identity), new Date().toISOString(), secret);
    return result.changes > 0;
  }

  forget(secret: string): void {
    this.db.prepare('DELETE FROM secret_bindings WHERE secret = ?').run(secret);
  }
}

/**
 * Refuses a destination written without the wizard (`sluice apply`) that names a keychain secret bound
 * to another destination's endpoints (issue 12); the message names the destination and the secret.
 */
export function assertBoundSecrets(destination: DestinationDraft, bindings: SecretBindings): void {
  const issues = scopeIssues(destination, bindings.owners, 'saved');
  const first = issues[0]?.message;
  if (first)
    throw new SluiceError('invalid-input', `The destination "${destination.name}" is refused: ${first.charAt(0).toLowerCase()}${first.slice(1)}`, issues);
}

/**
 * Binds the keychain secret a PostgreSQL source uses, if not bound yet, to that source and its server
 * (`sourceIdentity`): from then on no destination, and no source on another server, may use it.
 */
export function bindSourceSecrets(source: Source, bindings: SecretBindings): void {
  if (source.kind !== 'postgres') return;
  for (const { source: from } of sourceCredentials(source))
    if (from.kind === 'keychain') bindings.bindIfUnbound(from.name, source.name, sourceIdentity(source));
}
