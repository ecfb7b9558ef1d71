import type { InspectRead, InspectReadRequest, InspectTargets } from '../../shared/config/inspector';
import { engineKind } from '../destinations/kinds/registry';
import type { InspectorEngine } from './inspector-engine';

/** What can be read from a destination: its stream's shards, or the cluster's topics and partitions. */
export async function inspectTargets(engine: InspectorEngine, destination: string): Promise<InspectTargets> {
  const d = engine.catalog.getDestination(destination);
  return engineKind(d.kind).inspectTargets(engine, d);
}

/** Reads records back from a destination's stream or topic; for Firehose, what the ledger says was sent. */
export async function inspectRead(engine: InspectorEngine, request: InspectReadRequest): Promise<InspectRead> {
  const d = engine.catalog.getDestination(request.destination);
  return engineKind(d.kind).inspectRead(engine, d, request);
}
