// A Kafka broker that refused, could not be reached or did not answer, in words: the inspector's reads and a ledger entry's read-back.
import type { Destination } from '../../../../shared/config/destination';
import { SluiceError } from '../../../../shared/ipc/errors';
import { toPublishError } from '../../../kafka/publish-errors';

/**
 * For a read's `.catch`: its failure said with the brokers and what was being done (`what`: "read orders"),
 * code `unavailable` (it was an "unexpected error" with kafkajs' own words). Sluice's own errors (a topic
 * that does not exist) go as they are. The kafkajs error is kept as the cause: a read-back tries again
 * one that kafkajs calls retriable.
 */
export function unreachable(d: Extract<Destination, { kind: 'kafka' }>, what: string) {
  return (err: unknown): never => {
    if (err instanceof SluiceError) throw err;
    throw new SluiceError('unavailable', `Could not ${what} on ${d.brokers.join(', ')}: ${toPublishError(err).message}`, [], { cause: err });
  };
}
