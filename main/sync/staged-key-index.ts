// Indexing a differ's staged keys (main/sync/differ-steps.ts), on its own: the staging process
// (differ-stage-process.ts) imports it, and what a process imports it loads before it starts. Through
// differ-steps it loaded the config schemas too: 0.1 s of every SQLite model's run.
import type { Database } from 'better-sqlite3';

/**
 * Indexes the staged keys; answers whether they are unique (null keys aside). A unique index costs
 * about what a plain one does, and a model without duplicated keys (nearly every run) then skips
 * grouping every key to look for them: about 0.3 s of a 1M-row run, first or re-run.
 */
export function indexStagedKeys(db: Database): boolean {
  try {
    db.exec('CREATE UNIQUE INDEX main.sluice_stage_by_key ON sluice_stage (key)');
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
    db.exec('CREATE INDEX main.sluice_stage_by_key ON sluice_stage (key)');
    return false;
  }
}
