import type { UiKind } from '../types';
import { KafkaConnectionFields } from './KafkaConnectionFields';
import { KafkaProperties } from './KafkaProperties';
import { KafkaSyncSection } from './KafkaSyncSection';
import { CreateTopicFields, KafkaLanded, KafkaRows, TopicTarget } from './KafkaTopic';
import { topicSpec } from './kafka-create';
import { kafkaSettings, kafkaSyncState } from './kafka-sync';
import { kafkaBrokerIssues, kafkaDraft, kafkaSecretsInUse, kafkaToForm, kafkaWhere } from './kafka-wizard';

export const kafkaKind = {
  kind: 'kafka',
  label: 'Apache Kafka',
  shortLabel: 'Kafka',
  noun: 'topic',
  target: (d) => d.topic ?? '(topic per row)',
  captureAsks: (d) => !d.topic,
  where: kafkaWhere,
  wire: {
    readable: true,
    inspector: {
      Target: TopicTarget,
      defaultTopic: (targets) => targets.defaultTopic ?? targets.topics[0]?.topic ?? '',
      parts: {
        label: 'Partitions',
        choices: (targets, topic) => (targets.topics.find((t) => t.topic === topic)?.partitions ?? []).map(String),
        starts: [
          ['earliest', 'Beginning'],
          ['latest', 'End (new records only)'],
          ['offset', 'Offset'],
          ['timestamp', 'Timestamp'],
        ],
      },
      request: (topic, parts, from) => ({ topic, ...(parts.length ? { partitions: parts.map(Number) } : {}), from }),
      readLabel: 'Read records',
    },
    records: { Rows: KafkaRows, text: (r) => r.value?.text ?? 'null (tombstone)' },
    Landed: KafkaLanded,
  },
  MessageProperties: KafkaProperties,
  syncSettings: {
    initial: kafkaSyncState,
    toSettings: kafkaSettings,
    // Its own topic, or a topic for an event it sends (the payload editor's topic per trigger).
    elsewhere: 'With another topic',
    Section: KafkaSyncSection,
  },
  wizard: {
    about: 'Self-hosted, Amazon MSK or Confluent Cloud',
    // MSK IAM: an empty region means the one in the brokers' host names.
    defaults: { region: '' },
    listsAwsProfiles: (form) => form.mechanism === 'aws',
    targetRequired: false,
    noTarget: 'No default topic: each row names its topic',
    asksInspector: false,
    secretsInUse: kafkaSecretsInUse,
    fieldProblems: kafkaBrokerIssues,
    toDraft: kafkaDraft,
    toForm: kafkaToForm,
    ConnectionFields: KafkaConnectionFields,
  },
  createTarget: { fields: ['topic', 'partitions', 'replicationFactor'], spec: topicSpec, Fields: CreateTopicFields },
} satisfies UiKind<'kafka'>;
