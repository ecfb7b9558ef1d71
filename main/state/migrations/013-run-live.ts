import type { Migration } from './migration';

export const m013RunLive: Migration = {
  version: 13,
  name: 'run live state',
  up(db) {
    db.exec(`
      -- What a running run's progress says beyond its counts, for the other processes that show it (the app
      -- showing a run \`sluice sync run\` carries out): its records being retried and why nothing settles, a
      -- source not answering. JSON ({"retrying": …, "sourceSilent": …}); NULL when there is none or the run ended.
      ALTER TABLE runs ADD COLUMN live TEXT;
    `);
  },
};
