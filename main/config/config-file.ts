import type { Database } from 'better-sqlite3';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { DestinationSchema, type Destination } from '../../shared/config/destination';
import { ModelSchema, SourceSchema } from '../../shared/config/source';
import { SyncSchema } from '../../shared/config/sync';
import { TemplateTestConfigSchema } from '../../shared/config/template-tests';
import { applyTemplateTests } from '../sync/template-tests';
import { SluiceError } from '../../shared/ipc/errors';
import { zodWords } from '../../shared/zod-words';
import type { CatalogStore } from '../catalog/catalog-store';
import { SecretBindings, assertBoundSecrets } from '../secrets/secret-bindings';
import { putSourceChecked } from '../sources/secret-scope';
import { parseSyncTemplates } from '../sync/sync-templates';
import { assertTombstonesKeyed } from '../sync/tombstone-key';
import { assertSyncFitsDestination, assertUsableDestination, otherKindFields } from '../destinations/destination-problems';
import { AppliedTargets } from '../destinations/destination-target';
import { engineKind } from '../destinations/kinds/registry';
import { lineOf, toParts, toPath, yamlPath, type PathPart } from './config-paths';

export { yamlPath } from './config-paths';

export { exportConfig } from './config-export';

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

export interface ApplySummary {
  sources: number;
  models: number;
  destinations: number;
  syncs: number;
  templateTests: number;
  /** Syncs that start over: pointed at another model or destination, or their destination or own topic now points at another stream or topic. */
  startedOver: string[];
  /** Models of the file that were there before and are saved otherwise now (`sluice apply` checks their syncs' columns). */
  changedModels: string[];
}

/** Refuses a destination whose stored syncs hold settings of another kind than its own (its kind changed under them), naming every such sync. */
function assertStoredSyncsFit(catalog: CatalogStore, d: Destination): void {
  const misfits = catalog
    .syncsOf(d.name)
    .map(({ definition }) => ({ name: definition.name, fields: otherKindFields(d, definition).map((m) => m.field) }))
    .filter((m) => m.fields.length > 0);
  if (misfits.length === 0) return;
  const where = `"${d.name}" as it is now (${engineKind(d.kind).label(d as never)})`;
  const settings = (fields: string[]) => `${fields.join(' and ')} settings`;
  const [first] = misfits;
  throw new SluiceError(
    'invalid-input',
    misfits.length === 1
      ? `The sync "${first!.name}" keeps ${settings(first!.fields)}, which do not apply to ${where}: remove them from that sync in this file too`
      : `The syncs ${misfits.map((m) => `"${m.name}" (${settings(m.fields)})`).join(', ')} keep settings that do not apply to ${where}: remove them from those syncs in this file too`,
  );
}

type YamlDocument = ReturnType<typeof parseDocument>;

const SECTIONS = [
  { key: 'sources', one: 'source' },
  { key: 'models', one: 'model' },
  { key: 'destinations', one: 'destination' },
  { key: 'syncs', one: 'sync' },
] as const;

/** The schema's issues, one per unknown key (each on its own line), with zod's path. */
function schemaIssues(error: z.ZodError): { parts: PathPart[]; message: string }[] {
  return error.issues.flatMap((issue) => {
    const parts = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ parts: [...parts, key], message: `Unknown field "${key}"` }));
    return [{ parts, message: issue.message }];
  });
}

/** Two sources, models, destinations or syncs of one name: applying would keep only the last, so both are named. */
function duplicateNameIssues(raw: unknown, line: (parts: PathPart[]) => number | undefined): { parts: PathPart[]; message: string }[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const issues: { parts: PathPart[]; message: string }[] = [];
  for (const { key, one } of SECTIONS) {
    const list = (raw as Record<string, unknown>)[key];
    if (!Array.isArray(list)) continue;
    const first = new Map<string, number>();
    list.forEach((item: unknown, i) => {
      const name = typeof item === 'object' && item !== null ? (item as { name?: unknown }).name : undefined;
      if (typeof name !== 'string' || name.trim() === '') return;
      const earlier = first.get(name.trim());
      if (earlier === undefined) return void first.set(name.trim(), i);
      const at = line([key, earlier, 'name']);
      issues.push({
        parts: [key, i, 'name'],
        message: `The ${one} name "${name.trim()}" is also used by ${key}[${earlier}]${at ? ` (line ${at})` : ''}: two ${key} cannot share a name — rename one`,
      });
    });
  }
  return issues;
}

