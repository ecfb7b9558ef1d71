import type { Source } from '../../shared/config/source';
import type { CatalogStore } from '../catalog/catalog-store';
import { credentialKey, credentialsOf, endpointIdentity, sourceCredentials, sourceIdentity, type CredentialSource } from '../secrets/endpoint-identity';
import { bindSourceSecrets, type SecretBindings } from '../secrets/secret-bindings';
import { assertSourceScope, type CredentialOwner, type OwnersOf } from '../secrets/secret-scope';
import { assertAbsolutePath } from './source-schema';

/**
 * Who owns each credential, for a source about to be saved (`sluice apply`; issue 12):
 * - a keychain secret: the destination or source it is bound to; a secret never bound belongs to the
 *   saved destinations and sources that use it, and one nobody uses to whoever saves it first;
 * - an environment variable: the saved destinations and sources that use it.
 * The saved version of the source being replaced (`replacing`) is left out: the file redefines it. A
 * keychain secret it was saved with stays bound to its server all the same.
 */
export function sourceOwners(bindings: SecretBindings, catalog: Pick<CatalogStore, 'listDestinations' | 'listSources'>, replacing?: string): OwnersOf {
  const users = new Map<string, CredentialOwner[]>();
  const add = (key: string, owner: CredentialOwner) => users.set(key, [...(users.get(key) ?? []), owner]);
  for (const d of catalog.listDestinations()) {
    const identity = endpointIdentity(d);
    for (const c of credentialsOf(d)) add(credentialKey(c.source), { kind: 'destination', name: d.name, identity });
  }
  for (const s of catalog.listSources()) {
    if (s.kind !== 'postgres' || s.name === replacing) continue;
    for (const c of sourceCredentials(s)) add(credentialKey(c.source), { kind: 'source', name: s.name, identity: sourceIdentity(s) });
  }
  return (source: CredentialSource) => {
    const bound = bindings.owners(source);
    return bound.length > 0 ? bound : (users.get(credentialKey(source)) ?? []);
  };
}

/**
 * Saves a source written without the engine's checks otherwise (`sluice apply`): refused when its file's
 * path is relative (as the app refuses it: a run would read it from wherever Sluice was started) or (naming
 * the source, the secret and its owner) when its password belongs elsewhere, and its keychain secret, if not
 * bound yet, bound to it and its server.
 */
export function putSourceChecked(
  catalog: Pick<CatalogStore, 'listDestinations' | 'listSources' | 'putSource'>,
  bindings: SecretBindings,
  source: Source,
): Source {
  assertAbsolutePath(source);
  // Only a source with a password has an owner to check (listing every owner for each source of a file made a long apply quadratic).
  if (sourceCredentials(source).length > 0) assertSourceScope(source, sourceOwners(bindings, catalog, source.name));
  const saved = catalog.putSource(source);
  bindSourceSecrets(saved, bindings);
  return saved;
}
