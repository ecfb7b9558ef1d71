import { createRequire } from 'node:module';
import { vi } from 'vitest';
import type { KafkaPeer } from './peers/kafka';

/** kafkajs' broker (its internals): the client the publisher uses in this process. */
const KafkaBroker = createRequire(import.meta.url)('kafkajs/src/broker') as { prototype: { produce(request: unknown): Promise<unknown> } };
const ORIGINAL_PRODUCE = KafkaBroker.prototype.produce;

/** A broker that hangs at a chosen point of a run. */
export interface ProduceFreeze {
  /** Whether the broker has been frozen. */
  readonly frozen: boolean;
  /** Produce requests begun since the broker was frozen: each is held (a request begun before may have been answered already, its answer on its way). */
  readonly held: number;
  /** A test's closer: stops watching Produce answers, and lets the broker go on if it was frozen (a test that failed first must not leave it hung for the next). */
  dispose(): void;
}

/**
 * Freezes `peer` (SIGSTOP, as its `pause`) the moment kafkajs in this process has the answer to its
 * first Produce request: the run has records acknowledged, and its next request is queued or on the
 * wire. A test that polled the run's progress to stop the broker lost the race on a loaded machine:
 * a run of 30,000 small records is 3 or 4 requests, over before the poll saw the first counted.
 */
export function freezeOnFirstProduceAnswer(peer: KafkaPeer): ProduceFreeze {
  let frozen = false;
  let held = 0;
  const produce = vi.spyOn(KafkaBroker.prototype, 'produce').mockImplementation(async function (this: object, request: unknown) {
    if (frozen) held++;
    const answer = await ORIGINAL_PRODUCE.call(this, request);
    if (!frozen) {
      frozen = true;
      // The answer goes back only once every broker thread has stopped: until then the broker may
      // still answer the request the run sends next.
      await peer.pause();
    }
    return answer;
  });
  return {
    get frozen() {
      return frozen;
    },
    get held() {
      return held;
    },
    dispose: () => {
      produce.mockRestore();
      // (SIGCONT to a broker killed and started again reaches the new process, which it does not stop;
      // one killed and not started again is no process to signal)
      if (frozen) {
        try {
          peer.resume();
        } catch {
          // gone
        }
      }
    },
  };
}
