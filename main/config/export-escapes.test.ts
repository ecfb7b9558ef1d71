// `sluice export` of values holding characters YAML readers disagree on: NEXT LINE (U+0085), LINE and PARAGRAPH
// SEPARATOR (U+2028, U+2029), DEL and C1 controls, U+FFFE. Written raw, Sluice read them back, but PyYAML (a YAML
// 1.1 reader) read a space for U+0085 and refused or cut the others: each is now an escape every reader reads alike.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestEngine } from '../testing/engine';
import { applyConfig, exportConfig } from './config-file';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const QUERY = "SELECT id, 'a\u0085b' AS nel, 'c\u2028d\u2029e' AS seps FROM customers";
const TEMPLATE = '{"id": {{ row.id }}, "note": "x\u0085y\u007f\u0090\ufffe"}';
const HEADER = 'from\u2028sluice';
const ROW = '{"id": 1, "note": "line\u2028break"}';

/** What PyYAML reads of `text`, as JSON; null without python3 and PyYAML. */
function pyyaml(text: string): unknown {
  if (spawnSync('python3', ['-c', 'import yaml']).status !== 0) return null;
  const read = spawnSync('python3', ['-c', 'import json, sys, yaml; sys.stdout.write(json.dumps(yaml.safe_load(sys.stdin.read())))'], {
    input: text,
    encoding: 'utf8',
  });
  expect(read.stderr).toBe('');
  return JSON.parse(read.stdout) as unknown;
}

describe('export of characters YAML readers disagree on', () => {
  it('escapes them (\\N, \\L, \\P, \\xXX, \\uXXXX), so Sluice and PyYAML read back the same strings', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    // The file as JSON (YAML takes it), its strings escaped: what goes in is beyond doubt.
    const file = JSON.stringify({
      version: 1,
      sources: [{ kind: 'sqlite', name: 'warehouse', path: '/data/warehouse.sqlite' }],
      models: [{ name: 'customers', source: 'warehouse', query: QUERY, primaryKey: ['id'] }],
      destinations: [{ kind: 'kafka', name: 'bus', brokers: ['kafka.internal:9092'], topic: 'customers' }],
      syncs: [
        {
          name: 'to-bus',
          model: 'customers',
          destination: 'bus',
          triggers: ['added'],
          payload: { mode: 'template', template: TEMPLATE },
          kafka: { headers: [{ name: 'source', value: HEADER }] },
        },
      ],
      templateTests: [{ sync: 'to-bus', key: '1', row: ROW, expected: '{"id": 1}' }],
    });
    applyConfig(t.engine.db, t.engine.catalog, file);
    const exported = exportConfig(t.engine.catalog, t.engine.db);

    // Before: written raw (U+2028 in a plain scalar, U+0085 inside double quotes).
    expect(exported).not.toMatch(/[\u007f-\u009f\u2028\u2029\ufffe]/);
    expect(exported).toContain(String.raw`query: "SELECT id, 'a\Nb' AS nel, 'c\Ld\Pe' AS seps FROM customers"`);
    expect(exported).toContain(String.raw`template: "{\"id\": {{ row.id }}, \"note\": \"x\Ny\x7f\x90\ufffe\"}"`);
    expect(exported).toContain(String.raw`value: "from\Lsluice"`);

    // Sluice reads back what it wrote.
    const again = await openTestEngine();
    closers.push(again.close);
    applyConfig(again.engine.db, again.engine.catalog, exported);
    expect(again.engine.catalog.getModel('customers').query).toBe(QUERY);
    expect(again.engine.catalog.getSync('to-bus').definition).toEqual(t.engine.catalog.getSync('to-bus').definition);
    expect(exportConfig(again.engine.catalog, again.engine.db)).toBe(exported);

    // So does PyYAML (where python3 has it): before, "a b" for a\u0085b, and "while scanning a simple key" for U+2028.
    const read = pyyaml(exported) as {
      models: { query: string }[];
      syncs: { payload: { template: string }; kafka: { headers: { value: string }[] } }[];
      templateTests: { row: string }[];
    } | null;
    if (read === null) return;
    expect(read.models[0]!.query).toBe(QUERY);
    expect(read.syncs[0]!.payload.template).toBe(TEMPLATE);
    expect(read.syncs[0]!.kafka.headers[0]!.value).toBe(HEADER);
    expect(read.templateTests[0]!.row).toBe(ROW);
  });
});
