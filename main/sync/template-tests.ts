import type { Database } from 'better-sqlite3';
import {
  SaveTemplateTestSchema,
  RunTemplateTestsSchema,
  type TemplateTestCase,
  type TemplateTestConfig,
  type TemplateTestResult,
  type TemplateTestRun,
} from '../../shared/config/template-tests';
import type { CatalogStore } from '../catalog/catalog-store';
import type { Sync, SyncEvent } from '../../shared/config/sync';
import { SluiceError } from '../../shared/ipc/errors';
import { minifyJson } from '../../shared/json/minify';
import { jsonDifferences } from '../../shared/payload/json-diff';
import { parseLossless, stringifyLossless } from '../../shared/json/lossless';
import type { z } from 'zod';
import type { EngineServices } from '../engine/services';
import { engineKind } from '../destinations/kinds/registry';
import { PayloadRenderer, RenderError } from './payload-renderer';
import { pickRows } from './row-picker';
import { losslessRow } from '../sources/values';

interface CaseRow {
  id: number;
  sync: string;
  key: string;
  event: SyncEvent;
  row: string;
  previous: string | null;
  expected: string;
  created_at: string;
}

const toCase = (r: CaseRow): TemplateTestCase => ({
  id: r.id,
  sync: r.sync,
  key: r.key,
  event: r.event,
  row: r.row,
  previous: r.previous,
  expected: r.expected,
  createdAt: r.created_at,
});

/** Finds one row of the model by its key (the same key text a run uses). */
/** Saves (or replaces) the case for a row and event; the row's current values are kept with it. */
export async function saveTemplateTest(engine: EngineServices, input: z.input<typeof SaveTemplateTestSchema>): Promise<TemplateTestCase> {
  const req = SaveTemplateTestSchema.parse(input);
  const sync = engine.catalog.getSync(req.sync);
  try {
    JSON.parse(req.expected);
  } catch (err) {
    throw new SluiceError('invalid-input', `The expected output is not JSON: ${(err as Error).message}`, [{ path: 'expected', message: 'Not JSON' }]);
  }
  const model = engine.catalog.getModel(sync.definition.model);
  const row = (await pickRows(engine, model.name, { mode: 'key', key: req.key }, model.primaryKey))[0]?.row;
  if (!row) throw new SluiceError('not-found', `The model "${sync.definition.model}" has no row with key ${req.key}`);
  let previous: string | null = null;
  if (req.event !== 'added') {
    const delivered = engine.db.prepare('SELECT row FROM snapshot WHERE sync_id = ? AND key = ?').get(sync.id, req.key) as { row: string } | undefined;
    previous = delivered?.row ?? JSON.stringify(row);
  }
  const rowJson = req.event === 'removed' && previous ? previous : JSON.stringify(row);
  // The user's text as written, minus whitespace: big integers keep every digit.
  const expected = minifyJson(req.expected);
  engine.db
    .prepare(
      `INSERT INTO template_tests (sync_id, key, event, row, previous, expected, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
              ON CONFLICT(sync_id, key, event) DO UPDATE SET row = excluded.row, previous = excluded.previous, expected = excluded.expected, created_at = excluded.created_at`,
    )
    .run(sync.id, req.key, req.event, rowJson, previous, expected, new Date().toISOString());
  return listTemplateTests(engine, req.sync).find((c) => c.key === req.key && c.event === req.event)!;
}

export function listTemplateTests(engine: EngineServices, syncName: string): TemplateTestCase[] {
  const sync = engine.catalog.getSync(syncName);
  const rows = engine.db
    .prepare(
      'SELECT t.id, s.name AS sync, t.key, t.event, t.row, t.previous, t.expected, t.created_at FROM template_tests t JOIN syncs s ON s.id = t.sync_id WHERE t.sync_id = ? ORDER BY t.id',
    )
    .all(sync.id) as CaseRow[];
  return rows.map(toCase);
}

export function deleteTemplateTest(engine: EngineServices, id: number): boolean {
  return engine.db.prepare('DELETE FROM template_tests WHERE id = ?').run(id).changes > 0;
}

