import type { Migration } from './migration';

/** The tables whose every change is a catalog change, with the columns that define them (null: all). */
const CATALOG_TABLES: readonly (readonly [table: string, columns: string | null])[] = [
  ['sources', null],
  ['models', null],
  ['destinations', null],
  // Not `initialized`: a run sets it, and a run is not a catalog change.
  ['syncs', 'name, model, destination, definition'],
  ['template_tests', null],
];

export const m008CatalogRevision: Migration = {
  version: 8,
  name: 'catalog revision',
  up(db) {
    db.exec(`
      -- One counter that every change to the catalog moves, whichever connection or process made it
      -- (triggers below): an open engine polls it (with PRAGMA data_version, main/engine/catalog-watch.ts)
      -- to see what \`sluice apply\` changed, and tells its windows (the catalogChanged event).
      CREATE TABLE catalog_revision (
        id       INTEGER PRIMARY KEY CHECK (id = 1),
        revision INTEGER NOT NULL
      ) STRICT;
      INSERT INTO catalog_revision (id, revision) VALUES (1, 0);
    `);
    for (const [table, columns] of CATALOG_TABLES) {
      for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
        const on = event === 'UPDATE' && columns ? `UPDATE OF ${columns}` : event;
        db.exec(`CREATE TRIGGER ${table}_${event.toLowerCase()}_catalog_revision AFTER ${on} ON ${table}
          BEGIN UPDATE catalog_revision SET revision = revision + 1 WHERE id = 1; END;`);
      }
    }
  },
};
