import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export interface AwsEndpointOptions {
  region: string;
  /**
   * A custom endpoint: a local emulator or a VPC endpoint. A function is asked again for every request
   * (the sandbox: its server may move to another process while a run or a read goes on).
   */
  endpoint?: string | (() => Promise<string>);
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts?: number;
  /** How long a request may take before it fails with a TimeoutError (default 60 s). */
  requestTimeoutMs?: number;
}

function endpointConfig(endpoint: string | (() => Promise<string>)): string | (() => Promise<{ url: URL }>) {
  if (typeof endpoint === 'string') return endpoint;
  return async () => ({ url: new URL(await endpoint()) });
}

/**
 * Client settings shared by every AWS client Sluice makes. Always the HTTP/1.1 NodeHttpHandler: the
 * Kinesis client's default HTTP/2 handler breaks on responses over ~16 KB from local endpoints.
 */
export function awsClientConfig(options: AwsEndpointOptions) {
  return {
    region: options.region,
    ...(options.endpoint ? { endpoint: endpointConfig(options.endpoint) } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 3,
    // Without throwOnRequestTimeout the handler only logs a warning at requestTimeout, and a request to
    // an endpoint that accepts it and never answers waits forever (a run, and its cancel, with it).
    requestHandler: new NodeHttpHandler({ connectionTimeout: 10_000, requestTimeout: options.requestTimeoutMs ?? 60_000, throwOnRequestTimeout: true }),
  };
}
