import type { Database } from 'better-sqlite3';
import type { EventName, EventPayload, KeychainStatus } from '../../shared/ipc/contract';
import type { Logger } from '../log/logger';
import type { Redactor } from '../secrets/redactor';
import type { SecretStore } from '../secrets/secret-store';
import type { SecretResolver } from '../secrets/secret-resolver';
import type { SettingsStore } from '../state/settings-store';
import type { CatalogStore } from '../catalog/catalog-store';
import type { SandboxKinesis } from '../sandbox/sandbox-kinesis';
import type { LedgerStore } from '../sync/ledger-store';
import type { RunStore } from '../sync/run-store';
import type { RunOptions } from '../sync/run/context';
import type { ApiCallRecorder } from '../recorder/api-call-recorder';
import type { ApiCallStore } from '../recorder/api-call-store';

export interface EngineOptions {
  workspace: string;
  runtime: 'electron' | 'browser-host' | 'cli';
  /** Print log lines to stderr as well (CLI --verbose, the dev host). */
  echoLog?: boolean;
  /** Create the demo database and its source, model, sandbox destination and sync on first start (default true). */
  seedDemo?: boolean;
  /** The user asked for no demo (`--no-demo`): recorded in the workspace, so a later `sluice` command does not add it either. */
  declineDemo?: boolean;
}

export type EngineEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * What the engine gives its features and IPC handlers: the workspace's stores, secrets, the recorder,
 * events and background runs. Features take this interface, never the `Engine` class, so the
 * composition root (`engine.ts`) builds the handler table without an import circle.
 */
export interface EngineServices {
  readonly options: EngineOptions;
  readonly db: Database;
  readonly log: Logger;
  readonly redactor: Redactor;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly keychain: KeychainStatus;
  readonly catalog: CatalogStore;
  readonly runs: RunStore;
  readonly ledger: LedgerStore;
  readonly sandbox: SandboxKinesis;
  readonly secretResolver: SecretResolver;
  /** Every API call to a destination, recorded for the Debugger (see main/recorder). */
  readonly recorder: ApiCallRecorder;
  readonly apiCalls: ApiCallStore;
  readonly schemaVersion: number;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Starts a sync run in the background (UI); progress arrives as runProgress events. */
  startRun(sync: string, options?: Omit<RunOptions, 'signal'>): number;
  cancelRun(runId: number): boolean;
  applyApiCallRetention(): number;
}
