// A row refused for its partition key (over 256 characters, or empty) says so in the words of the destination
// kind its sync sends to: a Firehose sync's rows were refused with "Kinesis allows 256".

/** The destination kind whose partition key limits a renderer says (a row's key over 256 characters, an empty one). */
export type KeyService = 'Kinesis' | 'Firehose';

/** The kind of a destination, as a row refused for its partition key says it (a Firehose sync's is not sent to Kinesis). */
export function keyService(kind: string): KeyService {
  return kind === 'firehose' ? 'Firehose' : 'Kinesis';
}

/** Why a partition key is refused, in the words of the kind the sync sends to. */
export const KEY_WORDS: Record<KeyService, { long: string; empty: string }> = {
  Kinesis: { long: 'Kinesis allows 256', empty: 'Kinesis refuses an empty partition key' },
  Firehose: { long: "a Firehose sync's partition key is at most 256", empty: "a Firehose sync's partition key cannot be empty" },
};

/** A row whose first-present partition key columns are all null or empty. */
export function noPartitionKeyWords(columns: readonly string[], service: KeyService): string {
  const names = columns.map((c) => `"${c}"`).join(', ');
  return `no partition key: ${columns.length === 1 ? `the column ${names} is` : `the columns ${names} are all`} null or empty, and ${KEY_WORDS[service].empty}`;
}
