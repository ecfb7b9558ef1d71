import type { Destination } from '../../shared/config/destination';
import { SluiceError } from '../../shared/ipc/errors';
import type { EngineServices } from '../engine/services';
import { credentialsOf } from '../secrets/endpoint-identity';

/**
 * Renaming a destination (issue: destinations could not be renamed). One SQLite transaction renames its
 * row (`syncs.destination` follows by `ON UPDATE CASCADE`) and each of its syncs' definitions; a sync keeps
 * its id, so its snapshot, runs and ledger stay with it and its next run sends only what changed. Its own
 * secrets — keychain entries named after it (`<name>/password`, the wizard's default names) that it uses or
 * that are bound to it — move to the new name (`SecretStore.move`), every reference to them following, and
 * its secret bindings and the Debugger's calls to it name it anew: nothing is left under the old name.
 */

const BOUND_TO = "SELECT secret FROM secret_bindings WHERE destination = ? AND json_extract(identity, '$.kind') <> 'source'";

/** The secrets named after the destination that are its own (it uses them, or they are bound to it), each with its new name. */
function secretMoves(engine: EngineServices, destination: Destination, to: string): Map<string, string> {
  const prefix = `${destination.name}/`;
  const used = credentialsOf(destination).flatMap(({ source }) => (source.kind === 'keychain' ? [source.name] : []));
  const bound = (engine.db.prepare(BOUND_TO).all(destination.name) as { secret: string }[]).map((r) => r.secret);
  const saved = new Set(engine.secrets.list().map((s) => s.name));
  const own = [...new Set([...used, ...bound])].filter((s) => s.startsWith(prefix) && saved.has(s)).sort();
  const moves = new Map(own.map((s) => [s, `${to}/${s.slice(prefix.length)}`]));
  for (const [from, next] of moves) {
    if (saved.has(next)) {
      throw new SluiceError(
        'conflict',
        `A secret named "${next}" is already saved, so the destination's secret "${from}" cannot move to it: delete that secret (Settings → Secrets, or sluice secrets delete "${next}") or choose another name`,
      );
    }
  }
  return moves;
}

/** A catalog definition with its keychain references `{ keychain: NAME }` renamed as `moves` says. */
function withSecretsMoved(value: unknown, moves: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => withSecretsMoved(v, moves));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]![0] === 'keychain' && typeof entries[0]![1] === 'string') {
    return { keychain: moves.get(entries[0]![1]) ?? entries[0]![1] };
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, withSecretsMoved(v, moves)]));
}

/** Every other destination and source that refers to a moved secret refers to it by its new name. */
function moveReferences(engine: EngineServices, moves: ReadonlyMap<string, string>, skip: string): void {
  if (moves.size === 0) return;
  for (const table of ['destinations', 'sources'] as const) {
    const rows = engine.db.prepare(`SELECT name, definition FROM ${table} WHERE name <> ?`).all(table === 'destinations' ? skip : '') as {
      name: string;
      definition: string;
    }[];
    for (const row of rows) {
      const next = JSON.stringify(withSecretsMoved(JSON.parse(row.definition), moves));
      if (next !== row.definition) engine.db.prepare(`UPDATE ${table} SET definition = ? WHERE name = ?`).run(next, row.name);
    }
  }
}

/** In the rename's transaction (the write lock held): none of its syncs may be running. */
function assertNoSyncRunning(engine: EngineServices, name: string): void {
  for (const sync of engine.catalog.listSyncs().filter((s) => s.definition.destination === name)) {
    const running = engine.runs.activeRun(sync.id);
    if (running !== undefined) {
      throw new SluiceError(
        'conflict',
        `The sync "${sync.definition.name}" is running (run ${running}): wait for it to end or cancel it, then rename the destination again`,
      );
    }
  }
}

/** The destination renamed, and each secret that moved with it (`from` → `to`): the CLI and the app say them. */
export interface DestinationRenamed {
  destination: Destination;
  movedSecrets: { from: string; to: string }[];
}

export async function renameDestination(engine: EngineServices, from: string, to: string): Promise<DestinationRenamed> {
  const destination = engine.catalog.getDestination(from);
  if (from === to) return { destination, movedSecrets: [] };
  const taken = () => engine.catalog.listDestinations().some((d) => d.name === to);
  if (taken()) throw new SluiceError('conflict', `A destination named "${to}" already exists: choose another name`);
  assertNoSyncRunning(engine, from);
  const moves = secretMoves(engine, destination, to);
  const renamed = { ...(withSecretsMoved(destination, moves) as Destination), name: to };
  await engine.secrets.move(
    moves,
    () => {
      // Checked again under the write lock: another window may have taken the name, or started a sync, meanwhile.
      if (taken()) throw new SluiceError('conflict', `A destination named "${to}" already exists: choose another name`);
      assertNoSyncRunning(engine, from);
      const syncs = engine.catalog.listSyncs().filter((s) => s.definition.destination === from);
      engine.db
        .prepare('UPDATE destinations SET name = ?, definition = ?, updated_at = ? WHERE name = ?')
        .run(to, JSON.stringify(renamed), new Date().toISOString(), from);
      // syncs.destination follows by ON UPDATE CASCADE; each sync's definition names its destination too.
      for (const sync of syncs) {
        engine.db.prepare('UPDATE syncs SET definition = ? WHERE id = ?').run(JSON.stringify({ ...sync.definition, destination: to }), sync.id);
      }
      moveReferences(engine, moves, to);
      // The keychain secrets bound to it stay bound to it under its new name (a source's bindings hold a source's name).
      engine.db.prepare("UPDATE secret_bindings SET destination = ? WHERE destination = ? AND json_extract(identity, '$.kind') <> 'source'").run(to, from);
      // The Debugger's calls to it are listed, and filtered, under its new name, as its runs are: those
      // written, and those waiting to be or still on the wire (the recorder's, once this has committed:
      // a failed commit leaves them under the name the destination keeps).
      engine.db.prepare('UPDATE api_calls SET destination = ? WHERE destination = ?').run(to, from);
    },
    () => engine.recorder.renameDestination(from, to),
  );
  engine.log.info('destination.renamed', { from, to, secretsMoved: moves.size });
  if (moves.size > 0) engine.emit('secretsChanged', engine.secrets.list());
  engine.emit('catalogChanged', {});
  return { destination: engine.catalog.getDestination(to), movedSecrets: [...moves].map(([was, now]) => ({ from: was, to: now })) };
}
