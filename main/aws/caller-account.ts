import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { AwsAuth } from '../../shared/config/destination';
import type { CallSink } from '../recorder/types';
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
  const stsEndpoint = auth.kind === 'assume-role' ? auth.stsEndpoint : undefined;
  if (customEndpoint && !stsEndpoint) return undefined;
  const sts = recordAwsClient(new STSClient({
    region,
    credentials,
    ...(stsEndpoint ? { endpoint: stsEndpoint } : {}),
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 3000, requestTimeout: 5000 }),
  }), recorder, region);
  try {
    const { Account } = await sts.send(new GetCallerIdentityCommand({}));
    return Account && /^\d{12}$/.test(Account) ? Account : undefined;
  } catch {
    return undefined;
  } finally {
    sts.destroy();
  }
}
