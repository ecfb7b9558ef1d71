// `sluice` as a user runs it (a separate process) when things go wrong: runs whose records fail say
// why, a run's failures and ledger can be listed page by page, numbers typed on the command line are
// checked, and whatever fails exits non-zero without a stack trace.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry, RunSummary } from '../../shared/config/sync';
import { Engine } from '../engine/engine';
import { packageRoot } from '../paths';
import { createPeopleDb } from '../testing/model-db';
import { tempWorkspace } from '../testing/temp';

const bin = path.join(packageRoot(), 'bin', 'sluice.cjs');

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `closeStdout` closes the reading end of its standard output at once (as `| head` does once satisfied). */
function sluice(args: string[], options: { closeStdout?: boolean } = {}): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    let stdout = '';
    let stderr = '';
    if (options.closeStdout) child.stdout.destroy();
    else child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** No error output may carry a stack trace. */
function expectNoStack(r: Result): void {
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain('node:internal');
}

// Rows 1–4 of people-sync do not render (key 1 one way, keys 2–4 another); rows 5–8 are sent to the
// sandbox stream. spread-sync's eight rows fail for eight different reasons. other-sync sends all.
const FAILING = '{% if row.id > 4 %}{"id": {{ row.id }}}{% elsif row.id > 1 %}not json {{ row.id }}{% else %}{"id": {{ row.id }},}{% endif %}';
const SPREAD = 'x{{ row.id }}';
// What a person reads: the reason's sentence, not the code Sluice keeps in the ledger (its class name, RenderError).
const NOT_JSON = 'The template output is not valid JSON: unexpected "not" at line 1, column 1';
const TRAILING_COMMA = 'The template output is not valid JSON: expected a "quoted" key, found "}" at line 1, column 10';

let ws: { dir: string; cleanup(): void };
let shrinkFile: string;
/** people-sync's first run (4 acknowledged, 4 rejected) and other-sync's (8 acknowledged). */
let firstRun: RunSummary;
let otherRun: RunSummary;
const w = (...args: string[]) => ['--workspace', ws.dir, ...args];

beforeAll(async () => {
  ws = tempWorkspace('sluice-cli-faults-');
  createPeopleDb(ws.dir, 8).db.close();
  const shrink = createPeopleDb(ws.dir, 4, 'shrink.sqlite');
  shrink.db.close();
  shrinkFile = shrink.file;
  const engine = await Engine.open({ workspace: ws.dir, runtime: 'browser-host', seedDemo: false });
  try {
    engine.catalog.putSource({ kind: 'sqlite', name: 'people-db', path: path.join(ws.dir, 'people.sqlite') });
    engine.catalog.putSource({ kind: 'sqlite', name: 'shrink-db', path: shrinkFile });
    engine.catalog.putModel({ name: 'people', source: 'people-db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    engine.catalog.putModel({ name: 'shrinking', source: 'shrink-db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 'cli-faults', shards: 2 });
    const sync = (name: string, model: string, template: string) =>
      engine.catalog.putSync({ name, model, destination: 'sandbox', triggers: ['added', 'changed', 'removed'], payload: { mode: 'template', template } });
    sync('people-sync', 'people', FAILING);
    sync('spread-sync', 'people', SPREAD);
    sync('other-sync', 'people', '{"id": {{ row.id }}}');
    sync('shrink-sync', 'shrinking', '{"id": {{ row.id }}}');
    firstRun = await engine.runSync('people-sync');
    otherRun = await engine.runSync('other-sync');
    expect((await engine.runSync('shrink-sync')).status).toBe('succeeded');
  } finally {
    await engine.shutdown();
  }
  expect(firstRun.counts).toMatchObject({ acknowledged: 4, failed: 4 });
}, 120_000);
afterAll(() => ws?.cleanup());

async function runIds(sync: string): Promise<number[]> {
  const out = await sluice(w('runs', sync, '--json'));
  expect(out.status).toBe(0);
  return (JSON.parse(out.stdout) as RunSummary[]).map((r) => r.id);
}

