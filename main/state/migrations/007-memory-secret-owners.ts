import type { Migration } from './migration';

export const m007MemorySecretOwners: Migration = {
  version: 7,
  name: 'memory secret owners',
  up(db) {
    db.exec(`
      -- A secret kept in memory (no OS keychain) belongs to the process that holds its value: the
      -- engine's session id and the process id (main/secrets/memory-owner.ts). Another process using the
      -- workspace (the CLI while the app is open) must not drop or overwrite it, and drops only refs
      -- whose process is gone. NULL for keychain secrets, and for memory refs of earlier builds (their
      -- values died with the process that wrote them).
      ALTER TABLE secret_refs ADD COLUMN owner_session TEXT;
      ALTER TABLE secret_refs ADD COLUMN owner_pid INTEGER;
    `);
  },
};
