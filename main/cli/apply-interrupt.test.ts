// Ctrl-C during `sluice apply` (the real CLI, a separate process): it says what it left, and that is what the
// workspace holds: nothing of the file when it stopped before writing, all of it when it stopped after.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../paths';
import { freePort } from '../testing/peers/ports';
import { tempWorkspace } from '../testing/temp';

const bin = path.join(packageRoot(), 'bin', 'sluice.cjs');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const env = { ...process.env, NODE_NO_WARNINGS: '1' };

function start(args: string[]): { child: ChildProcessWithoutNullStreams; out: { stdout: string; stderr: string }; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [bin, ...args], { env });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, out, exit };
}

async function until(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function syncNames(workspace: string): string[] {
  const listed = spawnSync(process.execPath, [bin, '--workspace', workspace, 'sync', 'list', '--json'], { env, encoding: 'utf8' });
  return (JSON.parse(listed.stdout) as { sync: { name: string } }[]).map((s) => s.sync.name);
}

/** Thousands of models and syncs: reading and checking the file takes a while, in which Ctrl-C comes. */
function bigConfig(file: string, count: number): void {
  const lines = ['version: 1', 'models:'];
  for (let i = 0; i < count; i++) lines.push(`  - { name: m${i}, source: Demo database, query: "SELECT id, email FROM customers", primaryKey: [id] }`);
  lines.push('syncs:');
  for (let i = 0; i < count; i++)
    lines.push(
      `  - { name: s${i}, model: m${i}, destination: Sandbox stream, triggers: [added], payload: { mode: template, template: '{"id": {{ row.id }}}' } }`,
    );
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

describe('Ctrl-C during sluice apply', () => {
  it('while it reads the file: says nothing in it was applied, exits 130, and the workspace has none of it', async () => {
    const ws = tempWorkspace();
    cleanups.push(ws.cleanup);
    const file = path.join(ws.dir, 'big.yaml');
    bigConfig(file, 3000);
    const log = path.join(ws.dir, 'logs', 'sluice.log');
    const apply = start(['--workspace', ws.dir, 'apply', '-f', file]);
    // The workspace is open: the file is being read and checked (over a second for this one).
    await until('the workspace to open', () => fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('"engine.opened"'));
    apply.child.kill('SIGINT');
    // Before: exit 130 and not a word.
    expect(await apply.exit).toBe(130);
    expect(apply.out.stderr).toBe(`sluice: apply was interrupted before it wrote anything: nothing in ${file} was applied.\n`);
    expect(apply.out.stdout).toBe('');
    expect(syncNames(ws.dir)).toEqual(['Customers to sandbox']);
  }, 120_000);

  it('while it reads a model of the file before writing (a server that does not answer): says nothing in it was applied', async () => {
    const ws = tempWorkspace();
    cleanups.push(ws.cleanup);
    const silent = await silentServer();
    const file = path.join(ws.dir, 'pg.yaml');
    fs.writeFileSync(file, `version: 1\n${pgSource(silent.port)}${ORDERS_MODEL}${ORDERS_SYNC}`);
    const apply = start(['--workspace', ws.dir, 'apply', '-f', file]);
    // Its query's columns are read before anything is written (two columns of one name are refused).
    await until('the model to be read', () => silent.sockets.length > 0);
    apply.child.kill('SIGINT');
    expect(await apply.exit).toBe(130);
    expect(apply.out.stderr).toBe(`sluice: apply was interrupted before it wrote anything: nothing in ${file} was applied.\n`);
    expect(syncNames(ws.dir)).toEqual(['Customers to sandbox']);
  }, 120_000);

  it('while it checks the models after writing: says the file was applied, all of it, and a warning may be missing', async () => {
    const ws = tempWorkspace();
    cleanups.push(ws.cleanup);
    // The model is saved first while nothing listens on its port (it cannot be read, so apply lets it through)...
    const port = await freePort();
    const first = path.join(ws.dir, 'model.yaml');
    fs.writeFileSync(first, `version: 1\n${pgSource(port)}${ORDERS_MODEL}`);
    expect(spawnSync(process.execPath, [bin, '--workspace', ws.dir, 'apply', '-f', first], { env, encoding: 'utf8' }).status).toBe(0);
    // ...then a server takes the connection there and never answers: the file's new sync has its model checked after the write, and it waits.
    const silent = await silentServer(port);
    const file = path.join(ws.dir, 'sync.yaml');
    fs.writeFileSync(file, `version: 1\n${ORDERS_SYNC}`);
    const apply = start(['--workspace', ws.dir, 'apply', '-f', file]);
    await until('the file to be applied and its model checked', () => apply.out.stdout.includes('Applied ') && silent.sockets.length > 0);
    apply.child.kill('SIGINT');
    // Before: exit 130 and not a word, though the file was applied.
    expect(await apply.exit).toBe(130);
    expect(apply.out.stderr).toBe(
      `sluice: apply was interrupted after ${file} was applied, all of it (0 sources, 0 models, 0 destinations, 1 sync), while it checked the models ` +
        'for columns their syncs name but the models lack: a warning of that may be missing (the run of such a sync stops before sending and names the columns).\n',
    );
    expect(syncNames(ws.dir)).toEqual(['Customers to sandbox', 'orders out']);
  }, 120_000);
});

const pgSource = (port: number) => `sources: [{ kind: postgres, name: silent, host: 127.0.0.1, port: ${port}, database: crm, user: reader }]\n`;
const ORDERS_MODEL = 'models: [{ name: orders, source: silent, query: "SELECT id FROM orders", primaryKey: [id] }]\n';
const ORDERS_SYNC = `syncs:
  - { name: orders out, model: orders, destination: Sandbox stream, triggers: [added], payload: { mode: template, template: '{"id": {{ row.id }}}' } }
`;

/** A PostgreSQL "server" on 127.0.0.1 (`port`, else a free one) that takes connections and never answers. */
async function silentServer(port = 0): Promise<{ port: number; sockets: net.Socket[] }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(() => {
    sockets.forEach((s) => s.destroy());
    server.close();
  });
  return { port: (server.address() as net.AddressInfo).port, sockets };
}
