import type { Database } from 'better-sqlite3';
import type { SecretRef } from '../../shared/ipc/contract';
import { SluiceError } from '../../shared/ipc/errors';
import { naturalCompare } from '../../shared/natural-order';
import type { Logger } from '../log/logger';
import type { SecretBackend } from './keychain';
import { closeMemoryOwner, openMemoryOwner, ownerAlive, type MemoryOwner } from './memory-owner';
import type { Redactor } from './redactor';
import { SecretBindings } from './secret-bindings';

interface SecretRefRow {
  name: string;
  backend: 'os' | 'memory';
  account: string;
  created_at: string;
  updated_at: string;
  /** The engine session and process holding a memory secret's value (migration 007); null for the keychain. */
  owner_session: string | null;
  owner_pid: number | null;
}

/** A memory secret that another engine (another process, or another engine of this one) holds. */
const HOW_TO_SHARE =
  'To use it here, enable an OS keychain (`sluice info` says how) and save the secret again, so every Sluice on this machine can read it; ' +
  'or have the destination take the value from an environment variable ({ env: VARIABLE }) instead; or run this from that Sluice';

const toRef = (row: SecretRefRow): SecretRef => ({
  name: row.name,
  backend: row.backend,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * Named secrets. The value goes to the backend (OS keychain, or memory without one); SQLite keeps
 * only the name and the keychain account. Every value read or written is given to the redactor.
 *
 * Without a keychain a value lives in this engine's memory only, and its reference records the engine
 * (session id and pid, `memory-owner.ts`): several processes share a workspace (the app and the CLI),
 * and none of them drops, overwrites or deletes a memory secret another live one holds. References
 * whose holder is gone are dropped when a store opens; the engine's own when it closes.
 */
export class SecretStore {
  /** Which destination each secret belongs to (issue 12): see secret-bindings.ts. */
  readonly bindings: SecretBindings;
  /** This engine, as the holder of the memory secrets it saves. */
  readonly owner: MemoryOwner;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly backend: SecretBackend,
    private readonly redactor: Redactor,
    private readonly workspaceId: string,
    private readonly log: Logger,
  ) {
    this.bindings = new SecretBindings(db);
    this.owner = openMemoryOwner();
    this.dropOrphanedMemoryRefs();
  }

  /**
   * Values kept in memory by a process that has ended are gone; their references point nowhere. Only
   * those are dropped: a memory secret another live process holds (the open app, while the CLI runs)
   * stays. Each delete re-checks the owner it read, so a ref saved again meanwhile is left alone.
   */
  private dropOrphanedMemoryRefs(): void {
    const refs = this.db.prepare("SELECT name, owner_session, owner_pid FROM secret_refs WHERE backend = 'memory'").all() as Pick<
      SecretRefRow,
      'name' | 'owner_session' | 'owner_pid'
    >[];
    const orphaned = refs.filter((r) => !ownerAlive(r.owner_session, r.owner_pid));
    if (orphaned.length === 0) return;
    const drop = this.db.prepare("DELETE FROM secret_refs WHERE name = ? AND backend = 'memory' AND owner_session IS ? AND owner_pid IS ?");
    let dropped = 0;
    this.db.transaction(() => {
      for (const r of orphaned) dropped += drop.run(r.name, r.owner_session, r.owner_pid).changes;
    })();
    if (dropped > 0) this.log.warn('secrets.memory-refs-dropped', { count: dropped });
  }

  /** The engine is closing: its memory values go with it, and so do their references (never another engine's). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeMemoryOwner(this.owner);
    if (!this.db.open) return;
    try {
      const removed = this.db.prepare("DELETE FROM secret_refs WHERE backend = 'memory' AND owner_session = ?").run(this.owner.session);
      if (removed.changes > 0) this.log.info('secrets.memory-refs-released', { count: removed.changes });
    } catch (err) {
      // The next store to open drops them instead (this process is then gone or this session closed).
      this.log.warn('secrets.memory-refs-release-failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private heldElsewhere(row: SecretRefRow): boolean {
    return row.backend === 'memory' && row.owner_session !== this.owner.session && ownerAlive(row.owner_session, row.owner_pid);
  }

  private heldElsewhereError(row: SecretRefRow, doing: string): SluiceError {
    const who =
      row.owner_pid === process.pid
        ? 'another Sluice engine in this process'
        : `another Sluice process using this workspace (pid ${row.owner_pid ?? '?'}, e.g. the open app)`;
    return new SluiceError(
      'conflict',
      `The secret "${row.name}" is kept only in the memory of ${who}, because there is no OS keychain; this Sluice cannot ${doing} it. ${HOW_TO_SHARE}.`,
    );
  }

  list(): SecretRef[] {
    const rows = this.db.prepare('SELECT * FROM secret_refs').all() as SecretRefRow[];
    return rows.sort((a, b) => naturalCompare(a.name, b.name)).map(toRef);
  }

  /** Replacing the value of a saved name keeps its binding: a rotated password still belongs to its destination. */
  async save(name: string, value: string): Promise<SecretRef> {
    this.redactor.remember(value);
    const existing = this.row(name);
    if (existing && this.heldElsewhere(existing)) throw this.heldElsewhereError(existing, 'replace');
    const account = `${this.workspaceId}/${name}`;
    await this.backend.set(account, value);
    const now = new Date().toISOString();
    const memory = this.backend.kind === 'memory';
    this.db
      .prepare(
        `INSERT INTO secret_refs (name, backend, account, created_at, updated_at, owner_session, owner_pid) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET backend = excluded.backend, updated_at = excluded.updated_at,
           owner_session = excluded.owner_session, owner_pid = excluded.owner_pid`,
      )
      .run(name, this.backend.kind, account, now, now, memory ? this.owner.session : null, memory ? this.owner.pid : null);
    this.log.info('secrets.saved', { name, backend: this.backend.kind });
    return toRef(this.row(name)!);
  }

  /** The value, for the engine's own use (publishers). Never sent to the renderer. */
  async reveal(name: string): Promise<string> {
    const row = this.row(name);
    if (!row) throw new SluiceError('not-found', `There is no secret named "${name}"`);
    if (this.heldElsewhere(row)) throw this.heldElsewhereError(row, 'read');
    if (row.backend === 'os' && this.backend.kind === 'memory') {
      throw new SluiceError(
        'keychain-unavailable',
        `The secret "${name}" is in the OS keychain, which this Sluice cannot reach (\`sluice info\` says why and how to enable it)`,
      );
    }
    const value = await this.backend.get(row.account);
    if (value === undefined && row.backend === 'memory' && row.owner_session !== this.owner.session) {
      throw new SluiceError('not-found', `The secret "${name}" was kept in the memory of a Sluice that has ended (there is no OS keychain); enter it again`);
    }
    if (value === undefined) {
      throw new SluiceError('not-found', `The secret "${name}" is no longer in the ${row.backend === 'os' ? 'OS keychain' : 'memory store'}; enter it again`);
    }
    this.redactor.remember(value);
    return value;
  }

  async delete(name: string): Promise<boolean> {
    const row = this.row(name);
    if (!row) return false;
    if (this.heldElsewhere(row)) throw this.heldElsewhereError(row, 'delete');
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

  /**
   * Moves secrets to new names (`from` → `to`; no `to` may be saved yet): each value is written under its new
   * name first, then `alongside` runs in the same SQLite transaction as the references' move (their bindings
   * follow), and only once that commits are the old entries deleted. If anything fails before the commit, the
   * new entries are deleted again and the old ones are untouched: nothing is lost or half-moved.
   * `committed` runs once the transaction has committed (not if it failed, not even at its COMMIT), in the
   * same turn: what in this process must follow the change (an in-memory name) follows it before anything else runs.
   */
  async move(moves: ReadonlyMap<string, string>, alongside: () => void, committed?: () => void): Promise<void> {
    const written: { row: SecretRefRow; account: string; value: string }[] = [];
    // Windows' Credential Manager matches accounts ignoring case: there a name that changes only its case is one
    // entry, which deleting the old account would delete, so it is written again instead.
    const sameEntry = (w: (typeof written)[number]) => w.account.toLowerCase() === w.row.account.toLowerCase();
    try {
      for (const [from, to] of moves) {
        const row = this.row(from);
        if (!row) throw new SluiceError('not-found', `There is no secret named "${from}"`);
        if (this.row(to)) throw new SluiceError('conflict', `A secret named "${to}" is already saved, so "${from}" cannot take its name`);
        const value = await this.reveal(from);
        const account = `${this.workspaceId}/${to}`;
        await this.backend.set(account, value);
        written.push({ row, account, value });
      }
      this.db
        .transaction(() => {
          for (const { row } of written) this.moveRef(row, moves.get(row.name)!);
          alongside();
        })
        .immediate(); // (the write lock first: `alongside` reads, then writes)
    } catch (err) {
      for (const w of written) await (sameEntry(w) ? this.backend.set(w.row.account, w.value) : this.backend.delete(w.account)).catch(() => undefined);
      throw err;
    }
    committed?.();
    for (const w of written) {
      await this.backend.delete(w.row.account).catch((err: unknown) => {
        this.log.warn('secrets.delete-from-backend-failed', { name: w.row.name, error: err instanceof Error ? err.message : String(err) });
      });
      if (sameEntry(w)) await this.backend.set(w.account, w.value);
    }
    this.log.info('secrets.moved', { moves: [...moves].map(([from, to]) => `${from} → ${to}`) });
  }

  /** In a transaction: the reference under its new name (this engine's backend holds the value now), its binding with it; when it was saved and last changed are kept. */
  private moveRef(row: SecretRefRow, to: string): void {
    const memory = this.backend.kind === 'memory';
    this.db.prepare('INSERT INTO secret_refs (name, backend, account, created_at, updated_at, owner_session, owner_pid) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      to,
      this.backend.kind,
      `${this.workspaceId}/${to}`,
      row.created_at,
      row.updated_at, // when its value last changed: a move changes its name only
      memory ? this.owner.session : null,
      memory ? this.owner.pid : null,
    );
    this.db.prepare('UPDATE secret_bindings SET secret = ? WHERE secret = ?').run(to, row.name);
    this.db.prepare('DELETE FROM secret_refs WHERE name = ?').run(row.name);
  }

  private row(name: string): SecretRefRow | undefined {
    return this.db.prepare('SELECT * FROM secret_refs WHERE name = ?').get(name) as SecretRefRow | undefined;
  }
}
