import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postgresConnectError } from './postgres-connect-error';

// A server that takes the connection and never answers (a pooler out of connections, a proxy in front
// of nothing): the client gives up after its connection timeout, and the error says so.
let silent: net.Server;
const held: net.Socket[] = [];
beforeAll(async () => {
  silent = net.createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

it('a server that never answers: the connection times out, and the error names the host and why', async () => {
  const port = (silent.address() as net.AddressInfo).port;
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'u', database: 'd', password: 'p', connectionTimeoutMillis: 300 });
  client.on('error', () => undefined);
  const err = await client.connect().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  const described = postgresConnectError({ kind: 'postgres', name: 'pg', host: '127.0.0.1', port, database: 'd', user: 'u', ssl: false }, err);
  expect(described.message).toMatch(
    new RegExp(`^Could not connect to PostgreSQL at 127\\.0\\.0\\.1:${port}/d as u: the server took the connection but did not answer in time`),
  );
  expect(described.issues?.[0]?.path).toBe('host');
});

it('a server that takes only encrypted connections points at TLS, not the user', () => {
  const source = { kind: 'postgres' as const, name: 'pg', host: 'db', port: 5432, database: 'd', user: 'u', ssl: false };
  const refused = Object.assign(new Error('no pg_hba.conf entry for host "10.0.0.2", user "u", database "d", no encryption'), { code: '28000' });
  const described = postgresConnectError(source, refused);
  expect(described.issues?.[0]?.path).toBe('ssl');
  expect(described.message).toContain('turn on TLS for this source');
  // Refused with TLS on: the role or pg_hba.conf, as before.
  const role = Object.assign(new Error('no pg_hba.conf entry for host "10.0.0.2", user "u", database "d", SSL encryption'), { code: '28000' });
  expect(postgresConnectError({ ...source, ssl: true }, role).issues?.[0]?.path).toBe('user');
});
