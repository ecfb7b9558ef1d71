import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { CatalogStore } from '../catalog/catalog-store';
import { createDemoDatabase } from './demo-database';

export const DEMO = {
  source: 'Demo database',
  model: 'Customers',
  destination: 'Sandbox stream',
  sync: 'Customers to sandbox',
} as const;

export const DEMO_TEMPLATE = `{
  "id": {{ row.id }},
  "email": {{ row.email | json }},
  "name": {{ row.first_name | append: " " | append: row.last_name | strip | json }},
  "plan": {{ row.plan | json }},
  "city": {{ row.city | json }},
  "external_id": {{ row.external_id | json }},
  "event": {{ event | json }},
  "updated_at": {{ row.updated_at | json }}
}`;

/**
 * The user started this workspace without the demo (`--no-demo`): recorded as if offered, so no later
 * process (a `sluice` command) adds it to the workspace.
 */
export function declineDemo(db: Database): void {
  db.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES ('internal.demoSeeded', 'true')").run();
}

/**
 * On a workspace's first start: the demo database, and a source, model, sandbox destination and
 * sync that use it, so a new user can run a real sync at once. Done once; deleting them keeps them deleted.
 */
export function seedDemo(db: Database, catalog: CatalogStore, workspace: string): boolean {
  const seeded = db.prepare("SELECT 1 FROM settings WHERE key = 'internal.demoSeeded'").get();
  if (seeded) return false;
  const file = path.join(workspace, 'demo', 'sluice-demo.sqlite');
  if (!fs.existsSync(file)) createDemoDatabase(file);
  db.transaction(() => {
    catalog.putSource({ kind: 'sqlite', name: DEMO.source, path: file });
    catalog.putModel({
      name: DEMO.model,
      source: DEMO.source,
      query: 'SELECT id, email, first_name, last_name, city, plan, lifetime_value, external_id, attributes, created_at, updated_at\nFROM customers',
      primaryKey: ['id'],
    });
    catalog.putDestination({ kind: 'sandbox-kinesis', name: DEMO.destination, stream: 'sluice-sandbox', shards: 2 });
    catalog.putSync({
      name: DEMO.sync,
      model: DEMO.model,
      destination: DEMO.destination,
      triggers: ['added', 'changed', 'removed'],
      initialSync: 'backfill',
      payload: { mode: 'template', template: DEMO_TEMPLATE },
      partitionKey: { kind: 'primary-key' },
    });
    db.prepare("INSERT INTO settings (key, value) VALUES ('internal.demoSeeded', 'true')").run();
  })();
  return true;
}