/** Lists that name a thing once each: a model's primary-key columns, a sync's triggers (a second mention changes nothing, so it is a slip). */
const ONCE_EACH = [
  { key: 'models', field: 'primaryKey', what: 'column' },
  { key: 'syncs', field: 'triggers', what: 'trigger' },
] as const;

/** A name said twice in a list of ONCE_EACH, on the second mention. */
function repeatedInListIssues(raw: unknown): { parts: PathPart[]; message: string }[] {
  const issues: { parts: PathPart[]; message: string }[] = [];
  for (const { key, field, what } of ONCE_EACH) {
    const list = (raw as Record<string, unknown>)[key];
    if (!Array.isArray(list)) continue;
    list.forEach((item: unknown, i) => {
      const values = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[field] : undefined;
      if (!Array.isArray(values)) return;
      values.forEach((v: unknown, j) => {
        if (typeof v === 'string' && values.indexOf(v) < j)
          issues.push({ parts: [key, i, field, j], message: `The ${what} "${v}" is named twice in ${field}: name each once` });
      });
    });
  }
  return issues;
}

/** "There is no destination named …" from the catalog, on the field that names it. */
function referencePath(section: string, index: number, item: object, err: SluiceError): PathPart[] {
  const kind = /^There is no (\w+) named/.exec(err.message)?.[1];
  return kind && kind in item ? [section, index, kind] : [section, index];
}

const MAX_ALIAS_USES = 100;

/** The document as plain data. YAML aliases (`*name`) that would expand past a small bound are refused (an "alias bomb"). */
function toPlainData(doc: YamlDocument, fileName: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_USES });
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      throw new SluiceError(
        'invalid-input',
        `${fileName}: its aliases (*name) expand to too much data; Sluice follows at most ${MAX_ALIAS_USES} alias uses per anchor. Write the repeated values out, or use fewer aliases`,
      );
    }
    throw err;
  }
}

/** Asked before an apply: a function that says which of the file's models were stored before and are saved otherwise now. */
function modelChanges(catalog: CatalogStore, models: { name: string }[]): () => string[] {
  const stored = new Map(catalog.listModels().map((m) => [m.name, JSON.stringify(m)]));
  return () => models.map((m) => m.name).filter((n) => stored.has(n) && stored.get(n) !== JSON.stringify(catalog.getModel(n)));
}

/** Validates the whole file first, then applies it in one transaction: all or nothing. */
export function applyConfig(db: Database, catalog: CatalogStore, text: string, fileName = 'the config file'): ApplySummary {
  return checkConfig(db, catalog, text, fileName).write();
}

/** A file read and checked whole, nothing written yet: `write` applies it in one transaction (all or nothing). */
export interface CheckedConfig {
  config: ConfigFile;
  /** A refusal of the file's `section[index]` (a model's query, say), said where it is in the file. */
  refusal(section: string, index: number, err: SluiceError): SluiceError;
  write(): ApplySummary;
}

/** Parses and validates the whole file, writing nothing (`sluice apply` can stop before `write`, Ctrl-C, with nothing applied). */
export function checkConfig(db: Database, catalog: CatalogStore, text: string, fileName = 'the config file'): CheckedConfig {
  // `merge`: a mapping may take another's fields with `<<: *name` (it was refused as an unknown field "<<", each field it gave "required").
  const doc = parseDocument(text, { prettyErrors: true, merge: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    const what =
      e.code === 'MULTIPLE_DOCS'
        ? 'the file holds more than one YAML document (a line --- starts another): Sluice reads one, with every section in it'
        : e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''); // the place is said first (it ended "…at line 3, column 39:")
    throw new SluiceError('invalid-input', `${fileName}${pos ? `, line ${pos.line}, column ${pos.col}` : ''}: ${what}`);
  }
  const line = (parts: PathPart[]) => lineOf(doc, text, parts);
  const raw = toPlainData(doc, fileName);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new SluiceError(
      'invalid-input',
      `${fileName} ${raw === null || raw === undefined ? 'is empty' : 'holds a single value or a list, not a Sluice configuration'}: a configuration is a mapping that starts with "version: 1", then sources, models, destinations and syncs (see README's YAML reference; \`sluice export\` writes one)`,
    );
  // Zod's own words ("Too big: expected number to be <=16") in a config author's: "shards must be …".
  const parsed = ConfigFileSchema.safeParse(raw, { error: zodWords });
  const found = [...(parsed.success ? [] : schemaIssues(parsed.error)), ...duplicateNameIssues(raw, line), ...repeatedInListIssues(raw)]
    .map((i) => ({ ...i, line: i.parts.length ? line(i.parts) : undefined }))
    .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  if (!parsed.success || found.length > 0) {
    const issues = found.map((i) => ({ path: toPath(i.parts), message: i.line ? `${i.message} (line ${i.line})` : i.message }));
    throw new SluiceError('invalid-input', `${fileName} is not a valid Sluice configuration`, issues);
  }
  const config = parsed.data;
  return {
    config,
    refusal: (section, index, err) => refusalInFile(fileName, line, section, index, err),
    write: () => writeConfig(db, catalog, config, putter(fileName, line)),
  };
}

