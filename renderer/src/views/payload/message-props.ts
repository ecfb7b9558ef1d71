import type { ExplicitHashKey, FirehoseRouting, KafkaMessage, PartitionKey } from '../../../../shared/config/sync';

/** The message properties a sync sets besides its payload (Kinesis, Kafka or Firehose). */
export interface MessageProps {
  partitionKey: PartitionKey;
  explicitHashKey?: ExplicitHashKey;
  kafka?: KafkaMessage;
  firehose?: FirehoseRouting;
}

type Missing = string | null;

/** What a column or template source lacks, naming it ("the partition key"); other kinds of source need nothing. */
function unfilled(s: { kind: string; column?: string; template?: string } | undefined, what: string): Missing {
  if (s?.kind === 'column' && !s.column) return `Choose the column of ${what}`;
  if (s?.kind === 'template' && !s.template?.trim()) return `Write the template of ${what}`;
  return null;
}

/** The partition key (and explicit hash key): first-present names distinct, chosen columns. */
function partitionKeyMissing(v: MessageProps): Missing {
  const pk = v.partitionKey;
  if (pk.kind === 'first-present') {
    if (pk.columns.length === 0) return 'Choose the columns of the partition key';
    const empty = pk.columns.findIndex((c) => !c);
    if (empty >= 0) return `Partition key column ${empty + 1} is not chosen`;
    if (new Set(pk.columns).size !== pk.columns.length) return 'A partition key column is listed twice';
  }
  return unfilled(pk, 'the partition key') ?? unfilled(v.explicitHashKey, 'the explicit hash key');
}

/** Two headers of one name (one value per name is sent), as the engine refuses them: the first such pair. */
export function duplicateHeader(headers: readonly { name: string }[]): { index: number; first: number; message: string } | null {
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i]!.name;
    const first = headers.findIndex((h) => h.name === name);
    if (name && first !== i) {
      return {
        index: i,
        first,
        message: `Two headers are named "${name}" (headers ${first + 1} and ${i + 1}): Sluice sends one value per header name; rename one`,
      };
    }
  }
  return null;
}

function kafkaMissing(kafka: KafkaMessage | undefined): Missing {
  if (!kafka) return null;
  if (kafka.topic?.kind === 'fixed' && !kafka.topic.value) return 'Name the Kafka topic';
  const source = unfilled(kafka.topic, 'the Kafka topic') ?? unfilled(kafka.key, 'the Kafka key') ?? unfilled(kafka.partition, 'the Kafka partition');
  if (source) return source;
  const unnamed = kafka.headers.findIndex((h) => !h.name);
  if (unnamed >= 0) return `Header ${unnamed + 1} has no name`;
  return duplicateHeader(kafka.headers)?.message ?? null;
}

function firehoseMissing(firehose: FirehoseRouting | undefined): Missing {
  if (!firehose) return null;
  const event = unfilled(firehose.eventName, 'the event name');
  if (event) return event;
  const i = firehose.routes.findIndex((r) => !r.match.trim() || !r.stream);
  if (i < 0) return null;
  return firehose.routes[i]!.match.trim() ? `Route ${i + 1} has no delivery stream` : `Route ${i + 1} matches nothing`;
}

/** What the properties still lack before they can be previewed and saved, in words; null once complete. */
export function messagePropsMissing(v: MessageProps): Missing {
  return partitionKeyMissing(v) ?? kafkaMissing(v.kafka) ?? firehoseMissing(v.firehose);
}

/** Whether the properties are complete enough to preview and save (no empty column or template). */
export function messagePropsReady(v: MessageProps): boolean {
  return messagePropsMissing(v) === null;
}