describe('sluice sync run: why records were not sent', () => {
  it('prints the top reasons with counts and an example key, and exits 1', async () => {
    const out = await sluice(w('sync', 'run', 'people-sync'));
    expectNoStack(out);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/^Run \d+ of "people-sync": failed in /);
    expect(out.stdout).toContain('  why 4 records were not sent:\n');
    expect(out.stdout).toContain(`    3 × refused before sending: ${NOT_JSON}`);
    expect(out.stdout).toMatch(/ {4}3 × refused before sending: .* \(e\.g\. key 2\)\n {4}1 × refused before sending: .* \(e\.g\. key 1\)\n/);
    expect(out.stdout).toContain(`    1 × refused before sending: ${TRAILING_COMMA}`);
    expect(out.stdout).not.toContain('RenderError');
  }, 60_000);

  it('shows the five most frequent reasons and how many more; --json includes them', async () => {
    const out = await sluice(w('sync', 'run', 'spread-sync'));
    expect(out.status).toBe(1);
    expect(out.stdout.match(/^ {4}1 × refused before sending: The template output is not valid JSON: /gm)).toHaveLength(5);
    expect(out.stdout).toMatch(/… and 3 more reasons: sluice runs spread-sync --failures --run \d+/);
    const json = await sluice(w('sync', 'run', 'people-sync', '--json'));
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as RunSummary & {
      failures: {
        total: number;
        moreReasons: number;
        reasons: { status: string; errorCode: string; errorMessage: string; count: number; exampleKey: string }[];
      };
    };
    expect(report.status).toBe('failed');
    expect(report.failures.total).toBe(4);
    expect(report.failures.moreReasons).toBe(0);
    expect(report.failures.reasons.map((r) => [r.count, r.status, r.errorCode, r.exampleKey])).toEqual([
      [3, 'rejected', 'RenderError', '2'],
      [1, 'rejected', 'RenderError', '1'],
    ]);
    expect(report.failures.reasons[0]!.errorMessage).toContain(NOT_JSON);
  }, 60_000);

  it('prints the run error of a run stopped by the mass-removal guard; --allow-mass-removal sends the removals', async () => {
    const db = new BetterSqlite3(shrinkFile);
    db.exec('DELETE FROM people WHERE id > 1');
    db.close();
    const stopped = await sluice(w('sync', 'run', 'shrink-sync'));
    expectNoStack(stopped);
    expect(stopped.status).toBe(1);
    expect(stopped.stdout).toMatch(/^ {2}error: Mass removal: /m);
    // It removed nothing: 0, with the removals it stopped as the reason, in its report and in the run list.
    expect(stopped.stdout).toContain('  read 1 row: added 0, changed 0, removed 0 (stopped: would remove 3), unchanged 1\n');
    const list = await sluice(w('runs', 'shrink-sync'));
    expect(list.stdout).toMatch(/\tfailed\t.*\tadded 0, changed 0, removed 0 \(stopped: would remove 3\); sent 0, /);
    const allowed = await sluice(w('sync', 'run', 'shrink-sync', '--allow-mass-removal', '--json'));
    expect(allowed.status).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ status: 'succeeded', error: null, counts: { removed: 3, acknowledged: 3 } });
  }, 60_000);
});

