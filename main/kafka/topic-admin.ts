import { Kafka, type Admin } from 'kafkajs';
import type { DestinationDraft } from '../../shared/config/destination';
import type { CreatedStream } from '../../shared/ipc/channels/streams';
import { SluiceError } from '../../shared/ipc/errors';
import { kafkaConfig, WAITED_ON_REQUEST_TIMEOUT_MS } from './client';
import { KafkaCallRecorder } from './instrumentation';
import { kafkaFailure, kafkaFailureError } from './publish-errors';
import type { CallSink } from '../recorder/types';
import type { SourceSecretResolver } from '../secrets/types';

type KafkaDraft = Extract<DestinationDraft, { kind: 'kafka' }>;

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
  retentionMs?: number;
}

/** `work` with a connected admin client; brokers out of reach are said as a failure to `what` ("create the topic \"orders\""). */
async function withAdmin<T>(draft: KafkaDraft, secrets: SourceSecretResolver, calls: CallSink, what: string, work: (admin: Admin) => Promise<T>): Promise<T> {
  const config = await kafkaConfig(draft, secrets);
  // A listener that takes the connection and never answers is said after WAITED_ON_REQUEST_TIMEOUT_MS, as the
  // connection test and the inspector say it (15 s per request made the wizard wait 15 s for it).
  const admin = new Kafka({ ...config, requestTimeout: WAITED_ON_REQUEST_TIMEOUT_MS, retry: { retries: 1 } }).admin();
  new KafkaCallRecorder(calls, draft.brokers).watchAdmin(admin);
  try {
    await admin.connect();
    return await work(admin);
  } catch (err) {
    // Brokers out of reach, in the words a run uses (a listener that never answers said kafkajs' own "Broker not connected").
    throw kafkaFailureError(draft.brokers, what, err) ?? err;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Creates a topic (CreateTopics, waiting for its partitions' leaders) with `retention.ms` when given.
 * The broker's refusals come back in words: not allowed, already there, more replicas than brokers.
 */
export async function createKafkaTopic(draft: KafkaDraft, spec: TopicSpec, secrets: SourceSecretResolver, calls: CallSink): Promise<CreatedStream> {
  return withAdmin(draft, secrets, calls, `create the topic "${spec.topic}"`, async (admin) => {
    let brokers: number | undefined;
    try {
      brokers = (await admin.describeCluster()).brokers.length;
    } catch (err) {
      throw explainTopicError(err, spec, undefined);
    }
    let created: boolean;
    try {
      created = await admin.createTopics({
        waitForLeaders: true,
        // The broker answers within this (done or not) before the client's request timeout ends.
        timeout: WAITED_ON_REQUEST_TIMEOUT_MS - 2_000,
        topics: [
          {
            topic: spec.topic,
            numPartitions: spec.partitions,
            replicationFactor: spec.replicationFactor,
            ...(spec.retentionMs !== undefined ? { configEntries: [{ name: 'retention.ms', value: String(spec.retentionMs) }] } : {}),
          },
        ],
      });
    } catch (err) {
      throw explainTopicError(err, spec, brokers);
    }
    // kafkajs answers false (no error) when the topic was already there.
    if (!created) throw alreadyExists(spec.topic);
    const retention =
      spec.retentionMs === undefined
        ? "the broker's default retention"
        : spec.retentionMs === -1
          ? 'records kept for ever'
          : `retention ${formatDuration(spec.retentionMs)}`;
    return {
      kind: 'kafka',
      name: spec.topic,
      status: 'ACTIVE',
      ready: true,
      detail: `Created the topic "${spec.topic}": ${spec.partitions} partition(s), replication factor ${spec.replicationFactor}, ${retention}`,
    };
  });
}

/** A topic's state: its partitions, or not found. */
export async function kafkaTopicStatus(draft: KafkaDraft, topic: string, secrets: SourceSecretResolver, calls: CallSink): Promise<CreatedStream> {
  return withAdmin(draft, secrets, calls, `read the topic "${topic}"`, async (admin) => {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      return {
        kind: 'kafka',
        name: topic,
        status: 'ACTIVE',
        ready: true,
        detail: `The topic "${topic}" has ${topics[0]?.partitions.length ?? 0} partition(s)`,
      };
    } catch (err) {
      const e = err as Error & { type?: string };
      if (e.type === 'UNKNOWN_TOPIC_OR_PARTITION') throw new SluiceError('not-found', `The topic "${topic}" does not exist on the cluster`);
      throw explainTopicError(err, { topic, partitions: 1, replicationFactor: 1 }, undefined);
    }
  });
}

function alreadyExists(topic: string): SluiceError {
  return new SluiceError('conflict', `A topic named "${topic}" already exists on the cluster: choose it from the list, or give the new topic another name`, [
    { path: 'create.topic', message: 'This topic already exists' },
  ]);
}

/** The broker's error codes of a failed CreateTopics (kafkajs wraps them in an aggregate error). */
function errorTypes(err: unknown): { type: string; message: string }[] {
  const e = err as Error & { type?: string; errors?: (Error & { type?: string })[]; cause?: Error & { type?: string } };
  const list = [e, ...(e.errors ?? []), ...(e.cause ? [e.cause] : [])];
  return list.filter((x): x is Error & { type: string } => typeof x?.type === 'string').map((x) => ({ type: x.type, message: x.message }));
}

/** A Kafka refusal in words a person can act on (exported for tests of codes a test broker cannot produce). */
export function explainTopicError(err: unknown, spec: TopicSpec, brokers: number | undefined): Error {
  const types = errorTypes(err);
  const has = (t: string) => types.find((x) => x.type === t);
  if (has('TOPIC_ALREADY_EXISTS')) return alreadyExists(spec.topic);
  if (has('TOPIC_AUTHORIZATION_FAILED')) {
    return new SluiceError(
      'invalid-input',
      `Not allowed to create the topic "${spec.topic}" (TOPIC_AUTHORIZATION_FAILED): the user needs the Create ACL on this topic (or on the cluster). Ask the cluster's administrator, or choose an existing topic.`,
    );
  }
  if (has('CLUSTER_AUTHORIZATION_FAILED')) {
    return new SluiceError(
      'invalid-input',
      'Not allowed to create topics on this cluster (CLUSTER_AUTHORIZATION_FAILED): the user needs the Create ACL on the cluster. Ask the cluster’s administrator, or choose an existing topic.',
    );
  }
  const replication = has('INVALID_REPLICATION_FACTOR');
  if (replication) {
    const count = brokers !== undefined ? `the cluster has ${brokers} broker${brokers === 1 ? '' : 's'}` : 'the cluster has fewer brokers';
    return new SluiceError(
      'invalid-input',
      `A replication factor of ${spec.replicationFactor} needs ${spec.replicationFactor} brokers, but ${count}: lower the replication factor (the broker said: ${replication.message})`,
      [{ path: 'create.replicationFactor', message: brokers !== undefined ? `At most ${brokers} on this cluster` : 'Too many replicas for this cluster' }],
    );
  }
  const partitions = has('INVALID_PARTITIONS');
  if (partitions)
    return new SluiceError('invalid-input', `The broker refused ${spec.partitions} partition(s): ${partitions.message}`, [
      { path: 'create.partitions', message: 'The broker refused this number of partitions' },
    ]);
  const topic = has('INVALID_TOPIC_EXCEPTION');
  if (topic)
    return new SluiceError('invalid-input', `The broker refused the topic name "${spec.topic}": ${topic.message}`, [
      { path: 'create.topic', message: 'The broker refused this name' },
    ]);
  const config = has('INVALID_CONFIG') ?? has('POLICY_VIOLATION');
  if (config)
    return new SluiceError('invalid-input', `The broker refused the topic's settings (${config.type}): ${config.message}`, [
      { path: 'create.retentionMs', message: 'The broker refused these settings' },
    ]);
  // Brokers out of reach go as they are: `withAdmin` says them as runs do.
  if (kafkaFailure(err)?.unreachable) return err as Error;
  const first = types[0];
  const message = (err as Error).message ?? String(err);
  return new SluiceError('invalid-input', `Could not create the topic "${spec.topic}": ${first ? `${first.type}: ${first.message}` : message}`);
}

function formatDuration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  for (const [size, name] of units) if (ms % size === 0) return `${ms / size} ${name}${ms / size === 1 ? '' : 's'}`;
  return `${ms} ms`;
}
