import type { Destination } from '../../shared/config/destination';
import type { Sync } from '../../shared/config/sync';
import type { CatalogStore, StoredSync } from '../catalog/catalog-store';
import { engineKind } from './kinds/registry';

/**
 * Whether `sync`'s records land elsewhere once `next` replaces `before`: another kind, or another stream or
 * topic for it (`EngineKind.sameTarget`, else `EngineKind.target`): a Kafka sync with a topic of its own is
 * not moved by another default topic, and a stream given by ARN where it was given by name is the same one.
 */
function movesSync(before: Destination, next: Destination, sync: Sync): boolean {
  if (before.kind !== next.kind) return true;
  const kind = engineKind(next.kind);
  if (kind.sameTarget) return !kind.sameTarget(before as never, next as never, sync);
  return kind.target(before as never, sync) !== kind.target(next as never, sync);
}

/**
 * The syncs that saving `next` makes start over: those whose records it moves to another stream or topic
 * (all of them when it is of another kind); none when it is new. The save itself asks this
 * (`putDestinationRetargeting`), and the app asks it before saving, to say so and ask first.
 */
export function syncsStartingOver(catalog: CatalogStore, next: Destination): StoredSync[] {
  const before = catalog.listDestinations().find((d) => d.name === next.name);
  if (!before) return [];
  return catalog.syncsOf(next.name).filter((s) => movesSync(before, next, s.definition));
}

/**
 * Saves a destination (`sluice apply`, the app's wizard). The syncs whose records it now sends elsewhere
 * (`syncsStartingOver`) start over: their snapshots say what the old place got, and kept, the new one would
 * never get those rows (a run sent nothing: "unchanged"). Answers the names of the syncs that start over.
 * (Call inside a transaction.)
 */
export function putDestinationRetargeting(catalog: CatalogStore, next: Destination): { destination: Destination; startedOver: string[] } {
  const startsOver = syncsStartingOver(catalog, next);
  const destination = catalog.putDestination(next);
  return { destination, startedOver: catalog.startOverSyncs(destination.name, startsOver) };
}

/**
 * Whether a sync saved over its stored self sends its records elsewhere through the same destination (a Kafka
 * sync's own topic, or topic per event, changed): then it starts over, as a sync pointed at another destination
 * does, or the new topic would never get the rows its snapshot says were delivered.
 */
export function syncRetargets(catalog: CatalogStore, next: Sync): boolean {
  const stored = catalog.findSync(next.name)?.definition;
  if (stored === undefined || stored.destination !== next.destination) return false; // none yet, or another destination: putSync starts it over
  const d = catalog.getDestination(next.destination);
  const kind = engineKind(d.kind);
  // Over the events it sent and goes on sending: a trigger turned on had sent nothing, one turned off sends nothing more.
  const triggers = stored.triggers.filter((t) => next.triggers.includes(t));
  return kind.target(d as never, { ...stored, triggers }) !== kind.target(d as never, { ...next, triggers });
}
