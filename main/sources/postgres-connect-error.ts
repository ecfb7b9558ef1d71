import type { Source } from '../../shared/config/source';
import { SluiceError } from '../../shared/ipc/errors';

type PostgresSource = Extract<Source, { kind: 'postgres' }>;

/**
 * A failed PostgreSQL connection in words: what went wrong and which field to fix (the path).
 * The password is never part of the message: only the server's own words and the code.
 */
export function postgresConnectError(source: PostgresSource, err: unknown): SluiceError {
  const e = err as Error & { code?: string };
  const where = `${source.host}:${source.port}/${source.database} as ${source.user}`;
  const [field, why]: [string, string] =
    // (PgBouncer refuses a wrong password as a protocol error: "SASL authentication failed", 08P01)
    e.code === '28P01' || (e.code === '08P01' && /authentication failed/i.test(e.message))
      ? ['password', 'the password is wrong (the server refused it)']
      : e.code === '28000' && /no encryption/i.test(e.message)
        ? ['ssl', `the server takes only encrypted connections from here (pg_hba.conf): turn on TLS for this source (${e.message})`]
        : e.code === '28000'
          ? ['user', `the server does not let "${source.user}" in (no such role, or pg_hba.conf refuses it): ${e.message}`]
          : e.code === '3D000'
            ? ['database', `the database "${source.database}" does not exist on that server`]
            : e.code === 'ECONNREFUSED'
              ? ['port', 'the connection was refused: nothing listens on that host and port (is the server running? is the port right?)']
              : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN'
                ? ['host', `the host "${source.host}" was not found (check its spelling, or your network/VPN)`]
                : e.code === 'ETIMEDOUT' || e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH'
                  ? ['host', 'the host cannot be reached (a firewall, VPN or wrong address?)']
                  : /timeout expired|due to connection timeout/i.test(e.message)
                    ? [
                        'host',
                        "the server took the connection but did not answer in time (a pooler with no connection to spare, a proxy, or a port that is not PostgreSQL's?)",
                      ]
                    : /SASL|password must be a string|client password/i.test(e.message)
                      ? ['password', 'the server asks for a password and none was given']
                      : /does not support SSL|SSL/i.test(e.message)
                        ? ['ssl', `TLS failed: ${e.message}`]
                        : ['', e.message];
  return new SluiceError('invalid-input', `Could not connect to PostgreSQL at ${where}: ${why}`, [{ path: field, message: why }]);
}
