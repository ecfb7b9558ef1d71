import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { AwsAuth } from '../../shared/config/destination';
import type { SourceSecretResolver } from '../secrets/types';
import type { CallSink } from '../recorder/types';
import { recordingPlugin } from './recording-middleware';

type Base = Exclude<AwsAuth, { kind: 'assume-role' }>;

/**
 * A provider whose every resolved secret key and session token is remembered for redaction (assumed
 * roles, profiles, SSO: keys Sluice never stored, which AWS error texts can still echo).
 */
function remembering(provider: AwsCredentialIdentityProvider, secrets: SourceSecretResolver): AwsCredentialIdentityProvider {
  return async (props) => {
    const identity = await provider(props);
    secrets.remember?.(identity.secretAccessKey);
    if (identity.sessionToken) secrets.remember?.(identity.sessionToken);
    return identity;
  };
}

/** The credentials a destination starts from: for an assumed role, the ones that assume it. */
export async function baseCredentials(auth: Base, secrets: SourceSecretResolver): Promise<AwsCredentialIdentity | AwsCredentialIdentityProvider> {
  // ignoreCache: the shared files are read again for each destination's provider (a run, a test, a read),
  // so rotated keys or an edited profile take effect without restarting Sluice.
  if (auth.kind === 'default-chain')
    return remembering(fromNodeProviderChain({ ...(auth.profile ? { profile: auth.profile } : {}), ignoreCache: true }), secrets);
  const secretAccessKey = await secrets.resolve(auth.secretAccessKey);
  const sessionToken = auth.sessionToken ? await secrets.resolve(auth.sessionToken) : undefined;
  return { accessKeyId: auth.accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/**
 * An assumed role's external ID: kept in the keychain (or an environment variable) — what Sluice
 * generates — or typed into an older configuration. One from a secret is remembered for redaction.
 */
export async function resolveExternalId(auth: Extract<AwsAuth, { kind: 'assume-role' }>, secrets: SourceSecretResolver): Promise<string | undefined> {
  if (auth.externalId === undefined) return undefined;
  // A typed-in one is no secret (it sits in the configuration), and may be as short as 2 characters: not redacted.
  if (typeof auth.externalId === 'string') return auth.externalId;
  const value = await secrets.resolve(auth.externalId);
  secrets.remember?.(value);
  return value;
}

/**
 * Credentials for an AWS destination. Assumed roles are refreshed by the SDK before they expire,
 * so a long run never stops on an expired session.
 */
export async function awsCredentials(
  auth: AwsAuth,
  region: string,
  secrets: SourceSecretResolver,
  recorder?: CallSink,
): Promise<AwsCredentialIdentity | AwsCredentialIdentityProvider> {
  if (auth.kind !== 'assume-role') return baseCredentials(auth, secrets);
  const externalId = await resolveExternalId(auth, secrets);
  return remembering(
    fromTemporaryCredentials({
      params: {
        RoleArn: auth.roleArn,
        RoleSessionName: auth.sessionName,
        DurationSeconds: auth.durationSeconds,
        ...(externalId ? { ExternalId: externalId } : {}),
      },
      masterCredentials: await baseCredentials(auth.base, secrets),
      clientConfig: {
        region,
        ...(auth.stsEndpoint ? { endpoint: auth.stsEndpoint } : {}),
        requestHandler: new NodeHttpHandler({ connectionTimeout: 10_000, requestTimeout: 30_000, throwOnRequestTimeout: true }),
      },
      // AssumeRole calls are recorded like every other call (the Debugger).
      clientPlugins: recorder ? [recordingPlugin(recorder, region)] : [],
    }),
    secrets,
  );
}