describe('sluice runs NAME --failures', () => {
  it("lists each failed or rejected record of the sync's latest run, and of --run ID", async () => {
    const latest = await sluice(w('runs', 'other-sync', '--failures'));
    expect(latest.status).toBe(0);
    expect(latest.stdout).toContain(`Run ${otherRun.id} of "other-sync": succeeded`);
    expect(latest.stdout).toContain('0 failed or rejected records');
    const out = await sluice(w('runs', 'people-sync', '--failures', '--run', String(firstRun.id)));
    expect(out.status).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Run ${firstRun.id} of "people-sync": partial, `));
    expect(lines[1]).toBe('KEY\tEVENT\tSTATUS\tCODE\tREASON');
    expect(lines.slice(2, 6).map((l) => l.split('\t').slice(0, 4))).toEqual([
      ['1', 'added', 'rejected', 'RenderError'],
      ['2', 'added', 'rejected', 'RenderError'],
      ['3', 'added', 'rejected', 'RenderError'],
      ['4', 'added', 'rejected', 'RenderError'],
    ]);
    expect(lines[3]!.split('\t')[4]).toContain(NOT_JSON);
    expect(lines[6]).toBe('4 failed or rejected records');
  }, 60_000);

  it('pages a long list: --limit bounds it, the footer gives the next page, --json says what is next', async () => {
    const first = await sluice(w('runs', 'people-sync', '--failures', '--run', String(firstRun.id), '--limit', '3'));
    expect(first.status).toBe(0);
    const next = /Next page: (.*)$/m.exec(first.stdout)?.[1];
    expect(first.stdout).toContain('3 of 4 failed or rejected records shown.');
    expect(next).toMatch(/^sluice runs people-sync --failures --run \d+ --limit 3 --after \d+$/);
    const second = await sluice(w(...next!.split(' ').slice(1)));
    expect(second.status).toBe(0);
    expect(
      second.stdout
        .split('\n')
        .filter((l) => /^\d\tadded/.test(l))
        .map((l) => l[0]),
    ).toEqual(['4']);
    const json = await sluice(w('runs', 'people-sync', '--failures', '--run', String(firstRun.id), '--limit', '2', '--json'));
    const page = JSON.parse(json.stdout) as { run: RunSummary; total: number; entries: LedgerEntry[]; next: { after: number } | null };
    expect(page.run.id).toBe(firstRun.id);
    expect(page.total).toBe(4);
    expect(page.entries.map((e) => [e.key, e.event, e.status, e.errorCode])).toEqual([
      ['1', 'added', 'rejected', 'RenderError'],
      ['2', 'added', 'rejected', 'RenderError'],
    ]);
    expect(page.next).toEqual({ after: page.entries[1]!.id });
  }, 60_000);

  it("refuses another sync's run, a run that does not exist and a sync that does not exist", async () => {
    const other = await sluice(w('runs', 'people-sync', '--failures', '--run', String(otherRun.id)));
    expect(other.status).toBe(1);
    expect(other.stderr.trim()).toBe(
      `sluice: Run ${otherRun.id} is a run of "other-sync", not of "people-sync". The runs of "people-sync": sluice runs people-sync`,
    );
    const none = await sluice(w('runs', 'people-sync', '--failures', '--run', '9999'));
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('sluice: There is no run 9999.');
    const noSync = await sluice(w('runs', 'nope', '--failures'));
    expectNoStack(noSync);
    expect(noSync.status).toBe(1);
    expect(noSync.stderr).toMatch(/^sluice: There is no sync named "nope"/);
  }, 60_000);
});

describe('sluice ledger RUN_ID', () => {
  it("lists a run's records with their coordinates, filtered by status and bounded by --limit", async () => {
    const all = await sluice(w('ledger', String(firstRun.id)));
    expect(all.status).toBe(0);
    const rows = all.stdout
      .split('\n')
      .filter((l) => /^\d+\t/.test(l))
      .map((l) => l.split('\t'));
    expect(rows).toHaveLength(8);
    const acked = rows.filter((r) => r[3] === 'acknowledged');
    expect(acked.map((r) => r[1]).sort()).toEqual(['5', '6', '7', '8']);
    for (const r of acked) expect(r[5]).toMatch(/^shard shardId-00000000000[01] seq \d+$/);
    expect(all.stdout).toContain('8 records in the ledger');
    const refused = rows.filter((r) => r[3] === 'rejected');
    // Each refused record's reason is its sentence, not "RenderError: …" (the code Sluice keeps in the ledger).
    const whys = refused.map((r) => [r[1], r[7]!.startsWith(r[1] === '1' ? TRAILING_COMMA : NOT_JSON) ? 'its sentence' : r[7]]);
    expect(whys.sort((a, b) => a[0]!.localeCompare(b[0]!))).toEqual([
      ['1', 'its sentence'],
      ['2', 'its sentence'],
      ['3', 'its sentence'],
      ['4', 'its sentence'],
    ]);

    const rejected = await sluice(w('ledger', String(firstRun.id), '--status', 'rejected', '--limit', '2', '--json'));
    expect(rejected.status).toBe(0);
    const page = JSON.parse(rejected.stdout) as { total: number; entries: LedgerEntry[]; next: { after: number } | null };
    expect(page.total).toBe(4);
    expect(page.entries.map((e) => [e.key, e.status, e.shardId])).toEqual([
      ['1', 'rejected', null],
      ['2', 'rejected', null],
    ]);
    expect(page.next).not.toBeNull();

    const sent = await sluice(w('ledger', String(firstRun.id), '--status', 'acknowledged', '--json'));
    const entries = (JSON.parse(sent.stdout) as { entries: LedgerEntry[] }).entries;
    expect(entries.map((e) => e.key)).toEqual(['5', '6', '7', '8']);
    for (const e of entries) expect(e.sequenceNumber).toMatch(/^\d+$/);
  }, 60_000);

  it('refuses a run id that is not a number or not a run, and a status it does not know', async () => {
    const word = await sluice(w('ledger', 'latest'));
    expect(word.status).toBe(1);
    expect(word.stderr).toContain('A run id must be a whole number greater than 0 (got "latest")');
    const none = await sluice(w('ledger', '9999'));
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('sluice: There is no run 9999.');
    const status = await sluice(w('ledger', String(firstRun.id), '--status', 'lost'));
    expect(status.status).toBe(1);
    expect(status.stderr).toContain('Allowed choices are acknowledged, failed, rejected');
  }, 60_000);
});

describe('numbers on the command line', () => {
  it('--retry-failed takes a run of this sync that exists; otherwise it says so, exits 1 and starts no run', async () => {
    const before = await runIds('people-sync');
    const cases: [string, string][] = [
      ['abc', 'A run id must be a whole number greater than 0 (got "abc")'],
      ['0', 'A run id must be a whole number greater than 0 (got "0")'],
      ['3.5', 'A run id must be a whole number greater than 0 (got "3.5")'],
      ['9999', 'sluice: There is no run 9999.'],
      [String(otherRun.id), `sluice: Run ${otherRun.id} is a run of "other-sync", not of "people-sync".`],
    ];
    for (const [value, message] of cases) {
      const out = await sluice(w('sync', 'run', 'people-sync', '--retry-failed', value));
      expectNoStack(out);
      expect(out.status, value).toBe(1);
      expect(out.stderr).toContain(message);
      expect(out.stdout).not.toContain('Run ');
    }
    expect(await runIds('people-sync')).toEqual(before);
  }, 120_000);

  it('--retry-failed of a run without failures says there is nothing to retry and starts no run', async () => {
    const before = await runIds('other-sync');
    const out = await sluice(w('sync', 'run', 'other-sync', '--retry-failed', String(otherRun.id)));
    expect(out.status).toBe(0);
    expect(out.stdout.trim()).toBe(`Run ${otherRun.id} of "other-sync" has no failed or rejected records: there is nothing to retry.`);
    expect(await runIds('other-sync')).toEqual(before);
  }, 60_000);

  /** Applies a CSV file of `rows` (after the header id,name) as the model of a sync `NAME sync` to the sandbox; the file's path. */
  async function csvSync(name: string, rows: string): Promise<string> {
    const csv = path.join(ws.dir, `${name}.csv`);
    fs.writeFileSync(csv, `id,name\n${rows}`);
    const yaml = path.join(ws.dir, `${name}.yaml`);
    fs.writeFileSync(
      yaml,
      `version: 1
sources: [{ kind: csv, name: ${name}-file, path: ${JSON.stringify(csv)} }]
models: [{ name: ${name}, source: ${name}-file, primaryKey: [id] }]
syncs:
  - { name: ${name} sync, model: ${name}, destination: sandbox, triggers: [added], payload: { mode: template, template: '{"id": {{ row.id | json }}}' } }
`,
    );
    expect((await sluice(w('apply', '-f', yaml))).status).toBe(0);
    return csv;
  }

  it('--retry-failed of a run that failed before sending any record says why, and to run the sync without it once fixed', async () => {
    const csv = await csvSync('gone', '1,a\n');
    fs.rmSync(csv);
    expect((await sluice(w('sync', 'run', 'gone sync'))).status).toBe(1);
    const [failed] = await runIds('gone sync');
    const retry = await sluice(w('sync', 'run', 'gone sync', '--retry-failed', String(failed)));
    // Before: "has no failed or rejected records: there is nothing to retry", as of a run that sent everything.
    expect(retry.stdout.trim()).toBe(
      `Run ${failed} of "gone sync" failed before sending any record (Cannot read ${csv}: it does not exist), so it has no failed records to retry. ` +
        `Run the sync without --retry-failed once the cause is fixed: sluice sync run 'gone sync'`,
    );
    expect(await runIds('gone sync')).toEqual([failed]);
  }, 60_000);

  it('--retry-failed of a run whose only rows not sent were refused for their keys says a retry would refuse them again', async () => {
    await csvSync('keys', '1,a\n2,b\n2,c\n,d\n');
    await sluice(w('sync', 'run', 'keys sync'));
    const [run] = await runIds('keys sync');
    const retry = await sluice(w('sync', 'run', 'keys sync', '--retry-failed', String(run)));
    expect(retry.status).toBe(0);
    // Before: "has no failed or rejected records: there is nothing to retry", as of a run that sent everything.
    expect(retry.stdout.trim()).toBe(
      `Run ${run} of "keys sync" has no failed or rejected records to retry: its 3 rows not sent were refused for their keys (null, or shared by several rows), ` +
        `which a retry would refuse again. Fix them in the model (sluice runs 'keys sync' --failures lists them), then run the sync.`,
    );
    expect(await runIds('keys sync')).toEqual([run]);
  }, 60_000);

  it('--limit, --wait, --partition and --ledger refuse what is not a whole number in range', async () => {
    const cases: [string[], string][] = [
      [['runs', 'people-sync', '--limit', '10x'], '--limit must be a whole number from 1 to 1000 (got "10x")'],
      [['runs', 'people-sync', '--limit', '0'], '--limit must be a whole number from 1 to 1000 (got "0")'],
      // One rule for every --limit: the run history's is no narrower (it said "from 1 to 500 for the run history").
      [['runs', 'people-sync', '--limit', '1001'], '--limit must be a whole number from 1 to 1000 (got "1001")'],
      [['ledger', String(firstRun.id), '--limit', 'all'], '--limit must be a whole number from 1 to 1000 (got "all")'],
      [['inspect', 'sandbox', '--limit', '-5'], '--limit must be a whole number from 1 to 1000 (got "-5")'],
      [['inspect', 'sandbox', '--wait', '1s'], '--wait must be a whole number from 0 to 20000 (got "1s")'],
      [['inspect', 'sandbox', '--partition', '0,x'], 'A partition must be a whole number of 0 or more (got "x")'],
      [['inspect', '--ledger', 'abc'], 'A ledger id must be a whole number greater than 0 (got "abc")'],
    ];
    for (const [args, message] of cases) {
      const out = await sluice(w(...args));
      expectNoStack(out);
      expect(out.status, args.join(' ')).toBe(1);
      expect(out.stderr).toContain(message);
    }
    const history = await sluice(w('runs', 'people-sync', '--limit', '600'));
    expect({ status: history.status, stderr: history.stderr }).toEqual({ status: 0, stderr: '' });
  }, 120_000);
});

describe('errors exit non-zero without a stack trace', () => {
  it('an unexpected error prints one line and where the log with its stack is', async () => {
    const broken = tempWorkspace('sluice-cli-broken-');
    try {
      const engine = await Engine.open({ workspace: broken.dir, runtime: 'browser-host', seedDemo: false });
      engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: path.join(broken.dir, 'x.sqlite') });
      engine.catalog.putModel({ name: 'm', source: 'db', query: 'SELECT 1 AS id', primaryKey: ['id'] });
      engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 's', shards: 1 });
      engine.catalog.putSync({ name: 'damaged', model: 'm', destination: 'sandbox', triggers: ['added'], payload: { mode: 'template', template: '{}' } });
      engine.db.prepare("UPDATE syncs SET definition = '{not json' WHERE name = 'damaged'").run();
      await engine.shutdown();
      const log = path.join(broken.dir, 'logs', 'sluice.log');
      for (const args of [['export'], ['sync', 'list']]) {
        const out = await sluice(['--workspace', broken.dir, ...args]);
        expectNoStack(out);
        expect(out.status, args.join(' ')).toBe(1);
        expect(out.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
        expect(out.stderr).toMatch(/^sluice: unexpected error: .*JSON.*\(details in the log: (.*)\)\n$/);
        expect(out.stderr).toContain(`(details in the log: ${log})`);
      }
      const logged = fs.readFileSync(log, 'utf8');
      expect(logged).toContain('"event":"cli.unexpected-error"');
      expect(logged).toMatch(/SyntaxError: .*JSON.*\\n\s+at /);
    } finally {
      broken.cleanup();
    }
  }, 60_000);

  it('stops quietly when the reader of its output has gone (sluice … | head)', async () => {
    const out = await sluice(w('runs', 'people-sync'), { closeStdout: true });
    expectNoStack(out);
    expect(out.stderr).not.toContain('EPIPE');
    expect(out.status).toBe(0);
  }, 60_000);
});
