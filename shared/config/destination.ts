import { z } from 'zod';
import { NameSchema, SecretRefSchema } from './names';

export const AwsAuthSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('access-key'),
      accessKeyId: z.string().min(1, 'The access key ID is required'),
      secretAccessKey: SecretRefSchema,
      sessionToken: SecretRefSchema.optional(),
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
      /** The built-in sandbox: a local Kinesis (kinesalite) that Sluice starts on 127.0.0.1. */
      kind: z.literal('sandbox-kinesis'),
      name: NameSchema,
      stream: z.string().min(1).max(128).default('sluice-sandbox'),
      shards: z.number().int().min(1).max(16).default(2),
    })
    .strict(),
]);
export type Destination = z.infer<typeof DestinationSchema>;
