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

export interface EngineOptions {
  workspace: string;
  runtime: 'electron' | 'browser-host';
  /** Print log lines to stderr as well (CLI --verbose, the dev host). */
  echoLog?: boolean;
}

export type EngineEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * Sluice's engine in plain Node: state, secrets, logging and the IPC handler table. The Electron
 * shell, the browser test host and the CLI each create one and talk to it the same way.
 */
export class Engine {
  readonly dispatcher: Dispatcher;
  private readonly emitter = new EventEmitter();

  private constructor(
    readonly options: EngineOptions,
    readonly db: Database,
    readonly log: Logger,
    readonly redactor: Redactor,
    readonly settings: SettingsStore,
    readonly secrets: SecretStore,
    readonly keychain: KeychainStatus,
  ) {
    this.dispatcher = new Dispatcher(createHandlers(this), log, redactor);
  }

  static async open(options: EngineOptions): Promise<Engine> {
    const redactor = new Redactor();
    const log = new FileLogger(path.join(options.workspace, 'logs'), redactor, 'info', options.echoLog ? (l) => process.stderr.write(l + '\n') : undefined);
    const db = openDatabase(options.workspace);
    const settings = new SettingsStore(db);
    const workspaceId = settings.workspaceId();
    const { backend, status } = await chooseSecretBackend(`${workspaceId}/.probe`);
    if (status.backend === 'memory') log.warn('keychain.unavailable', { problem: status.problem });
    const secrets = new SecretStore(db, backend, redactor, workspaceId, log);
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

  close(): void {
    this.log.info('engine.closed');
    this.emitter.removeAllListeners();
    if (this.db.open) this.db.close();
  }
}
