// What the routing preview asks a destination kind: where one row's record lands. Each kind has its
// router (main/destinations/kinds/<kind>/routing.ts); routing-preview.ts runs them over the rows.
import type { Sync } from '../../shared/config/sync';
import type { Bucket } from '../../shared/routing/histogram';
import type { RoutingPreview } from '../../shared/routing/routing-preview';
import type { EngineServices } from '../engine/services';
import type { Publisher } from '../publishers/publisher';
import type { CallSink } from '../recorder/types';
import type { RenderContext } from '../sync/payload-renderer';

/** Where one record lands. */
export interface Route {
  /** The bucket it counts in (shard, partition, delivery stream); null: none (round-robin, or no shard's range). */
  bucket: string | null;
  /** What the previewed row shows as its target ("round-robin" for a keyless Kafka record). */
  shown: string | null;
  /** A keyless Kafka record: spread round-robin in send order. */
  roundRobin: boolean;
  /** The bucket's share of traffic if spread were even. */
  fairShare: number;
  /** The key hot keys are tallied by, and its label (null: records without a key). */
  hotKey: { id: string; label: string } | null;
  partitionKey: string | null;
  explicitHashKey: string | null;
  hash: string | null;
  bytes: number;
}

export interface Router {
  readonly noun: RoutingPreview['noun'];
  /** What a failure to ask the destination is called ("Could not list the stream's shards"). */
  readonly unreachable: string;
  /** The failure in the words a run uses (a kind's client errors), else undefined: said as the error's name and message. */
  explain?(err: unknown): string | undefined;
  /** Whether hot bucket and hot key warnings apply (not for Firehose, whose records have no key). */
  readonly warns: boolean;
  /** Asks the destination what routing needs (ListShards, the Kafka client); a failure here is the preview's problem. */
  open(): Promise<void>;
  /** Where one row's record goes; throws RenderError (or UnmatchedEvent) for a row problem. */
  route(ctx: RenderContext): Promise<Route>;
  /** The buckets known before any row (shards, delivery streams), in order. */
  buckets(): Bucket[];
  /** The buckets once every row is routed (Kafka: every partition of each topic seen, sorted). */
  finish(tally: Map<string, Bucket>): Bucket[];
  topology(): RoutingPreview['topology'];
  close(): Promise<void>;
}

/** What a kind's router is made with: the sync as previewed, the Debugger's sink, and the destination's publisher. */
export interface RouterDeps {
  engine: EngineServices;
  sync: Sync;
  /** The model's columns that hold numbers (`numberColumns`): records are rendered as a run would. */
  numberColumns: readonly string[];
  calls: CallSink;
  publisher(): Promise<Publisher>;
}
