import type { Database } from 'better-sqlite3';
import type { z } from 'zod';
import { DestinationSchema, type Destination } from '../../shared/config/destination';
import { isSqlSource, ModelSchema, SourceSchema, type Model, type Source } from '../../shared/config/source';
import { SyncSchema, type Sync } from '../../shared/config/sync';
import { issuesFromZod, SluiceError } from '../../shared/ipc/errors';
import { naturalCompare } from '../../shared/natural-order';

export interface StoredSync {
  id: number;
  definition: Sync;
  initialized: boolean;
}

const now = () => new Date().toISOString();

/** Rows in the order people expect of names in a list ("big2" before "big10"), which SQLite's ORDER BY is not. */
const byName = <T extends { name: string }>(rows: T[]): T[] => rows.sort((a, b) => naturalCompare(a.name, b.name));

function parse<S extends z.ZodType>(schema: S, what: string, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new SluiceError('invalid-input', `The ${what} is not valid`, issuesFromZod(result.error));
  return result.data;
}

/** A destination's fields whose shape an earlier build did not check: a value saved then is read as it is. */
const CHECKED_LATER = new Set(['region', 'endpoint', 'auth.stsEndpoint', 'auth.credentials.stsEndpoint', 'stream', 'deliveryStream']);

/**
 * A saved definition read back. One that no longer parses (of a destination kind that is not registered
 * any more, say) is refused naming it and why, rather than as a bare validation error.
 */
function readSaved<T>(schema: z.ZodType<T>, what: string, name: string, definition: string): T {
  const saved: unknown = JSON.parse(definition);
  const result = schema.safeParse(saved);
  if (result.success) return result.data;
  const issues = issuesFromZod(result.error);
  // A Kinesis or Firehose region, stream name (one of characters AWS refuses), or an AWS endpoint (one that is no
  // http:// or https:// URL), saved by an earlier
  // build before its shape was checked: read as it is, so that its destination still lists, opens and can be fixed
  // (its run fails as it did). The region check is `regionProblem`'s: one with a custom endpoint and an emulator's
  // name (`local`) parses as it is.
  if (what === 'destination' && issues.every((i) => CHECKED_LATER.has(i.path))) return saved as T;
  const why = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  throw new SluiceError('invalid-input', `The saved ${what} "${name}" cannot be read: ${why}`, issues);
}

/**
 * Sources, models, destinations and syncs, each stored as its validated JSON definition. References
 * between them are by name and checked on every write.
 */
export class CatalogStore {
  /**
   * `activeRun`: the run of a sync in a live process, if any (the engine's RunStore answers); a sync
   * does not change its model or destination under a running run.
   */
  constructor(
    private readonly db: Database,
    private readonly activeRun: (syncId: number) => number | undefined = () => undefined,
  ) {}

  // --- sources
  putSource(input: unknown): Source {
    const source = parse(SourceSchema, 'source', input);
    this.db
      .prepare(
        `INSERT INTO sources (name, kind, definition, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, definition = excluded.definition, updated_at = excluded.updated_at`,
      )
      .run(source.name, source.kind, JSON.stringify(source), now());
    return source;
  }
  listSources(): Source[] {
    return this.all<Source>('sources', SourceSchema, 'source');
  }
  getSource(name: string): Source {
    return this.one('sources', SourceSchema, name, 'source');
  }

