// An Amazon Kinesis Data Firehose delivery stream: PutRecordBatch, events routed to delivery streams by the sync's routes; no read API.
import { streamNameOf } from '../../../../shared/config/stream-arn';
import { awsCredentials } from '../../../aws/credentials';
import { FIREHOSE_LIMITS, FirehosePublisher } from '../../../publishers/firehose-publisher';
import { createDeliveryStream, deliveryStreamStatus } from '../../aws-stream-admin';
import { awsProbe, testAws } from '../../aws-connection-test';
import { firehoseService } from './probe';
import type { EngineKind } from '../kind';
import { sameStream } from '../../../../shared/config/stream-arn';
import { firehoseRouter } from './routing';
import { firehoseSyncSettings } from './sync-settings';
import { firehoseRecordTarget } from './record-target';
import { firehoseTestRecordLanded } from './test-record';
import { firehosePlacer } from './dry-run-placer';
import { firehoseRead, firehoseReadBack, firehoseTargets } from './inspect';

export const firehoseKind: EngineKind<'firehose'> = {
  kind: 'firehose',
  label: (d) => `Firehose delivery stream ${d.deliveryStream}`,
  // A sync that routes events sends to its routes' delivery streams only (none matched: not sent), never the destination's.
  target: (d, def) => `${d.region} ${def?.firehose ? JSON.stringify([def.firehose.eventName ?? null, def.firehose.routes]) : d.deliveryStream}`,
  sameTarget: (a, b, def) =>
    def?.firehose
      ? a.region === b.region
      : sameStream({ region: a.region, stream: a.deliveryStream }, { region: b.region, stream: b.deliveryStream }, 'firehose'),
  server: 'Firehose',
  // A Firehose record has no partition key: its data, and the newline that ends it unless the destination turns it off (FirehosePublisher.recordBytes).
  sizedAs: 'data + the newline Sluice adds, unless turned off',
  maxRecordBytes: FIREHOSE_LIMITS.maxRecordBytes,
  recordTarget: (d, def) => firehoseRecordTarget(d, def.firehose),
  syncSettings: firehoseSyncSettings,
  awsRole: (d) => ({ auth: d.auth, probe: true }),
  publisher: async (d, { secrets, recorder }) =>
    new FirehosePublisher({
      // Firehose calls take the name only: one given by ARN is used by its name (its region was checked against the destination's).
      deliveryStream: streamNameOf(d.deliveryStream, 'firehose'),
      region: d.region,
      endpoint: d.endpoint,
      credentials: await awsCredentials(d.auth, d.region, secrets, recorder),
      appendNewline: d.appendNewline,
      recorder,
    }),
  testConnection: (draft, { secrets, recorder }) => testAws(awsProbe(draft, draft.deliveryStream, firehoseService), secrets, recorder),
  streams: { create: createDeliveryStream, status: deliveryStreamStatus },
  router: firehoseRouter,
  dryRunPlacer: (d) => Promise.resolve(firehosePlacer(d.deliveryStream)),
  inspectTargets: firehoseTargets,
  inspectRead: firehoseRead,
  readBack: firehoseReadBack,
  testRecordLanded: firehoseTestRecordLanded,
  capture: (d) =>
    `"${d.name}" is a Kinesis Data Firehose delivery stream, which cannot be read back: Firehose delivers to S3, Redshift or another store, so capture from there, or from a Kinesis stream or Kafka topic`,
};
