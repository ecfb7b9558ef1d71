import type { Migration } from './migration';

export const m002CatalogSnapshotRunsLedger: Migration = {
  version: 2,
  name: 'catalog, snapshot, runs and ledger',
  up(db) {
    db.exec(`
      -- The catalog: one JSON definition per object (validated by shared/config schemas).
      -- Destination definitions hold secret references only, never values.
      CREATE TABLE sources (
        name       TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        definition TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE models (
        name       TEXT PRIMARY KEY,
        source     TEXT NOT NULL REFERENCES sources(name) ON UPDATE CASCADE,
        definition TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE destinations (
        name       TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        definition TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE syncs (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL UNIQUE,
        model         TEXT NOT NULL REFERENCES models(name) ON UPDATE CASCADE,
        destination   TEXT NOT NULL REFERENCES destinations(name) ON UPDATE CASCADE,
        definition    TEXT NOT NULL,
        -- 1 once the snapshot holds the model as first seen (backfilled or baselined).
        initialized   INTEGER NOT NULL DEFAULT 0,
        updated_at    TEXT NOT NULL
      ) STRICT;

      -- What was last delivered, per sync and row key: the row's values as JSON, which is also
      -- what the next run compares (byte for byte, inside SQLite). Advances only when the
      -- destination acknowledged the record (or, for unselected events, when the run records it).
      CREATE TABLE snapshot (
        sync_id      INTEGER NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
        key          TEXT NOT NULL,
        row          TEXT NOT NULL,
        delivered_at TEXT NOT NULL,
        PRIMARY KEY (sync_id, key)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE runs (
        id          INTEGER PRIMARY KEY,
        sync_id     INTEGER NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
        status      TEXT NOT NULL,
        dry_run     INTEGER NOT NULL,
        phase       TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        counts      TEXT NOT NULL,
        to_send     INTEGER NOT NULL DEFAULT 0,
        error       TEXT,
        -- The process running it: a run whose process is gone was interrupted.
        pid         INTEGER
      ) STRICT;
      CREATE INDEX runs_by_sync ON runs (sync_id, id DESC);

      -- One row per record per run: what was sent, where it landed, or why not.
      CREATE TABLE ledger (
        id               INTEGER PRIMARY KEY,
        run_id           INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        sync_id          INTEGER NOT NULL,
        key              TEXT NOT NULL,
        event            TEXT NOT NULL,
        status           TEXT NOT NULL,
        attempts         INTEGER NOT NULL,
        partition_key    TEXT,
        -- Where it landed: Kinesis shard + sequence number, Firehose record id, or Kafka topic/partition/offset.
        shard_id         TEXT,
        sequence_number  TEXT,
        record_id        TEXT,
        topic            TEXT,
        kafka_partition  INTEGER,
        kafka_offset     TEXT,
        error_code       TEXT,
        error_message    TEXT,
        data             BLOB,
        bytes            INTEGER NOT NULL,
        first_attempt_at TEXT,
        last_attempt_at  TEXT
      ) STRICT;
      CREATE INDEX ledger_by_run ON ledger (run_id, status);
      CREATE INDEX ledger_by_key ON ledger (sync_id, key);

      -- Rows a run could not send at all: null or duplicated keys, render errors, oversize records.
      CREATE TABLE run_rejects (
        run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        reason     TEXT NOT NULL,
        key        TEXT,
        row_number INTEGER,
        detail     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX run_rejects_by_run ON run_rejects (run_id);
    `);
  },
};
