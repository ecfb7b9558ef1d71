// What a destination's secrets are bound to, in pure TypeScript: each kind says where its credentials
// go (`SharedKindFor.secretIdentity`) and which credentials it would use (`credentials`), from these
// parts. main/secrets/endpoint-identity.ts compares identities and binds secrets to them.
import type { AwsAuth } from '../config/aws-auth';
import type { SecretReference } from '../config/names';

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

/** A hash of a text (SHA-256, hex), given by the engine: a Kafka identity keeps its CA certificate's, not the certificate. */
export type TextHash = (text: string) => string;

export const REAL_AWS = 'aws';

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

/** The identity of AWS requests signed for `endpoint`, an assumed role asked at `stsEndpoint`. */
function awsIdentity(endpoint: string | undefined, auth: AwsAuth): EndpointIdentity {
  return { kind: 'aws', endpoint: awsEndpointKey(endpoint), sts: awsEndpointKey(auth.kind === 'assume-role' ? auth.stsEndpoint : undefined) };
}

/** Where an AWS stream destination's (Kinesis, Firehose) secrets go and which it uses: its `auth`, signed for its `endpoint`. */
export const awsStreamSecrets = {
  secretIdentity: (d: { endpoint?: string; auth: AwsAuth }): EndpointIdentity => awsIdentity(d.endpoint, d.auth),
  credentials: (d: { auth: AwsAuth }): Credential[] => awsCredentialsOf(d.auth, 'auth'),
};

export function fromRef(path: string, ref: SecretReference): Credential {
  return { path, source: 'keychain' in ref ? { kind: 'keychain', name: ref.keychain } : { kind: 'env', name: ref.env } };
}

/** The credentials of an AWS auth setting (a Kinesis or Firehose destination's, or an MSK IAM login's), at `at`. */
export function awsCredentialsOf(auth: AwsAuth, at: string): Credential[] {
  const base = (b: Exclude<AwsAuth, { kind: 'assume-role' }>, path: string): Credential[] => {
    if (b.kind === 'default-chain') return [{ path, source: { kind: 'aws-default-chain', ...(b.profile ? { profile: b.profile } : {}) } }];
    return [fromRef(`${path}.secretAccessKey`, b.secretAccessKey), ...(b.sessionToken ? [fromRef(`${path}.sessionToken`, b.sessionToken)] : [])];
  };
  if (auth.kind !== 'assume-role') return base(auth, at);
  // An external ID kept as a secret (a typed-in string is not one).
  const externalId = auth.externalId !== undefined && typeof auth.externalId !== 'string' ? [fromRef(`${at}.externalId`, auth.externalId)] : [];
  return [...base(auth.base, `${at}.base`), ...externalId];
}
