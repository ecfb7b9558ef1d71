import type { Migration } from './migration';

export const m015ApiCallsByDestination: Migration = {
  version: 15,
  name: 'api calls by destination',
  up(db) {
    db.exec(`
      -- The Debugger's calls by destination: its destination filter, a test record's calls around a call, and a
      -- destination's rename, which renames its calls in the rename's transaction (without an index it read every
      -- call while it held the workspace's write lock).
      CREATE INDEX api_calls_by_destination ON api_calls (destination, id);
    `);
  },
};
