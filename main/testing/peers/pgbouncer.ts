import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ManagedProcess } from './managed-process';
import { freePorts } from './ports';
import { MissingToolError } from './requirements';

export interface PgBouncerPeer {
  host: string;
  port: number;
  stop(): Promise<void>;
}

/** Where Debian puts PgBouncer (not on a user's PATH). */
function pgbouncerBin(): string {
  for (const bin of ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer']) if (fs.existsSync(bin)) return bin;
  const onPath = spawnSync('sh', ['-c', 'command -v pgbouncer'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  throw new MissingToolError('PgBouncer is not installed. Install it (Debian: apt-get install pgbouncer); .ci/run does this on CI.');
}

/**
 * A real PgBouncer on 127.0.0.1 in front of `server`, pooling in `mode` (transaction: a client's server
 * session is another one's between its transactions, as in most hosted poolers), for `users` (name →
 * password), with `poolSize` server sessions per user. As PgBouncer does by default, a startup parameter it does not know is refused. It refuses
 * to run as root, so as root it runs as `postgres` (or `nobody`).
 */
export async function startPgBouncer(
  server: { host: string; port: number; database: string },
  users: Record<string, string>,
  mode: 'transaction' | 'session' = 'transaction',
  poolSize = 4,
): Promise<PgBouncerPeer> {
  const bin = pgbouncerBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-pgbouncer-'));
  const [port] = (await freePorts(1)) as [number];
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  fs.writeFileSync(
    path.join(dir, 'users.txt'),
    Object.entries(users)
      .map(([u, p]) => `${quote(u)} ${quote(p)}\n`)
      .join(''),
  );
  fs.writeFileSync(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `${server.database} = host=${server.host} port=${server.port} dbname=${server.database}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = scram-sha-256',
      `auth_file = ${path.join(dir, 'users.txt')}`,
      `pool_mode = ${mode}`,
      // Few server sessions per user and database: clients take turns on them, a transaction at a time.
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 50',
      `logfile = ${path.join(dir, 'pgbouncer.log')}`,
      `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  const runAs = asRoot ? (spawnSync('id', ['postgres']).status === 0 ? 'postgres' : 'nobody') : undefined;
  if (runAs) execFileSync('chown', ['-R', runAs, dir]);
  fs.chmodSync(dir, 0o755);
  const [cmd, args] = runAs ? ['runuser', ['-u', runAs, '--', bin, path.join(dir, 'pgbouncer.ini')]] : [bin, [path.join(dir, 'pgbouncer.ini')]];
  const bouncer = ManagedProcess.start('PgBouncer', cmd, args, { logFile: path.join(os.tmpdir(), `sluice-pgbouncer-${port}.log`) });
  const [user, password] = Object.entries(users)[0]!;
  try {
    await bouncer.waitUntil(
      async () => {
        const probe = new pg.Client({ host: '127.0.0.1', port, database: server.database, user, password });
        try {
          await probe.connect();
          await probe.query('SELECT 1');
          return true;
        } finally {
          await probe.end().catch(() => undefined);
        }
      },
      30_000,
      'accept connections',
    );
  } catch (err) {
    await bouncer.stop();
    throw err;
  }
  return {
    host: '127.0.0.1',
    port,
    stop: async () => {
      await bouncer.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
