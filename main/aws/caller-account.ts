import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { AwsAuth } from '../../shared/config/destination';
import type { CallSink } from '../recorder/types';
import type { SourceSecretResolver } from '../secrets/types';
import { baseCredentials } from './credentials';
import { recordAwsClient } from './recording-middleware';

/**
 * The AWS account of the credentials (STS GetCallerIdentity, which needs no permission), for the IAM
 * policy's ARNs. Best effort: undefined when STS cannot be asked — a destination on a custom endpoint
 * (an emulator or a VPC endpoint) is only asked through the STS endpoint its assumed role names.
 */
export async function callerAccount(
  auth: AwsAuth,
  region: string,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  customEndpoint: string | undefined,
  recorder?: CallSink,
): Promise<string | undefined> {
  return (await callerIdentity(auth, region, credentials, customEndpoint, recorder))?.account;
}

async function callerIdentity(
  auth: AwsAuth,
  region: string,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  customEndpoint: string | undefined,
  recorder?: CallSink,
): Promise<{ account: string; arn?: string } | undefined> {
  const stsEndpoint = auth.kind === 'assume-role' ? auth.stsEndpoint : undefined;
  if (customEndpoint && !stsEndpoint) return undefined;
  const sts = recordAwsClient(
    new STSClient({
      region,
      credentials,
      ...(stsEndpoint ? { endpoint: stsEndpoint } : {}),
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ connectionTimeout: 3000, requestTimeout: 5000, throwOnRequestTimeout: true }),
    }),
    recorder,
    region,
  );
  try {
    const { Account, Arn } = await sts.send(new GetCallerIdentityCommand({}));
    return Account && /^\d{12}$/.test(Account) ? { account: Account, ...(Arn ? { arn: Arn } : {}) } : undefined;
  } catch {
    return undefined;
  } finally {
    sts.destroy();
  }
}

/**
 * The principal a trust policy names for an identity: a user as it is; an assumed-role session
 * (`arn:aws:sts::A:assumed-role/R/session`) as its role (`arn:aws:iam::A:role/R` — a role with a path,
 * such as an SSO role, loses the path: AWS does not report it).
 */
export function trustPrincipal(arn: string): string {
  const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : arn;
}

/**
 * Assume role: who the base credentials are (the ones that assume the role) — the principal the
 * role's trust policy must trust. Asked at the same STS endpoint as the role; undefined when it cannot be.
 */
export async function trustedIdentity(
  auth: AwsAuth,
  region: string,
  secrets: SourceSecretResolver,
  customEndpoint: string | undefined,
  recorder?: CallSink,
): Promise<string | undefined> {
  if (auth.kind !== 'assume-role') return undefined;
  if (customEndpoint && !auth.stsEndpoint) return undefined;
  try {
    const who = await callerIdentity(auth, region, await baseCredentials(auth.base, secrets), customEndpoint, recorder);
    return who?.arn ? trustPrincipal(who.arn) : undefined;
  } catch {
    return undefined;
  }
}
