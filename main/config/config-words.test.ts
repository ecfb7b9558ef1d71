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
});
