import type net from 'node:net';
import type { ISocketFactory } from 'kafkajs';
import { CANCEL_ABORTED } from '../../shared/config/run-arrival';
import { abortWords, givenUpError, givenUpWords } from '../publishers/given-up';
import { PublishError } from '../publishers/publisher';
import { checkedSocketFactory } from './answer-check';

/** Why requests are given up, unless the signal says otherwise. */
const RUN_CANCELLED = 'the run was cancelled';

/** The words of an abort's reason when it has its own (a test record's "the test record was cancelled"); a bare `abort()`'s are the run's. */
function reasonWords(signal: AbortSignal): string {
  return abortWords(signal) ?? RUN_CANCELLED;
}

/**
 * Lets a cancelled run stop waiting for Kafka. kafkajs cannot abort a request: it waits for its answer
 * up to its request timeout (30 s), and its disconnect waits for it too, so a cancelled run to a broker
 * that had stopped answering took that long to end (and the CLI as long to exit). The client's sockets
 * are made here (`socketFactory`, as kafkajs' default factory makes them, first answers checked: `answer-check.ts`) and kept, so that `cancel`
 * can destroy them: kafkajs then fails the requests on them at once. Sockets asked for after that are
 * destroyed as they are made, so kafkajs' own retries of those requests fail at once too.
 */
export class CancelRequests {
  private readonly sockets = new Set<net.Socket>();
  /** Why the requests were given up, once they were. */
  private reason: Error | undefined;

  readonly socketFactory: ISocketFactory = (options) => {
    const socket = checkedSocketFactory(options);
    const reason = this.reason;
    if (reason) process.nextTick(() => socket.destroy(reason));
    else {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    }
    return socket;
  };

  /** Whether requests were given up: nothing more may be sent. */
  get cancelled(): boolean {
    return this.reason !== undefined;
  }

  /** Why the requests were given up ("the run was cancelled"), once they were. */
  get why(): string | undefined {
    return this.reason?.message;
  }

  /** Gives up every request on the wire and any later one (kafkajs sees its connections fail, with `why`). */
  cancel(why = RUN_CANCELLED): void {
    if (this.reason) return;
    this.reason = new Error(why);
    for (const socket of this.sockets) socket.destroy(this.reason);
  }

  /**
   * `answer`, unless `signal` aborts first: then every request is given up (`cancel`) and it rejects
   * with the error its records fail with (`cancelledError`: whether its request had gone, that is
   * whether `turn`, the requests before it, had settled). They stay pending; the next run sends them.
   */
  untilCancelled<T>(answer: Promise<T>, signal: AbortSignal | undefined, turn: Promise<unknown>): Promise<T> {
    if (!signal) return answer;
    let onWire = false;
    void turn.then(() => (onWire = true));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.cancel(reasonWords(signal));
        reject(cancelledError(onWire));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }
}

/** What the records of a request given up by a cancel fail with: on the wire (Kafka may have written them), or still waiting to go. */
export function cancelledError(onWire: boolean): PublishError {
  return onWire
    ? givenUpError('Kafka')
    : new PublishError(
        CANCEL_ABORTED,
        'The run was cancelled before this request went to Kafka: its records were not sent, and the next run sends them',
        false,
      );
}

/**
 * What the Debugger records for a request a cancel gave up (kafkajs itself fails it as a connection
 * error, "KafkaJSNumberOfRetriesExceeded: Connection error: the run was cancelled"): the records' own code and words,
 * or, given up for another reason (`why`: "the test record was cancelled"), those words.
 */
export function cancelledSendError(why = RUN_CANCELLED): Error & { type: string } {
  return Object.assign(new Error(givenUpWords('Kafka', why === RUN_CANCELLED ? undefined : why)), { type: CANCEL_ABORTED });
}
