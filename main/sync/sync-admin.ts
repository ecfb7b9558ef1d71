import { isDeepStrictEqual } from 'node:util';
import type { Destination } from '../../shared/config/destination';
import { SYNC_EVENTS, type Payload, type Sync } from '../../shared/config/sync';
import type { SyncFootprint, SyncSavePreview, SyncSettings } from '../../shared/ipc/channels/sync-admin';
import { SluiceError } from '../../shared/ipc/errors';
import { assertSyncFitsDestination, otherKindFields } from '../destinations/destination-problems';
import { syncRetargets } from '../destinations/destination-target';
import { engineKind } from '../destinations/kinds/registry';
import { defaultTemplate, WHOLE_ROW_TEMPLATE } from '../../shared/payload/default-template';
import type { StoredSync } from '../catalog/catalog-store';
import type { EngineServices } from '../engine/services';
import { previewModel } from '../sources/preview';
import { recordedSnapshotTable } from './in-database/snapshot-table';
import { parseSyncTemplates } from './sync-templates';
import { assertTombstonesKeyed } from './tombstone-key';

/**
 * Syncs made and looked after in the app (issue #14): create one from a model and a destination, edit
 * its settings, rename it (its runs, ledger, snapshot and template tests stay with it: they hang off its
 * id), reset its snapshot so the next run sends every row again, and delete it with all its history.
 * Every change is refused while the sync runs, except a settings change that keeps its model and
 * destination (it applies from the next run), and announces itself as `catalogChanged`.
 */

const invalid = (message: string, path: string, fix: string) => new SluiceError('invalid-input', message, [{ path, message: fix }]);

function names(list: readonly { name: string }[]): string {
  return list.length === 0
    ? 'there are none yet'
    : `one of ${list
        .slice(0, 8)
        .map((x) => `"${x.name}"`)
        .join(', ')}${list.length > 8 ? ', …' : ''}`;
}

function assertNotRunning(engine: EngineServices, sync: StoredSync, action: string): void {
  const running = engine.runs.activeRun(sync.id);
  if (running !== undefined) {
    throw new SluiceError('conflict', `The sync "${sync.definition.name}" is running (run ${running}): wait for it to end or cancel it, then ${action} again`);
  }
}

/** `path`: the form's field of the name; none for a rename (its one field, the new name, is said in the sentence). */
function assertNameFree(engine: EngineServices, name: string, path: string | null, self?: StoredSync): void {
  const other = engine.catalog.findSync(name);
  if (!other || other.id === self?.id) return;
  if (path === null) throw new SluiceError('conflict', `A sync named "${name}" already exists: choose another name`);
  throw invalid(`A sync named "${name}" already exists`, path, 'Choose another name');
}

/** The model and destination must exist, and the kind-specific settings must fit the destination's kind. */
function checkSettings(engine: EngineServices, settings: SyncSettings, existing?: Sync): Destination {
  const models = engine.catalog.listModels();
  if (!models.some((m) => m.name === settings.model)) {
    throw invalid(`There is no model named "${settings.model}"`, 'settings.model', `Choose ${names(models)}`);
  }
  const destinations = engine.catalog.listDestinations();
  const destination = destinations.find((d) => d.name === settings.destination);
  if (!destination) throw invalid(`There is no destination named "${settings.destination}"`, 'settings.destination', `Choose ${names(destinations)}`);
  const issues = engineKind(destination.kind).syncSettings.check(destination, { settings, existing });
  if (issues.length > 0) throw new SluiceError('invalid-input', 'These settings do not fit the destination', issues);
  return destination;
}

/** The definition with the form's settings applied; settings of another destination kind are dropped. */
function withSettings(base: Omit<Sync, 'model' | 'destination' | 'triggers' | 'initialSync'>, settings: SyncSettings, destination: Destination): Sync {
  const { kafka, firehose: _routes, explicitHashKey, maxRemovalPercent: _max, ...rest } = base;
  void _routes;
  void _max;
  const next: Sync = {
    ...rest,
    model: settings.model,
    destination: settings.destination,
    triggers: SYNC_EVENTS.filter((e) => settings.triggers.includes(e)),
    initialSync: settings.initialSync,
    ...(settings.maxRemovalPercent !== undefined ? { maxRemovalPercent: settings.maxRemovalPercent } : {}),
  };
  engineKind(destination.kind).syncSettings.apply(next, { kafka, explicitHashKey }, settings);
  // What is left of the old kind (a Kinesis partition key on a sync moved to Kafka) goes too: runs would ignore it.
  for (const { field } of otherKindFields(destination, next)) {
    if (field === 'partitionKey')
      next.partitionKey = { kind: 'primary-key' }; // every sync has one: back to the default
    else delete next[field];
  }
  return next;
}

/** Where the form has the sync fields a run checks first (`parseSyncTemplates`). */
const FORM_FIELDS: Record<string, string> = {
  'kafka.topic.template': 'settings.kafkaTopicFrom.template',
  'kafka.topic.value': 'settings.kafkaTopic',
  'kafka.tombstones': 'settings.kafkaTombstones',
};

