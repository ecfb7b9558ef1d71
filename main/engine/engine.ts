import path from 'node:path';
import { EventEmitter } from 'node:events';
import type { Database } from 'better-sqlite3';
import type { EventName, EventPayload, KeychainStatus } from '../../shared/ipc/contract';
import { checkedEvent, Dispatcher } from '../ipc/dispatcher';
import { createHandlers } from '../ipc/handlers';
import { FileLogger, type Logger } from '../log/logger';
import { chooseSecretBackend } from '../secrets/keychain';
import { Redactor } from '../secrets/redactor';
import { SecretStore } from '../secrets/secret-store';
import { currentSchemaVersion, openDatabase } from '../state/database';
import { SettingsStore } from '../state/settings-store';
import { CatalogStore } from '../catalog/catalog-store';
import { declineDemo, seedDemo } from '../demo/seed-demo';
import { publisherFor } from '../destinations/publisher-factory';
import { SandboxKinesis } from '../sandbox/sandbox-kinesis';
import { SecretResolver } from '../secrets/secret-resolver';
import { LedgerStore } from '../sync/ledger-store';
import { RunStore } from '../sync/run-store';
import { SyncRunner, type RunOptions } from '../sync/sync-runner';
import { withRateSoFar, type RunSummary } from '../../shared/config/sync';
import { SluiceError } from '../../shared/ipc/errors';
import { ApiCallRecorder } from '../recorder/api-call-recorder';
import { ApiCallStore } from '../recorder/api-call-store';
import { CatalogWatcher } from './catalog-watch';
import type { EngineEventListener, EngineOptions, EngineServices } from './services';
import { stopCaptures } from '../capture/capture-manager';

export type { EngineEventListener, EngineOptions } from './services';

/**
 * Sluice's engine in plain Node: state, secrets, logging and the IPC handler table. The Electron
 * shell, the browser test host and the CLI each create one and talk to it the same way.
 */
export class Engine implements EngineServices {
  readonly dispatcher: Dispatcher;
  readonly catalog: CatalogStore;
  readonly runs: RunStore;
  readonly ledger: LedgerStore;
  readonly sandbox: SandboxKinesis;
  readonly secretResolver: SecretResolver;
  readonly runner: SyncRunner;
  /** Every API call to a destination, recorded for the Debugger (see main/recorder). */
  readonly recorder: ApiCallRecorder;
  readonly apiCalls: ApiCallStore;
  /** Catalog changes made by another process (`sluice apply`) become catalogChanged events. */
  readonly catalogWatch: CatalogWatcher;
  private readonly emitter = new EventEmitter();
  private readonly activeRuns = new Map<number, { controller: AbortController; done: Promise<RunSummary> }>();

  private constructor(
    readonly options: EngineOptions,
    readonly db: Database,
    readonly log: Logger,
    readonly redactor: Redactor,
    readonly settings: SettingsStore,
    readonly secrets: SecretStore,
    readonly keychain: KeychainStatus,
  ) {
    this.catalog = new CatalogStore(db, (syncId) => this.runs.activeRun(syncId));
    this.sandbox = new SandboxKinesis({ workspace: options.workspace, log });
    this.runs = new RunStore(db);
    this.ledger = new LedgerStore(db);
    this.secretResolver = new SecretResolver(secrets, redactor);
    this.recorder = new ApiCallRecorder(db, redactor, (calls) => this.emit('apiCallsRecorded', { calls }), log);
    this.apiCalls = new ApiCallStore(db);
    this.applyApiCallRetention();
    this.runner = new SyncRunner({
      db,
      catalog: this.catalog,
      runs: this.runs,
      ledger: this.ledger,
      log,
      redactor,
      secrets: this.secretResolver,
      publisherFor: (destination, run) =>
        publisherFor(
          destination,
          this.secretResolver,
          this.sandbox,
          this.recorder.scope({ runId: run?.runId ?? null, context: run?.dryRun ? 'dry-run' : 'sync', destination: destination.name }),
        ),
      onProgress: (summary) => this.emit('runProgress', summary),
    });
    this.dispatcher = new Dispatcher(createHandlers(this), log, redactor);
    this.catalogWatch = new CatalogWatcher(
      db,
      () => this.emit('catalogChanged', {}),
      log,
      (ids) => this.otherProcessRuns(ids),
    );
    this.catalogWatch.start();
  }

  /** Runs a sync to the end (CLI). */
  runSync(sync: string, options: RunOptions = {}): Promise<RunSummary> {
    return this.runner.run(sync, options).finally(() => this.afterRun());
  }

