import type { ExplicitHashKey, FirehoseRouting, KafkaMessage, PartitionKey } from '../../../../shared/config/sync';

/** The message properties a sync sets besides its payload (Kinesis, Kafka or Firehose). */
export interface MessageProps {
  partitionKey: PartitionKey;
  explicitHashKey?: ExplicitHashKey;
  kafka?: KafkaMessage;
  firehose?: FirehoseRouting;
}

/** A column or template source is filled in (other kinds of source need nothing). */
function filled(s: { kind: string; column?: string; template?: string } | undefined): boolean {
  return !s || (s.kind === 'column' ? Boolean(s.column) : s.kind === 'template' ? Boolean(s.template?.trim()) : true);
}

/** The partition key (and explicit hash key) are complete: first-present names distinct columns. */
function partitionKeyReady(v: MessageProps): boolean {
  const pk = v.partitionKey;
  const columnsOk = pk.kind !== 'first-present' || (pk.columns.length > 0 && pk.columns.every(Boolean) && new Set(pk.columns).size === pk.columns.length);
  return columnsOk && filled(pk) && filled(v.explicitHashKey);
}

function kafkaReady(kafka: KafkaMessage | undefined): boolean {
  if (!kafka) return true;
  const fixedOk = kafka.topic?.kind !== 'fixed' || Boolean(kafka.topic.value);
  return fixedOk && filled(kafka.topic) && filled(kafka.key) && filled(kafka.partition) && kafka.headers.every((h) => h.name);
}

function firehoseReady(firehose: FirehoseRouting | undefined): boolean {
  if (!firehose) return true;
  return filled(firehose.eventName) && firehose.routes.every((r) => r.match.trim() && r.stream);
}

/** Whether the properties are complete enough to preview and save (no empty column or template). */
export function messagePropsReady(v: MessageProps): boolean {
  return partitionKeyReady(v) && kafkaReady(v.kafka) && firehoseReady(v.firehose);
}
