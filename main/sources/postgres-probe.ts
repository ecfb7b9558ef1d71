import net from 'node:net';

/** PostgreSQL's SSLRequest: length 8, code 80877103. The server answers it with one byte ('S' or 'N') before any login. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/**
 * Whether a PostgreSQL server says anything at all within `timeoutMs`: a new connection that sends an
 * SSLRequest and waits for the server's one-byte answer (no login, no password, no connection slot
 * taken). A server busy with a long query answers it; one frozen (SIGSTOP, a hung host), or behind a
 * network path that drops everything, does not. `host` as node-postgres takes it: a folder (starting
 * with '/') is where the server's Unix socket is.
 */
export function postgresAnswers(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = host.startsWith('/') ? net.connect(`${host}/.s.PGSQL.${port}`) : net.connect(port, host);
    const done = (alive: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(alive);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => socket.write(SSL_REQUEST));
    socket.once('data', () => done(true));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}
