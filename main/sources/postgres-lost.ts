import type { Source } from '../../shared/config/source';
import { SluiceError } from '../../shared/ipc/errors';

type PostgresSource = Extract<Source, { kind: 'postgres' }>;

type PgError = Error & { code?: unknown; severity?: unknown };

/** Socket errors of a connection that broke under a read: the server gone, a reset, a link that went quiet. */
const SOCKET_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTCONN']);
/** What node-postgres says of a connection that closed, or of a client whose connection already failed. */
const CLOSED = /^Connection terminated|is not queryable$/;

/**
 * Whether `err` says the connection to PostgreSQL was lost (not that a statement was refused): a FATAL
 * or PANIC from the server (the session ends with it: pg_terminate_backend, a shutdown, a crash), a
 * connection-exception SQLSTATE (08…) or one of the 57P0x codes, a socket error, or node-postgres' own words.
 */
export function isConnectionLost(err: unknown): boolean {
  if (!(err instanceof Error) || err instanceof SluiceError) return false;
  const e = err as PgError;
  const code = typeof e.code === 'string' ? e.code : '';
  if (e.severity === 'FATAL' || e.severity === 'PANIC') return true;
  if (code.startsWith('08') || /^57P0[1-5]$/.test(code)) return true;
  return SOCKET_CODES.has(code) || CLOSED.test(e.message);
}

/** Why the connection was lost, in words (the raw words kept in brackets, where they add something). */
function why(e: PgError): string {
  const code = typeof e.code === 'string' ? e.code : '';
  if (e.severity === 'FATAL' || e.severity === 'PANIC' || code.startsWith('08') || code.startsWith('57P0')) return `the server ended the session: ${e.message}`;
  if (code === 'EPIPE') return `the connection was closed while Sluice was sending on it (${e.message})`;
  if (code === 'ECONNRESET' || code === 'ECONNABORTED') return `the connection was reset (${e.message})`;
  if (code === 'ETIMEDOUT') return `the server stopped answering (${e.message})`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `the server can no longer be reached (${e.message})`;
  if (/unexpectedly/.test(e.message)) return 'the connection was closed without a word from the server';
  return `the connection had already failed (${e.message})`;
}

/**
 * A connection to PostgreSQL lost while Sluice read through it, in words: which server, what Sluice was
 * doing (`doing`: 'reading model "orders"'), why, and what to do; code `unavailable`. The server's own
 * words and the socket's error only: never the password.
 */
export function connectionLostError(source: PostgresSource, doing: string, err: unknown): SluiceError {
  const where = `${source.host}:${source.port}/${source.database}`;
  return new SluiceError(
    'unavailable',
    `Lost the connection to PostgreSQL at ${where} while ${doing}: ${why(err as PgError)} (check the server is up, then try again)`,
  );
}

/** What a reader of a model is doing, in words: 'reading model "orders"' (a draft model without a name: 'reading the model'). */
export const readingModel = (name: string | undefined): string => (name ? `reading model "${name}"` : 'reading the model');

/**
 * A PostgreSQL server that said nothing for `ms` while Sluice waited on it (`doing`: 'reading model
 * "orders"'): neither an answer to the read nor to a probe on a new connection, so the read was given
 * up; code `unavailable`. Never the password.
 */
export function silentServerError(source: PostgresSource, doing: string, ms: number): SluiceError {
  const where = `${source.host}:${source.port}/${source.database}`;
  return new SluiceError(
    'unavailable',
    `PostgreSQL at ${where} did not answer for ${Math.round(ms / 1000)} s while ${doing}: neither the read nor a new connection got a word from the server, so Sluice gave up (check the server is up and the network path to it, then try again)`,
  );
}
