import { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Destination } from '../../shared/config/destination';
import type { InspectRead, InspectReadRequest, InspectTargets, SentRecord } from '../../shared/config/inspector';
import { SluiceError } from '../../shared/ipc/errors';
import { awsClientConfig } from '../aws/client-config';
import { awsCredentials } from '../aws/credentials';
import { nameMissingPermission } from '../aws/access-denied';
import { recordAwsClient } from '../aws/recording-middleware';
import { KafkaCallRecorder } from '../kafka/instrumentation';
import type { CallSink } from '../recorder/types';
import type { EngineServices } from '../engine/services';
import { kafkaConfig, type KafkaClientConfig } from '../kafka/client';
import { followSandboxMoves } from '../sandbox/follow-moves';
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from '../sandbox/sandbox-kinesis';
import { kafkaTopics, readKafka } from '../kafka/reader';
import { listShards, readKinesis } from './kinesis-reader';
import { sentTo, type LedgerRecord } from './ledger-lookup';
import { describeData } from './record-data';

type KinesisDestination = Extract<Destination, { kind: 'kinesis' | 'sandbox-kinesis' }>;

/** What the inspector needs from the engine. */
export type InspectorEngine = Pick<EngineServices, 'catalog' | 'secretResolver' | 'sandbox' | 'db' | 'recorder'>;

/** The Debugger's sink for the inspector's calls to a destination. */
export function inspectorCalls(engine: InspectorEngine, destination: string): CallSink {
  return engine.recorder.scope({ runId: null, context: 'inspector', destination });
}

/** A Kinesis client for a destination (the sandbox included), secrets resolved now, its calls recorded. Destroy it after use. */
export async function kinesisClientFor(
  engine: InspectorEngine,
  d: KinesisDestination,
  calls: CallSink = inspectorCalls(engine, d.name),
): Promise<KinesisClient> {
  if (d.kind === 'sandbox-kinesis') {
    await engine.sandbox.ensureStream(d.stream, d.shards);
    // Asked per request, and retried a few times: the workspace's sandbox server may move to another process meanwhile (main/sandbox).
    return recordAwsClient(
      followSandboxMoves(
        new KinesisClient(
          awsClientConfig({ region: SANDBOX_REGION, endpoint: () => engine.sandbox.endpoint(), credentials: SANDBOX_CREDENTIALS, maxAttempts: 2 }),
        ),
        engine.sandbox,
      ),
      calls,
      SANDBOX_REGION,
    );
  }
  // Only the destination's own secrets (issue 12): one bound to another endpoint is refused before it is read.
  const credentials = await awsCredentials(d.auth, d.region, engine.secretResolver.forDestination(d), calls);
  // An AccessDenied answer names the missing action (kinesis:GetRecords…), as a run's does.
  return nameMissingPermission(
    recordAwsClient(new KinesisClient(awsClientConfig({ region: d.region, endpoint: d.endpoint, credentials, maxAttempts: 2 })), calls, d.region),
    'kinesis',
  );
}

/** kafkajs settings for reading, and a recorder for the admin requests (metadata, offsets) the read makes. */
export async function kafkaConfigFor(
  engine: InspectorEngine,
  d: Extract<Destination, { kind: 'kafka' }>,
  sink: CallSink = inspectorCalls(engine, d.name),
): Promise<{ config: KafkaClientConfig; calls: KafkaCallRecorder }> {
  return {
    // Only the destination's own secrets (issue 12): one bound to other brokers is refused before it is read.
    config: { ...(await kafkaConfig(d, engine.secretResolver.forDestination(d))), requestTimeout: 15_000, retry: { retries: 3 } },
    calls: new KafkaCallRecorder(sink, d.brokers),
  };
}

/** What can be read from a destination: its stream's shards, or the cluster's topics and partitions. */
export async function inspectTargets(engine: InspectorEngine, destination: string): Promise<InspectTargets> {
  const d = engine.catalog.getDestination(destination);
  switch (d.kind) {
    case 'kinesis':
    case 'sandbox-kinesis': {
      const client = await kinesisClientFor(engine, d);
      try {
        const shards = await listShards(client, d.stream);
        return {
          kind: 'kinesis',
          destination,
          stream: d.stream,
          shards: shards.map((s) => ({ shardId: s.ShardId ?? '', open: !s.SequenceNumberRange?.EndingSequenceNumber })),
        };
      } finally {
        client.destroy();
      }
    }
    case 'kafka': {
      const { config, calls } = await kafkaConfigFor(engine, d);
      const topics = await kafkaTopics(config, undefined, calls);
      return { kind: 'kafka', destination, defaultTopic: d.topic ?? null, topics };
    }
    case 'firehose':
      return { kind: 'firehose', destination, deliveryStream: d.deliveryStream };
  }
}

export function toSentRecord(r: LedgerRecord): SentRecord {
  return {
    kind: 'ledger',
    ledgerId: r.entry.id,
    runId: r.entry.runId,
    key: r.entry.key,
    recordId: r.entry.recordId,
    sentAt: r.entry.lastAttemptAt,
    data: r.data === null ? null : describeData(r.data),
  };
}

/** Reads records back from a destination's stream or topic; for Firehose, what the ledger says was sent. */
export async function inspectRead(engine: InspectorEngine, request: InspectReadRequest): Promise<InspectRead> {
  const d = engine.catalog.getDestination(request.destination);
  switch (d.kind) {
    case 'kinesis':
    case 'sandbox-kinesis': {
      if (request.topic || request.partitions)
        throw new SluiceError('invalid-input', `"${d.name}" is a Kinesis stream: choose shards, not a topic or partitions`);
      const stream = request.stream ?? d.stream;
      const client = await kinesisClientFor(engine, d);
      try {
        const { records, readers } = await readKinesis(client, {
          stream,
          shards: request.shards,
          from: request.from,
          limit: request.limit,
          waitMs: request.waitMs,
        });
        return {
          kind: 'kinesis',
          target: stream,
          records,
          readers: readers.map((r) => ({ part: r.shardId, read: r.records.length, stopped: r.stopped })),
          note: null,
        };
      } finally {
        client.destroy();
      }
    }
    case 'kafka': {
      if (request.stream || request.shards)
        throw new SluiceError('invalid-input', `"${d.name}" is a Kafka destination: choose a topic and partitions, not a stream or shards`);
      const topic = request.topic ?? d.topic;
      if (!topic) throw new SluiceError('invalid-input', `"${d.name}" has no topic of its own (its syncs choose one per row): say which topic to read`);
      const { config, calls } = await kafkaConfigFor(engine, d);
      const { records, readers } = await readKafka(config, {
        topic,
        partitions: request.partitions,
        from: request.from,
        limit: request.limit,
        waitMs: request.waitMs,
        calls,
      });
      return {
        kind: 'kafka',
        target: topic,
        records,
        readers: readers.map((r) => ({ part: `${topic}-${r.partition}`, read: r.records.length, stopped: r.stopped })),
        note: null,
      };
    }
    case 'firehose': {
      const records = sentTo(engine.db, d.name, request.limit).map(toSentRecord);
      return {
        kind: 'firehose',
        target: d.deliveryStream,
        records,
        readers: [],
        note: 'Kinesis Data Firehose has no read API: these are the latest records Sluice sent, from the ledger.',
      };
    }
  }
}
