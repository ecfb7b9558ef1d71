import type { Database } from 'better-sqlite3';
import type { SecretRef } from '../../shared/ipc/contract';
import { SluiceError } from '../../shared/ipc/errors';
import type { Logger } from '../log/logger';
import type { SecretBackend } from './keychain';
import type { Redactor } from './redactor';
import { SecretBindings } from './secret-bindings';

interface SecretRefRow {
  name: string;
  backend: 'os' | 'memory';
  account: string;
  created_at: string;
  updated_at: string;
}

const toRef = (row: SecretRefRow): SecretRef => ({
  name: row.name,
  backend: row.backend,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * Named secrets. The value goes to the backend (OS keychain, or memory without one); SQLite keeps
 * only the name and the keychain account. Every value read or written is given to the redactor.
 */
export class SecretStore {
  /** Which destination each secret belongs to (issue 12): see secret-bindings.ts. */
  readonly bindings: SecretBindings;

  constructor(
    private readonly db: Database,
    private readonly backend: SecretBackend,
    private readonly redactor: Redactor,
    private readonly workspaceId: string,
    private readonly log: Logger,
  ) {
    this.bindings = new SecretBindings(db);
    // Values kept in memory by an earlier session are gone; their references point nowhere.
    const stale = this.db.prepare("DELETE FROM secret_refs WHERE backend = 'memory'").run();
    if (stale.changes > 0) this.log.warn('secrets.memory-refs-dropped', { count: stale.changes });
  }

  list(): SecretRef[] {
    return (this.db.prepare('SELECT * FROM secret_refs ORDER BY name').all() as SecretRefRow[]).map(toRef);
  }

  /** Replacing the value of a saved name keeps its binding: a rotated password still belongs to its destination. */
  async save(name: string, value: string): Promise<SecretRef> {
    this.redactor.remember(value);
    const account = `${this.workspaceId}/${name}`;
    await this.backend.set(account, value);
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO secret_refs (name, backend, account, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET backend = excluded.backend, updated_at = excluded.updated_at`,
      )
      .run(name, this.backend.kind, account, now, now);
    this.log.info('secrets.saved', { name, backend: this.backend.kind });
    return toRef(this.row(name)!);
  }

  /** The value, for the engine's own use (publishers). Never sent to the renderer. */
  async reveal(name: string): Promise<string> {
    const row = this.row(name);
    if (!row) throw new SluiceError('not-found', `There is no secret named "${name}"`);
    const value = await this.backend.get(row.account);
    if (value === undefined) {
      throw new SluiceError('not-found', `The secret "${name}" is no longer in the ${row.backend === 'os' ? 'OS keychain' : 'memory store'}; enter it again`);
    }
    this.redactor.remember(value);
    return value;
  }

  async delete(name: string): Promise<boolean> {
    const row = this.row(name);
    if (!row) return false;
    await this.backend.delete(row.account).catch((err: unknown) => {
      this.log.warn('secrets.delete-from-backend-failed', { name, error: err instanceof Error ? err.message : String(err) });
    });
    this.db.transaction(() => {
      this.bindings.forget(name);
      this.db.prepare('DELETE FROM secret_refs WHERE name = ?').run(name);
    })();
    this.log.info('secrets.deleted', { name });
    return true;
  }

  private row(name: string): SecretRefRow | undefined {
    return this.db.prepare('SELECT * FROM secret_refs WHERE name = ?').get(name) as SecretRefRow | undefined;
  }
}