  /** Starts a sync run in the background (UI); progress arrives as runProgress events. */
  startRun(sync: string, options: Omit<RunOptions, 'signal'> = {}): number {
    const controller = new AbortController();
    const { runId, done } = this.runner.start(sync, { ...options, signal: controller.signal });
    this.activeRuns.set(runId, { controller, done });
    void done.finally(() => {
      this.activeRuns.delete(runId);
      this.afterRun();
    });
    return runId;
  }

  /**
   * Writes the run's last recorded calls and drops calls older than the retention setting. Never
   * throws: the run has ended either way (a failed clean-up is logged, not reported as the run's).
   */
  private afterRun(): void {
    if (!this.db.open) return;
    try {
      this.recorder.flush();
      this.applyApiCallRetention();
    } catch (err) {
      this.log.warn('api-calls.after-run-failed', { error: this.redactor.redact(err instanceof Error ? err.message : String(err)) });
    }
  }

  applyApiCallRetention(): number {
    const removed = this.recorder.applyRetention(this.settings.get().debuggerRetentionDays);
    if (removed > 0) this.log.info('api-calls.retention', { removed });
    return removed;
  }

  /** Runs another process (`sluice sync run`) started or moved: their progress and end, as this engine's own runs tell theirs. */
  private otherProcessRuns(ids: number[]): void {
    for (const id of ids) {
      if (this.runner.started.has(id)) continue;
      const run = this.runs.get(id);
      if (run) this.emit('runProgress', withRateSoFar(run, Date.now()));
    }
  }

  /**
   * Cancels a run. One this engine started is aborted at once; one another process runs (`sluice sync
   * run`) is asked to stop through the runs table, and its process cancels it within a second or so (its
   * end arrives as runProgress, as its progress does). A run whose process is gone is marked interrupted.
   */
  cancelRun(runId: number): boolean {
    const run = this.activeRuns.get(runId);
    if (run) {
      run.controller.abort();
      return true;
    }
    const wasRunning = this.runs.get(runId)?.status === 'running';
    try {
      this.runs.markInterrupted();
    } catch {
      // A locked database: the request below says so.
    }
    const now = this.runs.get(runId);
    if (wasRunning && now && now.status !== 'running') {
      // Its process was gone: the run is now marked interrupted, here (the watcher tells only other processes' writes).
      this.emit('runProgress', now);
      return true;
    }
    if (this.runs.requestCancel(runId)) {
      this.log.info('run.cancel-request', { runId });
      return true;
    }
    const status = this.runs.get(runId)?.status;
    throw new SluiceError('not-found', status === undefined ? `There is no run ${runId}` : `Run ${runId} is not running: it has ended (${status})`);
  }

  /** Waits for the background runs (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.activeRuns.values()].map((r) => r.done));
  }

  static async open(options: EngineOptions): Promise<Engine> {
    const redactor = new Redactor();
    // The database first: it says plainly why a workspace cannot be used (read-only, empty, newer) before anything is written there.
    const db = openDatabase(options.workspace);
    let log: FileLogger;
    try {
      log = new FileLogger(path.join(options.workspace, 'logs'), redactor, 'info', options.echoLog ? (l) => process.stderr.write(l + '\n') : undefined);
    } catch (err) {
      db.close();
      throw err;
    }
    const settings = new SettingsStore(db);
    const workspaceId = settings.workspaceId();
    const { backend, status } = await chooseSecretBackend(`${workspaceId}/.probe`);
    if (status.backend === 'memory') log.warn('keychain.unavailable', { problem: status.problem });
    const secrets = new SecretStore(db, backend, redactor, workspaceId, log);
    const interrupted = new RunStore(db).markInterrupted();
    if (interrupted > 0) log.warn('runs.interrupted', { count: interrupted });
    if (options.declineDemo) declineDemo(db);
    if (options.seedDemo !== false && seedDemo(db, new CatalogStore(db), options.workspace)) log.info('demo.seeded');
    log.info('engine.opened', { workspace: options.workspace, runtime: options.runtime, schemaVersion: currentSchemaVersion(db), keychain: status.backend });
    return new Engine(options, db, log, redactor, settings, secrets, status);
  }

  get schemaVersion(): number {
    return currentSchemaVersion(this.db);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitter.emit('event', event, checkedEvent(event, payload));
  }

  /** Transports subscribe here to forward events to their renderers. Returns an unsubscribe. */
  onEvent(listener: EngineEventListener): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  async shutdown(): Promise<void> {
    for (const run of this.activeRuns.values()) run.controller.abort();
    await stopCaptures(this);
    await this.idle();
    await this.sandbox.close();
    this.close();
  }

  close(): void {
    this.log.info('engine.closed');
    this.catalogWatch.stop();
    if (this.db.open) this.recorder.close();
    this.secrets.close();
    this.emitter.removeAllListeners();
    if (this.db.open) this.db.close();
  }
}
