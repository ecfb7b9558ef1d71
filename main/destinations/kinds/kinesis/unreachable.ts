// A Kinesis endpoint that refused, could not be reached or did not answer, in words: the inspector's reads and a ledger entry's read-back.
import { SluiceError } from '../../../../shared/ipc/errors';
import type { KinesisDestination } from './client';

/** Socket and DNS errors of an endpoint out of reach (no HTTP answer at all). */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Where a destination's Kinesis requests go, in words. */
function endpointOf(d: KinesisDestination): string {
  return 'region' in d ? (d.endpoint ?? `Kinesis in ${d.region}`) : "Sluice's sandbox";
}

/**
 * For a read's `catch`: an endpoint that refused the connection, could not be found or did not answer
 * (the SDK's TimeoutError) said with the endpoint and what was being done (`what`: "read orders"), code
 * `unavailable` (it was an "unexpected error" with the socket's words); a stream that does not exist likewise, code
 * `not-found`. Anything else — another answer from Kinesis (AccessDenied), Sluice's own errors — goes as it is. The SDK's
 * error is kept as the cause: a read-back tries again one the SDK calls retryable.
 */
export function unreachable(d: KinesisDestination, what: string) {
  return (err: unknown): never => {
    const e = err as Error & { code?: unknown };
    const code = typeof e?.code === 'string' ? e.code : '';
    if (err instanceof SluiceError) throw err;
    // A stream not there (a --stream mistyped, the destination's stream deleted) is the user's to fix, not a fault of Sluice's.
    if (e?.name === 'ResourceNotFoundException') throw new SluiceError('not-found', `Could not ${what} on ${endpointOf(d)}: ${e.message}`, [], { cause: err });
    if (!(UNREACHABLE_CODES.has(code) || e?.name === 'TimeoutError')) throw err;
    // (Node's AggregateError of a host with several addresses has no message of its own: its code says it.)
    throw new SluiceError('unavailable', `Could not ${what} on ${endpointOf(d)}: ${e.message || code}`, [], { cause: err });
  };
}
