// What the app's views offer, on the command line (issue 17): `sluice routing` (the payload editor's
// routing preview), `sluice debugger export` (the Debugger's export), `sluice diagnostics` (Settings'
// export) and `sluice sync run --progress ndjson`. Each runs as a user runs it: a separate process on
// a workspace whose syncs send to the built-in sandbox stream.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../shared/config/sync';
import type { RoutingPreview } from '../../shared/routing/routing-preview';
import { Engine } from '../engine/engine';
import { packageRoot, packageVersion } from '../paths';
import { createPeopleDb } from '../testing/model-db';
import { tempWorkspace } from '../testing/temp';

const bin = path.join(packageRoot(), 'bin', 'sluice.cjs');

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function sluice(args: string[], input?: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** No error output may carry a stack trace. */
function expectNoStack(r: Result): void {
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain('node:internal');
}

const ROWS = 3000;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.splice(0).forEach((c) => c()));

/** A workspace with a model of `rows` people and a sandbox destination of four shards; `syncs` are template → JSON. */
async function workspace(rows: number, syncs: Record<string, { template: string; partitionKey?: string }>): Promise<string> {
  const ws = tempWorkspace('sluice-cli-parity-');
  cleanups.push(ws.cleanup);
  const { file, db } = createPeopleDb(ws.dir, rows);
  db.close();
  const engine = await Engine.open({ workspace: ws.dir, runtime: 'browser-host', seedDemo: false });
  try {
    engine.catalog.putSource({ kind: 'sqlite', name: 'people-db', path: file });
    engine.catalog.putModel({ name: 'people', source: 'people-db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 'cli-parity', shards: 4 });
    for (const [name, s] of Object.entries(syncs)) {
      engine.catalog.putSync({
        name,
        model: 'people',
        destination: 'sandbox',
        triggers: ['added', 'changed', 'removed'],
        payload: { mode: 'template', template: s.template },
        ...(s.partitionKey ? { partitionKey: { kind: 'template', template: s.partitionKey } } : {}),
      });
    }
  } finally {
    await engine.shutdown();
  }
  return ws.dir;
}

const JSON_ROW = '{"id": {{ row.id }}}';

describe('sluice routing SYNC', () => {
  let dir: string;
  const w = (...args: string[]) => ['--workspace', dir, ...args];
  beforeAll(async () => {
    dir = await workspace(ROWS, {
      'even-sync': { template: JSON_ROW },
      // Every row past 100 has the partition key "hot": one shard takes nearly all of them.
      'hot-sync': { template: JSON_ROW, partitionKey: '{% if row.id > 100 %}hot{% else %}{{ row.id }}{% endif %}' },
    });
  }, 60_000);

  it('prints the shards, a histogram of a 2,000-row sample and where the first rows go', async () => {
    const out = await sluice(w('routing', 'even-sync'));
    expectNoStack(out);
    expect(out.status).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines[0]).toBe('Routing preview of "even-sync" (sandbox-kinesis)');
    expect(lines.filter((l) => /^ {2}shardId-00000000000\d: hash keys \d+ – \d+$/.test(l))).toHaveLength(4);
    expect(out.stdout).toContain('\n2,000 of 3,000 rows sampled\n');
    expect(out.stdout).toMatch(/^shard +records +share +even share +bytes$/m);
    const bars = lines.map((l) => /^(shardId-\d+) +([\d,]+) +(\d+\.\d)% +25\.0% +[\d.]+ (?:B|KiB) +█+$/.exec(l)).filter((m) => m !== null);
    expect(bars.map((m) => m[1])).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003']);
    expect(bars.reduce((n, m) => n + Number(m[2]!.replace(/,/g, '')), 0)).toBe(2000);
    expect(out.stdout).not.toContain('warning:');
    expect(out.stdout).toMatch(/^key +shard +partition key \/ hash$/m);
    expect(lines.filter((l) => /^\d +shardId-\d+ +\d$/.test(l)).map((l) => l.split(/ +/)[0])).toEqual(['1', '2', '3', '4', '5']);
  }, 60_000);

  it('--json gives the preview as the engine computes it; --rows and --show size it', async () => {
    const out = await sluice(w('routing', 'even-sync', '--rows', '3000', '--show', '2', '--json'));
    expect(out.status).toBe(0);
    const preview = JSON.parse(out.stdout) as RoutingPreview;
    expect(preview).toMatchObject({ destinationKind: 'sandbox-kinesis', noun: 'shard', problem: null, warnings: [] });
    expect(preview.sample).toMatchObject({ rows: 3000, modelRows: 3000, errors: 0 });
    expect(preview.sample.buckets.map((b) => b.fairShare)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(preview.sample.buckets.reduce((n, b) => n + b.records, 0)).toBe(3000);
    expect(preview.items.map((i) => [i.key, i.partitionKey, i.error])).toEqual([
      ['1', '1', null],
      ['2', '2', null],
    ]);
  }, 60_000);

  it('warns of a hot shard, and of the shard limit at --rate, and still exits 0', async () => {
    const out = await sluice(w('routing', 'hot-sync', '--rows', '1000', '--rate', '5000'));
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('1,000 of 3,000 rows sampled · at 5,000 records/s');
    expect(out.stdout).toMatch(/^shardId-\d+ +[\d,]+ +9\d\.\d% .*█ !$/m);
    expect(out.stdout).toMatch(
      /^warning: shard shardId-\d+ would take 9\d% of the records, more than 50% \(its even share is 25%\): the partition key is skewed/m,
    );
    expect(out.stdout).toMatch(/^warning: at 5000 records\/s, shard shardId-\d+ would take \d+ records\/s, more than the 1000 a Kinesis shard accepts$/m);
  }, 60_000);

  it('explains an unknown sync and a sample out of range (exit 1)', async () => {
    const unknown = await sluice(w('routing', 'no-such-sync'));
    expectNoStack(unknown);
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^sluice: .*no-such-sync/);
    const tooMany = await sluice(w('routing', 'even-sync', '--rows', '200000'));
    expect(tooMany.status).toBe(1);
    expect(tooMany.stderr).toContain('--rows must be a whole number from 0 to 100000 (got "200000")');
  }, 120_000);
});

type ProgressLine = {
  type: 'progress';
  run: number;
  sync: string;
  phase: RunSummary['phase'];
  counts: RunSummary['counts'];
  toSend: number;
  ratePerSecond: number;
  etaSeconds: number | null;
  retrying?: RunSummary['retrying'];
  at: string;
};
type SummaryLine = RunSummary & { type: 'summary'; run: number; failures: { total: number } };

describe('sluice sync run NAME --progress ndjson', () => {
  let dir: string;
  const w = (...args: string[]) => ['--workspace', dir, ...args];
  beforeAll(async () => {
    dir = await workspace(ROWS, {
      'people-sync': { template: JSON_ROW },
      // The last ten rows do not render: the run is partial.
      'partial-sync': { template: '{% if row.id > 2990 %}not json{% else %}{"id": {{ row.id }}}{% endif %}' },
    });
  }, 60_000);

  /** Every line of standard output is one JSON object: progress lines, then one summary line. */
  function parseLines(out: Result): { progress: ProgressLine[]; summary: SummaryLine } {
    expect(out.stdout.endsWith('\n')).toBe(true);
    const lines = out.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as ProgressLine | SummaryLine);
    const summary = lines.pop()!;
    expect(summary.type).toBe('summary');
    expect(lines.every((l) => l.type === 'progress')).toBe(true);
    return { progress: lines as ProgressLine[], summary: summary as SummaryLine };
  }

  it('prints a JSON line per progress event while the run goes, then the summary line, and nothing else', async () => {
    const out = await sluice(w('sync', 'run', 'people-sync', '--progress', 'ndjson'));
    expectNoStack(out);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const { progress, summary } = parseLines(out);
    expect(summary).toMatchObject({
      sync: 'people-sync',
      status: 'succeeded',
      phase: 'done',
      counts: { read: ROWS, added: ROWS, acknowledged: ROWS, failed: 0 },
      failures: { total: 0 },
    });
    expect(summary.run).toBe(summary.id);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    for (const p of progress) {
      expect(p).toMatchObject({ run: summary.id, sync: 'people-sync', toSend: expect.any(Number) as number, ratePerSecond: expect.any(Number) as number });
      expect(['reading', 'diffing', 'sending']).toContain(p.phase);
      expect(p.counts.read).toBeLessThanOrEqual(ROWS);
      expect(p.etaSeconds === null || typeof p.etaSeconds === 'number').toBe(true);
      expect(Date.parse(p.at)).toBeLessThanOrEqual(Date.parse(summary.finishedAt!));
    }
    // The run was reported as it sent: the sending phase, with its total to send, before the end.
    expect(progress.some((p) => p.phase === 'sending' && p.toSend === ROWS)).toBe(true);
    // Once records are on their way, as the app's progress card has it: the records being retried (none
    // here) and no destination that settles nothing (main/faults/kafka-progress.test.ts: a broker down).
    expect(progress.some((p) => p.retrying !== undefined)).toBe(true);
    for (const p of progress) if (p.retrying !== undefined) expect(p.retrying).toEqual({ records: 0, stalled: null });
    const acknowledged = progress.map((p) => p.counts.acknowledged);
    expect(acknowledged).toEqual([...acknowledged].sort((a, b) => a - b));
  }, 120_000);

  it('ends with the summary line and exits 1 when records were not sent', async () => {
    const out = await sluice(w('sync', 'run', 'partial-sync', '--progress', 'ndjson'));
    expectNoStack(out);
    expect(out.status).toBe(1);
    const { progress, summary } = parseLines(out);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(summary).toMatchObject({ status: 'partial', counts: { acknowledged: ROWS - 10 }, failures: { total: 10 } });
  }, 120_000);

  it('refuses a progress format it does not know, and prints only the error line on stdout when the run cannot start', async () => {
    const bad = await sluice(w('sync', 'run', 'people-sync', '--progress', 'xml'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("option '--progress <format>' argument 'xml' is invalid. Allowed choices are ndjson.");
    const unknown = await sluice(w('sync', 'run', 'no-such-sync', '--progress', 'ndjson'));
    expectNoStack(unknown);
    expect(unknown.status).toBe(1);
    // The stream's one line is the error, where the summary would be.
    expect(JSON.parse(unknown.stdout)).toMatchObject({ type: 'error', error: { code: 'not-found' } });
    expect(unknown.stdout.split('\n')).toHaveLength(2);
    expect(unknown.stderr).toMatch(/^sluice: .*no-such-sync/);
  }, 120_000);
});

describe('sluice debugger export', () => {
  let dir: string;
  let run: RunSummary;
  const w = (...args: string[]) => ['--workspace', dir, ...args];
  beforeAll(async () => {
    dir = await workspace(1200, { 'people-sync': { template: JSON_ROW } });
    const engine = await Engine.open({ workspace: dir, runtime: 'browser-host', seedDemo: false });
    try {
      run = await engine.runSync('people-sync');
      expect(run.status).toBe('succeeded');
    } finally {
      await engine.shutdown();
    }
  }, 60_000);

  it("prints the latest run's API calls as NDJSON on stdout, one call a line", async () => {
    const out = await sluice(w('debugger', 'export'));
    expectNoStack(out);
    expect(out.status).toBe(0);
    const calls = out.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { runId: number; operation: string; service: string; recordCount: number | null; status: string; request: unknown });
    expect(calls.length).toBeGreaterThanOrEqual(3); // 1,200 records in PutRecords batches of at most 500
    for (const c of calls) expect(c).toMatchObject({ runId: run.id, service: 'kinesis', operation: 'PutRecords', status: '200' });
    expect(calls.reduce((n, c) => n + (c.recordCount ?? 0), 0)).toBe(1200);
    const byId = await sluice(w('debugger', 'export', '--run', String(run.id), '--format', 'ndjson'));
    expect(byId.stdout).toBe(out.stdout);
  }, 120_000);

  it('--format har -o FILE writes a HAR file and says so', async () => {
    const file = path.join(dir, 'calls.har');
    const out = await sluice(w('debugger', 'export', '--run', String(run.id), '--format', 'har', '-o', file));
    expect(out.status).toBe(0);
    const har = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      log: { version: string; creator: { name: string }; entries: { request: { method: string; url: string }; response: { status: number } }[] };
    };
    expect(har.log).toMatchObject({ version: '1.2', creator: { name: 'Sluice' } });
    expect(har.log.entries.length).toBeGreaterThanOrEqual(3);
    expect(har.log.entries[0]!.request).toMatchObject({ method: 'POST', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+/) as string });
    expect(out.stdout).toBe(`Wrote ${har.log.entries.length} API calls of run ${run.id} to ${file} (har).\n`);
  }, 60_000);

  it('explains a run that does not exist, a workspace with no recorded calls and an unknown format (exit 1)', async () => {
    const missing = await sluice(w('debugger', 'export', '--run', '999'));
    expectNoStack(missing);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('sluice: There is no run 999.');
    const empty = tempWorkspace();
    cleanups.push(empty.cleanup);
    const none = await sluice(['--workspace', empty.dir, 'debugger', 'export']);
    expect(none.status).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe('sluice: No run has made API calls yet: run a sync first (sluice sync run NAME).\n');
    const format = await sluice(w('debugger', 'export', '--format', 'pcap'));
    expect(format.status).toBe(1);
    expect(format.stderr).toContain("option '--format <format>' argument 'pcap' is invalid. Allowed choices are ndjson, har.");
  }, 120_000);
});

