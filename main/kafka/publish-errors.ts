// A kafkajs error as Sluice's PublishError: retried or not, and whether the broker is out of reach.
import { SluiceError } from '../../shared/ipc/errors';
import { PublishError } from '../publishers/publisher';
import { foreignAnswer } from './answer-check';
import { kafkaTlsFailure } from './tls-errors';

interface KafkaJsError extends Error {
  type?: string;
  retriable?: boolean;
}

/** kafkajs errors whose meaning is "the broker could not be reached or went away", whatever their `retriable` says. */
const UNREACHABLE_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSLockTimeout',
]);
/** Socket errors of a broker that is down, restarting or behind a dropped connection. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** Broker answers that pass once leadership or the cluster settles (kafkajs marks most, not all, as retriable). */
const TRANSIENT_TYPES = new Set([
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'REQUEST_TIMED_OUT',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'NETWORK_EXCEPTION',
  'COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'NOT_CONTROLLER',
  'KAFKA_STORAGE_ERROR',
  'BROKER_NOT_AVAILABLE',
  'CONCURRENT_TRANSACTIONS',
  'UNKNOWN_TOPIC_OR_PARTITION',
]);
/**
 * Broker answers that the idempotent producer's own state (producer id, epoch, sequence numbers) no
 * longer matches the broker's: after a request the broker wrote but kafkajs counted as failed, or a
 * broker that lost or expired its producer state. kafkajs marks them non-retriable and never recovers
 * from them on its own; the publisher answers them with a new producer, and the records are retried.
 */
export const PRODUCER_STATE_TYPES = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
  'PRODUCER_FENCED',
]);

/**
 * A kafkajs error as Sluice's PublishError. kafkajs wraps a refused or dropped connection in errors
 * marked non-retriable once its own few retries are spent (KafkaJSNumberOfRetriesExceeded,
 * KafkaJSNonRetriableError); the whole cause chain is looked at, so a broker that is down or
 * restarting is retried (and marked `unreachable`), while an authentication or authorisation failure
 * is not. A broker that is back but not ready (TRANSIENT_TYPES), or that no longer agrees with the
 * producer's sequence numbers (PRODUCER_STATE_TYPES: the next request goes from a new producer), is
 * part of the same outage: its records get the same time budget, never only a record's few attempts.
 */
export function toPublishError(err: unknown): PublishError {
  const wrong = settingsFailure(err);
  if (wrong) return wrong;
  const chain = causeChain(err);
  // kafkajs' plain Error when a broker's first request (ApiVersions) went unanswered: something accepted
  // the connection and said nothing (a black hole, a broker too busy, or not a Kafka listener at all).
  if (chain.some((e) => e.message === NOT_CONNECTED)) return new PublishError('KafkaJSConnectionError', NO_HANDSHAKE, true, true);
  const top = chain[0] ?? (new Error(String(err)) as KafkaJsError);
  const inner = chain.find((e) => e.type) ?? chain[chain.length - 1] ?? top;
  const unreachable = chain.some((e) => UNREACHABLE_ERRORS.has(e.name) || (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)));
  const authFailure = chain.some((e) => e.name === 'KafkaJSSASLAuthenticationError' || /AUTHORIZATION_FAILED|SASL_AUTHENTICATION_FAILED/.test(e.type ?? ''));
  const transient = chain.some((e) => e.type !== undefined && (TRANSIENT_TYPES.has(e.type) || PRODUCER_STATE_TYPES.has(e.type)));
  const code = inner.type ?? (unreachable ? unreachableName(chain) : (top.type ?? top.name ?? 'KafkaJSError'));
  // kafkajs' bare "Closed connection": the peer hung up on a request (a broker restarting, or something
  // that is not a Kafka listener, or one that expects TLS or SASL: an HTTP server answers 400 and closes).
  const closed = chain.some((e) => e.name === 'KafkaJSConnectionClosedError' && e.message === 'Closed connection');
  const message = closed ? CLOSED : inner.message || top.message || String(err);
  const retryable = !authFailure && (unreachable || transient || (top.retriable ?? inner.retriable ?? false));
  // A broker that is back but not ready yet (no leader, still loading) is, for the run, still out of
  // reach: it gets the same time budget as a refused connection, not the few quick attempts of a record.
  return new PublishError(code, message, retryable, !authFailure && (unreachable || transient));
}

/**
 * kafkajs' failure in the words a run uses (`toPublishError`), for the reads that are not runs (the
 * inspector, capture, the routing preview); undefined for an error that is not kafkajs' (Sluice's own, a
 * bug). kafkajs' own errors, and its plain Error("Broker not connected"): a first request unanswered.
 */
export function kafkaFailure(err: unknown): PublishError | undefined {
  if (!(err instanceof Error) || (!err.name.startsWith('KafkaJS') && err.message !== NOT_CONNECTED)) return undefined;
  return toPublishError(err);
}

/**
 * A kafkajs failure of something a person asked for (`what`: "read orders"), said with the brokers:
 * code `unavailable` when they could not be reached or did not answer, else `invalid-input` (a refused
 * login, a topic not allowed: the destination's settings); the kafkajs error is kept as the cause.
 * undefined for Sluice's own errors and any other (a bug): they go as they are.
 */
export function kafkaFailureError(brokers: string[], what: string, err: unknown): SluiceError | undefined {
  const said = err instanceof SluiceError ? undefined : kafkaFailure(err);
  if (!said) return undefined;
  return new SluiceError(said.unreachable ? 'unavailable' : 'invalid-input', `Could not ${what} on ${brokers.join(', ')}: ${said.message}`, [], { cause: err });
}

/**
 * A failure of the destination's settings, not an outage: it fails the same way on every attempt, so the
 * run stops at once (kafkajs wraps each in a connection error, which would otherwise be retried as a
 * broker out of reach): a certificate problem, or a listener that answered in another protocol (`answer-check.ts`).
 */
function settingsFailure(err: unknown): PublishError | undefined {
  const tls = kafkaTlsFailure(err);
  if (tls) return new PublishError(tls.code, `${tls.message}. ${tls.hint}`, false, false);
  const foreign = foreignAnswer(err);
  return foreign ? new PublishError('NotKafkaAnswer', foreign, false, false) : undefined;
}

/** kafkajs' plain Error once a broker's first request went unanswered. */
const NOT_CONNECTED = 'Broker not connected';

const NO_HANDSHAKE =
  "The broker accepted the connection but did not answer Kafka's first request (ApiVersions) in time: it may be hung or overloaded (if it answered before), or this address is no Kafka listener, or it expects TLS or SASL";

const CLOSED =
  'The broker closed the connection on a request (Closed connection): it may be restarting (if it answered before), or this address is no Kafka listener (another service, such as an HTTP server), or it expects TLS or SASL';

type ChainedError = KafkaJsError & { code?: string; cause?: unknown; originalError?: unknown };

/** The error and its causes (kafkajs' `cause` / `originalError`), at most 8 deep, without loops. */
function causeChain(err: unknown): ChainedError[] {
  const chain: ChainedError[] = [];
  for (let e: unknown = err; e && typeof e === 'object' && chain.length < 8;) {
    const k = e as ChainedError;
    if (chain.includes(k)) break;
    chain.push(k);
    e = k.cause ?? k.originalError;
  }
  return chain;
}

const unreachableName = (chain: ChainedError[]) => chain.find((e) => UNREACHABLE_ERRORS.has(e.name))?.name ?? 'KafkaJSConnectionError';
