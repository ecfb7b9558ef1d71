// The definitions of both Kinesis kinds: a stream in AWS (by name or ARN) and the built-in sandbox.
import { z } from 'zod';
import { AwsAuthSchema, awsEndpoint, regionCheck } from '../../../config/aws-auth';
import { NameSchema } from '../../../config/names';
import { wholeNumber } from '../../../zod-words';
import { streamProblem } from '../../../config/stream-arn';

const KinesisFields = z
  .object({
    kind: z.literal('kinesis'),
    name: NameSchema,
    /** The stream's name, or its ARN (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME; its region must be the destination's). */
    stream: z.string().min(1, 'The stream name is required').max(256),
    /** An AWS region code; with a custom endpoint, any name an emulator takes (`local`): `regionCheck`. */
    region: z.string().default('us-east-1'),
    /** A custom endpoint: a local emulator or a VPC endpoint. */
    endpoint: awsEndpoint('kinesis').optional(),
    auth: AwsAuthSchema,
  })
  .strict();

/** A stream given by name is at most 128 characters; one given by ARN must be a Kinesis stream in the destination's region. */
function checkStream(d: { stream?: string | undefined; region: string }, ctx: z.RefinementCtx): void {
  const problem = streamProblem(d.stream, 'kinesis', d.region);
  if (problem) ctx.addIssue({ code: 'custom', path: ['stream'], message: problem });
}

export const KinesisDestinationSchema = KinesisFields.superRefine(checkStream).check(regionCheck);

/** In the wizard the stream may still be unchosen: it is picked from the list the connection test brings back. */
export const KinesisDraftSchema = KinesisFields.extend({ stream: z.string().max(256).optional() })
  .superRefine(checkStream)
  .check(regionCheck);

export const SandboxDestinationSchema = z
  .object({
    /** The built-in sandbox: a local Kinesis (kinesalite) that Sluice starts on 127.0.0.1. */
    kind: z.literal('sandbox-kinesis'),
    name: NameSchema,
    stream: z.string().min(1).max(128).default('sluice-sandbox'),
    shards: wholeNumber('shards', 1, 16).default(2),
  })
  .strict();
