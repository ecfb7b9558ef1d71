import type { Migration } from './migration';

export const m016DeliveredNumberColumns: Migration = {
  version: 16,
  name: 'delivered number columns',
  up(db) {
    db.exec(`
      -- The columns in which a sync's runs sent a number carried as its text (past 2^53, past a double's range) as a
      -- JSON number: a JSON array of names, or NULL. A removed row is rendered from its snapshot row, where such a
      -- value is text; a run that read no such number in its column (the only row with one was removed) sent it as a
      -- string. Its removal now sends it as it was delivered (main/sync/run/delivered-numbers.ts).
      ALTER TABLE syncs ADD COLUMN number_columns TEXT;
    `);
  },
};
