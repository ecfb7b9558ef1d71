import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export interface AwsEndpointOptions {
  region: string;
  /** A custom endpoint: a local emulator or a VPC endpoint. */
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts?: number;
}

/**
 * Client settings shared by every AWS client Sluice makes. Always the HTTP/1.1 NodeHttpHandler: the
 * Kinesis client's default HTTP/2 handler breaks on responses over ~16 KB from local endpoints.
 */
export function awsClientConfig(options: AwsEndpointOptions) {
  return {
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 10_000, requestTimeout: 60_000 }),
  };
}
