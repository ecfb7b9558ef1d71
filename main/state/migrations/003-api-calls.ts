import type { Migration } from './migration';

export const m003ApiCalls: Migration = {
  version: 3,
  name: 'api calls recorded for the debugger',
  up(db) {
    db.exec(`
      -- Every call Sluice made to a destination: summaries only (record data as a short preview),
      -- secrets redacted before they get here. Old calls are deleted by the retention setting.
      CREATE TABLE api_calls (
        id              INTEGER PRIMARY KEY,
        run_id          INTEGER,
        context         TEXT NOT NULL,
        destination     TEXT NOT NULL,
        service         TEXT NOT NULL,
        operation       TEXT NOT NULL,
        target          TEXT NOT NULL,
        status          TEXT NOT NULL,
        http_status     INTEGER,
        request_id      TEXT,
        started_at      TEXT NOT NULL,
        started_ms      INTEGER NOT NULL,
        duration_ms     REAL NOT NULL,
        attempt         INTEGER NOT NULL,
        request_bytes   INTEGER,
        response_bytes  INTEGER,
        record_count    INTEGER,
        failed_records  INTEGER NOT NULL DEFAULT 0,
        error_code      TEXT,
        error_message   TEXT,
        is_error        INTEGER NOT NULL,
        request         TEXT NOT NULL,
        response        TEXT NOT NULL,
        results         TEXT,
        transport       TEXT
      ) STRICT;
      CREATE INDEX api_calls_by_run ON api_calls (run_id, id);
      CREATE INDEX api_calls_by_time ON api_calls (started_ms);
      CREATE INDEX api_calls_errors ON api_calls (is_error, id);
      -- Covers the filter menus (one index scan, not the wide rows) and the operation filter.
      CREATE INDEX api_calls_facets ON api_calls (operation, status, destination, service);
    `);
  },
};
