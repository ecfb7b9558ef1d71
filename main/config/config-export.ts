// `sluice export`: the workspace's configuration as one YAML file, as `sluice apply` reads it (secrets by reference only).
import type { Database } from 'better-sqlite3';
import type { Destination } from '../../shared/config/destination';
import type { Sync } from '../../shared/config/sync';
import type { CatalogStore } from '../catalog/catalog-store';
import { otherKindFields } from '../destinations/destination-problems';
import { exportTemplateTests } from '../sync/template-tests';
import type { ConfigFile } from './config-file';
import { stringifyEvenly } from './yaml-escapes';

/**
 * The syncs as they export: settings of another destination kind than the sync's (saved before `apply`
 * and the app refused them; its runs never read them) are left out, each with a note saying so.
 */
function exportedSyncs(catalog: CatalogStore, destinations: Destination[]): { syncs: Sync[]; notes: string[] } {
  const notes: string[] = [];
  const syncs = catalog.listSyncs().map(({ definition }, i) => {
    const d = destinations.find((x) => x.name === definition.destination);
    const sync = { ...definition };
    for (const { field, why } of d ? otherKindFields(d, definition) : []) {
      delete sync[field];
      notes.push(`# Left out syncs[${i}].${field} (saved before Sluice refused it; its runs ignored it): ${why.replace(/\s+/g, ' ')}.`);
    }
    return sync;
  });
  return { syncs, notes };
}

/** With the database, the syncs' template tests are exported too. */
export function exportConfig(catalog: CatalogStore, db?: Database): string {
  const destinations = catalog.listDestinations();
  const { syncs, notes } = exportedSyncs(catalog, destinations);
  const config: ConfigFile = { version: 1, sources: catalog.listSources(), models: catalog.listModels(), destinations, syncs };
  const templateTests = db ? exportTemplateTests(db) : [];
  if (templateTests.length) config.templateTests = templateTests;
  const header = ['# Sluice configuration. Apply with: sluice apply -f FILE', ...notes].join('\n');
  return `${header}\n${stringifyEvenly(config, { lineWidth: 0 })}`;
}
