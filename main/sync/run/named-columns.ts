// The model columns a sync's settings name outright (not through a template), which every row must have.
import type { Sync } from '../../../shared/config/sync';
import { lookalikeHint } from '../../sources/lookalike-hint';

/** A column a sync's settings name, and where (in the user's words). */
export interface NamedColumn {
  column: string;
  where: string;
}

/**
 * The columns the payload (one JSON column, the field mapper), the partition key, the explicit hash key,
 * the Kafka topic, key and partition and the Firehose event name name: a row without one is refused.
 * A Kafka topic column only when some trigger has no topic of its own. (Each "first present" partition
 * key column too: a row is refused for one missing even when an earlier one has a value.)
 */
export function namedColumns(sync: Sync): NamedColumn[] {
  const named: NamedColumn[] = [];
  // A sync that sends removed rows alone renders each from the row as last delivered, not the model's.
  if (!sync.triggers.some((t) => t !== 'removed')) return named;
  const { payload, partitionKey, explicitHashKey, kafka, firehose } = sync;
  if (payload.mode === 'json-column') named.push({ column: payload.column, where: 'its payload (one JSON column)' });
  if (payload.mode === 'mapping') payload.fields.forEach((f, i) => named.push({ column: f.column, where: `its payload's field ${i + 1} (${f.key})` }));
  if (partitionKey?.kind === 'column') named.push({ column: partitionKey.column, where: 'its partition key' });
  if (partitionKey?.kind === 'first-present')
    partitionKey.columns.forEach((column) => named.push({ column, where: 'its partition key, the first present of its columns' }));
  if (explicitHashKey?.kind === 'column') named.push({ column: explicitHashKey.column, where: 'its explicit hash key' });
  if (kafka) named.push(...kafkaColumns(sync, kafka));
  if (firehose?.eventName?.kind === 'column') named.push({ column: firehose.eventName.column, where: 'its Firehose event name' });
  return named;
}

/** The Kafka message's columns: its topic (when some trigger has no topic of its own), key and partition. */
function kafkaColumns(sync: Sync, kafka: NonNullable<Sync['kafka']>): NamedColumn[] {
  const named: NamedColumn[] = [];
  if (kafka.topic?.kind === 'column' && sync.triggers.some((t) => !kafka.topicByTrigger?.[t]))
    named.push({ column: kafka.topic.column, where: 'its Kafka topic' });
  if (kafka.key.kind === 'column') named.push({ column: kafka.key.column, where: 'its Kafka message key' });
  if (kafka.partition?.kind === 'column') named.push({ column: kafka.partition.column, where: 'its Kafka partition' });
  return named;
}

/** The columns of the sync's settings (`namedColumns`) that are not among `columns`. */
export function missingNamedColumns(sync: Sync, columns: readonly string[]): NamedColumn[] {
  const have = new Set(columns);
  return namedColumns(sync).filter((n) => !have.has(n.column));
}

/** `The sync "s" uses the column "score" (its payload's field 2 (amount)), which the model "people" does not have (its columns: id, name)`, and what to do. */
function missingWords(sync: Sync, model: string, columns: readonly string[], missing: NamedColumn[]): { uses: string; fix: string } {
  const many = missing.length > 1;
  // Columns named in one place are listed together: "userId", "anonymousId" (its partition key, …).
  const places = new Map<string, string[]>();
  for (const m of missing) places.set(m.where, [...(places.get(m.where) ?? []), `"${m.column}"`]);
  const list = [...places].map(([where, names]) => `${names.join(', ')} (${where})`).join(', ');
  return {
    uses: `The sync "${sync.name}" uses the column${many ? 's' : ''} ${list}, which the model "${model}" does not have (its columns: ${columns.join(', ')})${lookalikeHint(
      [...new Set(missing.map((m) => m.column))],
      columns,
    )}`,
    fix: `choose ${many ? 'others' : 'another'} in the sync's payload or settings, or add ${many ? 'them' : 'it'} to the model`,
  };
}

/**
 * The sentence a run fails with when its sync names columns the model does not have (`columns`):
 * every row would be refused for it, so the run stops before the diff, nothing sent and the snapshot
 * as it was. Null when every named column is there.
 */
export function missingColumnsProblem(sync: Sync, model: string, columns: readonly string[]): string | null {
  const missing = missingNamedColumns(sync, columns);
  if (missing.length === 0) return null;
  const { uses, fix } = missingWords(sync, model, columns, missing);
  return `${uses}: ${fix}. Nothing was sent.`;
}

/**
 * The same said before the run: a model saved (or about to be) without columns the sync names, whose
 * next run will stop for it (`missingColumnsProblem`). Null when every named column is there.
 */
export function missingColumnsWarning(sync: Sync, model: string, columns: readonly string[]): string | null {
  const missing = missingNamedColumns(sync, columns);
  if (missing.length === 0) return null;
  const { uses, fix } = missingWords(sync, model, columns, missing);
  return `${uses}: its next run will stop before sending anything; ${fix}.`;
}
