import type { Migration } from './migration';

export const m004TemplateTests: Migration = {
  version: 4,
  name: 'template tests',
  up(db) {
    db.exec(`
      -- Template tests, per sync: a row (values kept as saved) and the JSON its payload must produce.
      CREATE TABLE template_tests (
        id         INTEGER PRIMARY KEY,
        sync_id    INTEGER NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
        key        TEXT NOT NULL,
        event      TEXT NOT NULL CHECK (event IN ('added', 'changed', 'removed')),
        row        TEXT NOT NULL,
        previous   TEXT,
        expected   TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (sync_id, key, event)
      ) STRICT;
    `);
  },
};