/**
 * The sync as the form would save it, checked as its run checks it first and as `sluice apply` does: a
 * topic template that does not parse, or a fixed topic that is no Kafka topic name, is refused naming the
 * form's field (it was saved, and every run of it then stopped before sending); so are tombstones with a key that
 * is never there (`assertTombstonesKeyed`: every removed row would be refused).
 */
function assertRunnable(destination: Destination, sync: Sync): Sync {
  try {
    parseSyncTemplates(destination, sync);
    assertTombstonesKeyed(sync);
  } catch (err) {
    if (!(err instanceof SluiceError)) throw err;
    throw new SluiceError(
      err.code,
      err.message,
      err.issues.map((i) => ({ ...i, path: FORM_FIELDS[i.path] ?? i.path })),
    );
  }
  return sync;
}

/** A template of the model's columns, or of the whole row when its columns cannot be read now. */
async function defaultPayload(engine: EngineServices, model: string): Promise<Payload> {
  try {
    const { columns } = await previewModel(engine, model, 1);
    if (columns.length > 0) return { mode: 'template', template: defaultTemplate(columns.map((c) => c.name)) };
  } catch (err) {
    engine.log.warn('sync.default-payload', { model, error: engine.redactor.redact(err instanceof Error ? err.message : String(err)) });
  }
  return { mode: 'template', template: WHOLE_ROW_TEMPLATE };
}

function changed(engine: EngineServices, what: string, fields: Record<string, unknown>): void {
  engine.log.info(`sync.${what}`, fields);
  engine.emit('catalogChanged', {});
}

export async function createSync(engine: EngineServices, name: string, settings: SyncSettings, payload?: Payload): Promise<Sync> {
  assertNameFree(engine, name, 'name');
  const destination = checkSettings(engine, settings);
  const body = payload ?? (await defaultPayload(engine, settings.model));
  // Checked again after reading the model's columns: another window may have made the same name meanwhile.
  assertNameFree(engine, name, 'name');
  const sync = engine.catalog.putSync(
    assertRunnable(destination, withSettings({ name, payload: body, partitionKey: { kind: 'primary-key' } }, settings, destination)),
  ).definition;
  changed(engine, 'created', { name, model: sync.model, destination: sync.destination });
  return sync;
}

/** The settings form's save: the stored sync and the definition it becomes, checked as the save checks it. */
function settingsSave(engine: EngineServices, name: string, settings: SyncSettings): { existing: StoredSync; next: Sync } {
  const existing = engine.catalog.getSync(name);
  const destination = checkSettings(engine, settings, existing.definition);
  return { existing, next: assertRunnable(destination, withSettings(existing.definition, settings, destination)) };
}

export function updateSyncSettings(engine: EngineServices, name: string, settings: SyncSettings): { sync: Sync; restarted: boolean } {
  const { existing, next } = settingsSave(engine, name, settings);
  // Another topic for a Kafka sync, through the same destination: its records land elsewhere, so it starts over too.
  const retargeted = syncRetargets(engine.catalog, next);
  const restarted = retargeted || existing.definition.model !== settings.model || existing.definition.destination !== settings.destination;
  if (restarted) assertNotRunning(engine, existing, retargeted ? 'change where its records go (its topic or routes)' : 'change its model or destination');
  // catalog.putSync drops the snapshot only when the model, destination or topic changes: the rest keeps it.
  const sync = engine.catalog.putSync(next, { retargeted }).definition;
  changed(engine, 'settings-saved', { name, restarted });
  return { sync, restarted };
}

/**
 * The payload editor's save as it is written: settings of another destination kind than the sync's are refused,
 * naming the field; ones the sync already held, unchanged, for the same destination (saved before they were
 * refused; its runs never read them, and the editor has no field for them) are dropped instead (`carried`).
 */
function definitionSave(engine: EngineServices, sync: Sync): { next: Sync; carried: ReturnType<typeof otherKindFields> } {
  const destination = engine.catalog.getDestination(sync.destination);
  const stored = engine.catalog.findSync(sync.name)?.definition;
  const next: Sync = { ...sync };
  const carried = otherKindFields(destination, sync).filter(
    ({ field }) => stored?.destination === sync.destination && isDeepStrictEqual(stored[field], sync[field]),
  );
  for (const { field } of carried) delete next[field];
  assertSyncFitsDestination(destination, next);
  assertTombstonesKeyed(next);
  return { next, carried };
}

/**
 * The payload editor's save: the whole definition. One whose records now land elsewhere (`syncRetargets`)
 * starts over, and is refused while the sync runs (`CatalogStore.putSync`, in the write's own transaction).
 */
export function saveSyncDefinition(engine: EngineServices, sync: Sync): Sync {
  const { next, carried } = definitionSave(engine, sync);
  const retargeted = syncRetargets(engine.catalog, next);
  const saved = engine.catalog.putSync(next, { retargeted }).definition;
  if (retargeted) engine.log.info('sync.retargeted', { name: sync.name });
  if (carried.length > 0) engine.log.info('sync.dropped-other-kind-settings', { name: sync.name, fields: carried.map((k) => k.field) });
  return saved;
}