/** Renders every case with the sync's payload (or an unsaved one) and compares with the expected JSON. */
export function runTemplateTests(engine: EngineServices, input: z.input<typeof RunTemplateTestsSchema>): TemplateTestRun {
  const req = RunTemplateTestsSchema.parse(input);
  const def = engine.catalog.getSync(req.sync).definition;
  const cases = listTemplateTests(engine, req.sync);
  let renderer: PayloadRenderer;
  try {
    renderer = new PayloadRenderer(req.payload ?? def.payload, { kind: 'primary-key' });
  } catch (err) {
    // A template that does not parse, or mapping keys that can never be sent: every case fails, saying why.
    if (err instanceof SluiceError && err.code === 'invalid-input')
      // a TemplateError is one
      return { sync: req.sync, passed: 0, failed: cases.length, results: [], problem: err.message };
    throw err;
  }
  const tombstones = sendsTombstones(engine, def);
  const results = cases.map((c): TemplateTestResult => {
    const base = { id: c.id, key: c.key, event: c.event, expected: stringifyLossless(parseLossless(c.expected), 2) };
    if (c.event === 'removed' && tombstones) return tombstoneResult(base, c.expected);
    const ctx = {
      key: c.key,
      event: c.event,
      // As a run reads rows: integers past 2^53 as their exact digits (JSON.parse rounded them).
      row: losslessRow(c.row),
      previous: c.previous === null ? null : losslessRow(c.previous),
      run: { id: 0, sync: req.sync, startedAt: c.createdAt },
    };
    try {
      const json = renderer.renderJson(ctx);
      const differences = jsonDifferences(c.expected, json);
      return { ...base, passed: differences.length === 0, actual: stringifyLossless(parseLossless(json), 2), error: null, differences };
    } catch (err) {
      if (!(err instanceof RenderError)) throw err;
      return { ...base, passed: false, actual: null, error: err.message, differences: [] };
    }
  });
  const passed = results.filter((r) => r.passed).length;
  return { sync: req.sync, passed, failed: results.length - passed, results, problem: null };
}

/** Whether the sync's removed rows go as Kafka tombstones (no value), as its runs send them: its destination takes Kafka settings, and they say so. */
function sendsTombstones(engine: EngineServices, def: Sync): boolean {
  if (def.kafka?.tombstones !== true) return false;
  const destination = engine.catalog.getDestination(def.destination);
  return engineKind(destination.kind).syncSettings.fields.includes('kafka');
}

/** A removed row's case on a sync sending tombstones: what is sent is no value, which the case must expect as null. */
function tombstoneResult(base: Pick<TemplateTestResult, 'id' | 'key' | 'event' | 'expected'>, expected: string): TemplateTestResult {
  const differences = jsonDifferences(expected, 'null');
  const passed = differences.length === 0;
  const error = passed
    ? null
    : "The sync sends removed rows as Kafka tombstones (no value), not its payload: a removed row's case expects null (save it again from the preview, or turn tombstones off)";
  return { ...base, passed, actual: 'null', tombstone: true, error, differences };
}

/** Every sync's template tests, for config as code. */
export function exportTemplateTests(db: Database): TemplateTestConfig[] {
  const rows = db
    .prepare(
      'SELECT s.name AS sync, t.key, t.event, t.row, t.previous, t.expected FROM template_tests t JOIN syncs s ON s.id = t.sync_id ORDER BY s.name, t.id',
    )
    .all() as TemplateTestConfig[];
  return rows.map((r) => ({ sync: r.sync, key: r.key, event: r.event, row: r.row, previous: r.previous, expected: r.expected }));
}

/** Upserts template tests from config as code; call inside the apply transaction, after the syncs. */
export function applyTemplateTests(db: Database, catalog: CatalogStore, cases: readonly TemplateTestConfig[]): void {
  const upsert = db.prepare(`INSERT INTO template_tests (sync_id, key, event, row, previous, expected, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                             ON CONFLICT(sync_id, key, event) DO UPDATE SET row = excluded.row, previous = excluded.previous, expected = excluded.expected`);
  // (Their JSON was checked with the rest of the file: TemplateTestConfigSchema.)
  cases.forEach((c) => {
    upsert.run(catalog.getSync(c.sync).id, c.key, c.event, c.row, c.previous, c.expected, new Date().toISOString());
  });
}
