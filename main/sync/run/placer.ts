// How a dry run places records: each destination kind's placer (main/destinations/kinds/<kind>/dry-run-placer.ts) counts them per target.
import type { DryRunPlan } from '../../../shared/config/sync';
import type { OutRecord } from '../../publishers/publisher';
import type { WorkItem } from '../differ';
import type { RunContext, RunPublisher } from './context';

export type Reason = DryRunPlan['rejected']['first'][number]['reason'];

/** What a kind's placer is given: the run, its publisher (shards, partition counts), and how to reject a record. */
export interface PlacerDeps {
  ctx: RunContext;
  publisher: RunPublisher;
  reject(item: WorkItem, reason: Reason, message: string): void;
}

/** Counts records per target as the real run would place them. */
export interface Placer {
  readonly per: DryRunPlan['per'];
  place(record: OutRecord, item: WorkItem): Promise<void> | void;
  targets(): DryRunPlan['targets'];
  roundRobin: number;
  note: string | null;
  /**
   * Why the records could not be placed (the destination out of reach, its stream or topics not readable):
   * the dry run renders every row still, listing the records a real run would reject, then fails with it.
   */
  failure: Error | null;
}
