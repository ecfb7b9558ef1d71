import { createHash } from 'node:crypto';
import type { DestinationDraft } from '../../shared/config/destination';
import type { SecretReference } from '../../shared/config/names';
import type { Source } from '../../shared/config/source';
import type { SharedKindFor } from '../../shared/destinations/kinds/kind';
import { sharedKind } from '../../shared/destinations/kinds/registry';
import { fromRef, REAL_AWS, type Credential, type CredentialSource, type EndpointIdentity } from '../../shared/destinations/secret-identity';

export { awsEndpointKey, REAL_AWS, type Credential, type CredentialSource, type EndpointIdentity } from '../../shared/destinations/secret-identity';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Where a destination's credentials go, as its kind says (`SharedKindFor.secretIdentity`). */
export function endpointIdentity(d: DestinationDraft): EndpointIdentity {
  return (sharedKind(d.kind) as SharedKindFor<DestinationDraft>).secretIdentity(d, sha256);
}

type PostgresSource = Extract<Source, { kind: 'postgres' }>;

/**
 * Where a PostgreSQL source's password goes: the server, `host:port` (host lower-cased, without a trailing
 * dot; an IPv6 address in brackets), and SSL. The database and user are left out: every database and role
 * of a server is reached through the same server, which holds the password already, so sources reading
 * other databases (or as other roles) of one server may share a secret. Two names for one server
 * (`localhost` and `127.0.0.1`) are two identities.
 */
export function sourceIdentity(s: PostgresSource): EndpointIdentity {
  const host = s.host.trim().toLowerCase().replace(/\.$/, '');
  return { kind: 'source', address: `${host.includes(':') ? `[${host}]` : host}:${s.port}`, ...(s.ssl ? { tls: true } : {}) };
}

/**
 * Whether a credential bound to `owner` may go to `candidate`: the same AWS endpoints; or brokers all
 * among the owner's, over TLS with the same CA certificate if the owner used TLS (no downgrade to plain text).
 */
export function sameEndpoint(owner: EndpointIdentity, candidate: EndpointIdentity): boolean {
  if (owner.kind === 'aws' && candidate.kind === 'aws') return owner.endpoint === candidate.endpoint && owner.sts === candidate.sts;
  if (owner.kind === 'kafka' && candidate.kind === 'kafka') {
    if (!candidate.brokers.every((b) => owner.brokers.includes(b))) return false;
    if ((owner.sts ?? REAL_AWS) !== (candidate.sts ?? REAL_AWS)) return false;
    return !owner.tls || (candidate.tls && candidate.ca === owner.ca);
  }
  // The same server, over SSL if the owner used SSL (no downgrade to plain text).
  if (owner.kind === 'source' && candidate.kind === 'source') return owner.address === candidate.address && (!owner.tls || candidate.tls === true);
  return false;
}

/**
 * AWS's own endpoints — also Amazon MSK brokers (`….kafka.REGION.amazonaws.com`) over TLS, which get
 * only a signed MSK IAM login, never the credentials themselves.
 */
export function isRealAws(identity: EndpointIdentity): boolean {
  if (identity.kind === 'kafka')
    return (
      identity.tls &&
      !identity.ca &&
      (identity.sts ?? REAL_AWS) === REAL_AWS &&
      identity.brokers.length > 0 &&
      identity.brokers.every((b) => /\.kafka(-serverless)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?:\d+$/.test(b))
    );
  return identity.kind === 'aws' && identity.endpoint === REAL_AWS && identity.sts === REAL_AWS;
}

/** The identity in words, for an error message: "brokers a:9092", "endpoint http://127.0.0.1:4566". */
export function describeIdentity(identity: EndpointIdentity): string {
  switch (identity.kind) {
    case 'kafka':
      return `brokers ${identity.brokers.join(', ')}${identity.tls ? ', TLS' : ''}`;
    case 'aws': {
      const endpoint = identity.endpoint === REAL_AWS ? 'AWS endpoints' : `endpoint ${identity.endpoint}`;
      return identity.sts === REAL_AWS ? endpoint : `${endpoint}, STS endpoint ${identity.sts}`;
    }
    case 'sandbox':
      return 'the sandbox';
    case 'source':
      return `host ${identity.address}${identity.tls ? ', SSL' : ''}`;
  }
}

/** Where the candidate's requests would go, in words: "these brokers", "the endpoint http://…". */
export function describeTarget(owner: EndpointIdentity | undefined, candidate: EndpointIdentity): string {
  if (candidate.kind === 'kafka') {
    if (owner?.kind === 'kafka' && candidate.brokers.every((b) => owner.brokers.includes(b))) return 'these TLS settings';
    return 'these brokers';
  }
  if (candidate.kind === 'aws') {
    if (candidate.endpoint !== REAL_AWS && (owner?.kind !== 'aws' || owner.endpoint !== candidate.endpoint)) return `the endpoint ${candidate.endpoint}`;
    if (candidate.sts !== REAL_AWS) return `the STS endpoint ${candidate.sts}`;
    return 'AWS endpoints';
  }
  if (candidate.kind === 'source') {
    if (owner?.kind === 'source' && owner.address === candidate.address) return 'a connection without SSL';
    return `the PostgreSQL server ${candidate.address}`;
  }
  return 'this destination';
}

/** Every credential a destination would use, as connection tests and publishers resolve them (its kind says which). */
export function credentialsOf(d: DestinationDraft): Credential[] {
  return (sharedKind(d.kind) as SharedKindFor<DestinationDraft>).credentials(d);
}

/** Every credential a source would send: a PostgreSQL source's password. */
export function sourceCredentials(s: Source): Credential[] {
  return s.kind === 'postgres' && s.password ? [fromRef('password', s.password)] : [];
}

/** A stable key per credential source: `keychain:NAME`, `env:NAME`, `aws-default-chain:PROFILE`. */
export function credentialKey(source: CredentialSource): string {
  return source.kind === 'aws-default-chain' ? `aws-default-chain:${source.profile ?? ''}` : `${source.kind}:${source.name}`;
}

export function refKey(ref: SecretReference): string {
  return 'keychain' in ref ? `keychain:${ref.keychain}` : `env:${ref.env}`;
}
