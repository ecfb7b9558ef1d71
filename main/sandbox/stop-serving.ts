import http, { type Server } from 'node:http';
import type { Logger } from '../log/logger';

/** How long the requests under way when a sandbox server stops may take to be answered; past that their connections are cut. */
const ANSWER_UNDER_WAY_MS = 10_000;

/**
 * Stops a kinesalite server in the order that keeps its store safe: it takes no new connection, answers
 * the requests already under way (closing each connection after its answer, so a client's kept-alive
 * connection cannot keep it going), and only then closes its store.
 *
 * kinesalite's own `close()` does it the other way round: the LevelDB store first, the HTTP server once
 * the store is closed. A request that arrives meanwhile (another process's client, which has not yet
 * seen the server go) meets a closed store: leveldown throws "cannot call iterator() before open()" out
 * of the request handler, or crashes the process natively (SIGSEGV), and the request is never answered,
 * which holds the HTTP close, and with it the workspace's owner lock, until the client gives up.
 */
export async function stopServing(server: Server, log?: Logger): Promise<void> {
  // Runs before kinesalite's handler, which always answers later (once the request's body has been read).
  server.prependListener('request', (_request: http.IncomingMessage, response: http.ServerResponse) => response.setHeader('Connection', 'close'));
  // The HTTP server only (not kinesalite's override): stops listening and closes the idle connections.
  const answered = new Promise<void>((resolve) => http.Server.prototype.close.call(server, () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    answered.then(() => 'answered' as const),
    new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ANSWER_UNDER_WAY_MS))),
  ]);
  clearTimeout(timer);
  if (outcome === 'late') {
    log?.warn('sandbox.stop-cut-requests', {
      reason: `requests under way were not answered within ${ANSWER_UNDER_WAY_MS} ms of stopping; their connections are cut`,
    });
    server.closeAllConnections();
    await answered;
  }
  // Now kinesalite's close: its store, then the HTTP server again, which is already closed (ERR_SERVER_NOT_RUNNING: expected).
  const err = await new Promise<Error | undefined>((resolve) => server.close((e) => resolve(e)));
  if (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') log?.warn('sandbox.store-close-failed', { error: err.message });
}
