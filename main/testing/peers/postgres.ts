import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ManagedProcess } from './managed-process';
import { freePorts } from './ports';

export interface PostgresPeer {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  query(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  /** Freezes the whole server (SIGSTOP to the postmaster and every process it started): connections stay open, nothing is answered, new ones are taken by the kernel and never answered, as a hung host. */
  pause(): void;
  /** Undoes `pause` (SIGCONT). */
  resume(): void;
  stop(): Promise<void>;
}

function findBin(name: string): string {
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).sort().reverse() : [];
  for (const v of versions) if (fs.existsSync(path.join(base, v, 'bin', name))) return path.join(base, v, 'bin', name);
  throw new Error(`PostgreSQL's ${name} is not installed. Install it (Debian: apt-get install postgresql); .ci/run does this on CI.`);
}

/**
 * A throwaway PostgreSQL server on 127.0.0.1 with password authentication. PostgreSQL refuses to run
 * as root, so as root the data folder belongs to the `postgres` (or `nobody`) user and the server runs as it.
 */
export async function startPostgres(): Promise<PostgresPeer> {
  const initdb = findBin('initdb');
  const postgres = findBin('postgres');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-pg-'));
  const data = path.join(dir, 'data');
  const password = 'sluice-pg-test-password';
  const asRoot = process.getuid?.() === 0;
  const runAs = asRoot ? (spawnSync('id', ['postgres']).status === 0 ? 'postgres' : 'nobody') : undefined;
  const wrap = (cmd: string, args: string[]): [string, string[]] => (runAs ? ['runuser', ['-u', runAs, '--', cmd, ...args]] : [cmd, args]);
  fs.writeFileSync(path.join(dir, 'pwfile'), password);
  if (runAs) execFileSync('chown', ['-R', runAs, dir]);
  fs.chmodSync(dir, 0o755);
  const [initCmd, initArgs] = wrap(initdb, [
    '-D',
    data,
    '-U',
    'sluice',
    '--pwfile',
    path.join(dir, 'pwfile'),
    '--auth',
    'scram-sha-256',
    '-E',
    'UTF8',
    '--no-locale',
  ]);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const [port] = (await freePorts(1)) as [number];
  const [cmd, args] = wrap(postgres, ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-c', 'fsync=off']);
  const server = ManagedProcess.start('PostgreSQL', cmd, args, { logFile: path.join(os.tmpdir(), `sluice-pg-${port}.log`) });
  const config = { host: '127.0.0.1', port, database: 'postgres', user: 'sluice', password };
  const client = new pg.Client(config);
  try {
    await server.waitUntil(
      async () => {
        const probe = new pg.Client(config);
        try {
          await probe.connect();
          return true;
        } finally {
          await probe.end().catch(() => undefined);
        }
      },
      30_000,
      'accept connections',
    );
    await client.connect();
  } catch (err) {
    await server.stop();
    throw err;
  }
  // The postmaster (the first line of its pid file: `server` may be runuser) and every process it started.
  const serverPids = (): number[] => {
    const postmaster = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = spawnSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean)
      .map(Number);
    return [postmaster, ...children];
  };
  return {
    ...config,
    query: (sql, params) => client.query(sql, params),
    pause: () => {
      for (const pid of serverPids()) process.kill(pid, 'SIGSTOP');
    },
    resume: () => {
      for (const pid of serverPids()) process.kill(pid, 'SIGCONT');
    },
    stop: async () => {
      await client.end().catch(() => undefined);
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Gives the server `pause_row()`, for models that read their rows through it: each row waits `pause.seconds`
 * (0 at first; set it to land a fault mid-read).
 */
export async function addPauseRow(peer: Pick<PostgresPeer, 'query'>): Promise<void> {
  await peer.query('CREATE TABLE pause (seconds float8 NOT NULL)');
  await peer.query('INSERT INTO pause VALUES (0)');
  await peer.query('CREATE FUNCTION pause_row() RETURNS boolean LANGUAGE sql VOLATILE AS $$ SELECT true FROM pg_sleep((SELECT seconds FROM pause)) $$');
}
