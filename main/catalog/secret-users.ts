import { SluiceError } from '../../shared/ipc/errors';
import type { CatalogStore } from './catalog-store';
import { credentialsOf, sourceCredentials, type Credential } from '../secrets/endpoint-identity';

const usesKeychain = (credentials: Credential[], name: string) => credentials.some((c) => c.source.kind === 'keychain' && c.source.name === name);

/** Who would send the keychain secret `name`: "the destination "kin"", "the source "warehouse"". */
export function secretUsers(catalog: Pick<CatalogStore, 'listDestinations' | 'listSources'>, name: string): string[] {
  return [
    ...catalog.listDestinations().flatMap((d) => (usesKeychain(credentialsOf(d), name) ? [`the destination "${d.name}"`] : [])),
    ...catalog.listSources().flatMap((s) => (usesKeychain(sourceCredentials(s), name) ? [`the source "${s.name}"`] : [])),
  ];
}

/** Refuses, naming them, to delete a secret that destinations or sources use (their next test or run would fail without it). */
export function assertSecretUnused(catalog: Pick<CatalogStore, 'listDestinations' | 'listSources'>, name: string): void {
  const users = secretUsers(catalog, name);
  if (users.length === 0) return;
  const who = users.length === 1 ? users[0]! : `${users.slice(0, -1).join(', ')} and ${users.at(-1)!}`;
  const what = users.length === 1 ? `Delete the ${users[0]!.startsWith('the destination') ? 'destination' : 'source'} or give it` : 'Delete them or give them';
  throw new SluiceError('conflict', `The secret "${name}" cannot be deleted: ${who} ${users.length === 1 ? 'uses' : 'use'} it. ${what} another secret first.`);
}
