import type { Database } from 'better-sqlite3';
import { parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import { DestinationSchema } from '../../shared/config/destination';
import { ModelSchema, SourceSchema } from '../../shared/config/source';
import { SyncSchema } from '../../shared/config/sync';
import { TemplateTestConfigSchema } from '../../shared/config/template-tests';
import { applyTemplateTests, exportTemplateTests } from '../sync/template-tests';
import { SluiceError } from '../../shared/ipc/errors';
import type { CatalogStore } from '../catalog/catalog-store';
import { issuesFromZod } from '../ipc/dispatcher';

/**
 * Config as code: sources, models, destinations and syncs in one YAML file a team can review in git.
 * Secrets appear only as references ({ keychain: NAME } or { env: VAR }), never as values — the
 * schemas have nowhere to put one.
 */
export const ConfigFileSchema = z
  .object({
    version: z.literal(1),
    sources: z.array(SourceSchema).default([]),
    models: z.array(ModelSchema).default([]),
    destinations: z.array(DestinationSchema).default([]),
    syncs: z.array(SyncSchema).default([]),
    /** Rows with the JSON their payload must produce (issue 5). */
    templateTests: z.array(TemplateTestConfigSchema).optional(),
  })
  .strict();
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

/** With the database, the syncs' template tests are exported too. */
export function exportConfig(catalog: CatalogStore, db?: Database): string {
  const config: ConfigFile = {
    version: 1,
    sources: catalog.listSources(),
    models: catalog.listModels(),
    destinations: catalog.listDestinations(),
    syncs: catalog.listSyncs().map((s) => s.definition),
  };
  const templateTests = db ? exportTemplateTests(db) : [];
  if (templateTests.length) config.templateTests = templateTests;
  return `# Sluice configuration. Apply with: sluice apply -f FILE\n${stringify(config, { lineWidth: 0 })}`;
}

export interface ApplySummary {
  sources: number;
  models: number;
  destinations: number;
  syncs: number;
}

/** Validates the whole file first, then applies it in one transaction: all or nothing. */
export function applyConfig(db: Database, catalog: CatalogStore, text: string, fileName = 'the config file'): ApplySummary {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new SluiceError('invalid-input', `${fileName}${pos ? `, line ${pos.line}, column ${pos.col}` : ''}: ${e.message.split('\n')[0]}`);
  }
  const parsed = ConfigFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error).map((i) => {
      const node = doc.getIn(i.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), true) as { range?: [number, number] } | undefined;
      const line = node?.range ? text.slice(0, node.range[0]).split('\n').length : undefined;
      return { path: i.path, message: line ? `${i.message} (line ${line})` : i.message };
    });
    throw new SluiceError('invalid-input', `${fileName} is not a valid Sluice configuration`, issues);
  }
  const config = parsed.data;
  db.transaction(() => {
    for (const s of config.sources) catalog.putSource(s);
    for (const m of config.models) catalog.putModel(m);
    for (const d of config.destinations) catalog.putDestination(d);
    for (const s of config.syncs) catalog.putSync(s);
    applyTemplateTests(db, catalog, config.templateTests ?? []);
  })();
  return { sources: config.sources.length, models: config.models.length, destinations: config.destinations.length, syncs: config.syncs.length };
}
