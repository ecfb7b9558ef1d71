import { openDatabase } from '../state/database';
import { PgOutbox } from '../sync/in-database/pg-outbox';
import { tempWorkspace } from './temp';

/** Catalog rows for one sync (id 1) of an in-database model, as SQL: what an outbox's entries hang off. */
export const IN_DATABASE_SYNC_ROWS = `INSERT INTO sources (name, kind, definition, updated_at) VALUES ('pg', 'postgres', '{}', 'x');
  INSERT INTO models (name, source, definition, updated_at) VALUES ('m', 'pg', '{"diff":"in-database"}', 'x');
  INSERT INTO destinations (name, kind, definition, updated_at) VALUES ('d', 'kafka', '{}', 'x');
  INSERT INTO syncs (name, model, destination, definition, updated_at) VALUES ('s', 'm', 'd', '{}', 'x');`;

/** The outbox of sync 1 (of an in-database model) in a fresh workspace's database; `cleanup` closes and removes it. */
export function freshOutbox(): { outbox: PgOutbox; cleanup(): void } {
  const ws = tempWorkspace();
  const db = openDatabase(ws.dir);
  db.exec(IN_DATABASE_SYNC_ROWS);
  return {
    outbox: new PgOutbox(db, 1),
    cleanup: () => {
      db.close();
      ws.cleanup();
    },
  };
}
