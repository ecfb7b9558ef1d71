import net from 'node:net';
import type pg from 'pg';

/** How long a cancel request may take to reach the server (a connection of its own): past it, the session is dropped without it. */
export const CANCEL_WAIT_MS = 5_000;

/** PostgreSQL's CancelRequest code (protocol: 1234 in the high 16 bits, 5678 in the low). */
const CANCEL_REQUEST_CODE = 80877102;

/**
 * Asks the server to cancel the statement `client`'s session runs, as psql's Ctrl+C does: a CancelRequest
 * on a connection of its own, naming the session by its backend id and secret key (no login, no
 * connection slot). Dropping the session's socket alone does not stop it: the server notices a client
 * gone only when it next writes to it, so a slow query ran on for as long as it took. Resolves once the
 * server has taken the request (it closes that connection), or after CANCEL_WAIT_MS; never rejects.
 */
export function cancelStatement(client: pg.Client, host: string, port: number): Promise<void> {
  const { processID, secretKey } = client as pg.Client & { processID?: number | null; secretKey?: number | null };
  if (processID == null || secretKey == null) return Promise.resolve(); // (not connected yet: nothing runs)
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(processID, 8);
  packet.writeInt32BE(secretKey, 12);
  return new Promise<void>((resolve) => {
    // (a socket folder, as pg takes one for `host`, or a TCP address)
    const socket = host.startsWith('/') ? net.connect({ path: `${host}/.s.PGSQL.${port}` }) : net.connect({ host, port });
    const timer = setTimeout(() => socket.destroy(), CANCEL_WAIT_MS);
    // (written, not ended: as libpq's PQcancel, the request's connection stays open until the other end
    // closes it. PgBouncer drops a cancel whose client closed first, before it passed it on to the server.)
    socket.on('connect', () => socket.write(packet));
    socket.on('error', () => undefined); // (refused, reset: the session is dropped all the same)
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.resume(); // (the server answers nothing; its end is read as the close)
  });
}
