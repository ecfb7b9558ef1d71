import { z } from 'zod';
import { NameSchema, SecretRefSchema } from './names';
import { looksLikeArn, streamArnProblem } from './stream-arn';

const AccessKeySchema = z
  .object({
    kind: z.literal('access-key'),
    accessKeyId: z.string().min(1, 'The access key ID is required'),
    secretAccessKey: SecretRefSchema,
    sessionToken: SecretRefSchema.optional(),
  })
  .strict();

/** The AWS default chain: environment, shared config/credentials files (a profile, SSO included), container and instance metadata. */
const DefaultChainSchema = z.object({ kind: z.literal('default-chain'), profile: z.string().min(1).optional() }).strict();

export const AwsAuthSchema = z.discriminatedUnion('kind', [
  AccessKeySchema,
  DefaultChainSchema,
  z
    .object({
      kind: z.literal('assume-role'),
      roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'A role ARN looks like arn:aws:iam::123456789012:role/NAME'),
      /**
       * The external ID the role's trust policy requires. Sluice generates one (`sluice-` + 32 hex) and
       * keeps it as a secret (`{ keychain: NAME }`); a typed-in string (older configurations) is still accepted.
       */
      externalId: z
        .union([z.string().min(2, 'An external ID is 2–1224 characters').max(1224, 'An external ID is 2–1224 characters'), SecretRefSchema])
        .optional(),
      sessionName: z
        .string()
        .regex(/^[\w+=,.@-]{2,64}$/, 'A session name is 2–64 letters, digits and +=,.@-_')
        .default('sluice'),
      durationSeconds: z.number().int().min(900).max(43200).default(900),
      /** A custom STS endpoint (a local emulator or a VPC endpoint). */
      stsEndpoint: z.url().optional(),
      /** The credentials that assume the role. */
      base: z.discriminatedUnion('kind', [AccessKeySchema, DefaultChainSchema]),
    })
    .strict(),
]);
export type AwsAuth = z.infer<typeof AwsAuthSchema>;

/** An AWS region code: us-east-1, eu-west-3, us-gov-west-1, cn-north-1, ap-southeast-5… */
export const AwsRegionSchema = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'An AWS region looks like us-east-1');

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

export const KafkaDestinationSchema = z
  .object({
    kind: z.literal('kafka'),
    name: NameSchema,
    clientId: z.string().min(1).default('sluice'),
    brokers: z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'A broker is host:port')).min(1, 'List at least one broker as host:port'),
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

export const KinesisDestinationSchema = z
  .object({
    kind: z.literal('kinesis'),
    name: NameSchema,
    /** The stream's name, or its ARN (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME; its region must be the destination's). */
    stream: z.string().min(1, 'The stream name is required').max(256),
    region: z.string().min(1).default('us-east-1'),
    /** A custom endpoint: a local emulator or a VPC endpoint. */
    endpoint: z.url().optional(),
    auth: AwsAuthSchema,
  })
  .strict();

export const FirehoseDestinationSchema = z
  .object({
    kind: z.literal('firehose'),
    name: NameSchema,
    /** The delivery stream's name, or its ARN (arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME). */
    deliveryStream: z.string().min(1, 'The delivery stream name is required').max(256),
    region: z.string().min(1).default('us-east-1'),
    endpoint: z.url().optional(),
    auth: AwsAuthSchema,
    /** Append a newline to every record, so objects in S3 are newline-delimited JSON (as Segment does). */
    appendNewline: z.boolean().default(true),
  })
  .strict();

export const SandboxDestinationSchema = z
  .object({
    /** The built-in sandbox: a local Kinesis (kinesalite) that Sluice starts on 127.0.0.1. */
    kind: z.literal('sandbox-kinesis'),
    name: NameSchema,
    stream: z.string().min(1).max(128).default('sluice-sandbox'),
    shards: z.number().int().min(1).max(16).default(2),
  })
  .strict();

/** A stream given by ARN must be of the destination's kind and region. */
function checkStreamArn(d: { kind: string; region?: string; stream?: string; deliveryStream?: string }, ctx: z.RefinementCtx): void {
  if (d.kind === 'kinesis' || d.kind === 'firehose') {
    const field = d.kind === 'kinesis' ? 'stream' : 'deliveryStream';
    const value = d[field];
    const max = d.kind === 'kinesis' ? 128 : 64;
    const problem =
      value && !looksLikeArn(value) && value.length > max
        ? `A ${d.kind === 'kinesis' ? 'stream' : 'delivery stream'} name is at most ${max} characters`
        : streamArnProblem(value, d.kind, d.region ?? '');
    if (problem) ctx.addIssue({ code: 'custom', path: [field], message: problem });
  }
}

export const DestinationSchema = z
  .discriminatedUnion('kind', [KafkaDestinationSchema, KinesisDestinationSchema, FirehoseDestinationSchema, SandboxDestinationSchema])
  .superRefine(checkStreamArn);
export type Destination = z.infer<typeof DestinationSchema>;

/**
 * A destination being set up in the wizard: like a destination, but the stream (or delivery stream)
 * may still be unchosen — it is picked from the list the connection test brings back.
 */
export const DestinationDraftSchema = z
  .discriminatedUnion('kind', [
    KafkaDestinationSchema,
    KinesisDestinationSchema.extend({ stream: z.string().max(256).optional() }),
    FirehoseDestinationSchema.extend({ deliveryStream: z.string().max(256).optional() }),
    SandboxDestinationSchema,
  ])
  .superRefine(checkStreamArn);
export type DestinationDraft = z.infer<typeof DestinationDraftSchema>;
