// The connection test of the AWS kinds (Kinesis, Firehose, the sandbox): name resolution, TCP and TLS to
// the endpoint, the credentials (and who to trust for a role), the chosen stream, and the listing. What
// differs per kind — the endpoint, the credentials, which API lists and describes — is the kind's `AwsProbe`.
import type { ConnectionTest } from '../../shared/config/connection-test';
import type { AwsAuth } from '../../shared/config/destination';
import { awsClientConfig } from '../aws/client-config';
import { awsCredentials } from '../aws/credentials';
import { missingPermission, normalizeAwsError } from '../aws/access-denied';
import { callerAccount, trustedIdentity } from '../aws/caller-account';
import type { CallSink } from '../recorder/types';
import type { SourceSecretResolver } from '../secrets/types';
import { SANDBOX_CREDENTIALS } from '../sandbox/sandbox-kinesis';
import { errorText, explainTcp, explainTls, resolveHost, StepRunner, tcpConnect, tlsHandshake } from './check-steps';
import { naturalCompare } from '../../shared/natural-order';

type AwsConfig = ReturnType<typeof awsClientConfig>;

/** One AWS service's calls for the test: list its streams, describe one. Each kind has its own (kinds/kinesis/probe.ts, kinds/firehose/probe.ts). */
export interface AwsService {
  /** The service's host name prefix at AWS (`kinesis`, `firehose`). */
  readonly endpointPrefix: string;
  /** "stream", "delivery stream". */
  readonly noun: string;
  readonly listAction: string;
  readonly describeAction: string;
  /** A client for the test's calls; `close` ends it. */
  open(config: AwsConfig, recorder: CallSink | undefined, region: string): AwsServiceClient;
}

export interface AwsServiceClient {
  list(): Promise<string[]>;
  describe(name: string): Promise<{ detail: string; target: NonNullable<ConnectionTest['target']> }>;
  close(): void;
}

/** Where and as whom the test connects: a destination's region, endpoint and auth, or the sandbox (no auth). */
export interface AwsProbe {
  destination: string;
  name: string | undefined;
  region: string;
  /** The endpoint to reach; `custom` when the destination set it (or the sandbox's). */
  endpoint: string;
  custom: boolean;
  /** null: the sandbox, which needs no credentials. */
  auth: AwsAuth | null;
  api: AwsService;
}

/** The probe of an AWS destination (or its draft): AWS's own endpoint for the region unless it sets one. */
export function awsProbe(
  draft: { name: string; region: string; endpoint?: string | undefined; auth: AwsAuth },
  name: string | undefined,
  api: AwsService,
): AwsProbe {
  const custom = draft.endpoint !== undefined;
  const endpoint = draft.endpoint ?? `https://${api.endpointPrefix}.${draft.region}.amazonaws.com`;
  return { destination: draft.name, name, region: draft.region, endpoint, custom, auth: draft.auth, api };
}

/**
 * Tests an AWS destination step by step — name resolution, TCP, TLS, authentication, authorisation,
 * listing — and says at which step it fails, what that means, and the peer's own words.
 */
