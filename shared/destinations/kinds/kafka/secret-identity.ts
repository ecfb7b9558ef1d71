import type { DestinationDraft } from '../../../config/destination';
import { awsCredentialsOf, awsEndpointKey, fromRef, type Credential, type EndpointIdentity, type TextHash } from '../../secret-identity';

type KafkaDraft = Extract<DestinationDraft, { kind: 'kafka' }>;

function normalBroker(broker: string): string {
  const m = /^(.*):(\d+)$/.exec(broker.trim());
  if (!m) return broker.trim().toLowerCase();
  return `${m[1]!.toLowerCase().replace(/\.$/, '')}:${Number(m[2])}`;
}

/** A Kafka destination's secrets go to its brokers, with its TLS settings (the CA by its hash) and an MSK IAM login's STS endpoint. */
export function kafkaIdentity(d: KafkaDraft, hash: TextHash): EndpointIdentity {
  return {
    kind: 'kafka',
    brokers: [...new Set(d.brokers.map(normalBroker))].sort(),
    tls: d.tls.enabled,
    ...(d.tls.enabled && d.tls.caPem ? { ca: hash(d.tls.caPem.trim()) } : {}),
    ...(d.auth.mechanism === 'aws' && d.auth.credentials.kind === 'assume-role' && d.auth.credentials.stsEndpoint
      ? { sts: awsEndpointKey(d.auth.credentials.stsEndpoint) }
      : {}),
  };
}

/** A SASL password, an MSK IAM login's AWS credentials, and a client key (only resolved with TLS on, as kafkaConfig does). */
export function kafkaCredentials(d: KafkaDraft): Credential[] {
  const out: Credential[] = [];
  const a = d.auth;
  if (a.mechanism === 'plain' || a.mechanism === 'scram-sha-256' || a.mechanism === 'scram-sha-512') out.push(fromRef('auth.password', a.password));
  if (a.mechanism === 'aws') out.push(...awsCredentialsOf(a.credentials, 'auth.credentials'));
  if (d.tls.enabled && d.tls.clientKey) out.push(fromRef('tls.clientKey', d.tls.clientKey));
  return out;
}
