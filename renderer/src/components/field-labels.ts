/**
 * The app's words for a field an engine or form check names by its path (`from.offset`, `brokers.0`,
 * `tls.caPem`): "Start offset", "Broker 1", "CA certificate" — the forms' own labels, where the CLI says the
 * file's paths (`brokers[0]`, `fieldWords`). A path no form labels is said in words from its parts.
 */

/** Whole paths, and last parts, as the forms label them. */
const LABELS: Record<string, string> = {
  'from.offset': 'Start offset',
  'from.sequenceNumber': 'Start sequence number',
  'from.timestamp': 'Start timestamp',
  'from.at': 'Start at',
  waitMs: 'Listen for new records',
  debuggerRetentionDays: 'Debugger retention',
  'auth.region': 'Region',
  'auth.username': 'Username',
  'auth.password': 'Password',
  'tls.caPem': 'CA certificate',
  'tls.clientCertPem': 'Client certificate',
  'tls.clientKey': 'Client key',
  clientId: 'Client ID',
  caPem: 'CA certificate',
  clientCertPem: 'Client certificate',
  maxRemovalPercent: 'Mass-removal limit',
  primaryKey: 'Primary key',
  partitionKey: 'Partition key',
  explicitHashKey: 'Explicit hash key',
  deliveryStream: 'Delivery stream',
  kafkaTopic: 'Kafka topic',
  roleArn: 'Role ARN',
  externalId: 'External ID',
  accessKeyId: 'Access key ID',
  secretAccessKey: 'Secret access key',
  sql: 'SQL',
};

/** A list's name for one of its items: `brokers.1` is "Broker 2". */
const ITEMS: Record<string, string> = {
  brokers: 'Broker',
  partitions: 'Partition',
  shards: 'Shard',
  routes: 'Route',
  headers: 'Header',
  fields: 'Field',
  columns: 'Column',
  primaryKey: 'Key column',
  triggers: 'Event',
  tests: 'Test',
};

const isIndex = (part: string) => /^\d+$/.test(part);

/** camelCase as words, the first capitalized: `deliveryStream` → "Delivery stream". */
function words(part: string): string {
  const spaced = part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function itemOf(list: string, index: string): string {
  const noun = ITEMS[list] ?? words(list).replace(/s$/, '');
  return `${noun} ${Number(index) + 1}`;
}

/**
 * A field's path as the app labels it: `from.offset` → "Start offset", `brokers.0` → "Broker 1",
 * `firehose.routes.1.deliveryStream` → "Delivery stream (route 2)".
 */
export function fieldLabel(path: string): string {
  const known = LABELS[path];
  if (known) return known;
  const parts = path.split('.');
  const last = parts[parts.length - 1]!;
  // The items of lists along the way: "(route 2)".
  const places: string[] = [];
  for (let i = 1; i < parts.length - 1; i++) if (isIndex(parts[i]!)) places.push(itemOf(parts[i - 1]!, parts[i]!).toLowerCase());
  const head = isIndex(last) && parts.length > 1 ? itemOf(parts[parts.length - 2]!, last) : (LABELS[last] ?? words(last));
  return places.length ? `${head} (${places.join(', ')})` : head;
}
