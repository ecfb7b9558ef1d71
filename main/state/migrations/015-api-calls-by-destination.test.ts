import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openUpgraded, workspaceAtVersion } from '../../testing/workspace-at-version';

// Migration 015: the Debugger's calls are found by destination through an index, so renaming a
// destination (which renames its calls while it holds the workspace's write lock) and the Debugger's
// destination filter no longer read every recorded call.

const plan = (db: Database, sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');

describe('migration 015: api calls by destination', () => {
  it("a workspace of version 14 keeps its calls, and a rename's UPDATE and the Debugger's filter search them by destination", () => {
    const { dir, db: old } = workspaceAtVersion(14);
    const insert =
      old.prepare(`INSERT INTO api_calls (run_id, context, destination, service, operation, target, status, started_at, started_ms, duration_ms, attempt, is_error, request, response)
      VALUES (NULL, 'connection-test', ?, 'kafka', 'Metadata', 't', 'ok', 'x', 0, 1, 1, 0, '{}', '{}')`);
    for (const d of ['a', 'b', 'a']) insert.run(d);
    expect(plan(old, "UPDATE api_calls SET destination = 'c' WHERE destination = 'a'")).toMatch(/^SCAN api_calls/);
    old.close();

    const db = openUpgraded(dir);
    expect(plan(db, "UPDATE api_calls SET destination = 'c' WHERE destination = 'a'")).toBe(
      'SEARCH api_calls USING INDEX api_calls_by_destination (destination=?)',
    );
    expect(plan(db, "SELECT id FROM api_calls WHERE destination = 'a' ORDER BY id DESC LIMIT 50")).toMatch(/USING (COVERING )?INDEX api_calls_by_destination/);
    expect(db.prepare("UPDATE api_calls SET destination = 'c' WHERE destination = 'a'").run().changes).toBe(2);
    expect(db.prepare('SELECT destination FROM api_calls ORDER BY id').pluck().all()).toEqual(['c', 'b', 'c']);
  });
});
