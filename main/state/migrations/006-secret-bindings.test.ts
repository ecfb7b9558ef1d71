import { describe, expect, it } from 'vitest';
import type { EndpointIdentity } from '../../secrets/endpoint-identity';
import { SecretBindings } from '../../secrets/secret-bindings';
import { tempWorkspace } from '../../testing/temp';
import { currentSchemaVersion, openDatabase } from '../database';
import { MIGRATIONS } from './index';
import { closeAfterEach } from '../../testing/lifecycle';

// Migration 006: the secret_bindings table (issue 12) comes from a numbered migration, so a workspace
// at schema version 5 gets it once, in a transaction, recorded in schema_migrations.

const cleanups = closeAfterEach();
function workspace(): string {
  const ws = tempWorkspace();
  cleanups.push(ws.cleanup);
  return ws.dir;
}

const BEFORE_006 = MIGRATIONS.filter((m) => m.version <= 5);
const UP_TO_006 = MIGRATIONS.filter((m) => m.version <= 6);
const IDENTITY: EndpointIdentity = { kind: 'kafka', brokers: ['broker-a:9092'], tls: false };

function version5(dir: string, extra?: (db: ReturnType<typeof openDatabase>) => void): void {
  const db = openDatabase(dir, BEFORE_006);
  expect(currentSchemaVersion(db)).toBe(5);
  db.prepare("INSERT INTO secret_refs (name, backend, account, created_at, updated_at) VALUES ('kafka/prod', 'os', 'ws/kafka/prod', 'x', 'x')").run();
  extra?.(db);
  db.close();
}

describe('migration 006: secret bindings', () => {
  it('a workspace at version 5 migrates to 6: the table is there, recorded, and binds, reads and cascades', () => {
    const dir = workspace();
    version5(dir, (db) => {
      // Not made on the side any more: before the migration, the table does not exist.
      expect(() => new SecretBindings(db).get('kafka/prod')).toThrow(/no such table: secret_bindings/);
    });

    const db = openDatabase(dir, UP_TO_006);
    cleanups.push(() => db.close());
    expect(currentSchemaVersion(db)).toBe(6);
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    expect(db.prepare('SELECT version, name FROM schema_migrations WHERE version = 6').get()).toEqual({ version: 6, name: 'secret bindings' });

    const bindings = new SecretBindings(db);
    expect(bindings.bindIfUnbound('kafka/prod', 'prod-kafka', IDENTITY)).toBe(true);
    expect(bindings.bindIfUnbound('kafka/prod', 'other', { kind: 'sandbox' })).toBe(false);
    expect(bindings.bindIfUnbound('no-such-secret', 'prod-kafka', IDENTITY)).toBe(false);
    expect(bindings.get('kafka/prod')).toMatchObject({ secret: 'kafka/prod', destination: 'prod-kafka', identity: IDENTITY });
    // Deleting the secret's reference ends its binding (foreign key, ON DELETE CASCADE).
    db.prepare("DELETE FROM secret_refs WHERE name = 'kafka/prod'").run();
    expect(bindings.get('kafka/prod')).toBeUndefined();
  });

  it('a version-5 workspace that already has the table (made outside the migrations by an earlier build) keeps its bindings', () => {
    const dir = workspace();
    version5(dir, (db) => {
      db.exec(`CREATE TABLE secret_bindings (
        secret      TEXT PRIMARY KEY REFERENCES secret_refs(name) ON DELETE CASCADE,
        destination TEXT NOT NULL,
        identity    TEXT NOT NULL,
        bound_at    TEXT NOT NULL
      ) STRICT`);
      db.prepare("INSERT INTO secret_bindings VALUES ('kafka/prod', 'prod-kafka', ?, '2025-01-01T00:00:00.000Z')").run(JSON.stringify(IDENTITY));
    });

    const db = openDatabase(dir, UP_TO_006);
    cleanups.push(() => db.close());
    expect(currentSchemaVersion(db)).toBe(6);
    expect(new SecretBindings(db).get('kafka/prod')).toEqual({
      secret: 'kafka/prod',
      destination: 'prod-kafka',
      identity: IDENTITY,
      boundAt: '2025-01-01T00:00:00.000Z',
    });
  });
});
