// AWS credentials and regions, as Kinesis, Firehose and Kafka (MSK IAM) destinations name them.
import { z } from 'zod';
import { SecretRefSchema } from './names';

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

/**
 * An AWS region code: us-east-1, eu-west-3, us-gov-west-1, cn-north-1, ap-southeast-5, eusc-de-east-1… (each of
 * the AWS SDK's partitions names its regions so: `^(us|eu|ap|…)-\w+-\d+$`, `^eusc-(de)-\w+-\d+$`, `^us-iso-…`).
 * Only the shape is checked, so that a region AWS opens later is taken; "Ireland", "us-east" or "US_EAST_1"
 * are refused here instead of when its endpoint's name does not resolve.
 */
export const AwsRegionSchema = z
  .string()
  .regex(/^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/, 'region must be an AWS region code, like us-east-1, eu-central-2 or us-gov-west-1');
