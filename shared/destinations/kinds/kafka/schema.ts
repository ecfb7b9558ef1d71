// A Kafka destination's definition: brokers, SASL or MSK IAM auth, TLS, its topic. (The wizard's draft is the same.)
import { z } from 'zod';
import { AwsAuthSchema, AwsRegionSchema } from '../../../config/aws-auth';
import { NameSchema, SecretRefSchema } from '../../../config/names';

/** The region in an MSK broker's host name (b-1.name.abc123.c2.kafka.eu-west-1.amazonaws.com), if it has one. */
export function regionOfMskBrokers(brokers: readonly string[]): string | undefined {
  for (const b of brokers) {
    const region = /\.kafka(?:-serverless)?\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com(?:\.cn)?(?::\d+)?$/.exec(b)?.[1];
    if (region) return region;
  }
  return undefined;
}

/**
 * Before Sluice signed MSK IAM logins itself, the `aws` mechanism took one access key in place
 * (`authorizationIdentity`, `accessKeyId`, `secretAccessKey`, `sessionToken`). Such configurations
 * (YAML files, and destinations stored by earlier versions) are read as `credentials: { kind:
 * access-key, … }`; the authorization identity is not needed by MSK and is dropped.
 */
function legacyMskAuth(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const v = value as Record<string, unknown>;
  if (v.mechanism !== 'aws' || 'credentials' in v || !('accessKeyId' in v)) return value;
  const { accessKeyId, secretAccessKey, sessionToken, ...rest } = v;
  delete rest.authorizationIdentity;
  return { ...rest, credentials: { kind: 'access-key', accessKeyId, secretAccessKey, ...(sessionToken !== undefined ? { sessionToken } : {}) } };
}

export const KafkaAuthSchema = z.preprocess(
  legacyMskAuth,
  z.discriminatedUnion('mechanism', [
    z.object({ mechanism: z.literal('none') }).strict(),
    z
      .object({
        mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
        username: z.string().min(1, 'The username is required'),
        password: SecretRefSchema,
      })
      .strict(),
    z
      .object({
        /**
         * Amazon MSK IAM access control: Sluice signs a SASL/OAUTHBEARER token with AWS Signature V4
         * (main/kafka/client.ts / msk-iam.ts), from any of the AWS credential modes. No secret is sent.
         */
        mechanism: z.literal('aws'),
        /** The cluster's region; when absent, taken from the brokers' MSK host names. */
        region: AwsRegionSchema.optional(),
        credentials: AwsAuthSchema,
      })
      .strict(),
  ]),
);
export type KafkaAuth = z.infer<typeof KafkaAuthSchema>;

export const KafkaTlsSchema = z
  .object({
    enabled: z.boolean(),
    /** Your own CA certificate (PEM), for brokers whose certificates a public CA did not sign. */
    caPem: z.string().includes('BEGIN CERTIFICATE', { message: 'Paste the CA certificate in PEM form (-----BEGIN CERTIFICATE-----…)' }).optional(),
    clientCertPem: z.string().includes('BEGIN CERTIFICATE', { message: 'The client certificate must be PEM' }).optional(),
    clientKey: SecretRefSchema.optional(),
  })
  .strict();

/**
 * One bootstrap broker, host:port. kafkajs splits an address at its first colon, so an IPv6 address
 * cannot be written (a host name that resolves to it can), nor a listener URL (`SASL_SSL://host:9092`).
 * A port past 65535 is refused when the destination is used (`brokerPortProblem`, main/kafka/client.ts),
 * not here: saved destinations are read with this schema, and one saved with such a port must still list.
 */
const BrokerSchema = z.string().superRefine((broker, ctx) => {
  if (broker.includes('://'))
    ctx.addIssue({
      code: 'custom',
      message: 'A broker is host:port, without a protocol (write host:9092, not SASL_SSL://host:9092; TLS and SASL are set under tls and auth)',
    });
  else if (broker.startsWith('[') || (broker.match(/:/g)?.length ?? 0) > 1)
    ctx.addIssue({
      code: 'custom',
      message: 'A broker is host:port; an IPv6 address cannot be written here (the Kafka client cannot reach one): use a host name for it',
    });
  else if (!/^[^\s:]+:\d{1,5}$/.test(broker)) ctx.addIssue({ code: 'custom', message: 'A broker is host:port' });
});

/**
 * Why `topic` cannot be a Kafka topic's name (letters, digits, ".", "_" and "-", at most 249, not "." or
 * ".."), or null. The broker refuses such a name with INVALID_TOPIC_EXCEPTION, and for the whole request:
 * one row's bad topic failed every record of the run, on every topic, without naming it.
 */
export function topicNameProblem(topic: string): string | null {
  if (/^[A-Za-z0-9._-]{1,249}$/.test(topic) && topic !== '.' && topic !== '..') return null;
  const shown = topic.length > 60 ? `${topic.slice(0, 60)}…` : topic;
  return `"${shown}" is not a Kafka topic name (letters, digits, ".", "_" and "-", at most 249 characters)`;
}

/** Why a broker's port cannot be connected to (0, or past 65535), or null. */
export function brokerPortProblem(broker: string): string | null {
  const port = Number(broker.slice(broker.lastIndexOf(':') + 1));
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? null : `The broker ${broker} has no valid port: a port is 1 to 65535`;
}

export const KafkaDestinationSchema = z
  .object({
    kind: z.literal('kafka'),
    name: NameSchema,
    clientId: z.string().min(1).default('sluice'),
    brokers: z.array(BrokerSchema).min(1, 'List at least one broker as host:port'),
    auth: KafkaAuthSchema.default({ mechanism: 'none' }),
    tls: KafkaTlsSchema.default({ enabled: false }),
    /** The topic records go to unless the sync takes it from each row. */
    topic: z.string().min(1).max(249).optional(),
    compression: z.enum(['none', 'gzip']).default('none'),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.auth.mechanism === 'aws' && !d.auth.region && !regionOfMskBrokers(d.brokers)) {
      ctx.addIssue({
        code: 'custom',
        path: ['auth', 'region'],
        message: "The AWS region of the MSK cluster is required (e.g. us-east-1): the brokers' host names do not show it",
      });
    }
  });

/** The region an MSK IAM login is signed for: the destination's own, else the one in its brokers' host names. */
export function mskRegionOf(d: { brokers: readonly string[]; auth: KafkaAuth }): string | undefined {
  return (d.auth.mechanism === 'aws' ? d.auth.region : undefined) ?? regionOfMskBrokers(d.brokers);
}

const PORT_WORDS = 'the port must be a number from 1 to 65535';

/**
 * Why `broker`, as typed in the wizard, is no address the Kafka client can connect to: not host:port (a
 * listener URL, an IPv6 address: `BrokerSchema`'s words), or a port that is no number from 1 to 65535 (which
 * the schema lets a saved destination keep, `brokerPortProblem`); null when it is one.
 */
export function brokerProblem(broker: string): string | null {
  const port = /^[^\s:]+:([^:]*)$/.exec(broker)?.[1];
  if (port !== undefined && (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535)) return PORT_WORDS;
  const shape = BrokerSchema.safeParse(broker);
  const words = shape.success ? null : (shape.error.issues[0]?.message ?? 'A broker is host:port');
  return words && words.charAt(0).toLowerCase() + words.slice(1);
}
