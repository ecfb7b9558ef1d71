import { createHash } from 'node:crypto';
import type { AwsAuth, DestinationDraft } from '../../shared/config/destination';
import type { SecretReference } from '../../shared/config/names';
import type { Source } from '../../shared/config/source';

/**
 * Where a destination's credentials go: what a secret is bound to ("a secret must only go to the
 * destination it belongs to"). Kafka: its brokers and TLS settings. AWS: the endpoint the requests are
 * signed for and the STS endpoint an assumed role is asked at; every genuine AWS endpoint (no custom
 * endpoint, or an HTTPS host under amazonaws.com — a VPC endpoint) is the one identity `aws`.
 */
export type EndpointIdentity =
  /** `sts`: an MSK IAM login's assumed role is asked at this STS endpoint (absent: AWS's own, or no AWS IAM). */
  | { kind: 'kafka'; brokers: string[]; tls: boolean; ca?: string; sts?: string }
  | { kind: 'aws'; endpoint: string; sts: string }
  | { kind: 'sandbox' }
  /**
   * A source's secret (a PostgreSQL password): never a destination's. The server it is sent to
   * (`host:port`), and whether over SSL; not the database or user (see `sourceIdentity`).
   */
  | { kind: 'source'; address: string; tls?: boolean };

/** Where a credential comes from. The default chain is the machine's own AWS identity (environment, profiles, instance role). */
export type CredentialSource = { kind: 'keychain'; name: string } | { kind: 'env'; name: string } | { kind: 'aws-default-chain'; profile?: string };

/** A credential a destination would send (or sign with), and the field that names it. */
export interface Credential {
  path: string;
  source: CredentialSource;
}

export const REAL_AWS = 'aws';

function normalBroker(broker: string): string {
  const m = /^(.*):(\d+)$/.exec(broker.trim());
  if (!m) return broker.trim().toLowerCase();
  return `${m[1]!.toLowerCase().replace(/\.$/, '')}:${Number(m[2])}`;
}

/** `aws` for AWS's own endpoints (HTTPS under amazonaws.com, amazonaws.com.cn or api.aws), else the URL's origin. */
export function awsEndpointKey(endpoint: string | undefined): string {
  if (!endpoint) return REAL_AWS;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return endpoint;
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (url.protocol === 'https:' && /\.(amazonaws\.com|amazonaws\.com\.cn|api\.aws)$/.test(host)) return REAL_AWS;
  return url.origin;
}

export function endpointIdentity(d: DestinationDraft): EndpointIdentity {
  switch (d.kind) {
    case 'kafka':
      return {
        kind: 'kafka',
        brokers: [...new Set(d.brokers.map(normalBroker))].sort(),
        tls: d.tls.enabled,
        ...(d.tls.enabled && d.tls.caPem ? { ca: createHash('sha256').update(d.tls.caPem.trim()).digest('hex') } : {}),
        ...(d.auth.mechanism === 'aws' && d.auth.credentials.kind === 'assume-role' && d.auth.credentials.stsEndpoint
          ? { sts: awsEndpointKey(d.auth.credentials.stsEndpoint) }
          : {}),
      };
    case 'kinesis':
    case 'firehose':
      return { kind: 'aws', endpoint: awsEndpointKey(d.endpoint), sts: awsEndpointKey(d.auth.kind === 'assume-role' ? d.auth.stsEndpoint : undefined) };
    case 'sandbox-kinesis':
      return { kind: 'sandbox' };
  }
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

function fromRef(path: string, ref: SecretReference): Credential {
  return { path, source: 'keychain' in ref ? { kind: 'keychain', name: ref.keychain } : { kind: 'env', name: ref.env } };
}

/** Every credential a destination would use, as connection tests and publishers resolve them. */
export function credentialsOf(d: DestinationDraft): Credential[] {
  const out: Credential[] = [];
  if (d.kind === 'kafka') {
    const a = d.auth;
    if (a.mechanism === 'plain' || a.mechanism === 'scram-sha-256' || a.mechanism === 'scram-sha-512') out.push(fromRef('auth.password', a.password));
    if (a.mechanism === 'aws') out.push(...awsCredentialsOf(a.credentials, 'auth.credentials'));
    // Only resolved with TLS on (kafkaConfig).
    if (d.tls.enabled && d.tls.clientKey) out.push(fromRef('tls.clientKey', d.tls.clientKey));
    return out;
  }
  if (d.kind === 'kinesis' || d.kind === 'firehose') out.push(...awsCredentialsOf(d.auth, 'auth'));
  return out;
}

/** The credentials of an AWS auth setting (a Kinesis or Firehose destination's, or an MSK IAM login's), at `at`. */
function awsCredentialsOf(auth: AwsAuth, at: string): Credential[] {
  const base = (b: Exclude<AwsAuth, { kind: 'assume-role' }>, path: string): Credential[] => {
    if (b.kind === 'default-chain') return [{ path, source: { kind: 'aws-default-chain', ...(b.profile ? { profile: b.profile } : {}) } }];
    return [fromRef(`${path}.secretAccessKey`, b.secretAccessKey), ...(b.sessionToken ? [fromRef(`${path}.sessionToken`, b.sessionToken)] : [])];
  };
  if (auth.kind !== 'assume-role') return base(auth, at);
  // An external ID kept as a secret (a typed-in string is not one).
  const externalId = auth.externalId !== undefined && typeof auth.externalId !== 'string' ? [fromRef(`${at}.externalId`, auth.externalId)] : [];
  return [...base(auth.base, `${at}.base`), ...externalId];
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
