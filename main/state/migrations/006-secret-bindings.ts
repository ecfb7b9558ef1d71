import type { Migration } from './migration';

export const m006SecretBindings: Migration = {
  version: 6,
  name: 'secret bindings',
  up(db) {
    db.exec(`
      -- Which destination (and endpoint identity) each keychain secret belongs to (issue 12): see
      -- main/secrets/secret-bindings.ts. Holds no value. IF NOT EXISTS: a workspace opened by a build
      -- that created this table outside the migrations (same columns) already has it, and keeps its rows.
      CREATE TABLE IF NOT EXISTS secret_bindings (
        secret      TEXT PRIMARY KEY REFERENCES secret_refs(name) ON DELETE CASCADE,
        destination TEXT NOT NULL,
        identity    TEXT NOT NULL,   -- JSON EndpointIdentity
        bound_at    TEXT NOT NULL
      ) STRICT;
    `);
  },
};