type Put = <T extends object>(section: string, items: T[], save: (item: T) => void) => void;

/** Saves each item of a section; a catalog refusal (a name that refers to nothing) says where in the file it is. */
function putter(fileName: string, line: (parts: PathPart[]) => number | undefined): Put {
  return (section, items, save) =>
    items.forEach((item, i) => {
      try {
        save(item);
      } catch (err) {
        if (!(err instanceof SluiceError)) throw err;
        throw refusalInFile(fileName, line, section, i, err, referencePath(section, i, item, err));
      }
    });
}

/** A refusal of the file's `section[index]`, said where it is in the file (`parts`: the place it names, else the item). */
function refusalInFile(
  fileName: string,
  line: (parts: PathPart[]) => number | undefined,
  section: string,
  index: number,
  err: SluiceError,
  parts: PathPart[] = [section, index],
): SluiceError {
  const at = line(parts);
  const issues = err.issues.map((issue) => ({ ...issue, path: toPath([section, index, ...toParts(issue.path)]) }));
  return new SluiceError(err.code, `${fileName}, ${yamlPath(toPath(parts))}${at ? ` (line ${at})` : ''}: ${err.message}`, issues);
}

/** The checked file, in one transaction. */
function writeConfig(db: Database, catalog: CatalogStore, config: ConfigFile, put: Put): ApplySummary {
  let summary = { startedOver: [] as string[], changedModels: [] as string[] };
  const changedModels = modelChanges(catalog, config.models);
  db.transaction(() => {
    // A secret bound to another destination's endpoints is refused as the wizard refuses it (issue 12);
    // a source's password, if it belongs to a destination or another server; else it is bound to the source.
    const bindings = new SecretBindings(db);
    put('sources', config.sources, (s) => putSourceChecked(catalog, bindings, s));
    put('models', config.models, (m) => catalog.putModel(m));
    const targets = new AppliedTargets(catalog, config.syncs); // which syncs start over
    put('destinations', config.destinations, (d) => {
      assertBoundSecrets(d, bindings);
      assertUsableDestination(d);
      targets.putDestination(d);
    });
    put('syncs', config.syncs, (s) => {
      const definition = targets.putSync(s);
      const destination = catalog.getDestination(definition.destination);
      // No settings of another destination kind (its runs would ignore them), and its templates parse, as the
      // app's editor checks them before saving (a run would stop at the first).
      assertSyncFitsDestination(destination, definition);
      parseSyncTemplates(destination, definition);
      assertTombstonesKeyed(definition);
    });
    // A destination of another kind leaves no stored sync with settings of the old kind (the file's own syncs were checked above).
    put('destinations', config.destinations, (d) => assertStoredSyncsFit(catalog, catalog.getDestination(d.name)));
    put('templateTests', config.templateTests ?? [], (c) => applyTemplateTests(db, catalog, [c])); // one naming no sync says where it is
    // IMMEDIATE: the write lock taken first, waited for as the busy timeout says. A transaction that read
    // first could not become a writer once another process had written since (a run's ledger, every few
    // milliseconds): "database is locked" at once.
    summary = { startedOver: targets.startedOver, changedModels: changedModels() };
  }).immediate();
  return {
    ...summary,
    sources: config.sources.length,
    models: config.models.length,
    destinations: config.destinations.length,
    syncs: config.syncs.length,
    templateTests: config.templateTests?.length ?? 0,
  };
}
