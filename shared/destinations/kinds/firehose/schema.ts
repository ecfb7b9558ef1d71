// A Firehose destination's definition: the delivery stream (by name or ARN), its region, endpoint and AWS auth.
import { z } from 'zod';
import { AwsAuthSchema, awsEndpoint, regionCheck } from '../../../config/aws-auth';
import { NameSchema } from '../../../config/names';
import { streamProblem } from '../../../config/stream-arn';

const FirehoseFields = z
  .object({
    kind: z.literal('firehose'),
    name: NameSchema,
    /** The delivery stream's name, or its ARN (arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME). */
    deliveryStream: z.string().min(1, 'The delivery stream name is required').max(256),
    /** An AWS region code; with a custom endpoint, any name an emulator takes (`local`): `regionCheck`. */
    region: z.string().default('us-east-1'),
    endpoint: awsEndpoint('firehose').optional(),
    auth: AwsAuthSchema,
    /** Append a newline to every record, so objects in S3 are newline-delimited JSON (as Segment does). */
    appendNewline: z.boolean().default(true),
  })
  .strict();

/** A delivery stream given by name is at most 64 characters; one given by ARN must be in the destination's region. */
function checkDeliveryStream(d: { deliveryStream?: string | undefined; region: string }, ctx: z.RefinementCtx): void {
  const problem = streamProblem(d.deliveryStream, 'firehose', d.region);
  if (problem) ctx.addIssue({ code: 'custom', path: ['deliveryStream'], message: problem });
}

export const FirehoseDestinationSchema = FirehoseFields.superRefine(checkDeliveryStream).check(regionCheck);

/** In the wizard the delivery stream may still be unchosen: it is picked from the list the connection test brings back. */
export const FirehoseDraftSchema = FirehoseFields.extend({ deliveryStream: z.string().max(256).optional() })
  .superRefine(checkDeliveryStream)
  .check(regionCheck);
