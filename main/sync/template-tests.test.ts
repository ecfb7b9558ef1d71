import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { TemplateTestRun } from '../../shared/config/template-tests';
import { applyConfig, exportConfig } from '../config/config-file';
import { packageRoot } from '../paths';
import { callChannelOrThrowWire, failure } from '../testing/call-channel';
import { openTestEngine, trusted } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';

// Template tests: rows saved with the JSON they must produce, run through the IPC contract and from
// `sluice template test SYNC` on a real workspace.

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});
const bin = path.join(packageRoot(), 'bin', 'sluice.cjs');

async function setup() {
  const t = await openTestEngine();
  closers.push(t.close);
  const { file, db } = createPeopleDb(t.dir, 10);
  db.close();
  const { engine } = t;
  engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name, score FROM people', primaryKey: ['id'] });
  engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox' });
  engine.catalog.putSync({
    name: 'people-sync',
    model: 'people',
    destination: 'sandbox',
    triggers: ['added'],
    payload: { mode: 'template', template: '{"id": {{ row.id }}, "name": {{ row.name | json }}, "event": {{ event | json }}}' },
  });
  const call = async (channel: string, input: unknown) => {
    const r = await engine.dispatcher.dispatch(channel as never, input as never, trusted);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as unknown;
  };
  return { ...t, call };
}

