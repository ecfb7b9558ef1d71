// Rows an in-database run records without sending them (every row of a baseline, events whose trigger is
// off, fingerprints that changed while the row did not), written to the snapshot table in PostgreSQL as
// the diff reads them out, on a connection of its own — not through the workspace's outbox, which is for
// delivered records (their snapshot move must commit with their ledger row). Nothing was sent for these:
// a run killed before it wrote them finds them again next time and records them then. If the second
// connection cannot be had (a role's CONNECTION LIMIT, a full server), the rows go to the outbox after
// all (`fallback`), as before, and reach PostgreSQL on the run's own connection.
import pg from 'pg';
import type { WorkItem } from '../differ';
import { SIDE_CONNECT_TIMEOUT_MS } from '../../sources/postgres-reader';
import { answering, endConnection } from './pg-deadline';
import { writeTransaction } from './pg-write-back';

export type Recorded = Pick<WorkItem, 'key' | 'event' | 'row' | 'pg'>;

/**
 * Statements waiting, at most (a statement per page the read-out hands over, 2,000 rows); the read-out
 * waits for PostgreSQL beyond it, so memory stays flat. (Statements of 10,000 rows were slower.)
 */
const AHEAD = 4;

export class DirectRecorder {
  private client: pg.Client | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly pending: Promise<void>[] = [];
  private error: unknown;
  /** The connection could not be made: rows go to `fallback`. */
  private unconnected = false;
  /** The error (`close` throws) came from `fallback`, the workspace, not from PostgreSQL. */
  fallbackFailed = false;
  /** Rows written (committed) so far. */
  written = 0;

  constructor(
    private readonly config: pg.ClientConfig,
    /** The table's two write statements (pg-snapshot-writes.ts). */
    private readonly sql: { upsert: string; remove: string },
    private readonly fallback: (items: readonly Recorded[]) => void,
    /** The run's: a cancel gives up waiting for PostgreSQL's answer (pg-deadline.ts). */
    private readonly signal?: AbortSignal,
  ) {}

  /** Queues these rows for the snapshot table (one statement per kind, each its own transaction). */
  add(items: readonly Recorded[]): void {
    if (items.length === 0) return;
    if (this.unconnected) return this.fallback(items);
    const upserts = items.filter((i) => i.event !== 'removed').map((i) => ({ pk: key(i), key: i.key, fp: i.pg!.fp, row: i.row, at: i.pg!.at ?? null }));
    const removals = items.filter((i) => i.event === 'removed').map(key);
    const write = (this.chain = this.chain.then(async () => {
      if (this.error !== undefined) return;
      let c: pg.Client;
      try {
        c = await this.connection();
      } catch {
        this.unconnected = true;
        // Inside the chain: what the fallback throws (a locked or full workspace) is this recorder's
        // error, which `close` throws; escaping, it was a rejection nobody handled (the process died).
        try {
          this.fallback(items);
        } catch (err) {
          this.error = err;
          this.fallbackFailed = true;
        }
        return;
      }
      try {
        // (a lock waited for, and a cancel heard, as any write's: pg-write-back.ts)
        await writeTransaction(c, this.signal, async (write) => {
          if (upserts.length > 0) await write(this.sql.upsert, [JSON.stringify(upserts)]);
          if (removals.length > 0) await write(this.sql.remove, [JSON.stringify(removals)]);
        });
        this.written += items.length;
      } catch (err) {
        this.error = err;
      }
    }));
    this.pending.push(write);
    void write.then(() => this.pending.splice(this.pending.indexOf(write), 1));
  }

  /** Resolves once at most AHEAD batches wait. */
  async paced(): Promise<void> {
    while (this.pending.length > AHEAD) await this.pending[0];
  }

  /** Waits for every queued write and lets go of the connection; throws the first error PostgreSQL gave. */
  async close(): Promise<void> {
    await this.chain;
    if (this.client) await endConnection(this.client);
    this.client = undefined;
    if (this.error !== undefined) throw this.error;
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const c = new pg.Client(this.config);
    c.on('error', () => undefined);
    try {
      await c.connect();
      // (a pooler's connection with no server session to be had soon: done without, as with none)
      await answering(c, SIDE_CONNECT_TIMEOUT_MS);
    } catch (err) {
      await c.end().catch(() => undefined);
      throw err;
    }
    this.client = c;
    return c;
  }
}

function key(item: Recorded): string {
  if (!item.pg) throw new Error(`The work item for key ${item.key} has no in-database key`);
  return item.pg.key;
}