export async function testAws(probe: AwsProbe, secrets: SourceSecretResolver, recorder?: CallSink): Promise<ConnectionTest> {
  const steps = new StepRunner();
  const listed: string[] = [];
  let target: ConnectionTest['target'];
  let account: string | undefined;
  let trusted: string | undefined;
  const { name, region, endpoint, auth, api } = probe;
  const url = new URL(endpoint);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  await steps.run('Name resolution', () => resolveHost(url.hostname));
  await steps.run('TCP connection', () => tcpConnect(url.hostname, port), explainTcp);
  if (url.protocol === 'https:') await steps.run('TLS', () => tlsHandshake(url.hostname, port, undefined), explainTls);
  else steps.skip('TLS', `${endpoint} is plain HTTP (a local endpoint)`);

  const credentials = auth ? await awsCredentials(auth, region, secrets, recorder) : SANDBOX_CREDENTIALS;
  const customEndpoint = probe.custom ? endpoint : undefined;
  // A test answers in seconds: an endpoint that takes the connection and never answers is said after TEST_TIMEOUT_MS (it took 60 s).
  const client = api.open(
    awsClientConfig({ region, ...(customEndpoint ? { endpoint } : {}), credentials, maxAttempts: 1, requestTimeoutMs: TEST_TIMEOUT_MS }),
    recorder,
    region,
  );
  // Without a chosen stream, listing is what the test checks: the wizard picks the stream from this list.
  const listTargets = async (): Promise<string> => {
    listed.length = 0;
    listed.push(...(await client.list()).sort(naturalCompare)); // the wizard's picker, in the order of the app's other lists
    return `${listed.length} ${api.noun}(s) in ${region}`;
  };
  try {
    await steps.run(
      'Authentication',
      async () => {
        if (!auth) return 'The sandbox needs no credentials';
        // Who the base credentials are comes first: the role's trust policy needs it even while the role cannot be assumed yet.
        trusted = await trustedIdentity(auth, region, secrets, customEndpoint, recorder);
        if (typeof credentials === 'function') await credentials();
        account = await callerAccount(auth, region, credentials, customEndpoint, recorder);
        return `Credentials ready (${auth.kind})${account ? `; account ${account}` : ''}`;
      },
      explainAwsAuth,
    );
    await steps.run(
      'Authorisation',
      async () => {
        if (!name) return listTargets();
        const described = await client.describe(name);
        target = described.target;
        return described.detail;
      },
      (err) => explainAwsCall(err, name, region, api.noun, name ? api.describeAction : api.listAction),
    );
    await steps.run(
      'Listing',
      async () => (name ? listTargets() : `${listed.length} ${api.noun}(s) in ${region}`),
      (err) => explainAwsCall(err, name, region, api.noun, api.listAction),
    );
  } finally {
    client.close();
  }
  return {
    destination: probe.destination,
    ok: steps.ok,
    steps: steps.steps,
    listed,
    ...(target ? { target } : {}),
    ...(account ? { account } : {}),
    ...(trusted ? { trustedIdentity: trusted } : {}),
  };
}

/** How long a connection test waits for an AWS answer. */
const TEST_TIMEOUT_MS = 15_000;

function explainAwsAuth(err: unknown): { detail: string; hint?: string } {
  const e = err as Error & { name?: string };
  if (e.name === 'AccessDenied' || /AssumeRole/.test(e.message)) {
    return {
      detail: `The role could not be assumed: ${e.message}`,
      hint: 'Check the role ARN and external ID, and that the role’s trust policy allows these base credentials.',
    };
  }
  return { detail: errorText(err), hint: 'Check the credentials saved for this destination, or the AWS profile.' };
}

function explainAwsCall(raw: unknown, name: string | undefined, region: string, noun: string, called?: string): { detail: string; hint?: string } {
  const err = normalizeAwsError(raw);
  const e = err as Error & { name?: string };
  switch (e.name) {
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
      return { detail: 'AWS does not know this access key ID', hint: 'Check the access key ID (and that it is active).' };
    case 'InvalidSignatureException':
    case 'SignatureDoesNotMatch':
      return { detail: 'The secret access key does not match the access key ID', hint: 'Enter the secret access key again.' };
    case 'ExpiredTokenException':
      return { detail: 'The session token has expired', hint: 'Refresh the temporary credentials, or assume the role instead.' };
    case 'AccessDenied':
    case 'AccessDeniedException': {
      const action = missingPermission(e.message)?.action ?? called;
      return {
        detail: action ? `Missing permission: the identity lacks ${action}` : `Not allowed: ${e.message}`,
        hint: `Add ${action ?? 'the action'}${name ? ` on ${name}` : ''} to the identity’s IAM policy.`,
      };
    }
    case 'ResourceNotFoundException':
      return { detail: `There is no ${noun} "${name}" in ${region}`, hint: 'Check the name and the region.' };
    default:
      if (/requestTimeout|timed out/i.test(e.message) || e.name === 'TimeoutError')
        return {
          detail: `The endpoint took the connection but did not answer in ${TEST_TIMEOUT_MS / 1000} s`,
          hint: 'Check that the endpoint is the service’s address and port (and http or https); a proxy or firewall may be holding the request.',
        };
      return { detail: errorText(err) };
  }
}
