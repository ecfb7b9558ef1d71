import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import { mskRegionOf, type Destination } from '../../shared/config/destination';
import { SluiceError } from '../../shared/ipc/errors';
import { brokerPortProblem } from '../../shared/destinations/kinds/kafka/schema';
import type { SourceSecretResolver } from '../secrets/types';
import { checkedSocketFactory } from './answer-check';
import { mskIamSasl } from './msk-iam';

/**
 * The one place a Kafka client is built. `main/kafka/` is the only folder that imports kafkajs (lint
 * enforces it), so its patch (patches/kafkajs+2.2.4.patch) or a future client is this folder's concern.
 */
export type KafkaClientConfig = KafkaConfig;
export type KafkaDestination = Extract<Destination, { kind: 'kafka' }>;

/**
 * How long a request may go unanswered in the reads a person waits on (the connection test, the
 * inspector, capture, the routing preview): a listener that takes the connection and never answers is
 * said after this (kafkajs' own 30 s, with its retries, made them wait 16 to 34 s).
 */
export const WAITED_ON_REQUEST_TIMEOUT_MS = 10_000;

/** kafkajs client settings for a destination, secrets resolved now. */
export async function kafkaConfig(destination: KafkaDestination, secrets: SourceSecretResolver): Promise<KafkaClientConfig> {
  const { auth, tls } = destination;
  // (Node's own words were "Port should be >= 0 and < 65536. Received type number (99999)")
  const port = destination.brokers.map(brokerPortProblem).find((problem) => problem !== null);
  if (port) throw new SluiceError('invalid-input', `${port} (brokers of the Kafka destination "${destination.name}")`, [{ path: 'brokers', message: port }]);
  let sasl: SASLOptions | undefined;
  if (auth.mechanism === 'plain' || auth.mechanism === 'scram-sha-256' || auth.mechanism === 'scram-sha-512') {
    sasl = { mechanism: auth.mechanism, username: auth.username, password: await secrets.resolve(auth.password) } as SASLOptions;
  } else if (auth.mechanism === 'aws') {
    const region = mskRegionOf(destination);
    if (!region) throw new SluiceError('invalid-input', `The Kafka destination "${destination.name}" signs in with AWS IAM but has no region (auth.region)`);
    sasl = await mskIamSasl(auth.credentials, region, secrets);
  }
  const ssl = tls.enabled
    ? {
        ...(tls.caPem ? { ca: [tls.caPem] } : {}),
        ...(tls.clientCertPem ? { cert: tls.clientCertPem } : {}),
        ...(tls.clientKey ? { key: await secrets.resolve(tls.clientKey) } : {}),
      }
    : undefined;
  return {
    clientId: destination.clientId,
    brokers: destination.brokers,
    ...(ssl ? { ssl: Object.keys(ssl).length ? ssl : true } : {}),
    ...(sasl ? { sasl } : {}),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 10_000,
    requestTimeout: 30_000,
    retry: { retries: 2 },
    // A listener answering in another protocol fails at once, saying what answered (not after the request timeout).
    socketFactory: checkedSocketFactory,
  };
}

/** A kafkajs client for these settings, with per-use overrides (retries, timeouts, the brokers to try). */
export function kafkaClient(config: KafkaClientConfig, overrides: Partial<KafkaClientConfig> = {}): Kafka {
  return new Kafka({ ...config, ...overrides });
}
