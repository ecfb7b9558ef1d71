import { afterEach, describe, expect, it } from 'vitest';
import type { SluiceError } from '../../shared/ipc/errors';
import { holdWriteLock } from '../testing/write-lock';
import { openTestEngine } from '../testing/engine';
import { applyConfig, exportConfig } from './config-file';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const CONFIG = `version: 1
sources:
  - { kind: sqlite, name: warehouse, path: /data/warehouse.sqlite }
models:
  - name: customers
    source: warehouse
    query: SELECT * FROM customers
    primaryKey: [id]
destinations:
  - kind: kinesis
    name: prod-stream
    stream: customers
    region: eu-west-1
    auth: { kind: access-key, accessKeyId: AKIAEXAMPLE, secretAccessKey: { keychain: prod-aws } }
syncs:
  - name: customers-to-kinesis
    model: customers
    destination: prod-stream
    triggers: [added, changed]
    payload: { mode: mapping, fields: [{ column: id, key: customer.id }, { column: email, key: customer.email }] }
`;

/** What applying `yaml` (as x.yaml) to the test engine's workspace throws (undefined if it applied). */
function applyError(t: Awaited<ReturnType<typeof openTestEngine>>, yaml: string): unknown {
  try {
    applyConfig(t.engine.db, t.engine.catalog, yaml, 'x.yaml');
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('config as code', () => {
  it('applies a file and exports the same configuration back, secrets by reference only', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    expect(applyConfig(t.engine.db, t.engine.catalog, CONFIG)).toEqual({
      sources: 1,
      models: 1,
      destinations: 1,
      syncs: 1,
      templateTests: 0,
      startedOver: [],
      changedModels: [],
    });
    const exported = exportConfig(t.engine.catalog);
    expect(exported).toContain('secretAccessKey:\n        keychain: prod-aws');
    const again = await openTestEngine();
    closers.push(again.close);
    applyConfig(again.engine.db, again.engine.catalog, exported);
    expect(exportConfig(again.engine.catalog)).toBe(exported);
    expect(again.engine.catalog.getSync('customers-to-kinesis').definition).toMatchObject({ initialSync: 'backfill', partitionKey: { kind: 'primary-key' } });
  });

  it('refuses a secret value where a reference belongs, naming the field and line, and applies nothing', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const bad = CONFIG.replace('{ keychain: prod-aws }', 'wJalrXUtnFEMI/K7MDENG');
    expect(() => applyConfig(t.engine.db, t.engine.catalog, bad, 'sluice.yaml')).toThrow('sluice.yaml is not a valid Sluice configuration');
    try {
      applyConfig(t.engine.db, t.engine.catalog, bad, 'sluice.yaml');
    } catch (err) {
      expect((err as { issues: { path: string; message: string }[] }).issues[0]).toMatchObject({
        path: 'destinations.0.auth.secretAccessKey',
        message: 'A secret is given by reference — { keychain: NAME } or { env: VARIABLE } — never as its value (line 14)',
      });
    }
    expect(t.engine.catalog.listSources()).toEqual([]);
  });

  it('says a file that is empty (or only comments), or holds one value or a list, is no configuration, and how one starts', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    for (const text of ['', '# nothing yet\n', '---\n'])
      expect(() => applyConfig(t.engine.db, t.engine.catalog, text, 'sluice.yaml')).toThrow(
        'sluice.yaml is empty: a configuration is a mapping that starts with "version: 1", then sources, models, destinations and syncs',
      );
    for (const text of ['version 1\n', '- version: 1\n'])
      expect(() => applyConfig(t.engine.db, t.engine.catalog, text, 'sluice.yaml')).toThrow(
        'sluice.yaml holds a single value or a list, not a Sluice configuration',
      );
  });

  it('refuses a primary-key column or a trigger named twice, naming the field and line, and applies nothing', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const bad = CONFIG.replace('triggers: [added, changed]', 'triggers: [added, changed, added]').replace(/primaryKey: \[id\]/, 'primaryKey: [id, id]');
    expect(bad).toContain('primaryKey: [id, id]');
    let issues: { path: string; message: string }[] = [];
    try {
      applyConfig(t.engine.db, t.engine.catalog, bad, 'sluice.yaml');
    } catch (err) {
      issues = (err as { issues: typeof issues }).issues;
    }
    expect(issues).toEqual([
      { path: 'models.0.primaryKey.1', message: expect.stringMatching(/^The column "id" is named twice in primaryKey: name each once \(line \d+\)$/) },
      { path: 'syncs.0.triggers.2', message: expect.stringMatching(/^The trigger "added" is named twice in triggers: name each once \(line \d+\)$/) },
    ]);
    expect(t.engine.catalog.listSources()).toEqual([]);
  });

  it('is all or nothing when a reference is wrong', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const bad = CONFIG.replace('destination: prod-stream', 'destination: prod-stram');
    expect(() => applyConfig(t.engine.db, t.engine.catalog, bad)).toThrow('There is no destination named "prod-stram" (there are: prod-stream)');
    expect(t.engine.catalog.listSources()).toEqual([]);
  });

  it('refuses a sync whose template does not parse, naming the sync, its line and the template’s own line and column, and applies nothing (it applied, and only the run failed)', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const payload = 'payload: { mode: mapping, fields: [{ column: id, key: customer.id }, { column: email, key: customer.email }] }';
    for (const [template, where, field] of [
      [
        'payload: { mode: template, template: "{\\"id\\": {{ row.id " }',
        /The payload template has an error at line 1, column \d+: /,
        'syncs.0.payload.template',
      ],
      [
        `${payload}\n    partitionKey: { kind: template, template: "{% if row.id %}x" }`,
        /The partition key template has an error/,
        'syncs.0.partitionKey.template',
      ],
      // Spaces and line breaks alone: the app's editor said the template is empty, while apply took it and every row of its runs was refused as not JSON.
      ['payload: { mode: template, template: " \\n  " }', /The template is empty: write the JSON each row is sent as/, 'syncs.0.payload.template'],
    ] as const) {
      const bad = CONFIG.replace(payload, template);
      expect(bad).not.toBe(CONFIG);
      expect(() => applyConfig(t.engine.db, t.engine.catalog, bad, 'sluice.yaml')).toThrow(
        new RegExp(`^sluice\\.yaml, syncs\\[0\\] \\(line 16\\): ${where.source}`),
      );
      // Its field as a YAML path, as the file's other errors name theirs.
      const issues = (() => {
        try {
          applyConfig(t.engine.db, t.engine.catalog, bad, 'sluice.yaml');
        } catch (err) {
          return (err as SluiceError).issues.map((i) => i.path);
        }
      })();
      expect(issues).toEqual([field]);
      expect(t.engine.catalog.listSources()).toEqual([]);
    }
  });

  it('refuses a destination every use of which would fail (a port past 65535, a topic or stream name the service refuses), naming each field, and applies nothing', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    for (const [destination, issues] of [
      ['{ kind: kafka, name: k, brokers: ["h:70000", "ok:9092"], topic: "bad topic/x" }', ['destinations.0.brokers.0', 'destinations.0.topic']],
      ['{ kind: sandbox-kinesis, name: sb, stream: "bad/stream name" }', ['destinations.0.stream']],
    ] as const) {
      const err = applyError(t, `version: 1\ndestinations:\n  - ${destination}\n`);
      expect((err as Error).message).toMatch(/^x\.yaml, destinations\[0\] \(line 3\): The destination "(k|sb)" cannot be used: /);
      expect((err as SluiceError).issues.map((i) => i.path)).toEqual(issues);
      expect(t.engine.catalog.listDestinations()).toEqual([]);
    }
  });

  it('points at the line of a YAML syntax error', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    expect(() => applyConfig(t.engine.db, t.engine.catalog, 'version: 1\nsources: [\n', 'x.yaml')).toThrow(/^x\.yaml, line \d+, column \d+: /);
    // A template test naming no sync says where it is (it said only "There is no sync named").
    expect(() =>
      applyConfig(t.engine.db, t.engine.catalog, 'version: 1\ntemplateTests:\n  - { sync: zz, key: "1", row: "{}", expected: "{}" }\n', 'x.yaml'),
    ).toThrow(/^x\.yaml, templateTests\[0\]\.sync \(line 3\): There is no sync named "zz"/);
    // Said once, first (it ended "…unique at line 3, column 39:").
    expect(() => applyConfig(t.engine.db, t.engine.catalog, 'version: 1\ndestinations:\n  - { kind: sandbox-kinesis, name: a, name: b }\n', 'x.yaml')).toThrow(
      /^x\.yaml, line 3, column 39: Map keys must be unique$/,
    );
  });

  it('refuses a CSV delimiter that could never read a row (a double quote, a line break), naming the field and line', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const yaml = "version: 1\nsources:\n  - { kind: csv, name: people, path: /tmp/people.csv, delimiter: '\"' }\n";
    const err = applyError(t, yaml);
    expect(err).toMatchObject({
      issues: [{ path: 'sources.0.delimiter', message: 'A delimiter cannot be a double quote or a line break: those quote fields and end rows (line 3)' }],
    });
    expect(t.engine.catalog.listSources()).toEqual([]);
  });

  it('refuses a relative file path, as the app does, naming the source and line, and applies nothing (it applied, and each run read the file from wherever it was started)', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const yaml = 'version: 1\nsources:\n  - { kind: sqlite, name: abs, path: /data/a.sqlite }\n  - { kind: csv, name: people, path: data/people.csv }\n';
    expect(() => applyConfig(t.engine.db, t.engine.catalog, yaml, 'x.yaml')).toThrow(
      'x.yaml, sources[1] (line 4): The path "data/people.csv" is relative: give the full path of the file (for example /home/you/data/people.csv)',
    );
    const duckdb = 'version: 1\nsources:\n  - { kind: duckdb, name: lake, database: mart.duckdb }\n';
    expect(() => applyConfig(t.engine.db, t.engine.catalog, duckdb, 'x.yaml')).toThrow(
      'x.yaml, sources[0] (line 3): The DuckDB database path "mart.duckdb" is relative',
    );
    expect(t.engine.catalog.listSources()).toEqual([]);
  });

  it('refuses a query on a CSV or NDJSON model, which reads the whole file (the query was kept and never run: every row was sent), naming the model and line', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const yaml = `version: 1
sources:
  - { kind: csv, name: people, path: /data/people.csv }
models:
  - { name: active, source: people, query: "SELECT * FROM people WHERE active = 1", primaryKey: [id] }
`;
    const err = applyError(t, yaml);
    expect(err).toMatchObject({
      message: expect.stringContaining(
        'x.yaml, models[0] (line 5): The model "active" is the whole csv file of its source "people": it takes no query, so this one would never run',
      ),
      issues: [{ path: 'models.0.query', message: expect.stringContaining('Remove query') }],
    });
    expect(t.engine.catalog.listSources()).toEqual([]);
  });

  it('says a number or value out of range in words, with the field\'s range and line (not zod\'s "Too big: expected number to be <=16")', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const yaml = 'version: 2\ndestinations:\n  - kind: sandbox-kinesis\n    name: sb\n    shards: 17\nsources:\n  - { kind: csv, name: p }\n';
    const err = applyError(t, yaml);
    expect(err).toMatchObject({
      message: 'x.yaml is not a valid Sluice configuration',
      issues: [
        { path: 'version', message: 'version must be 1 (line 1)' },
        { path: 'destinations.0.shards', message: 'shards must be a whole number from 1 to 16 (line 5)' },
        { path: 'sources.0.path', message: 'path is required (line 7)' },
      ],
    });
    expect(t.engine.catalog.listDestinations()).toEqual([]);
  });

  it('says a file of two YAML documents holds two, where the second starts, in its own words', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    expect(() => applyConfig(t.engine.db, t.engine.catalog, 'version: 1\n---\nversion: 1\n', 'x.yaml')).toThrow(
      'x.yaml, line 2, column 1: the file holds more than one YAML document (a line --- starts another): Sluice reads one, with every section in it',
    );
  });

  it('waits for another process that holds the write lock (a run writing its ledger), then applies', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    // Another process takes the write lock, writes and commits 1 s later.
    const holder = await holdWriteLock(t.engine.db.name, 1000);
    // Before: the apply read, then could not write once the other process had committed since ("database is locked" at once).
    expect(applyConfig(t.engine.db, t.engine.catalog, CONFIG)).toMatchObject({ syncs: 1 });
    expect(t.engine.catalog.findSync('customers-to-kinesis')).toBeDefined();
    await holder.done;
  });
});