  // --- models
  putModel(input: unknown): Model {
    const model = parse(ModelSchema, 'model', input);
    const source = this.getSource(model.source);
    if (isSqlSource(source.kind) && !model.query?.trim()) {
      throw new SluiceError('invalid-input', `The model "${model.name}" needs a SQL query: its source "${source.name}" is a ${source.kind} database`, [
        { path: 'query', message: 'Write the SQL query whose rows this model sends' },
      ]);
    }
    if (!isSqlSource(source.kind) && model.query !== undefined) {
      throw new SluiceError(
        'invalid-input',
        `The model "${model.name}" is the whole ${source.kind} file of its source "${source.name}": it takes no query, so this one would never run`,
        [{ path: 'query', message: 'Remove query (to read a file with SQL, use a duckdb source: its models query CSV, NDJSON and Parquet files)' }],
      );
    }
    if (model.diff === 'in-database' && source.kind !== 'postgres') {
      throw new SluiceError(
        'invalid-input',
        `The model "${model.name}" asks for the in-database diff, which only a PostgreSQL source has: its source "${source.name}" is ${source.kind}`,
        [{ path: 'diff', message: 'Remove diff, or set it to local' }],
      );
    }
    const saved = this.db.prepare('SELECT definition FROM models WHERE name = ?').get(model.name) as { definition: string } | undefined;
    if (saved !== undefined && ((JSON.parse(saved.definition) as Partial<Model>).diff ?? 'local') !== (model.diff ?? 'local')) this.refuseDiffChange(model);
    this.db
      .prepare(
        `INSERT INTO models (name, source, definition, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET source = excluded.source, definition = excluded.definition, updated_at = excluded.updated_at`,
      )
      .run(model.name, model.source, JSON.stringify(model), now());
    return model;
  }
  /**
   * The two diffs keep a sync's snapshot in different places (the workspace, a table in the source),
   * and neither can take the other's: a sync that has one, or is running, would lose track of what it
   * delivered (removals never sent, a baseline recording changes as sent). Refused until it is reset.
   */
  private refuseDiffChange(model: Model): void {
    const holding = byName(
      this.db
        .prepare(
          `SELECT name FROM syncs s WHERE model = ? AND (pg_snapshot IS NOT NULL OR EXISTS (SELECT 1 FROM snapshot WHERE sync_id = s.id)
             OR EXISTS (SELECT 1 FROM pg_snapshot_outbox WHERE sync_id = s.id) OR EXISTS (SELECT 1 FROM runs WHERE sync_id = s.id AND status = 'running'))`,
        )
        .all(model.name) as { name: string }[],
    ).map((r) => `"${r.name}"`);
    if (holding.length === 0) return;
    throw new SluiceError(
      'conflict',
      `The model "${model.name}" cannot change its diff to ${model.diff ?? 'local'} while its sync${holding.length > 1 ? 's' : ''} ${holding.join(', ')} ${holding.length > 1 ? 'keep' : 'keeps'} a snapshot of what ${holding.length > 1 ? 'they' : 'it'} delivered (or ${holding.length > 1 ? 'are' : 'is'} running): the other diff keeps its snapshot elsewhere and would lose track of it. Reset ${holding.length > 1 ? 'them' : 'it'} first ("Resend everything", or sluice sync reset; the next run sends every row again), or make a new model with this diff.`,
      [{ path: 'diff', message: `Syncs with a snapshot: ${holding.join(', ')}` }],
    );
  }
  listModels(): Model[] {
    return this.all<Model>('models', ModelSchema, 'model');
  }
  getModel(name: string): Model {
    return this.one('models', ModelSchema, name, 'model');
  }

  // --- destinations
  putDestination(input: unknown): Destination {
    const destination = parse(DestinationSchema, 'destination', input);
    this.db
      .prepare(
        `INSERT INTO destinations (name, kind, definition, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, definition = excluded.definition, updated_at = excluded.updated_at`,
      )
      .run(destination.name, destination.kind, JSON.stringify(destination), now());
    return destination;
  }
  listDestinations(): Destination[] {
    return this.all<Destination>('destinations', DestinationSchema, 'destination');
  }
  getDestination(name: string): Destination {
    return this.one('destinations', DestinationSchema, name, 'destination');
  }
  /** Deletes a destination no sync uses (the caller says which syncs do, the foreign key refuses anyway). */
  deleteDestination(name: string): boolean {
    return this.db.prepare('DELETE FROM destinations WHERE name = ?').run(name).changes > 0;
  }

  // --- syncs
  putSync(input: unknown, options: { retargeted?: boolean } = {}): StoredSync {
    const sync = parse(SyncSchema, 'sync', input);
    this.getModel(sync.model);
    this.getDestination(sync.destination);
    const existing = this.findSync(sync.name);
    // A sync pointed at another model or destination starts over: its snapshot described the old pair. So does
    // one whose records now land elsewhere through the same destination (`retargeted`: its own topic changed).
    const restart =
      existing !== undefined &&
      (existing.definition.model !== sync.model || existing.definition.destination !== sync.destination || options.retargeted === true);
    // Checked in the write's own IMMEDIATE transaction, so no run starts in between: a running run would
    // go on recording what it sends to the old pair in the new pair's snapshot, and those rows would
    // never reach the new destination.
    this.db
      .transaction(() => {
        if (restart) this.refuseRestartWhileRunning(existing, sync);
        this.db
          .prepare(
            `INSERT INTO syncs (name, model, destination, definition, updated_at) VALUES (?, ?, ?, ?, ?)
                  ON CONFLICT(name) DO UPDATE SET model = excluded.model, destination = excluded.destination,
                  definition = excluded.definition, updated_at = excluded.updated_at`,
          )
          .run(sync.name, sync.model, sync.destination, JSON.stringify(sync), now());
        if (restart) this.startOver(existing.id);
      })
      .immediate();
    return this.getSync(sync.name);
  }

