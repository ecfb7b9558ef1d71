import type { Migration } from './migration';

export const m012RunCancelRequest: Migration = {
  version: 12,
  name: 'run cancel request',
  up(db) {
    db.exec(`
      -- When another process asked the run to stop (the app cancelling a run \`sluice sync run\` started, or
      -- \`sluice sync cancel\`): the process running it looks each second and cancels it. NULL: not asked.
      ALTER TABLE runs ADD COLUMN cancel_requested_at TEXT;
    `);
  },
};
