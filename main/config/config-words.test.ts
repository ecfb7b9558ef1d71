// How `sluice apply` says a field of the wrong shape: in words, naming the field and its line.
import { afterEach, describe, expect, it } from 'vitest';
import type { SluiceError } from '../../shared/ipc/errors';
import { openTestEngine } from '../testing/engine';
import { applyConfig } from './config-file';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** The issues applying `yaml` (as x.yaml) to a fresh workspace is refused with; the workspace must stay empty. */
async function issuesOf(yaml: string): Promise<string[]> {
  const t = await openTestEngine();
  closers.push(t.close);
  let issues: string[] = [];
  try {
    applyConfig(t.engine.db, t.engine.catalog, yaml, 'x.yaml');
  } catch (err) {
    issues = ((err as SluiceError).issues ?? []).map((i) => `${i.path}: ${i.message}`);
  }
  expect(t.engine.catalog.listSources()).toEqual([]);
  expect(t.engine.catalog.listDestinations()).toEqual([]);
  return issues;
}

describe('sluice apply says a field of the wrong shape in words', () => {
  it("a kind, mode or mechanism that is none of its options, or left out, lists the options (it said zod's \"Invalid discriminator value. Expected 'sqlite' | …\")", async () => {
    const issues = await issuesOf(`version: 1
sources:
  - { kind: mysql, name: a, path: /data/a.db }
  - { name: b, path: /data/b.db }
destinations:
  - { kind: kinesis, name: k, stream: s, auth: { kind: iam } }
  - { kind: kafka, name: kf, brokers: ["h:9092"], auth: { mechanism: gssapi } }
syncs:
  - { name: s, model: m, destination: k, triggers: [added], payload: { mode: json, column: doc }, partitionKey: { kind: random } }
`);
    expect(issues).toEqual([
      'sources.0.kind: kind must be one of "sqlite", "csv", "ndjson", "duckdb", "postgres" (line 3)',
      'sources.1.kind: kind is required: one of "sqlite", "csv", "ndjson", "duckdb", "postgres" (line 4)',
      'destinations.0.auth.kind: kind must be one of "access-key", "default-chain", "assume-role" (line 6)',
      'destinations.1.auth.mechanism: mechanism must be one of "none", "plain", "scram-sha-256", "scram-sha-512", "aws" (line 7)',
      'syncs.0.payload.mode: mode must be one of "template", "json-column", "mapping" (line 9)',
      'syncs.0.partitionKey.kind: kind must be one of "primary-key", "column", "template", "message-id", "first-present" (line 9)',
    ]);
  });

  it('an environment variable name that is none says what one is (it said only "An environment variable name")', async () => {
    const auth = (env: string) => `{ kind: access-key, accessKeyId: AKIAEXAMPLE, secretAccessKey: { env: "${env}" } }`;
    const issues = await issuesOf(`version: 1
destinations:
  - { kind: kinesis, name: a, stream: s, auth: ${auth('MY-SECRET')} }
  - { kind: kinesis, name: b, stream: s, auth: ${auth('1KEY')} }
`);
    const words = 'An environment variable is named with letters, digits and _, not a digit first (like AWS_SECRET_ACCESS_KEY)';
    expect(issues).toEqual([`destinations.0.auth.secretAccessKey.env: ${words} (line 3)`, `destinations.1.auth.secretAccessKey.env: ${words} (line 4)`]);
  });

  it('an AWS endpoint that is no http:// or https:// URL is refused (localhost:4567 was taken, and every call went to port 80 as "Unknown: UnknownError")', async () => {
    const issues = await issuesOf(`version: 1
destinations:
  - { kind: kinesis, name: a, stream: s, endpoint: "localhost:4567", auth: { kind: default-chain } }
  - kind: firehose
    name: b
    deliveryStream: d
    endpoint: ftp://localhost:4567
    auth: { kind: assume-role, roleArn: "arn:aws:iam::123456789012:role/w", stsEndpoint: "sts:5000", base: { kind: default-chain } }
  - { kind: kinesis, name: c, stream: s, endpoint: "HTTP://LOCALHOST:4567/", region: local, auth: { kind: default-chain } }
`);
    const words = (service: string) =>
      `Give a URL that starts with http:// or https:// (like https://${service}.eu-west-1.amazonaws.com, or http://localhost:4566 for a local emulator)`;
    expect(issues).toEqual([
      `destinations.0.endpoint: ${words('kinesis')} (line 3)`,
      `destinations.1.endpoint: ${words('firehose')} (line 7)`,
      `destinations.1.auth.stsEndpoint: ${words('sts')} (line 8)`,
    ]);
  });

  it('a destination an earlier build saved with such an endpoint still lists, and other files still apply', async () => {
    const t = await openTestEngine({ seedDemo: false });
    closers.push(t.close);
    const old = { kind: 'kinesis', name: 'old', stream: 's', region: 'us-east-1', endpoint: 'localhost:4567', auth: { kind: 'default-chain' } };
    t.engine.db
      .prepare('INSERT INTO destinations (name, kind, definition, updated_at) VALUES (?, ?, ?, ?)')
      .run('old', 'kinesis', JSON.stringify(old), '2026-01-01');
    expect(t.engine.catalog.listDestinations()).toEqual([old]);
    applyConfig(t.engine.db, t.engine.catalog, 'version: 1\ndestinations:\n  - { kind: sandbox-kinesis, name: sb }\n', 'x.yaml');
    expect(t.engine.catalog.listDestinations().map((d) => d.name)).toEqual(['old', 'sb']);
  });

  it('a CSV delimiter of more or less than one character says so (it said "delimiter can have at most 1 characters", and "is required" for "")', async () => {
    const csv = (delimiter: string) => `{ kind: csv, name: c${delimiter.length}, path: /data/c.csv, delimiter: "${delimiter}" }`;
    const issues = await issuesOf(`version: 1\nsources:\n  - ${csv(';;')}\n  - ${csv('')}\n`);
    const words = 'A delimiter is one character, like ";" or a tab (in YAML, "\\t")';
    expect(issues).toEqual([`sources.0.delimiter: ${words} (line 3)`, `sources.1.delimiter: ${words} (line 4)`]);
  });

  it('a number or true/false where text belongs says to quote it (it said only "name must be text")', async () => {
    const issues = await issuesOf(`version: 1
sources:
  - { kind: csv, name: 2024, path: /data/c.csv }
models:
  - { name: m, source: s, primaryKey: [42] }
templateTests:
  - { sync: s, key: 7, row: "{}", expected: "{}" }
destinations:
  - { kind: kafka, name: k, brokers: ["h:9092"], topic: true }
`);
    expect(issues).toEqual([
      'sources.0.name: name must be text: put the value in quotes ("2024", not 2024) (line 3)',
      'models.0.primaryKey.0: primaryKey must be text: put the value in quotes ("42", not 42) (line 5)',
      'templateTests.0.key: key must be text: put the value in quotes ("7", not 7) (line 7)',
      'destinations.0.topic: topic must be text: put the value in quotes ("true", not true) (line 9)',
    ]);
  });

  it('a Kinesis stream or Firehose delivery stream name of characters AWS refuses is refused (it was applied, and every record failed)', async () => {
    const issues = await issuesOf(`version: 1
destinations:
  - { kind: kinesis, name: a, stream: "orders 2024", auth: { kind: default-chain } }
  - { kind: firehose, name: b, deliveryStream: "events/s3", auth: { kind: default-chain } }
  - { kind: kinesis, name: c, stream: "orders.v2_x-1", auth: { kind: default-chain } }
  - { kind: firehose, name: d, deliveryStream: "arn:aws:firehose:us-east-1:123456789012:deliverystream/e", auth: { kind: default-chain } }
`);
    expect(issues).toEqual([
      'destinations.0.stream: "orders 2024" is not a stream name: letters, digits, "_", "." and "-" (or the stream\'s ARN) (line 3)',
      'destinations.1.deliveryStream: "events/s3" is not a delivery stream name: letters, digits, "_", "." and "-" (or the delivery stream\'s ARN) (line 4)',
    ]);
    // One an earlier build saved so still lists.
    const t = await openTestEngine({ seedDemo: false });
    closers.push(t.close);
    const old = { kind: 'kinesis', name: 'old', stream: 'orders 2024', region: 'us-east-1', auth: { kind: 'default-chain' } };
    t.engine.db
      .prepare('INSERT INTO destinations (name, kind, definition, updated_at) VALUES (?, ?, ?, ?)')
      .run('old', 'kinesis', JSON.stringify(old), '2026-01-01');
    expect(t.engine.catalog.listDestinations()).toEqual([old]);
  });

  it('a mass-removal limit out of range says it is a percentage (it said "At most 100")', async () => {
    const sync = (n: number) =>
      `{ name: s${n}, model: m, destination: d, triggers: [removed], payload: { mode: json-column, column: doc }, maxRemovalPercent: ${n} }`;
    const issues = await issuesOf(`version: 1\nsyncs:\n  - ${sync(101)}\n  - ${sync(-1)}\n`);
    const words = 'A percentage from 0 to 100 (12.5 too; 100 turns the mass-removal guard off)';
    expect(issues).toEqual([`syncs.0.maxRemovalPercent: ${words} (line 3)`, `syncs.1.maxRemovalPercent: ${words} (line 4)`]);
  });

  it('takes YAML merge keys: a sync given another\'s fields with <<: *name (it said Unknown field "<<", and each field it gave was "required")', async () => {
    const t = await openTestEngine({ seedDemo: false });
    closers.push(t.close);
    applyConfig(
      t.engine.db,
      t.engine.catalog,
      `version: 1
sources:
  - { kind: csv, name: f, path: /data/people.csv }
models:
  - { name: people, source: f, primaryKey: [id] }
destinations:
  - { kind: sandbox-kinesis, name: sb }
syncs:
  - &base { name: a, model: people, destination: sb, triggers: [added], payload: { mode: template, template: '{"id": {{ row.id }}}' } }
  - <<: *base
    name: b
    triggers: [removed]
`,
      'x.yaml',
    );
    expect(t.engine.catalog.getSync('b').definition).toMatchObject({ name: 'b', model: 'people', destination: 'sb', triggers: ['removed'] });
  });

  it('an empty name is said once, as required (it was also said to break the pattern of a name)', async () => {
    const issues = await issuesOf('version: 1\nsources:\n  - { kind: csv, name: "", path: /data/c.csv }\n  - { kind: csv, name: "  ", path: /data/d.csv }\n');
    expect(issues).toEqual(['sources.0.name: A name is required (line 3)', 'sources.1.name: A name is required (line 4)']);
  });
});
