import type { DestinationDraft } from '../../shared/config/destination';
import type { Source } from '../../shared/config/source';
import { SluiceError, type FieldIssue } from '../../shared/ipc/errors';
import {
  credentialsOf,
  describeIdentity,
  describeTarget,
  endpointIdentity,
  isRealAws,
  sameEndpoint,
  sourceCredentials,
  sourceIdentity,
  type Credential,
  type CredentialSource,
  type EndpointIdentity,
} from './endpoint-identity';

/**
 * "A secret must only go to the destination it belongs to" (issue 12). Who owns a credential is told by
 * the caller: the stored binding of a keychain secret, or, for a secret never bound, the saved
 * destinations and sources that use it. The rule is applied before anything is resolved or connected
 * to, so a refused secret is never read, let alone sent; the refusal names the secret, never its value.
 */
export interface CredentialOwner {
  kind: 'destination' | 'source';
  name: string;
  identity: EndpointIdentity;
}

export type OwnersOf = (source: CredentialSource) => CredentialOwner[];

/**
 * `draft`: the destination's settings come from the caller (a wizard draft, a destination being saved), so
 * an environment variable or the AWS default chain must already belong to a saved destination with the same
 * endpoint identity (the default chain may also always go to AWS's own endpoints). `saved`: a saved
 * destination's own credentials, refused only where a binding says they belong elsewhere.
 */
export type ScopeMode = 'draft' | 'saved';

function ownersText(owners: CredentialOwner[]): string {
  return owners.map((o) => `${o.kind} '${o.name}' (${describeIdentity(o.identity)})`).join(' and ');
}

function refusal(source: CredentialSource, owners: CredentialOwner[], candidate: EndpointIdentity): string {
  const target = describeTarget(owners[0]?.identity, candidate);
  // A source has no wizard to type a secret into: its secrets are saved with `sluice secrets set`.
  const retype = candidate.kind === 'source' ? 'save it under another name (sluice secrets set NAME)' : 'type it again';
  const revalue = candidate.kind === 'source' ? 'save its value as a secret (sluice secrets set NAME)' : 'type its value instead';
  switch (source.kind) {
    case 'keychain':
      return `The secret ${source.name} belongs to ${ownersText(owners)}; ${retype} to use it with ${target}`;
    case 'env':
      return owners.length > 0
        ? `The environment variable ${source.name} belongs to ${ownersText(owners)}; ${revalue} to use it with ${target}`
        : `The environment variable ${source.name} is not used by any saved destination, and Sluice sends an environment variable only to the destination saved with it (sluice apply -f FILE); type its value instead to use it with ${target}`;
    case 'aws-default-chain': {
      const what = source.profile
        ? `The AWS profile '${source.profile}'`
        : 'The AWS default credential chain (environment variables, shared profiles, instance or container role)';
      const also = owners.length > 0 ? ` and to the endpoints of ${ownersText(owners)}` : '';
      return `${what} is sent only to AWS's own endpoints${also}, not to ${target}; enter an access key for it instead`;
    }
  }
}

/** The refusals for a destination's credentials: empty when every credential may go where the destination sends it. */
export function scopeIssues(destination: DestinationDraft, ownersOf: OwnersOf, mode: ScopeMode, pathPrefix = ''): FieldIssue[] {
  return credentialIssues(credentialsOf(destination), endpointIdentity(destination), ownersOf, mode, pathPrefix);
}

function credentialIssues(credentials: Credential[], candidate: EndpointIdentity, ownersOf: OwnersOf, mode: ScopeMode, pathPrefix: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const { path, source } of credentials) {
    const owners = ownersOf(source);
    if (owners.some((o) => sameEndpoint(o.identity, candidate))) continue;
    if (source.kind === 'aws-default-chain' && isRealAws(candidate)) continue;
    if (owners.length === 0 && (source.kind === 'keychain' || mode === 'saved')) continue;
    issues.push({ path: `${pathPrefix}${path}`, message: refusal(source, owners, candidate) });
  }
  return issues;
}

/** Throws the first refusal (every refused field in `issues`). */
export function assertSecretScope(destination: DestinationDraft, ownersOf: OwnersOf, mode: ScopeMode, pathPrefix = ''): void {
  const issues = scopeIssues(destination, ownersOf, mode, pathPrefix);
  if (issues.length > 0) throw new SluiceError('invalid-input', issues[0]!.message, issues);
}

/**
 * The refusals for a saved source's credentials (a PostgreSQL password): a secret that belongs to a
 * destination, or to a source on another server (or with SSL, where this one has none), is refused; one
 * that belongs to nobody is the source's own. A source has no draft: it is checked as saved.
 */
export function sourceScopeIssues(source: Source, ownersOf: OwnersOf, pathPrefix = ''): FieldIssue[] {
  if (source.kind !== 'postgres') return [];
  return credentialIssues(sourceCredentials(source), sourceIdentity(source), ownersOf, 'saved', pathPrefix);
}

/** Throws the first refusal, naming the source: `The source "x" is refused: the secret … belongs to …`. */
export function assertSourceScope(source: Source, ownersOf: OwnersOf, pathPrefix = ''): void {
  const issues = sourceScopeIssues(source, ownersOf, pathPrefix);
  const first = issues[0]?.message;
  if (first) throw new SluiceError('invalid-input', `The source "${source.name}" is refused: ${first.charAt(0).toLowerCase()}${first.slice(1)}`, issues);
}
