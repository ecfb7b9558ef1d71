import type { Migration } from './migration';

export const m014RunIdsNeverReused: Migration = {
  version: 14,
  name: 'run ids never reused',
  up(db) {
    db.exec(`
      -- The highest run id ever given in this workspace. runs.id has no AUTOINCREMENT, so SQLite gave a new
      -- run the highest id there was plus one: once the newest run's sync was deleted, the next run got its
      -- id again, and the Debugger (api_calls keep their run_id) and the other processes watching runs
      -- (main/engine/catalog-watch.ts) took the two for one. A run's id is now given by RunStore.create from
      -- this mark; the trigger below refuses any other and moves the mark, in the INSERT's own statement, so
      -- two processes on one workspace (the app and the CLI) never get the same id.
      CREATE TABLE run_ids (
        only    INTEGER PRIMARY KEY CHECK (only = 1),
        last_id INTEGER NOT NULL
      ) STRICT;
      -- Every id a run had, still has, or that something still names (the Debugger's calls outlive their run).
      INSERT INTO run_ids (only, last_id) VALUES (1, MAX(
        (SELECT COALESCE(MAX(id), 0) FROM runs),
        (SELECT COALESCE(MAX(run_id), 0) FROM ledger),
        (SELECT COALESCE(MAX(run_id), 0) FROM run_rejects),
        (SELECT COALESCE(MAX(run_id), 0) FROM api_calls)
      ));
      -- An id left to SQLite is -1 here, so it is refused too: a reused id would be SQLite's choice.
      CREATE TRIGGER runs_id_never_reused BEFORE INSERT ON runs
      BEGIN
        SELECT RAISE(ABORT, 'A run id must be above every id given before (run_ids.last_id): give it as RunStore.create does')
          WHERE NEW.id <= (SELECT last_id FROM run_ids);
        UPDATE run_ids SET last_id = NEW.id;
      END;
    `);
  },
};
