// `sluice apply` on configuration files with mistakes in them, as a user runs it (a separate process):
// each problem is printed with its path in the YAML and its line, a name used twice is refused naming
// both places, and nothing of a refused file is applied.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../paths';
import { tempWorkspace } from '../testing/temp';

const bin = path.join(packageRoot(), 'bin', 'sluice.cjs');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function sluice(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A fresh workspace and a config file in it; `lineOf(text)` is the 1-based line of the first line containing text. */
function workspaceWith(config: string) {
  const ws = tempWorkspace('sluice-config-faults-');
  cleanups.push(ws.cleanup);
  const file = path.join(ws.dir, 'sluice.yaml');
  fs.writeFileSync(file, config);
  const lines = config.split('\n');
  const lineOf = (text: string) => {
    const i = lines.findIndex((l) => l.includes(text));
    if (i < 0) throw new Error(`no line contains ${text}`);
    return i + 1;
  };
  return { dir: ws.dir, file, lineOf };
}

const HEAD = `version: 1
sources:
  - { kind: sqlite, name: warehouse, path: /data/warehouse.sqlite }
models:
  - { name: customers, source: warehouse, query: "SELECT * FROM customers", primaryKey: [id] }
destinations:
  - kind: kinesis
    name: prod
    stream: customers
    region: eu-west-1
    auth: { kind: access-key, accessKeyId: AKIAEXAMPLE, secretAccessKey: { keychain: prod-aws } }
`;

async function syncNames(dir: string): Promise<string[]> {
  const list = await sluice(['--workspace', dir, 'sync', 'list', '--json']);
  expect(list.status).toBe(0);
  return (JSON.parse(list.stdout) as { sync: { name: string } }[]).map((s) => s.sync.name);
}

describe('sluice apply: a file with mistakes', () => {
  it('prints every problem with its YAML path and line, exits 1 and applies nothing', async () => {
    const config = `${HEAD}syncs:
  - name: customers-to-kinesis
    model: customers
    destination: prod
    triggers: [added]
    payload:
      mode: template
    colour: blue
  - name: second
    model: customers
    destination: prod
    triggers: [added]
    payload: { mode: template, template: '{}' }
    partitionKey: { kind: column }
`;
    const w = workspaceWith(config.replace('{ keychain: prod-aws }', 'wJalrXUtnFEMI/K7MDENG'));
    const out = await sluice(['--workspace', w.dir, 'apply', '-f', w.file]);
    expect(out.status).toBe(1);
    const lines = out.stderr.trim().split('\n');
    expect(lines[0]).toBe(`sluice: ${w.file} is not a valid Sluice configuration:`);
    // In file order, each with the line of the field, or of the object that lacks it.
    expect(lines.slice(1)).toEqual([
      `  destinations[0].auth.secretAccessKey: A secret is given by reference — { keychain: NAME } or { env: VARIABLE } — never as its value (line ${w.lineOf('secretAccessKey')})`,
      `  syncs[0].payload.template: template is required (line ${w.lineOf('mode: template')})`,
      `  syncs[0].colour: Unknown field "colour" (line ${w.lineOf('colour: blue')})`,
      `  syncs[1].partitionKey.column: column is required (line ${w.lineOf('partitionKey: { kind: column }')})`,
    ]);
    expect(await syncNames(w.dir)).not.toContain('second');
  }, 60_000);

  it('refuses two syncs, or two destinations, of one name, naming both places, and applies nothing', async () => {
    const config = `${HEAD}  - kind: kinesis
    name: prod
    stream: orders
    region: eu-west-1
    auth: { kind: access-key, accessKeyId: AKIAEXAMPLE, secretAccessKey: { keychain: prod-aws } }
syncs:
  - { name: nightly, model: customers, destination: prod, triggers: [added], payload: { mode: template, template: '{"a": 1}' } }
  - { name: other, model: customers, destination: prod, triggers: [added], payload: { mode: template, template: '{"b": 2}' } }
  - { name: nightly, model: customers, destination: prod, triggers: [changed], payload: { mode: template, template: '{"c": 3}' } }
`;
    const w = workspaceWith(config);
    const out = await sluice(['--workspace', w.dir, 'apply', '-f', w.file]);
    expect(out.status).toBe(1);
    const firstProd = w.lineOf('name: prod');
    const secondProd = config.split('\n').findIndex((l, i) => i + 1 > firstProd && l.includes('name: prod')) + 1;
    const firstNightly = w.lineOf('name: nightly');
    const secondNightly = w.lineOf('{"c": 3}');
    expect(out.stderr).toContain(
      `  destinations[1].name: The destination name "prod" is also used by destinations[0] (line ${firstProd}): two destinations cannot share a name — rename one (line ${secondProd})`,
    );
    expect(out.stderr).toContain(
      `  syncs[2].name: The sync name "nightly" is also used by syncs[0] (line ${firstNightly}): two syncs cannot share a name — rename one (line ${secondNightly})`,
    );
    expect(out.stderr).not.toContain('syncs[1]');
    expect(await syncNames(w.dir)).not.toContain('nightly');
  }, 60_000);

  it('says where a name refers to nothing', async () => {
    const config = `${HEAD}syncs:
  - name: customers-to-kinesis
    model: customers
    destination: prod-stram
    triggers: [added]
    payload: { mode: template, template: '{}' }
`;
    const w = workspaceWith(config);
    const out = await sluice(['--workspace', w.dir, 'apply', '-f', w.file]);
    expect(out.status).toBe(1);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toContain(
      `sluice: ${w.file}, syncs[0].destination (line ${w.lineOf('destination: prod-stram')}): There is no destination named "prod-stram" (there are: `,
    );
    expect(await syncNames(w.dir)).not.toContain('customers-to-kinesis');
  }, 60_000);

  it('refuses Kafka settings on a sync to a Kinesis stream, naming the field, the destination and its kind, and applies nothing', async () => {
    const config = `${HEAD}syncs:
  - name: customers-to-kinesis
    model: customers
    destination: prod
    triggers: [added]
    payload: { mode: template, template: '{}' }
    kafka: { key: { kind: column, column: email } }
`;
    const w = workspaceWith(config);
    const out = await sluice(['--workspace', w.dir, 'apply', '-f', w.file]);
    expect(out.status).toBe(1);
    expect(out.stderr.trim().split('\n')).toEqual([
      `sluice: ${w.file}, syncs[0] (line ${w.lineOf('name: customers-to-kinesis')}): The sync "customers-to-kinesis" has settings that do not apply to its destination "prod" (Kinesis stream customers):`,
      '  syncs[0].kafka: Kafka settings are for Kafka destinations, and "prod" is Kinesis stream customers: its runs would ignore this field. Remove it (the settings of its kind: explicitHashKey)',
    ]);
    expect(await syncNames(w.dir)).not.toContain('customers-to-kinesis');
  }, 60_000);

  it('explains a file it cannot read, and exits 1', async () => {
    const w = workspaceWith(HEAD);
    const missing = path.join(w.dir, 'nope.yaml');
    const out = await sluice(['--workspace', w.dir, 'apply', '-f', missing]);
    expect(out.status).toBe(1);
    expect(out.stderr.trim()).toBe(`sluice: Cannot read ${missing}: no such file or folder`);
  }, 60_000);
  it('refuses a YAML alias bomb in plain words, quickly, and applies nothing', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [prev, next] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['f', 'g'],
    ])
      levels.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    const w = workspaceWith(`version: 1\n${levels.join('\n')}\n`);
    const out = await sluice(['--workspace', w.dir, 'apply', '-f', w.file]);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('its aliases (*name) expand to too much data');
    expect(out.stderr).not.toContain('unexpected error');
  }, 60_000);
});

describe('sluice apply: a good file', () => {
  it('says what it applied, each count with its own noun, template tests included', async () => {
    const config = `version: 1
sources:
  - { kind: sqlite, name: warehouse, path: /data/warehouse.sqlite }
models:
  - { name: customers, source: warehouse, query: "SELECT * FROM customers", primaryKey: [id] }
destinations:
  - { kind: kafka, name: events, brokers: ["127.0.0.1:9092"], topic: customers }
syncs:
  - name: customers-to-kafka
    model: customers
    destination: events
    triggers: [added]
    payload: { mode: template, template: '{"id": {{ row.id }}}' }
templateTests:
  - { sync: customers-to-kafka, key: "1", row: '{"id": 1}', expected: '{"id": 1}' }
  - { sync: customers-to-kafka, key: "2", row: '{"id": 2}', expected: '{"id": 2}' }
`;
    const w = workspaceWith(config);
    const out = await sluice(['--workspace', w.dir, 'apply', '-f', w.file]);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe(`Applied ${w.file}: 1 source, 1 model, 1 destination, 1 sync, 2 template tests.\n`);
  }, 60_000);
});
