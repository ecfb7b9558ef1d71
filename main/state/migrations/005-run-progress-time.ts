import type { Migration } from './migration';

export const m005RunProgressTime: Migration = {
  version: 5,
  name: 'run progress time',
  up(db) {
    db.exec(`
      -- When the run's process last wrote its row (start, progress, end). A run whose process died
      -- ended at the latest of this and its last ledger write, not when Sluice next opened the workspace.
      ALTER TABLE runs ADD COLUMN updated_at TEXT;
      UPDATE runs SET updated_at = COALESCE(finished_at, started_at);
    `);
  },
};
