import { randomUUID } from 'node:crypto';
import { processAlive } from '../state/process-alive';

/**
 * Who holds a secret kept in memory (no OS keychain): one engine instance, named by a session id, in
 * one process. Its reference in SQLite carries both, so another process using the workspace (the CLI
 * while the app is open) can tell a secret another live process holds from one whose process is gone.
 */
export interface MemoryOwner {
  session: string;
  pid: number;
}

/** The sessions of this process whose engine is still open (several engines may share a process: tests, the host). */
const openSessions = new Set<string>();

export function openMemoryOwner(): MemoryOwner {
  const owner = { session: randomUUID(), pid: process.pid };
  openSessions.add(owner.session);
  return owner;
}

export function closeMemoryOwner(owner: MemoryOwner): void {
  openSessions.delete(owner.session);
}

/**
 * Whether the owner recorded with a memory secret may still hold its value: a session of this process
 * that is still open, or another process that is still running. A ref without an owner (written by an
 * earlier build) belongs to nobody alive. A reused pid keeps a dead owner's ref until that process ends
 * too: the ref is kept a little longer, never one that is still held dropped.
 */
export function ownerAlive(session: string | null, pid: number | null): boolean {
  if (session === null || pid === null) return false;
  if (pid === process.pid) return openSessions.has(session);
  return processAlive(pid);
}
