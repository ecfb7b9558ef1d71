import { DescribeDeliveryStreamCommand, FirehoseClient, ListDeliveryStreamsCommand } from '@aws-sdk/client-firehose';
import { DescribeStreamSummaryCommand, KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { Kafka } from 'kafkajs';
import type { ConnectionTest } from '../../shared/config/connection-test';
import type { Destination } from '../../shared/config/destination';
import { awsClientConfig } from '../aws/client-config';
import { awsCredentials } from '../aws/credentials';
import { kafkaConfig } from '../publishers/kafka-publisher';
import type { SandboxKinesis } from '../sandbox/sandbox-kinesis';
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from '../sandbox/sandbox-kinesis';
import type { SourceSecretResolver } from '../secrets/types';
import { errorText, explainTcp, explainTls, resolveHost, StepRunner, tcpConnect, tlsHandshake } from './check-steps';

/**
 * Tests a destination step by step — name resolution, TCP, TLS, authentication, authorisation,
 * listing — and says at which step it fails, what that means, and the peer's own words.
 */
export async function testDestination(destination: Destination, secrets: SourceSecretResolver, sandbox: SandboxKinesis): Promise<ConnectionTest> {
  switch (destination.kind) {
    case 'kafka':
      return testKafka(destination, secrets);
    case 'kinesis':
    case 'firehose':
    case 'sandbox-kinesis':
      return testAws(destination, secrets, sandbox);
  }
}

function hostPort(address: string, defaultPort: number): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(address);
  return m ? { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) } : { host: address, port: defaultPort };
}

async function testKafka(destination: Extract<Destination, { kind: 'kafka' }>, secrets: SourceSecretResolver): Promise<ConnectionTest> {
  const steps = new StepRunner();
  const { host, port } = hostPort(destination.brokers[0]!, 9092);
  const listed: string[] = [];
  await steps.run('Name resolution', () => resolveHost(host));
  await steps.run('TCP connection', () => tcpConnect(host, port), explainTcp);
  if (destination.tls.enabled) await steps.run('TLS', () => tlsHandshake(host, port, destination.tls.caPem ? [destination.tls.caPem] : undefined), explainTls);
  else steps.skip('TLS', 'TLS is off for this destination');

  if (steps.ok) {
    const config = await kafkaConfig(destination, secrets);
    const admin = new Kafka({ ...config, retry: { retries: 0 } }).admin();
    const mechanism = destination.auth.mechanism;
    await steps.run(
      'Authentication',
      async () => {
        await admin.connect();
        const cluster = await admin.describeCluster();
        return `${mechanism === 'none' ? 'Connected without authentication' : `Authenticated with ${mechanism.toUpperCase()}`}; cluster ${cluster.clusterId} with ${cluster.brokers.length} broker(s)`;
      },
      (err) => explainKafkaAuth(err, mechanism),
    );
    await steps.run(
      'Authorisation',
      async () => {
        if (!destination.topic) return 'No default topic to check (topics come from each row)';
        const { topics } = await admin.fetchTopicMetadata({ topics: [destination.topic] });
        return `The topic "${destination.topic}" exists with ${topics[0]?.partitions.length ?? 0} partition(s)`;
      },
      (err) => {
        const e = err as Error & { type?: string };
        if (e.type === 'UNKNOWN_TOPIC_OR_PARTITION') return { detail: `The topic "${destination.topic}" does not exist`, hint: 'Create it on the cluster: Sluice never creates topics.' };
        if (e.type === 'TOPIC_AUTHORIZATION_FAILED') return { detail: `Not allowed to use the topic "${destination.topic}"`, hint: 'Grant this user the Describe and Write ACLs on the topic.' };
        return { detail: errorText(err) };
      },
    );
    await steps.run('Listing', async () => {
      listed.push(...(await admin.listTopics()).filter((t) => !t.startsWith('__')).sort());
      return `${listed.length} topic(s)`;
    });
    await admin.disconnect().catch(() => undefined);
  } else {
    for (const step of ['Authentication', 'Authorisation', 'Listing'] as const) await steps.run(step, async () => '');
  }
  return { destination: destination.name, ok: steps.ok, steps: steps.steps, listed };
}

function explainKafkaAuth(err: unknown, mechanism: string): { detail: string; hint?: string } {
  const e = err as Error & { type?: string; cause?: Error & { type?: string } };
  const text = `${e.message} ${e.cause?.message ?? ''}`;
  if (e.type === 'UNSUPPORTED_SASL_MECHANISM' || /UNSUPPORTED_SASL_MECHANISM|not supported|does not support/i.test(text)) {
    return { detail: `The broker does not accept the ${mechanism.toUpperCase()} mechanism (wrong mechanism, not a wrong password)`, hint: 'Choose a mechanism the cluster enables (ask its administrator which SASL mechanisms are on).' };
  }
  if (/authentication failed|invalid credentials|invalid username or password/i.test(text)) {
    return { detail: 'The broker refused the username or password', hint: 'Check the username and the password saved for this destination.' };
  }
  if (/Connection error|closed|ECONNRESET|timeout/i.test(text)) {
    return { detail: `The broker closed the connection during authentication: ${e.message}`, hint: 'The listener may expect TLS, or a different security protocol.' };
  }
  return { detail: errorText(err) };
}

