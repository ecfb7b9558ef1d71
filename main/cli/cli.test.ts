import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot, packageVersion } from '../paths';
import { tempWorkspace } from '../testing/temp';

const bin = path.join(packageRoot(), 'bin', 'sluice.cjs');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function sluice(args: string[], env: NodeJS.ProcessEnv = {}, input?: string) {
  return spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', input });
}

describe('sluice CLI', () => {
  it('prints its version and help', () => {
    expect(sluice(['--version']).stdout.trim()).toBe(packageVersion());
    const help = sluice(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: sluice');
    expect(help.stdout).toContain('--workspace <dir>');
  });

  it('uses --workspace, else SLUICE_HOME, as the state folder', () => {
    const a = tempWorkspace();
    const b = tempWorkspace();
    cleanups.push(a.cleanup, b.cleanup);
    const viaFlag = JSON.parse(sluice(['--workspace', a.dir, 'info', '--json']).stdout) as { workspace: string; schemaVersion: number };
    expect(viaFlag.workspace).toBe(a.dir);
    expect(viaFlag.schemaVersion).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(a.dir, 'sluice.db'))).toBe(true);
    const viaEnv = JSON.parse(sluice(['info', '--json'], { SLUICE_HOME: b.dir }).stdout) as { workspace: string };
    expect(viaEnv.workspace).toBe(b.dir);
  });

  it('--no-demo: a new workspace starts empty (an exported configuration applies as it is), and later commands do not add the demo', () => {
    const ws = tempWorkspace();
    cleanups.push(ws.cleanup);
    const file = path.join(ws.dir, 'sandbox.yaml');
    fs.writeFileSync(file, 'version: 1\ndestinations:\n  - { kind: sandbox-kinesis, name: mine, stream: s }\n');
    const dir = path.join(ws.dir, 'new');
    expect(sluice(['--workspace', dir, '--no-demo', 'apply', '-f', file]).status).toBe(0);
    // Before: every command's first open of a workspace added the demo's source, model, destination and sync.
    const exported = sluice(['--workspace', dir, 'export']).stdout;
    expect(exported).toContain('name: mine');
    expect(exported).not.toMatch(/Demo database|Customers|Sandbox stream/);
    expect(sluice(['--workspace', path.join(ws.dir, 'with-demo'), 'export']).stdout).toContain('name: Customers to sandbox');
  });

  it('saves a secret from standard input, lists its name only, and deletes it', () => {
    const ws = tempWorkspace();
    cleanups.push(ws.cleanup);
    const set = sluice(['--workspace', ws.dir, 'secrets', 'set', 'aws/prod'], {}, 'cli-secret-value\n');
    expect(set.stdout + set.stderr).toContain('Saved "aws/prod" in the OS keychain.');
    const list = sluice(['--workspace', ws.dir, 'secrets', 'list']);
    expect(list.stdout).toMatch(/^aws\/prod\tos\t/);
    expect(list.stdout).not.toContain('cli-secret-value');
    expect(sluice(['--workspace', ws.dir, 'secrets', 'delete', 'aws/prod']).stdout).toContain('Deleted "aws/prod".');
    const again = sluice(['--workspace', ws.dir, 'secrets', 'delete', 'aws/prod']);
    expect(again.status).toBe(1);
  });

  it('explains bad input and an unknown command', () => {
    const ws = tempWorkspace();
    cleanups.push(ws.cleanup);
    const bad = sluice(['--workspace', ws.dir, 'secrets', 'set', 'bad*name'], {}, 'x');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('Could not save the secret: the input is not valid — name: A secret name may use letters');
    const unknown = sluice(['frobnicate']);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });

  it('with --json, a command that fails prints its error as one JSON object on standard output, and in words on standard error', () => {
    const ws = tempWorkspace();
    cleanups.push(ws.cleanup);
    const run = (...args: string[]) => sluice(['--workspace', ws.dir, ...args], { NODE_NO_WARNINGS: '1' });
    // Before, standard output was empty: a script reading it as JSON had nothing to parse.
    const unknownSync = run('sync', 'run', 'No such sync', '--json');
    expect(unknownSync.status).toBe(1);
    expect(unknownSync.stderr).toBe('sluice: There is no sync named "No such sync" (there are: Customers to sandbox)\n');
    expect(JSON.parse(unknownSync.stdout)).toEqual({
      error: { code: 'not-found', message: 'There is no sync named "No such sync" (there are: Customers to sandbox)' },
    });
    // NDJSON: one last line, an error where the summary would be.
    const ndjson = run('sync', 'run', 'No such sync', '--progress', 'ndjson');
    expect(ndjson.status).toBe(1);
    expect(
      ndjson.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([{ type: 'error', error: { code: 'not-found', message: 'There is no sync named "No such sync" (there are: Customers to sandbox)' } }]);
    // An unknown destination, an unknown run, a malformed option, a workspace that cannot be used: each as JSON.
    const codeOf = (r: ReturnType<typeof run>) => ({ status: r.status, code: (JSON.parse(r.stdout) as { error: { code: string } }).error.code });
    expect(codeOf(run('inspect', 'No such destination', '--json'))).toEqual({ status: 1, code: 'not-found' });
    expect(codeOf(run('ledger', '999', '--json'))).toEqual({ status: 1, code: 'usage' });
    const malformed = run('sync', 'run', 'Customers to sandbox', '--retry-failed', 'abc', '--json');
    expect(malformed.stderr).toContain("error: option '--retry-failed <runId>' argument 'abc' is invalid.");
    expect(JSON.parse(malformed.stdout)).toEqual({
      error: {
        code: 'usage',
        message: `option '--retry-failed <runId>' argument 'abc' is invalid. A run id must be a whole number greater than 0 (got "abc").`,
      },
    });
    const file = path.join(ws.dir, 'a-file');
    fs.writeFileSync(file, '');
    expect(codeOf(sluice(['--workspace', file, 'info', '--json']))).toEqual({ status: 1, code: 'workspace' });
    // Without --json, standard output stays empty.
    expect(run('sync', 'run', 'No such sync').stdout).toBe('');
  }, 60_000);

  it('renames, resets and deletes a sync; reset and delete only say what they would do without --yes', () => {
    const ws = tempWorkspace();
    cleanups.push(ws.cleanup);
    const run = (...args: string[]) => sluice(['--workspace', ws.dir, ...args], { NODE_NO_WARNINGS: '1' });
    expect(run('sync', 'run', 'Customers to sandbox').status).toBe(0);
    expect(run('sync', 'rename', 'Customers to sandbox', 'Customers out').stdout).toBe('Renamed the sync "Customers to sandbox" to "Customers out".\n');
    // A name given with spaces around it is stored trimmed, and said as stored; the same name again changes nothing, and says so.
    expect(run('sync', 'rename', 'Customers out', ' Customers sent ').stdout).toBe('Renamed the sync "Customers out" to "Customers sent".\n');
    expect(run('sync', 'rename', 'Customers sent', 'Customers sent ').stdout).toBe('The sync "Customers sent" has that name already: nothing changed.\n');
    expect(run('sync', 'rename', 'Customers sent', 'Customers out').status).toBe(0);
    // A refused rename is one sentence per problem, naming no field of the request.
    expect(run('sync', 'rename', 'Customers out', 'out!').stderr).toBe(
      'sluice: Could not rename the sync: the input is not valid — The new name starts with a letter or digit and may use letters, digits, spaces and . _ - (letters A–Z without accents)\n',
    );

    const ask = run('sync', 'reset', 'Customers out');
    expect({ status: ask.status, stdout: ask.stdout }).toEqual({
      status: 1,
      stdout:
        'The sync "Customers out" remembers 2,000 delivered rows; after a reset its next run sends every row of the model again. Nothing changed: run again with --yes to reset.\n',
    });
    expect(run('sync', 'reset', 'Customers out', '--yes').stdout).toBe(
      'Reset the sync "Customers out": forgot 2,000 delivered rows; its next run sends every row.\n',
    );
    const again = run('sync', 'run', 'Customers out', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'succeeded', counts: { added: 2000, sent: 2000 } });

    expect(run('sync', 'delete', 'Customers out').stdout).toContain('removes 2 runs, 4,000 ledger entries, the snapshot of 2,000 rows and 0 template tests');
    expect(run('sync', 'list').stdout).toContain('Customers out');
    expect(run('sync', 'delete', 'Customers out', '--yes').stdout).toBe(
      'Deleted the sync "Customers out" with 2 runs, 4,000 ledger entries, the snapshot of 2,000 rows and 0 template tests.\n',
    );
    expect(run('sync', 'list').stdout).toBe('No syncs. Create one with: sluice apply -f FILE\n');
  }, 120_000);

  it('apply says a sync it points at another model starts over, as its next run then sends every row', () => {
    const ws = tempWorkspace();
    cleanups.push(ws.cleanup);
    const run = (...args: string[]) => sluice(['--workspace', ws.dir, ...args], { NODE_NO_WARNINGS: '1' });
    expect(run('sync', 'run', 'Customers to sandbox').status).toBe(0);
    const file = path.join(ws.dir, 'repoint.yaml');
    fs.writeFileSync(
      file,
      `version: 1
models:
  - { name: Customers copy, source: Demo database, query: "SELECT id, email FROM customers", primaryKey: [id] }
syncs:
  - name: Customers to sandbox
    model: Customers copy
    destination: Sandbox stream
    triggers: [added, changed, removed]
    payload: { mode: template, template: '{"id": {{ row.id }}}' }
`,
    );
    // Before, apply said only "Applied …" and the 2,000 rows the sync had delivered were forgotten unsaid.
    expect(run('apply', '-f', file).stdout).toBe(
      `Applied ${file}: 0 sources, 1 model, 0 destinations, 1 sync.\n` +
        'Starting over (they now read another model, or send to another destination, stream or topic; their next run sends every row): "Customers to sandbox".\n',
    );
    expect(JSON.parse(run('sync', 'run', 'Customers to sandbox', '--json').stdout)).toMatchObject({ counts: { added: 2000, sent: 2000 } });
    // Applied again as it is, nothing starts over.
    expect(run('apply', '-f', file).stdout).toBe(`Applied ${file}: 0 sources, 1 model, 0 destinations, 1 sync.\n`);
  }, 120_000);

  it('applies a file saved as UTF-16 with its byte order mark (Windows PowerShell 5.1\'s `sluice export > file.yaml`, Notepad\'s "Unicode")', () => {
    const ws = tempWorkspace();
    cleanups.push(ws.cleanup);
    const yaml = 'version: 1\ndestinations:\n  - { kind: sandbox-kinesis, name: Sandbox two } # ü\n';
    const le = path.join(ws.dir, 'le.yaml');
    fs.writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(yaml, 'utf16le')]));
    const be = path.join(ws.dir, 'be.yaml');
    fs.writeFileSync(be, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(yaml, 'utf16le').swap16()]));
    // Before: "le.yaml holds a single value or a list, not a Sluice configuration".
    for (const file of [le, be]) {
      const applied = sluice(['--workspace', ws.dir, 'apply', '-f', file], { NODE_NO_WARNINGS: '1' });
      expect(applied.stderr).toBe('');
      expect(applied.stdout).toBe(`Applied ${file}: 0 sources, 0 models, 1 destination, 0 syncs.\n`);
    }
    expect(sluice(['--workspace', ws.dir, 'destinations', 'list']).stdout).toContain('Sandbox two\tsandbox-kinesis');
  });

  it('refuses a file that is not UTF-8 (saved as Latin-1) naming the line and the byte, before anything is written', () => {
    const ws = tempWorkspace();
    cleanups.push(ws.cleanup);
    const file = path.join(ws.dir, 'latin1.yaml');
    const yaml = 'version: 1\nsources:\n  - { kind: csv, name: cafe, path: /data/café.csv }\ndestinations:\n  - { kind: sandbox-kinesis, name: mine }\n';
    fs.writeFileSync(file, Buffer.from(yaml, 'latin1'));
    const dir = path.join(ws.dir, 'state');
    // Before: applied with exit 0, the path saved as "/data/caf\uFFFD.csv"; the run then named a file that is not there.
    const applied = sluice(['--workspace', dir, '--no-demo', 'apply', '-f', file], { NODE_NO_WARNINGS: '1' });
    expect(applied.status).not.toBe(0);
    expect(applied.stderr).toContain(`${file}, line 3 is not UTF-8 text (byte 0xE9; e.g. a file saved as Latin-1`);
    expect(applied.stderr).toContain('re-save it as UTF-8');
    expect(applied.stdout).toBe('');
    const exported = sluice(['--workspace', dir, '--no-demo', 'export']).stdout;
    expect(exported).not.toMatch(/cafe|mine/);
  });

  it('lists syncs, destinations, sources and models with the numbers in their names by value: big1, big2, big10', () => {
    const ws = tempWorkspace();
    cleanups.push(ws.cleanup);
    const csv = path.join(ws.dir, 'people.csv');
    fs.writeFileSync(csv, 'id,name\n1,Ada\n');
    const names = ['big1', 'big10', 'big2', 'Big3'];
    const each = (line: (n: string) => string) => names.map((n) => `  - ${line(n)}\n`).join('');
    const file = path.join(ws.dir, 'many.yaml');
    fs.writeFileSync(
      file,
      `version: 1\nsources:\n${each((n) => `{ kind: csv, name: ${n}, path: ${JSON.stringify(csv)} }`)}` +
        `models:\n${each((n) => `{ name: ${n}, source: ${n}, primaryKey: [id] }`)}` +
        `destinations:\n${each((n) => `{ kind: sandbox-kinesis, name: ${n} }`)}` +
        `syncs:\n${each((n) => `{ name: ${n}, model: ${n}, destination: ${n}, triggers: [added], payload: { mode: mapping, fields: [{ column: id, key: id }] } }`)}`,
    );
    const run = (...args: string[]) => sluice(['--workspace', path.join(ws.dir, 'state'), '--no-demo', ...args], { NODE_NO_WARNINGS: '1' });
    expect(run('apply', '-f', file).status).toBe(0);
    const expected = ['big1', 'big2', 'Big3', 'big10'];
    const firstColumn = (out: string) =>
      out
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[0]);
    // Before: big1, big10, big2, as SQLite orders text, by character code (and Big3 first of all).
    expect(firstColumn(run('sync', 'list').stdout)).toEqual(expected);
    expect(firstColumn(run('destinations', 'list').stdout)).toEqual(expected);
    const exported = run('export').stdout;
    const listed = (list: string) => [...(exported.split(`\n${list}:\n`)[1] ?? '').split(/\n\w/)[0]!.matchAll(/name: (\S+)/g)].map((m) => m[1]);
    expect(listed('sources')).toEqual(expected);
    expect(listed('models')).toEqual(expected);
  });
});