  private refuseRestartWhileRunning(existing: StoredSync, sync: Sync): void {
    const running = this.activeRun(existing.id);
    if (running === undefined) return;
    const field = existing.definition.model !== sync.model ? 'model' : existing.definition.destination !== sync.destination ? 'destination' : null;
    // Else its own settings send its records elsewhere (`retargeted`: a Kafka topic, Firehose routes).
    const what = field ? `its ${field}` : 'where its records go (its topic or routes)';
    throw new SluiceError(
      'conflict',
      `The sync "${sync.name}" is running (run ${running}): it cannot change ${what} until the run ends (wait for it or cancel it, then save again)`,
      field ? [{ path: field, message: `The sync is running (run ${running})` }] : [],
    );
  }
  /**
   * The sync forgets what it delivered: its snapshot rows in the workspace, or its in-database
   * snapshot's table (a new, empty one next run, the old one listed for that run to drop) with the
   * writes a killed run left for it. Answers the workspace rows cleared. (Call inside a transaction.)
   */
  forgetDelivered(syncId: number): number {
    this.db.prepare('DELETE FROM pg_snapshot_outbox WHERE sync_id = ?').run(syncId);
    this.db
      .prepare(
        "UPDATE syncs SET pg_snapshot_stale = json_insert(coalesce(pg_snapshot_stale, '[]'), '$[#]', pg_snapshot), pg_snapshot = NULL WHERE id = ? AND pg_snapshot IS NOT NULL",
      )
      .run(syncId);
    return this.db.prepare('DELETE FROM snapshot WHERE sync_id = ?').run(syncId).changes;
  }

  /**
   * `syncs` (of `destination`) start over, as a sync pointed at another destination does: the
   * destination now points at another stream or topic, which holds none of what their snapshots say was
   * delivered. Refused while one of them runs. Answers their names. (Call inside a transaction.)
   */
  startOverSyncs(destination: string, syncs: readonly StoredSync[]): string[] {
    for (const s of syncs) {
      const running = this.activeRun(s.id);
      if (running !== undefined)
        throw new SluiceError(
          'conflict',
          `The sync "${s.definition.name}" is running (run ${running}): the destination "${destination}" cannot point at another stream or topic until the run ends (wait for it or cancel it, then save again)`,
        );
    }
    for (const s of syncs) this.startOver(s.id);
    return syncs.map((s) => s.definition.name);
  }

  /** The syncs sending to `destination`, by name. */
  syncsOf(destination: string): StoredSync[] {
    return this.listSyncs().filter((s) => s.definition.destination === destination);
  }

  /** The sync forgets what it delivered and runs next as a new sync does (its first-run setting applies). */
  private startOver(syncId: number): void {
    this.forgetDelivered(syncId);
    this.db.prepare('UPDATE syncs SET initialized = 0 WHERE id = ?').run(syncId);
  }
  listSyncs(): StoredSync[] {
    return this.storedSyncs(this.db.prepare('SELECT id, name, definition, initialized FROM syncs').all());
  }
  /** The syncs reading `model`, by name: only theirs are parsed (`sluice apply` asks this of every model of a file). */
  syncsOnModel(model: string): StoredSync[] {
    return this.storedSyncs(this.db.prepare('SELECT id, name, definition, initialized FROM syncs WHERE model = ?').all(model));
  }
  private storedSyncs(rows: unknown[]): StoredSync[] {
    return byName(rows as { id: number; name: string; definition: string; initialized: number }[]).map((r) => ({
      id: r.id,
      definition: SyncSchema.parse(JSON.parse(r.definition)),
      initialized: r.initialized === 1,
    }));
  }
  findSync(name: string): StoredSync | undefined {
    const r = this.db.prepare('SELECT id, definition, initialized FROM syncs WHERE name = ?').get(name) as
      { id: number; definition: string; initialized: number } | undefined;
    return r && { id: r.id, definition: SyncSchema.parse(JSON.parse(r.definition)), initialized: r.initialized === 1 };
  }
  getSync(name: string): StoredSync {
    const sync = this.findSync(name);
    if (!sync) throw new SluiceError('not-found', `There is no sync named "${name}"${this.suggest('syncs', name)}`);
    return sync;
  }
  markInitialized(syncId: number): void {
    this.db.prepare('UPDATE syncs SET initialized = 1 WHERE id = ?').run(syncId);
  }

  private all<T>(table: string, schema: z.ZodType<T>, what: string): T[] {
    return byName(this.db.prepare(`SELECT name, definition FROM ${table}`).all() as { name: string; definition: string }[]).map((r) =>
      readSaved(schema, what, r.name, r.definition),
    );
  }

  private one<T>(table: string, schema: z.ZodType<T>, name: string, what: string): T {
    const row = this.db.prepare(`SELECT definition FROM ${table} WHERE name = ?`).get(name) as { definition: string } | undefined;
    if (!row) throw new SluiceError('not-found', `There is no ${what} named "${name}"${this.suggest(table, name)}`);
    return readSaved(schema, what, name, row.definition);
  }

  private suggest(table: string, name: string): string {
    const names = byName(this.db.prepare(`SELECT name FROM ${table}`).all() as { name: string }[]).map((r) => r.name);
    if (names.length === 0) return '';
    const close = names.find((n) => n.toLowerCase() === name.toLowerCase());
    return close ? ` (did you mean "${close}"?)` : ` (there are: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''})`;
  }
}