async function testAws(destination: Extract<Destination, { kind: 'kinesis' | 'firehose' | 'sandbox-kinesis' }>, secrets: SourceSecretResolver, sandbox: SandboxKinesis): Promise<ConnectionTest> {
  const steps = new StepRunner();
  const listed: string[] = [];
  const isSandbox = destination.kind === 'sandbox-kinesis';
  const region = isSandbox ? SANDBOX_REGION : destination.region;
  const service = destination.kind === 'firehose' ? 'firehose' : 'kinesis';
  const endpoint = isSandbox ? await sandbox.ensureStream(destination.stream, destination.shards) : destination.endpoint ?? `https://${service}.${region}.amazonaws.com`;
  const url = new URL(endpoint);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  await steps.run('Name resolution', () => resolveHost(url.hostname));
  await steps.run('TCP connection', () => tcpConnect(url.hostname, port), explainTcp);
  if (url.protocol === 'https:') await steps.run('TLS', () => tlsHandshake(url.hostname, port, undefined), explainTls);
  else steps.skip('TLS', `${endpoint} is plain HTTP (a local endpoint)`);

  const credentials = isSandbox ? SANDBOX_CREDENTIALS : await awsCredentials(destination.auth, region, secrets);
  const config = awsClientConfig({ region, ...(isSandbox || destination.endpoint ? { endpoint } : {}), credentials, maxAttempts: 1 });
  const name = destination.kind === 'firehose' ? destination.deliveryStream : destination.stream;
  const kinesis = destination.kind !== 'firehose' ? new KinesisClient(config) : undefined;
  const firehose = destination.kind === 'firehose' ? new FirehoseClient(config) : undefined;
  try {
    await steps.run(
      'Authentication',
      async () => {
        if (typeof credentials === 'function') await credentials();
        return isSandbox ? 'The sandbox needs no credentials' : `Credentials ready (${destination.auth.kind})`;
      },
      explainAwsAuth,
    );
    await steps.run(
      'Authorisation',
      async () => {
        if (kinesis) {
          const s = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
          return `The stream "${name}" is ${s.StreamDescriptionSummary?.StreamStatus} with ${s.StreamDescriptionSummary?.OpenShardCount} open shard(s)${s.StreamDescriptionSummary?.EncryptionType === 'KMS' ? '; it is encrypted with KMS (writes need kms:GenerateDataKey)' : ''}`;
        }
        const d = await firehose!.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }));
        return `The delivery stream "${name}" is ${d.DeliveryStreamDescription?.DeliveryStreamStatus}`;
      },
      (err) => explainAwsCall(err, name, region, service),
    );
    await steps.run('Listing', async () => {
      if (kinesis) listed.push(...((await kinesis.send(new ListStreamsCommand({}))).StreamNames ?? []));
      else listed.push(...((await firehose!.send(new ListDeliveryStreamsCommand({}))).DeliveryStreamNames ?? []));
      return `${listed.length} ${service === 'kinesis' ? 'stream' : 'delivery stream'}(s) in ${region}`;
    }, (err) => explainAwsCall(err, name, region, service));
  } finally {
    kinesis?.destroy();
    firehose?.destroy();
  }
  return { destination: destination.name, ok: steps.ok, steps: steps.steps, listed };
}

function explainAwsAuth(err: unknown): { detail: string; hint?: string } {
  const e = err as Error & { name?: string };
  if (e.name === 'AccessDenied' || /AssumeRole/.test(e.message)) {
    return { detail: `The role could not be assumed: ${e.message}`, hint: 'Check the role ARN and external ID, and that the role’s trust policy allows these base credentials.' };
  }
  return { detail: errorText(err), hint: 'Check the credentials saved for this destination, or the AWS profile.' };
}

function explainAwsCall(err: unknown, name: string, region: string, service: string): { detail: string; hint?: string } {
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
    case 'AccessDeniedException': {
      const action = /not authorized to perform: ([\w:]+)/.exec(e.message)?.[1];
      return { detail: action ? `Not allowed: the identity lacks ${action}` : `Not allowed: ${e.message}`, hint: `Add ${action ?? 'the action'} on ${name} to the identity’s IAM policy.` };
    }
    case 'ResourceNotFoundException':
      return { detail: `There is no ${service === 'kinesis' ? 'stream' : 'delivery stream'} "${name}" in ${region}`, hint: 'Check the name and the region.' };
    default:
      return { detail: errorText(err) };
  }
}