describe('sluice diagnostics', () => {
  it('prints the redacted diagnostics as JSON, or writes them with -o', async () => {
    const ws = tempWorkspace();
    cleanups.push(ws.cleanup);
    const w = (...args: string[]) => ['--workspace', ws.dir, ...args];
    const secret = 'cli-diagnostics-canary-5e21';
    const saved = await sluice(w('secrets', 'set', 'diag/password'), secret);
    expect(saved.stdout).toContain('Saved "diag/password" in the OS keychain.');
    // A log line written by a process that never read the secret (so could not blank it out).
    fs.appendFileSync(
      path.join(ws.dir, 'logs', 'sluice.log'),
      JSON.stringify({ time: new Date().toISOString(), level: 'error', event: 'publisher.failed', error: `auth failed for password=${secret}` }) + '\n',
    );

    const out = await sluice(w('diagnostics'));
    expectNoStack(out);
    expect(out.status).toBe(0);
    expect(out.stdout).not.toContain(secret);
    const report = JSON.parse(out.stdout) as { sluice: string; schemaVersion: number; secrets: { name: string }[]; log: string[] };
    expect(report.sluice).toBe(packageVersion());
    expect(report.schemaVersion).toBeGreaterThan(0);
    expect(report.secrets.map((s) => s.name)).toEqual(['diag/password']);
    expect(report.log.some((l) => l.includes('auth failed for password=[redacted]'))).toBe(true);

    const file = path.join(ws.dir, 'diagnostics.json');
    const written = await sluice(w('diagnostics', '-o', file));
    expect(written.status).toBe(0);
    expect(written.stdout).toBe(`Wrote diagnostics to ${file}.\n`);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(secret);
    expect((JSON.parse(text) as { sluice: string }).sluice).toBe(packageVersion());

    const unwritable = await sluice(w('diagnostics', '-o', path.join(ws.dir, 'no-such-folder', 'd.json')));
    expect(unwritable.status).toBe(1);
    expect(unwritable.stderr).toBe(`sluice: Cannot write ${path.join(ws.dir, 'no-such-folder', 'd.json')}: no such file or folder\n`);
  }, 120_000);
});

