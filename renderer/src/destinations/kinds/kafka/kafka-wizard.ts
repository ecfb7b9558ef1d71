import type { DestinationDraft, KafkaAuth } from '../../../../../shared/config/destination';
import { brokerProblem } from '../../../../../shared/destinations/kinds/kafka/schema';
import type { FieldIssue } from '../../../../../shared/ipc/errors';
import { fromRef, opt, ref, type SecretKey, type WizardForm } from '../../wizard-state';
import { awsAuth, awsAuthToForm, awsSecretsInUse } from '../aws/aws-wizard';
import type { DestinationOf } from '../types';

/** The secrets a Kafka destination uses: a SASL password, MSK IAM's AWS credentials, a mutual-TLS client key. */
export function kafkaSecretsInUse(f: WizardForm): SecretKey[] {
  const used: SecretKey[] = [];
  if (f.mechanism === 'plain' || f.mechanism.startsWith('scram')) used.push('password');
  if (f.mechanism === 'aws') used.push(...awsSecretsInUse(f));
  if (f.tls && f.clientCertPem.trim()) used.push('clientKey');
  return used;
}

function kafkaAuth(f: WizardForm): KafkaAuth {
  switch (f.mechanism) {
    case 'none':
      return { mechanism: 'none' };
    case 'aws':
      return { mechanism: 'aws', ...(opt(f.region) ? { region: f.region.trim() } : {}), credentials: awsAuth(f) };
    default:
      return { mechanism: f.mechanism, username: f.username.trim(), password: ref(f.password) };
  }
}

/** The brokers as typed, one per comma (empty places dropped, as the draft drops them). */
function brokerList(text: string): string[] {
  return text
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

/**
 * Each broker typed that the Kafka client could not connect to, named by its place and its text — "Broker 2
 * (kafka:99999): the port must be a number from 1 to 65535" — before the connection is tested.
 */
export function kafkaBrokerIssues(f: Pick<WizardForm, 'brokers'>): FieldIssue[] {
  return brokerList(f.brokers).flatMap((broker, i) => {
    const problem = brokerProblem(broker);
    const shown = broker.length > 60 ? `${broker.slice(0, 60)}…` : broker;
    return problem ? [{ path: `brokers.${i}`, message: `Broker ${i + 1} (${shown}): ${problem}` }] : [];
  });
}

export function kafkaDraft(f: WizardForm, name: string, target: string): Extract<DestinationDraft, { kind: 'kafka' }> {
  return {
    kind: 'kafka',
    name,
    clientId: f.clientId.trim() || 'sluice',
    brokers: brokerList(f.brokers),
    auth: kafkaAuth(f),
    tls: {
      enabled: f.tls,
      ...(f.tls && opt(f.caPem) ? { caPem: f.caPem.trim() } : {}),
      ...(f.tls && opt(f.clientCertPem) ? { clientCertPem: f.clientCertPem.trim(), clientKey: ref(f.clientKey) } : {}),
    },
    ...(opt(target) ? { topic: target.trim() } : {}),
    compression: f.compression,
  };
}

/** A saved Kafka destination into the form. */
export function kafkaToForm(d: DestinationOf<'kafka'>, f: WizardForm): void {
  f.clientId = d.clientId;
  f.brokers = d.brokers.join(',');
  f.mechanism = d.auth.mechanism;
  if (d.auth.mechanism === 'plain' || d.auth.mechanism === 'scram-sha-256' || d.auth.mechanism === 'scram-sha-512') {
    f.username = d.auth.username;
    f.password = fromRef(d.auth.password);
  } else if (d.auth.mechanism === 'aws') {
    f.region = d.auth.region ?? '';
    awsAuthToForm(f, d.auth.credentials);
  }
  f.tls = d.tls.enabled;
  f.caPem = d.tls.caPem ?? '';
  f.clientCertPem = d.tls.clientCertPem ?? '';
  f.clientKey = fromRef(d.tls.clientKey);
  f.compression = d.compression;
  f.target = d.topic ?? '';
}

/** Where a Kafka destination is: its brokers, auth and TLS. */
export function kafkaWhere(d: DestinationOf<'kafka'>): string {
  const auth = d.auth.mechanism === 'none' ? 'no auth' : d.auth.mechanism === 'aws' ? 'AWS IAM (MSK)' : d.auth.mechanism.toUpperCase();
  return `${d.brokers.join(', ')} · ${auth}${d.tls.enabled ? ' · TLS' : ''}`;
}