describe('template tests', () => {
  it('keeps integers past 2^53 exactly as the user wrote them, and compares them digit by digit', async () => {
    const { call, engine } = await setup();
    const big = (n: string) => ({ mode: 'template', template: `{"id": {{ row.id }}, "big": ${n}, "name": {{ row.name | json }}}` });
    engine.catalog.putSync({ name: 'people-sync', model: 'people', destination: 'sandbox', triggers: ['added'], payload: big('9007199254740993') });
    await call('saveTemplateTest', { sync: 'people-sync', key: '3', expected: '{\n  "id": 3,\n  "big": 9007199254740993,\n  "name": "person 3"\n}' });
    const [saved] = (await call('listTemplateTests', { sync: 'people-sync' })) as { expected: string }[];
    expect(saved!.expected).toBe('{"id":3,"big":9007199254740993,"name":"person 3"}');

    const same = (await call('runTemplateTests', { sync: 'people-sync' })) as TemplateTestRun;
    expect(same).toMatchObject({ passed: 1, failed: 0 });
    expect(same.results[0]!.expected).toContain('"big": 9007199254740993');

    const off = (await call('runTemplateTests', { sync: 'people-sync', payload: big('9007199254740992') })) as TemplateTestRun;
    expect(off).toMatchObject({ passed: 0, failed: 1 });
    expect(off.results[0]!.differences).toEqual([{ path: '$.big', expected: '9007199254740993', actual: '9007199254740992' }]);
    expect(off.results[0]!.actual).toContain('"big": 9007199254740992');
  });

  it('a saved case passes, then fails with a path-by-path diff once the template changes; a bad key or JSON is refused', async () => {
    const { call } = await setup();
    await call('saveTemplateTest', { sync: 'people-sync', key: '3', expected: '{"id":3,"name":"person 3","event":"added"}' });
    await call('saveTemplateTest', { sync: 'people-sync', key: '4', event: 'removed', expected: '{"id":4,"name":"person 4","event":"removed"}' });
    expect(await call('listTemplateTests', { sync: 'people-sync' })).toHaveLength(2);
    const ok = (await call('runTemplateTests', { sync: 'people-sync' })) as TemplateTestRun;
    expect(ok).toMatchObject({ passed: 2, failed: 0 });

    // Key order does not matter; values do.
    const draft = { mode: 'template', template: '{"event": {{ event | json }}, "id": {{ row.id }}, "name": {{ row.name | upcase | json }}, "extra": 1}' };
    const bad = (await call('runTemplateTests', { sync: 'people-sync', payload: draft })) as TemplateTestRun;
    expect(bad).toMatchObject({ passed: 0, failed: 2 });
    expect(bad.results[0]!.differences).toEqual([
      { path: '$.name', expected: '"person 3"', actual: '"PERSON 3"' },
      { path: '$.extra', expected: null, actual: '1' },
    ]);
    const invalid = (await call('runTemplateTests', {
      sync: 'people-sync',
      payload: { mode: 'template', template: '{"id": {{ row.nope }}' },
    })) as TemplateTestRun;
    expect(invalid.results[0]!.error).toContain('The template output is not valid JSON');
    const unparsable = (await call('runTemplateTests', { sync: 'people-sync', payload: { mode: 'template', template: '{% if %}' } })) as TemplateTestRun;
    expect(unparsable).toMatchObject({ failed: 2, problem: expect.stringContaining('The payload template has an error at line 1') });

    await expect(call('saveTemplateTest', { sync: 'people-sync', key: '999', expected: '{}' })).rejects.toThrow('The model "people" has no row with key 999');
    await expect(call('saveTemplateTest', { sync: 'people-sync', key: '1', expected: '{"a":' })).rejects.toThrow('The expected output is not JSON');
  });

  it('sluice apply refuses a key over 1,024 characters and an expected JSON over 262,144, as the app refuses to save them, in the same words', async () => {
    const { engine } = await setup();
    const refusal = async (input: { key: string; expected: string }) =>
      (await failure(callChannelOrThrowWire(engine, 'saveTemplateTest', { sync: 'people-sync', ...input }))).issues?.map((i) => i.message).join('; ');
    const apply = (input: { key: string; expected: string }) => {
      const yaml = stringify({ version: 1, templateTests: [{ sync: 'people-sync', row: '{"id": 1}', ...input }] });
      try {
        applyConfig(engine.db, engine.catalog, yaml, 'x.yaml');
      } catch (err) {
        return (err as Error & { issues?: { message: string }[] }).issues?.map((i) => i.message).join('; ');
      }
      return 'applied';
    };
    const longKey = { key: 'k'.repeat(1025), expected: '{"id": 1}' };
    const longExpected = { key: '1', expected: `{"pad": "${'x'.repeat(262_144)}"}` };
    expect(await refusal(longKey)).toContain('A row key can be at most 1024 characters');
    expect(apply(longKey)).toMatch(/^A row key can be at most 1024 characters \(line \d+\)$/);
    expect(await refusal(longExpected)).toContain('The expected JSON can be at most 262144 characters');
    expect(apply(longExpected)).toMatch(/^The expected JSON can be at most 262144 characters \(line \d+\)$/);
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM template_tests').get()).toEqual({ n: 0 });
    // At the limits, both take them.
    expect(apply({ key: 'k'.repeat(1024), expected: `{"p": "${'x'.repeat(262_144 - 10)}"}` })).toBe('applied');
  });

  it('config as code carries the template tests: export, apply to a fresh workspace, and they run there', async () => {
    const { engine, call } = await setup();
    await call('saveTemplateTest', { sync: 'people-sync', key: '5', expected: '{"id":5,"name":"person 5","event":"added"}' });
    const yaml = exportConfig(engine.catalog, engine.db);
    expect(yaml).toContain('templateTests:');
    expect(exportConfig(engine.catalog)).not.toContain('templateTests');
    const other = await openTestEngine();
    closers.push(other.close);
    applyConfig(other.engine.db, other.engine.catalog, yaml);
    const r = await other.engine.dispatcher.dispatch('runTemplateTests', { sync: 'people-sync' }, trusted);
    expect(r.ok && r.value).toMatchObject({ passed: 1, failed: 0, results: [{ key: '5' }] });
    // A case's JSON is checked with the rest of the file: the field and its line, nothing applied.
    const issuesOf = (edit: (c: { row: string; expected: string }) => void) => {
      const bad = parse(yaml) as { templateTests: { row: string; expected: string }[] };
      edit(bad.templateTests[0]!);
      try {
        applyConfig(other.engine.db, other.engine.catalog, stringify(bad));
      } catch (err) {
        return (err as { issues?: { path: string; message: string }[] }).issues;
      }
      return undefined;
    };
    expect(issuesOf((c) => (c.expected = '{not json'))).toEqual([
      { path: 'templateTests.0.expected', message: expect.stringMatching(/^Not JSON: .* \(line \d+\)$/) },
    ]);
    expect(issuesOf((c) => (c.row = 'not json'))).toEqual([{ path: 'templateTests.0.row', message: expect.stringMatching(/^Not JSON: .* \(line \d+\)$/) }]);
    expect(issuesOf((c) => (c.row = '[1, 2]'))).toEqual([
      { path: 'templateTests.0.row', message: expect.stringMatching(/^Not a JSON object of column values, e.g. \{"id": 1\} \(line \d+\)$/) },
    ]);
  });

  it("a hand-written case's row is read as a run reads rows: an integer past 2^53 keeps its digits (it was rounded), and | json writes it as a run sends it", async () => {
    const { engine, call } = await setup();
    const template = '{"id": {{ row.id }}, "big": {{ row.big }}, "asJson": {{ row.big | json }}}';
    engine.catalog.putSync({ name: 'people-sync', model: 'people', destination: 'sandbox', triggers: ['added'], payload: { mode: 'template', template } });
    await call('saveTemplateTest', { sync: 'people-sync', key: '5', expected: '{"id":5,"big":1,"asJson":1}' });
    const doc = parse(exportConfig(engine.catalog, engine.db)) as { templateTests: { row: string; expected: string }[] };
    doc.templateTests[0]!.row = '{"id": 5, "big": 9007199254740995}';
    doc.templateTests[0]!.expected = '{"id": 5, "big": 9007199254740995, "asJson": "9007199254740995"}';
    applyConfig(engine.db, engine.catalog, stringify(doc));
    const run = (await call('runTemplateTests', { sync: 'people-sync' })) as TemplateTestRun;
    expect(run.results[0]!.actual).toContain('"big": 9007199254740995');
    expect(run).toMatchObject({ passed: 1, failed: 0 });
  });

  it('sluice template test SYNC exits 0 when all pass, 1 with the diff printed when one fails, and --json gives the results', async () => {
    const { engine, dir, call } = await setup();
    await call('saveTemplateTest', { sync: 'people-sync', key: '2', expected: '{"id":2,"name":"person 2","event":"added"}' });
    engine.close();
    const sluice = (args: string[]) => spawnSync(process.execPath, [bin, '--workspace', dir, ...args], { encoding: 'utf8' });
    const pass = sluice(['template', 'test', 'people-sync']);
    expect(pass.stdout).toContain('✓ key 2 (added)');
    expect(pass.stdout).toContain('1 passed, 0 failed');
    expect(pass.status).toBe(0);

    const { Engine } = await import('../engine/engine');
    const again = await Engine.open({ workspace: dir, runtime: 'browser-host', seedDemo: false });
    const def = again.catalog.getSync('people-sync').definition;
    again.catalog.putSync({ ...def, payload: { mode: 'template', template: '{"id": {{ row.id }}, "name": {{ row.name | json }}, "event": "upsert"}' } });
    again.close();
    const fail = sluice(['template', 'test', 'people-sync']);
    expect(fail.status).toBe(1);
    expect(fail.stdout).toContain('✗ key 2 (added)');
    expect(fail.stdout).toContain('    - $.event: "added"\n    + $.event: "upsert"');
    expect(fail.stdout).toContain('0 passed, 1 failed');
    const json = sluice(['template', 'test', 'people-sync', '--json']);
    expect(json.status).toBe(1);
    expect((JSON.parse(json.stdout) as TemplateTestRun).results[0]).toMatchObject({ key: '2', passed: false, differences: [{ path: '$.event' }] });
  });

  it("a removed row's case on a Kafka sync sending tombstones expects the tombstone (null), as the run sends it, not the payload", async () => {
    const { engine, dir, call } = await setup();
    engine.catalog.putDestination({ kind: 'kafka', name: 'bus', brokers: ['127.0.0.1:9'], topic: 'people' });
    const def = engine.catalog.putSync({
      ...engine.catalog.getSync('people-sync').definition,
      destination: 'bus',
      triggers: ['added', 'removed'],
      kafka: { key: { kind: 'primary-key' }, headers: [], tombstones: true },
    }).definition;
    // The preview's "Save as test case" on a tombstone saves null; one saved before tombstones, its payload.
    await call('saveTemplateTest', { sync: 'people-sync', key: '4', event: 'removed', expected: 'null' });
    await call('saveTemplateTest', { sync: 'people-sync', key: '5', event: 'removed', expected: '{"id":5,"name":"person 5","event":"removed"}' });
    await call('saveTemplateTest', { sync: 'people-sync', key: '3', expected: '{"id":3,"name":"person 3","event":"added"}' });
    const run = (await call('runTemplateTests', { sync: 'people-sync' })) as TemplateTestRun;
    const byKey = (r: TemplateTestRun, key: string) => r.results.find((x) => x.key === key)!;
    // Before: key 4 failed, its actual the payload rendered for the removed row, which the run never sends; key 5 passed.
    expect(byKey(run, '4')).toMatchObject({ passed: true, tombstone: true, actual: 'null', error: null });
    expect(byKey(run, '5')).toMatchObject({ passed: false, tombstone: true, actual: 'null', differences: [{ path: '$', actual: 'null' }] });
    expect(byKey(run, '5').error).toContain('The sync sends removed rows as Kafka tombstones (no value), not its payload');
    expect(byKey(run, '3')).toMatchObject({ passed: true, actual: expect.stringContaining('"event": "added"') as string });
    expect(byKey(run, '3').tombstone).toBeUndefined();

    engine.close();
    const cli = spawnSync(process.execPath, [bin, '--workspace', dir, 'template', 'test', 'people-sync'], { encoding: 'utf8' });
    expect(cli.stdout).toContain('✓ key 4 (removed, a tombstone: no value)');
    expect(cli.stdout).toContain('✗ key 5 (removed, a tombstone: no value)');
    expect(cli.stdout).toContain('2 passed, 1 failed');

    // Tombstones off: a removed row sends its payload again, and the cases are judged by it.
    const { Engine } = await import('../engine/engine');
    const again = await Engine.open({ workspace: dir, runtime: 'browser-host', seedDemo: false });
    closers.push(() => again.close());
    again.catalog.putSync({ ...def, kafka: { ...def.kafka!, tombstones: false } });
    const off = (await again.dispatcher.dispatch('runTemplateTests', { sync: 'people-sync' }, trusted)) as { ok: true; value: TemplateTestRun };
    expect(byKey(off.value, '4')).toMatchObject({ passed: false });
    expect(byKey(off.value, '5')).toMatchObject({ passed: true });
  });
});