/** What saving `next` over the stored sync would do, by the save's own rule (`CatalogStore.putSync` with `syncRetargets`). */
function savePreview(engine: EngineServices, next: Sync): SyncSavePreview {
  const stored = engine.catalog.findSync(next.name);
  if (!stored) return { startsOver: null, running: false, snapshotRows: 0 };
  const moved = stored.definition.model !== next.model || stored.definition.destination !== next.destination;
  return {
    startsOver: moved ? 'moved' : syncRetargets(engine.catalog, next) ? 'retargeted' : null,
    running: engine.runs.activeRun(stored.id) !== undefined,
    snapshotRows: count(engine, 'SELECT COUNT(*) AS n FROM snapshot WHERE sync_id = ?', stored.id),
  };
}

/** Whether the settings form's save would start the sync over, asked before saving; refused as the save refuses bad settings. */
export function previewSyncSettings(engine: EngineServices, name: string, settings: SyncSettings): SyncSavePreview {
  return savePreview(engine, settingsSave(engine, name, settings).next);
}

/** Whether the payload editor's save would start the sync over (another topic, topic per event or routes), asked before saving. */
export function previewSyncSave(engine: EngineServices, sync: Sync): SyncSavePreview {
  return savePreview(engine, definitionSave(engine, sync).next);
}

export function renameSync(engine: EngineServices, name: string, newName: string): Sync {
  const existing = engine.catalog.getSync(name);
  if (newName === name) return existing.definition;
  assertNameFree(engine, newName, null);
  assertNotRunning(engine, existing, 'rename it');
  const definition: Sync = { ...existing.definition, name: newName };
  // Runs, ledger, snapshot and template tests refer to the sync's id, so they stay with it.
  engine.db
    .prepare('UPDATE syncs SET name = ?, definition = ?, updated_at = ? WHERE id = ?')
    .run(newName, JSON.stringify(definition), new Date().toISOString(), existing.id);
  changed(engine, 'renamed', { from: name, to: newName });
  return engine.catalog.getSync(newName).definition;
}

function count(engine: EngineServices, sql: string, id: number): number {
  return (engine.db.prepare(sql).get(id) as { n: number }).n;
}

/** The sync's snapshot is a table in its model's PostgreSQL source (the in-database diff has made one). */
function snapshotInSource(engine: EngineServices, syncId: number, model: string): boolean {
  return engine.catalog.getModel(model).diff === 'in-database' && recordedSnapshotTable(engine.db, syncId) !== null;
}

export function syncFootprint(engine: EngineServices, name: string): SyncFootprint {
  const sync = engine.catalog.getSync(name);
  return {
    runs: count(engine, 'SELECT COUNT(*) AS n FROM runs WHERE sync_id = ?', sync.id),
    ledgerEntries: count(engine, 'SELECT COUNT(*) AS n FROM ledger WHERE sync_id = ?', sync.id),
    snapshotRows: count(engine, 'SELECT COUNT(*) AS n FROM snapshot WHERE sync_id = ?', sync.id),
    snapshotInSource: snapshotInSource(engine, sync.id, sync.definition.model),
    templateTests: count(engine, 'SELECT COUNT(*) AS n FROM template_tests WHERE sync_id = ?', sync.id),
    runningRun: engine.runs.activeRun(sync.id) ?? null,
  };
}

/** Deletes the sync with its snapshot, ledger, runs (and their rejected rows) and template tests, in one transaction. */
export function deleteSync(engine: EngineServices, name: string): Omit<SyncFootprint, 'runningRun'> {
  const sync = engine.catalog.getSync(name);
  assertNotRunning(engine, sync, 'delete it');
  const { runningRun: _running, ...lost } = syncFootprint(engine, name);
  void _running;
  engine.db.transaction(() => {
    const id = sync.id;
    engine.db.prepare('DELETE FROM ledger WHERE sync_id = ?').run(id);
    engine.db.prepare('DELETE FROM run_rejects WHERE run_id IN (SELECT id FROM runs WHERE sync_id = ?)').run(id);
    engine.db.prepare('DELETE FROM runs WHERE sync_id = ?').run(id);
    engine.db.prepare('DELETE FROM snapshot WHERE sync_id = ?').run(id);
    engine.db.prepare('DELETE FROM pg_snapshot_outbox WHERE sync_id = ?').run(id);
    engine.db.prepare('DELETE FROM template_tests WHERE sync_id = ?').run(id);
    engine.db.prepare('DELETE FROM syncs WHERE id = ?').run(id);
  })();
  changed(engine, 'deleted', { name, ...lost });
  return lost;
}

/**
 * Forgets what the sync delivered: the next run finds every row of the model new and sends it as
 * added (a sync that has not run yet still does what its first-run setting says).
 */
export function resetSyncSnapshot(engine: EngineServices, name: string): { cleared: number; inSource: boolean } {
  const sync = engine.catalog.getSync(name);
  assertNotRunning(engine, sync, 'reset it');
  const inSource = snapshotInSource(engine, sync.id, sync.definition.model);
  const cleared = engine.db.transaction(() => engine.catalog.forgetDelivered(sync.id))();
  changed(engine, 'reset', { name, cleared });
  return { cleared, inSource };
}
