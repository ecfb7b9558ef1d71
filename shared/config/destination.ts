// A destination's definition, of each kind: the kinds' own schemas (shared/destinations/kinds/<kind>/schema.ts)
// assembled into one union, for the saved definition and for the wizard's draft.
import { z } from 'zod';
import { FirehoseDestinationSchema, FirehoseDraftSchema } from '../destinations/kinds/firehose/schema';
import { KafkaDestinationSchema } from '../destinations/kinds/kafka/schema';
import { KinesisDestinationSchema, KinesisDraftSchema, SandboxDestinationSchema } from '../destinations/kinds/kinesis/schema';

export { AwsAuthSchema, AwsRegionSchema, type AwsAuth } from './aws-auth';
export { KafkaAuthSchema, KafkaDestinationSchema, KafkaTlsSchema, mskRegionOf, regionOfMskBrokers, type KafkaAuth } from '../destinations/kinds/kafka/schema';
export { FirehoseDestinationSchema } from '../destinations/kinds/firehose/schema';
export { KinesisDestinationSchema, SandboxDestinationSchema } from '../destinations/kinds/kinesis/schema';

export const DestinationSchema = z.discriminatedUnion('kind', [
  KafkaDestinationSchema,
  KinesisDestinationSchema,
  FirehoseDestinationSchema,
  SandboxDestinationSchema,
]);
export type Destination = z.infer<typeof DestinationSchema>;

/**
 * A destination being set up in the wizard: like a destination, but the stream (or delivery stream)
 * may still be unchosen — it is picked from the list the connection test brings back.
 */
export const DestinationDraftSchema = z.discriminatedUnion('kind', [KafkaDestinationSchema, KinesisDraftSchema, FirehoseDraftSchema, SandboxDestinationSchema]);
export type DestinationDraft = z.infer<typeof DestinationDraftSchema>;
