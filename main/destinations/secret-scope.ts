import type { Destination, DestinationDraft } from '../../shared/config/destination';
import type { EngineServices } from '../engine/services';
import { credentialKey, credentialsOf, endpointIdentity, type CredentialSource } from '../secrets/endpoint-identity';
import { assertSecretScope, type CredentialOwner, type OwnersOf } from '../secrets/secret-scope';

type ScopeEngine = Pick<EngineServices, 'catalog' | 'secrets'>;

/**
 * Who owns each credential, for a destination whose settings come from the caller (issue 12):
 * - a keychain secret: the destination it is bound to (`SecretBindings`); a secret never bound belongs
 *   to the saved destinations and sources that use it, and one nobody uses yet (just typed in the
 *   wizard) to no one — any destination may use it, and the first one saved with it owns it;
 * - an environment variable: the saved destinations that use it (saved from a config file);
 * - the AWS default chain (per profile): the saved destinations that use it.
 */
export function catalogOwners(engine: ScopeEngine): OwnersOf {
  const users = new Map<string, CredentialOwner[]>();
  const add = (key: string, owner: CredentialOwner) => users.set(key, [...(users.get(key) ?? []), owner]);
  for (const d of engine.catalog.listDestinations()) {
    const identity = endpointIdentity(d);
    for (const c of credentialsOf(d)) add(credentialKey(c.source), { kind: 'destination', name: d.name, identity });
  }
  for (const s of engine.catalog.listSources()) {
    if (s.kind === 'postgres' && s.password) {
      const key = 'keychain' in s.password ? `keychain:${s.password.keychain}` : `env:${s.password.env}`;
      add(key, { kind: 'source', name: s.name, identity: { kind: 'source', address: `${s.host}:${s.port}` } });
    }
  }
  return (source: CredentialSource) => {
    if (source.kind === 'keychain') {
      const binding = engine.secrets.bindings.get(source.name);
      if (binding) return [{ kind: 'destination', name: binding.destination, identity: binding.identity }];
    }
    return users.get(credentialKey(source)) ?? [];
  };
}

/** Refuses a draft (or a destination about to be saved) whose credentials belong to another destination's endpoints. */
export function assertDraftScope(engine: ScopeEngine, draft: DestinationDraft, pathPrefix: string): void {
  assertSecretScope(draft, catalogOwners(engine), 'draft', pathPrefix);
}

/** Binds the keychain secrets a destination uses that are not bound yet to it and its endpoints. */
export function bindSecrets(engine: ScopeEngine, destination: Destination): void {
  const identity = endpointIdentity(destination);
  for (const { source } of credentialsOf(destination)) {
    if (source.kind === 'keychain') engine.secrets.bindings.bindIfUnbound(source.name, destination.name, identity);
  }
}
