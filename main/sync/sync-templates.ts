import type { Destination } from '../../shared/config/destination';
import type { Sync } from '../../shared/config/sync';
import { engineKind } from '../destinations/kinds/registry';
import { PayloadRenderer } from './payload-renderer';
import { keyService } from './partition-key-words';
import type { RecordTarget } from './run/record-target';

/**
 * Parses every template of a sync as its run does first (the payload, partition and hash keys, and
 * the kind's own: Kafka's message properties, Firehose's routes): a syntax error throws a TemplateError
 * naming the template, its line and column. `sluice apply` checks a file's syncs with it, as the app's
 * editor checks a template before it is saved; a run would stop there before sending anything.
 */
export function parseSyncTemplates(destination: Destination, sync: Sync): { renderer: PayloadRenderer; target: RecordTarget } {
  const renderer = new PayloadRenderer(sync.payload, sync.partitionKey, sync.explicitHashKey, [], keyService(destination.kind));
  const target = engineKind(destination.kind).recordTarget(destination, sync);
  return { renderer, target };
}
