import { z } from 'zod';
import { NameSchema, SecretRefSchema } from './names';

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
      externalId: z.string().min(2).max(1224).optional(),
      sessionName: z.string().regex(/^[\w+=,.@-]{2,64}$/, 'A session name is 2–64 letters, digits and +=,.@-_').default('sluice'),
      durationSeconds: z.number().int().min(900).max(43200).default(900),
      /** A custom STS endpoint (a local emulator or a VPC endpoint). */
      stsEndpoint: z.url().optional(),
      /** The credentials that assume the role. */
      base: z.discriminatedUnion('kind', [AccessKeySchema, DefaultChainSchema]),
    })
    .strict(),
]);
export type AwsAuth = z.infer<typeof AwsAuthSchema>;

export const DestinationSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('kinesis'),
      name: NameSchema,
      stream: z.string().min(1, 'The stream name is required').max(128),
      region: z.string().min(1).default('us-east-1'),
      /** A custom endpoint: a local emulator or a VPC endpoint. */
      endpoint: z.url().optional(),
      auth: AwsAuthSchema,
    })
    .strict(),
  z
    .object({
      kind: z.literal('firehose'),
      name: NameSchema,
      deliveryStream: z.string().min(1, 'The delivery stream name is required').max(64),
      region: z.string().min(1).default('us-east-1'),
      endpoint: z.url().optional(),
      auth: AwsAuthSchema,
      /** Append a newline to every record, so objects in S3 are newline-delimited JSON (as Segment does). */
      appendNewline: z.boolean().default(true),
    })
    .strict(),
  z
    .object({
      /** The built-in sandbox: a local Kinesis (kinesalite) that Sluice starts on 127.0.0.1. */
      kind: z.literal('sandbox-kinesis'),
      name: NameSchema,
      stream: z.string().min(1).max(128).default('sluice-sandbox'),
      shards: z.number().int().min(1).max(16).default(2),
    })
    .strict(),
]);
export type Destination = z.infer<typeof DestinationSchema>;
