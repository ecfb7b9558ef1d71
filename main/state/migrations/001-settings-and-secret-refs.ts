import { randomUUID } from 'node:crypto';
import type { Migration } from './migration';

export const m001SettingsAndSecretRefs: Migration = {
  version: 1,
  name: 'settings and secret references',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL            -- JSON
      ) STRICT;

      -- Only a reference: the value lives in the OS keychain (or, without one, in memory).
      CREATE TABLE secret_refs (
        name       TEXT PRIMARY KEY,
        backend    TEXT NOT NULL CHECK (backend IN ('os', 'memory')),
        account    TEXT NOT NULL UNIQUE, -- keychain account: <workspace id>/<name>
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE workspace (
        id         TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
    `);
    db.prepare('INSERT INTO workspace (id, created_at) VALUES (?, ?)').run(randomUUID(), new Date().toISOString());
  },
};
