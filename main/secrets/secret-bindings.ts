import type { Database } from 'better-sqlite3';
import type { DestinationDraft } from '../../shared/config/destination';
import { SluiceError } from '../../shared/ipc/errors';
import type { CredentialSource, EndpointIdentity } from './endpoint-identity';
import { scopeIssues, type CredentialOwner } from './secret-scope';

/** A keychain secret bound to the destination saved with it, and that destination's endpoint identity. */
export interface SecretBinding {
  secret: string;
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
    const binding = this.get(source.name);
    return binding ? [{ kind: 'destination', name: binding.destination, identity: binding.identity }] : [];
  };

  get(secret: string): SecretBinding | undefined {
    const row = this.db.prepare('SELECT * FROM secret_bindings WHERE secret = ?').get(secret) as BindingRow | undefined;
    return row ? { secret: row.secret, destination: row.destination, identity: JSON.parse(row.identity) as EndpointIdentity, boundAt: row.bound_at } : undefined;
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
  if (first) throw new SluiceError('invalid-input', `The destination "${destination.name}" is refused: ${first.charAt(0).toLowerCase()}${first.slice(1)}`, issues);
}
