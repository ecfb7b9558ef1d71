// Apache Kafka topics: the idempotent producer (main/kafka/), topic, key, partition and headers per row.
import { kafkaConfig } from '../../../kafka/client';
import { KAFKA_LIMITS, KafkaPublisher } from '../../../kafka/producer';
import { createKafkaTopic, kafkaTopicStatus } from '../../../kafka/topic-admin';
import { testKafka } from './connection-test';
import type { EngineKind } from '../kind';
import { brokerPortProblem, topicNameProblem } from '../../../../shared/destinations/kinds/kafka/schema';
import { kafkaRouter } from './routing';
import { kafkaSyncSettings } from './sync-settings';
import { kafkaRecordTarget, kafkaSyncTarget } from './record-target';
import { kafkaTestRecordLanded } from './test-record';
import { kafkaCapture } from './capture';
import { kafkaPlacer } from './dry-run-placer';
import { kafkaRead, kafkaReadBack, kafkaTargets } from './inspect';

export const kafkaKind: EngineKind<'kafka'> = {
  kind: 'kafka',
  label: (d) => `Kafka (${d.brokers.join(', ')})`,
  target: (d, def) => (def ? kafkaSyncTarget(d.topic, def.kafka, def.triggers) : (d.topic ?? '')),
  server: 'broker',
  useProblems: (d) => [
    ...d.brokers.flatMap((broker, i) => {
      const problem = brokerPortProblem(broker);
      return problem ? [{ path: `brokers.${i}`, message: problem }] : [];
    }),
    ...(d.topic !== undefined && topicNameProblem(d.topic) ? [{ path: 'topic', message: `The topic ${topicNameProblem(d.topic)!}` }] : []),
  ],
  sizedAs: 'data + key',
  maxRecordBytes: KAFKA_LIMITS.maxRecordBytes,
  recordTarget: (d, def) => kafkaRecordTarget(d, def.kafka),
  syncSettings: kafkaSyncSettings,
  awsRole: () => null,
  publisher: async (d, { secrets, recorder }) => new KafkaPublisher(await kafkaConfig(d, secrets), d.compression, recorder),
  testConnection: (draft, { secrets, recorder }) => testKafka(draft, secrets, recorder),
  streams: { create: createKafkaTopic, status: kafkaTopicStatus },
  router: kafkaRouter,
  dryRunPlacer: (d, deps) => Promise.resolve(kafkaPlacer(d, deps)),
  inspectTargets: kafkaTargets,
  inspectRead: kafkaRead,
  readBack: kafkaReadBack,
  testRecordLanded: kafkaTestRecordLanded,
  capture: kafkaCapture,
};