describe('sluice sync run NAME --dry-run', () => {
  it('says where the records would go and which a real run would reject (key and reason), in text and --json', async () => {
    const dir = await workspace(ROWS, { 'dry-sync': { template: '{% if row.id > 2990 %}not json{% else %}{"id": {{ row.id }}}{% endif %}' } });
    const w = (...args: string[]) => ['--workspace', dir, ...args];
    const text = await sluice(w('sync', 'run', 'dry-sync', '--dry-run'));
    expectNoStack(text);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/^ {2}per shard: shardId-000000000000 \d+, shardId-000000000001 \d+, shardId-000000000002 \d+, shardId-000000000003 \d+$/m);
    expect(text.stdout).toContain('  a real run would reject 10 records (10 render-error):\n    - [render-error] Row 2991 (key 2991, added): ');
    expect(text.stdout).toContain('Row 3000 (key 3000, added)');
    expect(text.stdout).not.toContain('… and');

    const json = await sluice(w('sync', 'run', 'dry-sync', '--dry-run', '--json'));
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as RunSummary;
    const plan = report.dryRunPlan!;
    expect(plan.per).toBe('shard');
    expect(plan.targets).toHaveLength(4);
    expect(plan.targets.reduce((n, t) => n + t.records, 0)).toBe(ROWS - 10);
    expect(plan.rejected).toMatchObject({ total: 10, perReason: { 'render-error': 10 } });
    expect(plan.rejected.first.map((r) => r.key)).toEqual(Array.from({ length: 10 }, (_, i) => String(2991 + i)));
  }, 120_000);
});
