import type { Destination } from '../../shared/config/destination';
import type { Sync } from '../../shared/config/sync';
import type { CatalogStore, StoredSync } from '../catalog/catalog-store';
import { engineKind } from './kinds/registry';

/**
 * Whether a sync's records land elsewhere: where they landed (`before`, with its stored settings `was`)
 * against where they land now (`next`, with `is`): another kind, or another stream or topic for it
 * (`EngineKind.target`; `EngineKind.sameTarget` for another address of the same place: a stream given by ARN
 * where it was given by name). A Kafka sync with a topic of its own is not moved by another default topic.
 */
function movesSync(before: Destination, next: Destination, was: Sync, is: Sync = was): boolean {
  if (before.kind !== next.kind) return true;
  const kind = engineKind(next.kind);
  // Over the events it sent and goes on sending: a trigger turned on had sent nothing, one turned off sends nothing more.
  const triggers = was.triggers.filter((t) => is.triggers.includes(t));
  const wasAt = kind.target(before as never, { ...was, triggers });
  if (wasAt === kind.target(next as never, { ...is, triggers })) return false;
  // Its own settings move it nowhere: whether the destination does is the kind's to say, when it can.
  if (kind.sameTarget && wasAt === kind.target(before as never, { ...is, triggers }))
    return !kind.sameTarget(before as never, next as never, { ...is, triggers });
  return true;
}

/**
 * The syncs that saving `next` makes start over: those whose records it moves to another stream or topic
 * (all of them when it is of another kind); none when it is new. The save itself asks this
 * (`putDestinationRetargeting`), and the app asks it before saving, to say so and ask first. `incoming`: syncs
 * saved with it, by name (`sluice apply`): those that stay on it are left to `syncRetargets`.
 */
export function syncsStartingOver(catalog: CatalogStore, next: Destination, incoming: ReadonlyMap<string, Sync> = new Map()): StoredSync[] {
  const before = catalog.listDestinations().find((d) => d.name === next.name);
  if (!before) return [];
  // A sync saved with it (`sluice apply`) is judged as it is saved, against this destination as it was (`syncRetargets`).
  const judged = catalog.syncsOf(next.name).filter((s) => incoming.get(s.definition.name)?.destination !== next.name);
  return judged.filter((s) => movesSync(before, next, s.definition));
}

/**
 * Saves a destination (`sluice apply`, the app's wizard). The syncs whose records it now sends elsewhere
 * (`syncsStartingOver`) start over: their snapshots say what the old place got, and kept, the new one would
 * never get those rows (a run sent nothing: "unchanged"). Answers the names of the syncs that start over.
 * (Call inside a transaction.)
 */
export function putDestinationRetargeting(
  catalog: CatalogStore,
  next: Destination,
  incoming?: ReadonlyMap<string, Sync>,
): { destination: Destination; startedOver: string[] } {
  const startsOver = syncsStartingOver(catalog, next, incoming);
  const destination = catalog.putDestination(next);
  return { destination, startedOver: catalog.startOverSyncs(destination.name, startsOver) };
}

/**
 * Whether a sync saved over its stored self sends its records elsewhere through the same destination (a Kafka
 * sync's own topic, or topic per event, changed): then it starts over, as a sync pointed at another destination
 * does, or the new topic would never get the rows its snapshot says were delivered. `former`: its destination
 * as it was when the sync's stored settings were last sent by (`sluice apply` saves both), by name.
 */
export function syncRetargets(catalog: CatalogStore, next: Sync, former?: ReadonlyMap<string, Destination>): boolean {
  const stored = catalog.findSync(next.name)?.definition;
  if (stored === undefined || stored.destination !== next.destination) return false; // none yet, or another destination: putSync starts it over
  const d = catalog.getDestination(next.destination);
  return movesSync(former?.get(next.destination) ?? d, d, stored, next);
}

/**
 * `sluice apply` saving destinations, then syncs, of one file: a sync of the file starts over when it lands
 * elsewhere than it did, its settings and its destination both as they were and as they are saved (a new default
 * topic with the sync keeping the old one as its own moves nothing); the others as the destination moves them.
 */
export class AppliedTargets {
  /** The destinations as they were before the file, by name. */
  private readonly former: ReadonlyMap<string, Destination>;
  private readonly incoming: ReadonlyMap<string, Sync>;
  private readonly names = new Set<string>();

  constructor(
    private readonly catalog: CatalogStore,
    syncs: readonly Sync[],
  ) {
    this.former = new Map(catalog.listDestinations().map((d) => [d.name, d]));
    this.incoming = new Map(syncs.map((s) => [s.name, s]));
  }

  putDestination(d: Destination): void {
    for (const name of putDestinationRetargeting(this.catalog, d, this.incoming).startedOver) this.names.add(name);
  }

  putSync(s: Sync): Sync {
    const stored = this.catalog.findSync(s.name)?.definition;
    // Pointed at another model or destination, putSync starts it over too: it is named as one that does.
    const repointed = stored !== undefined && (stored.model !== s.model || stored.destination !== s.destination);
    const retargeted = syncRetargets(this.catalog, s, this.former);
    const { definition } = this.catalog.putSync(s, { retargeted });
    if (retargeted || repointed) this.names.add(definition.name);
    return definition;
  }

  /** The syncs that started over, by name. */
  get startedOver(): string[] {
    return [...this.names].sort();
  }
}
