// AWS credentials and regions, as Kinesis, Firehose and Kafka (MSK IAM) destinations name them.
import { z } from 'zod';
import { SecretRefSchema } from './names';

/**
 * A custom AWS endpoint (a VPC endpoint, a local emulator): an http:// or https:// URL. Any other URL was taken and failed
 * only when used: "localhost:4567" (a URL of scheme "localhost:") sent every call to port 80 as "UnknownError", and
 * "ftp://…" was called over HTTP.
 */
export function awsEndpoint(service: 'kinesis' | 'firehose' | 'sts') {
  const example = `https://${service}.eu-west-1.amazonaws.com`;
  // Said without the field's name, which the app's form and apply's path already give ("Endpoint: endpoint must…").
  return z.url({
    protocol: /^https?$/,
    error: `Give a URL that starts with http:// or https:// (like ${example}, or http://localhost:4566 for a local emulator)`,
  });
}

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
      stsEndpoint: awsEndpoint('sts').optional(),
      /** The credentials that assume the role. */
      base: z.discriminatedUnion('kind', [AccessKeySchema, DefaultChainSchema]),
    })
    .strict(),
]);
export type AwsAuth = z.infer<typeof AwsAuthSchema>;

const AWS_REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
const AWS_REGION_WORDS = 'region must be an AWS region code, like us-east-1, eu-central-2 or us-gov-west-1';
/** Any region name a local emulator takes (kinesalite, kinesis-local, localstack, moto: `local`, `us-local-1`…): safe in a host name and a signature. */
const REGION_NAME = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/;
const REGION_NAME_WORDS =
  'region must be 1–50 lowercase letters, digits and hyphens, not starting or ending with a hyphen (like us-east-1, or local for an emulator at the endpoint)';

/**
 * An AWS region code: us-east-1, eu-west-3, us-gov-west-1, cn-north-1, ap-southeast-5, eusc-de-east-1… (each of
 * the AWS SDK's partitions names its regions so: `^(us|eu|ap|…)-\w+-\d+$`, `^eusc-(de)-\w+-\d+$`, `^us-iso-…`).
 * Only the shape is checked, so that a region AWS opens later is taken; "Ireland", "us-east" or "US_EAST_1"
 * are refused here instead of when its endpoint's name does not resolve.
 */
export const AwsRegionSchema = z.string().regex(AWS_REGION, AWS_REGION_WORDS);

/**
 * Why a Kinesis or Firehose destination's region cannot be used, or undefined. With a custom endpoint (a local
 * emulator, which takes any region name: `local`, `us-local-1`) any name of the safe shape is taken; without one
 * the calls go to AWS, so it must be an AWS region code. Spaces, slashes, capitals or an empty name never are.
 */
export function regionProblem(region: string, endpoint: string | undefined): string | undefined {
  if (endpoint !== undefined) return REGION_NAME.test(region) ? undefined : REGION_NAME_WORDS;
  return AWS_REGION.test(region) ? undefined : AWS_REGION_WORDS;
}

/**
 * The region check of a destination with `region` and `endpoint` fields (Kinesis, Firehose), as an object-level
 * check: it needs the endpoint. It runs even when another field is wrong, so every problem is said at once.
 */
export const regionCheck = z.superRefine<{ region: string; endpoint?: string | undefined }>(
  (d, ctx) => {
    const problem = regionProblem(d.region, d.endpoint);
    if (problem) ctx.addIssue({ code: 'custom', path: ['region'], message: problem, input: d.region });
  },
  { when: (payload) => hasRegion(payload.value) },
);

function hasRegion(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { region, endpoint } = value as { region?: unknown; endpoint?: unknown };
  return typeof region === 'string' && (endpoint === undefined || typeof endpoint === 'string');
}
