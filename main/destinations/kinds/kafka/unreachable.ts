// A Kafka broker that refused, could not be reached or did not answer, in words: the inspector's reads and a ledger entry's read-back.
import type { Destination } from '../../../../shared/config/destination';
import { kafkaFailureError } from '../../../kafka/publish-errors';

/**
 * For a read's `.catch`: a kafkajs failure said with the brokers and what was being done (`what`: "read
 * orders"): code `unavailable` when the brokers could not be reached or did not answer (it was an
 * "unexpected error" with kafkajs' own words), else `invalid-input` (a refused login, a topic not
 * allowed: the destination's settings). Sluice's own errors (a topic that does not exist) and any other
 * error (a bug) go as they are. The kafkajs error is kept as the cause: a read-back tries again one that
 * kafkajs calls retriable.
 */
export function unreachable(d: Extract<Destination, { kind: 'kafka' }>, what: string) {
  return (err: unknown): never => {
    throw kafkaFailureError(d.brokers, what, err) ?? err;
  };
}
